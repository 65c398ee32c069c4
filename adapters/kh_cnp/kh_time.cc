// adapters/kh_cnp/kh_time.cc
//
// See kh_time.h.
#include "adapters/kh_cnp/kh_time.h"

#include <cstdint>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"

namespace gw::kh_cnp {
namespace {

// The value of `n` ASCII digits at text[pos], or -1.
int Digits(absl::string_view text, size_t pos, size_t n) {
  if (pos + n > text.size()) return -1;
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

// A real day "YYYY-MM-DD" at the start of `text` (10 bytes).
std::optional<absl::CivilDay> DayAt(absl::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  const int year = Digits(text, 0, 4);
  const int month = Digits(text, 5, 2);
  const int day = Digits(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) {
    return std::nullopt;
  }
  const absl::CivilDay civil(year, month, day);
  // CivilDay normalizes 2026-02-30 to 2026-03-02: a real day survives.
  if (civil.year() != year || civil.month() != month || civil.day() != day) {
    return std::nullopt;
  }
  return civil;
}

}  // namespace

absl::StatusOr<std::string> FormatUtcTime(absl::Time time) {
  const absl::CivilSecond civil =
      absl::ToCivilSecond(time, absl::UTCTimeZone());
  if (civil.year() < 0 || civil.year() > 9999) {
    return absl::InvalidArgumentError(
        "outside the years 0000-9999 that RFC 3339 can write");
  }
  return absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02dZ", civil.year(),
                         civil.month(), civil.day(), civil.hour(),
                         civil.minute(), civil.second());
}

absl::StatusOr<std::string> FormatTimestamp(
    const google::protobuf::Timestamp& timestamp) {
  if (timestamp.nanos() < 0 || timestamp.nanos() > 999999999) {
    return absl::InvalidArgumentError("nanos outside 0..999999999");
  }
  // Whole seconds, rounded down: the nanos are dropped.
  return FormatUtcTime(absl::FromUnixSeconds(timestamp.seconds()));
}

std::optional<absl::Time> ParseTimestamp(absl::string_view text) {
  // YYYY-MM-DDTHH:MM:SS then Z (20 bytes) or +HH:MM / -HH:MM (25 bytes).
  if (text.size() != 20 && text.size() != 25) return std::nullopt;
  const std::optional<absl::CivilDay> day = DayAt(text);
  if (!day.has_value() || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  const int hour = Digits(text, 11, 2);
  const int minute = Digits(text, 14, 2);
  const int second = Digits(text, 17, 2);
  // The pattern allows no leap second (:60).
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 ||
      second > 59) {
    return std::nullopt;
  }
  int64_t offset_seconds = 0;
  if (text.size() == 20) {
    if (text[19] != 'Z') return std::nullopt;
  } else {
    const char sign = text[19];
    const int off_hour = Digits(text, 20, 2);
    const int off_minute = Digits(text, 23, 2);
    if ((sign != '+' && sign != '-') || text[22] != ':' || off_hour < 0 ||
        off_hour > 23 || off_minute < 0 || off_minute > 59) {
      return std::nullopt;
    }
    offset_seconds =
        (off_hour * 3600 + off_minute * 60) * (sign == '+' ? 1 : -1);
  }
  const absl::CivilSecond local(day->year(), day->month(), day->day(), hour,
                                minute, second);
  // Local time = UTC + offset.
  return absl::FromCivil(local, absl::UTCTimeZone()) -
         absl::Seconds(offset_seconds);
}

bool IsCalendarDate(absl::string_view text) {
  return text.size() == 10 && DayAt(text).has_value();
}

bool IsPartialDate(absl::string_view text) {
  if (text.size() == 4) return Digits(text, 0, 4) >= 0;
  if (text.size() == 7) {
    const int month = Digits(text, 5, 2);
    return Digits(text, 0, 4) >= 0 && text[4] == '-' && month >= 1 &&
           month <= 12;
  }
  return IsCalendarDate(text);
}

}  // namespace gw::kh_cnp
