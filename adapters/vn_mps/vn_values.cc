// adapters/vn_mps/vn_values.cc
//
// See vn_values.h for the contract.
#include "adapters/vn_mps/vn_values.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gw::vn_mps {
namespace {

bool Digits(absl::string_view text, size_t pos, size_t n, int* out) {
  if (pos + n > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

bool IsLeap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysIn(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

bool RealYmd(int year, int month, int day) {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysIn(year, month);
}

std::string Format(const absl::CivilSecond& cs) {
  return absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02dZ", cs.year(),
                         cs.month(), cs.day(), cs.hour(), cs.minute(),
                         cs.second());
}

}  // namespace

absl::StatusOr<std::string> FormatDateTime(
    const google::protobuf::Timestamp& ts, absl::string_view field) {
  if (ts.nanos() < 0 || ts.nanos() > 999999999) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": not a valid timestamp"));
  }
  const absl::CivilSecond cs = absl::ToCivilSecond(
      absl::FromUnixSeconds(ts.seconds()), absl::UTCTimeZone());
  if (cs.year() < 1 || cs.year() > 9999) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": outside the years 0001-9999 (VN-MPS.md §5.4)"));
  }
  return Format(cs);
}

std::string FormatDateTime(absl::Time t) {
  return Format(absl::ToCivilSecond(t, absl::UTCTimeZone()));
}

std::optional<absl::Time> ParseDateTime(absl::string_view text) {
  int year, month, day, hour, minute, second;
  if (text.size() < 20 || !Digits(text, 0, 4, &year) || text[4] != '-' ||
      !Digits(text, 5, 2, &month) || text[7] != '-' ||
      !Digits(text, 8, 2, &day) || text[10] != 'T' ||
      !Digits(text, 11, 2, &hour) || text[13] != ':' ||
      !Digits(text, 14, 2, &minute) || text[16] != ':' ||
      !Digits(text, 17, 2, &second)) {
    return std::nullopt;
  }
  int offset_minutes = 0;
  const absl::string_view zone = text.substr(19);
  if (zone != "Z") {
    int zh, zm;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') ||
        !Digits(zone, 1, 2, &zh) || zone[3] != ':' ||
        !Digits(zone, 4, 2, &zm) || zm > 59 || zh * 60 + zm > 14 * 60) {
      return std::nullopt;
    }
    offset_minutes = (zone[0] == '-' ? -1 : 1) * (zh * 60 + zm);
  }
  if (!RealYmd(year, month, day) || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  const absl::Time local =
      absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                      absl::UTCTimeZone());
  return local - absl::Minutes(offset_minutes);
}

DateForm FormOf(absl::string_view text) {
  int y, m, d;
  if (text.size() == 10 && Digits(text, 0, 4, &y) && text[4] == '-' &&
      Digits(text, 5, 2, &m) && text[7] == '-' && Digits(text, 8, 2, &d)) {
    return DateForm::kDate;
  }
  if (text.size() == 7 && Digits(text, 0, 4, &y) && text[4] == '-' &&
      Digits(text, 5, 2, &m)) {
    return DateForm::kYearMonth;
  }
  if (text.size() == 4 && Digits(text, 0, 4, &y)) return DateForm::kYear;
  return DateForm::kInvalid;
}

bool IsRealDate(absl::string_view text) {
  int year = 0, month = 1, day = 1;
  switch (FormOf(text)) {
    case DateForm::kDate:
      Digits(text, 0, 4, &year);
      Digits(text, 5, 2, &month);
      Digits(text, 8, 2, &day);
      break;
    case DateForm::kYearMonth:
      Digits(text, 0, 4, &year);
      Digits(text, 5, 2, &month);
      break;
    case DateForm::kYear:
      Digits(text, 0, 4, &year);
      break;
    case DateForm::kInvalid:
      return false;
  }
  return RealYmd(year, month, day);
}

std::string CollapseWhiteSpace(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::optional<bool> ParseBoolean(absl::string_view text) {
  const std::string value = CollapseWhiteSpace(text);
  if (value == "true" || value == "1") return true;
  if (value == "false" || value == "0") return false;
  return std::nullopt;
}

}  // namespace gw::vn_mps
