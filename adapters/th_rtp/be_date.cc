// adapters/th_rtp/be_date.cc
//
// See be_date.h.
#include "adapters/th_rtp/be_date.h"

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"

namespace gw::th_rtp {
namespace {

// Thailand has no daylight saving time: a fixed zone.
const absl::TimeZone& Bangkok() {
  static const absl::TimeZone* const kZone =
      new absl::TimeZone(absl::FixedTimeZone(7 * 60 * 60));
  return *kZone;
}

int Digits(absl::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

bool IsDigits(absl::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsRealDate(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1) return false;
  const absl::CivilDay civil(year, month, day);
  return civil.year() == year && civil.month() == month && civil.day() == day;
}

}  // namespace

absl::StatusOr<std::string> FormatBeDate(absl::string_view iso,
                                         bool allow_partial) {
  if (iso.empty()) return std::string(kBlankDate);
  const bool year_only = iso.size() == 4;
  const bool year_month = iso.size() == 7;
  const bool full = iso.size() == 10;
  if (!(year_only || year_month || full) || !IsDigits(iso.substr(0, 4)) ||
      (!year_only && (iso[4] != '-' || !IsDigits(iso.substr(5, 2)))) ||
      (full && (iso[7] != '-' || !IsDigits(iso.substr(8, 2))))) {
    return absl::InvalidArgumentError(
        "not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)");
  }
  if (!full && !allow_partial) {
    return absl::InvalidArgumentError(
        "a partial date where TH-RTP wants a full date (TH-RTP.md §5.6)");
  }
  const int year = Digits(iso, 0, 4);
  const int month = year_only ? 0 : Digits(iso, 5, 2);
  const int day = full ? Digits(iso, 8, 2) : 0;
  if (full ? !IsRealDate(year, month, day)
           : (year_month && (month < 1 || month > 12))) {
    return absl::InvalidArgumentError("not a calendar date");
  }
  const int be_year = year + kBuddhistEraOffset;
  if (be_year > 9999) {
    return absl::InvalidArgumentError(
        "year beyond the four-digit Buddhist Era range");
  }
  return absl::StrFormat("%04d%02d%02d", be_year, month, day);
}

absl::StatusOr<std::string> ParseBeDate(absl::string_view be,
                                        bool allow_partial) {
  if (be.size() != 8 || !IsDigits(be)) {
    return absl::InvalidArgumentError("not 8 digits (YYYYMMDD)");
  }
  if (be == kBlankDate) return std::string();
  const int be_year = Digits(be, 0, 4);
  const int month = Digits(be, 4, 2);
  const int day = Digits(be, 6, 2);
  const int year = be_year - kBuddhistEraOffset;
  if (be_year < kBuddhistEraOffset) {
    return absl::InvalidArgumentError(
        "Buddhist Era year before 1 C.E. (or an unknown year with a known "
        "month or day)");
  }
  if (month == 0 || day == 0) {
    if (!allow_partial) {
      return absl::InvalidArgumentError(
          "partial date; only SB.BIRTH_DATE may be partial (TH-RTP.md §5.6)");
    }
    if (month == 0 && day != 0) {
      return absl::InvalidArgumentError(
          "known day with an unknown month (YYYY00DD)");
    }
    if (month > 12) return absl::InvalidArgumentError("not a calendar month");
    return month == 0 ? absl::StrFormat("%04d", year)
                      : absl::StrFormat("%04d-%02d", year, month);
  }
  if (!IsRealDate(year, month, day)) {
    return absl::InvalidArgumentError("not a calendar date");
  }
  return absl::StrFormat("%04d-%02d-%02d", year, month, day);
}

absl::StatusOr<std::string> FormatBeTimestamp(absl::Time utc) {
  // ToCivilSecond floors, so fractions of a second are dropped.
  const absl::CivilSecond local = absl::ToCivilSecond(utc, Bangkok());
  const int64_t be_year = local.year() + kBuddhistEraOffset;
  if (be_year < 0 || be_year > 9999) {
    return absl::InvalidArgumentError(
        "time outside the four-digit Buddhist Era range");
  }
  return absl::StrFormat("%04d%02d%02d%02d%02d%02d", be_year, local.month(),
                         local.day(), local.hour(), local.minute(),
                         local.second());
}

absl::StatusOr<std::optional<absl::Time>> ParseBeTimestamp(
    absl::string_view be) {
  if (be.size() != 14 || !IsDigits(be)) {
    return absl::InvalidArgumentError("not 14 digits (YYYYMMDDhhmmss)");
  }
  if (be == kBlankTimestamp) return std::optional<absl::Time>();
  const int year = Digits(be, 0, 4) - kBuddhistEraOffset;
  const int month = Digits(be, 4, 2);
  const int day = Digits(be, 6, 2);
  const int hour = Digits(be, 8, 2);
  const int minute = Digits(be, 10, 2);
  const int second = Digits(be, 12, 2);
  if (year < 1 || !IsRealDate(year, month, day)) {
    return absl::InvalidArgumentError("not a calendar date");
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return absl::InvalidArgumentError("not a time of day");
  }
  const absl::CivilSecond local(year, month, day, hour, minute, second);
  return std::optional<absl::Time>(absl::FromCivil(local, Bangkok()));
}

}  // namespace gw::th_rtp
