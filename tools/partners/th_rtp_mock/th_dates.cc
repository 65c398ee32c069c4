// tools/partners/th_rtp_mock/th_dates.cc
#include "tools/partners/th_rtp_mock/th_dates.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"

namespace gw::th_rtp_mock {
namespace {

constexpr int kBuddhistOffset = 543;

absl::TimeZone Thailand() { return absl::FixedTimeZone(7 * 3600); }

bool AllDigits(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !text.empty();
}

int Number(absl::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

bool IsLeap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

// A real date: C.E. year >= 1 after subtracting 543.
bool IsRealDate(int be_year, int month, int day) {
  const int year = be_year - kBuddhistOffset;
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

}  // namespace

std::string FormatBeTimestamp(absl::Time time) {
  const absl::CivilSecond local = absl::ToCivilSecond(time, Thailand());
  return absl::StrFormat(
      "%04d%02d%02d%02d%02d%02d", local.year() + kBuddhistOffset, local.month(),
      local.day(), local.hour(), local.minute(), local.second());
}

int BeYear(absl::Time time) {
  return static_cast<int>(absl::ToCivilYear(time, Thailand()).year()) +
         kBuddhistOffset;
}

std::optional<absl::Time> ParseBeTimestamp(absl::string_view ts) {
  if (ts.size() != 14 || !AllDigits(ts)) return std::nullopt;
  const int be_year = Number(ts.substr(0, 4));
  const int month = Number(ts.substr(4, 2));
  const int day = Number(ts.substr(6, 2));
  const int hour = Number(ts.substr(8, 2));
  const int minute = Number(ts.substr(10, 2));
  const int second = Number(ts.substr(12, 2));
  if (!IsRealDate(be_year, month, day) || hour > 23 || minute > 59 ||
      second > 59) {
    return std::nullopt;
  }
  return absl::FromCivil(absl::CivilSecond(be_year - kBuddhistOffset, month,
                                           day, hour, minute, second),
                         Thailand());
}

DateKind ClassifyBeDate(absl::string_view date) {
  if (date.size() != 8 || !AllDigits(date)) return DateKind::kInvalid;
  if (date == "00000000") return DateKind::kBlank;
  const int be_year = Number(date.substr(0, 4));
  const int month = Number(date.substr(4, 2));
  const int day = Number(date.substr(6, 2));
  if (month == 0 && day == 0) {
    return IsRealDate(be_year, 1, 1) ? DateKind::kPartial : DateKind::kInvalid;
  }
  if (day == 0) {
    return IsRealDate(be_year, month, 1) ? DateKind::kPartial
                                         : DateKind::kInvalid;
  }
  return IsRealDate(be_year, month, day) ? DateKind::kFull : DateKind::kInvalid;
}

std::string TimestampToUtcText(absl::string_view ts) {
  const std::optional<absl::Time> time = ParseBeTimestamp(ts);
  if (!time.has_value()) return "";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", *time, absl::UTCTimeZone());
}

}  // namespace gw::th_rtp_mock
