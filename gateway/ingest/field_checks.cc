#include "gateway/ingest/field_checks.h"

#include <unicode/locid.h>
#include <unicode/uloc.h>

#include <cstring>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace gw::ingest {
namespace {

constexpr absl::Duration kClockSkew = absl::Minutes(5);

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

// Parses "YYYY[-MM[-DD]]" into its parts; 0 for an absent part.
bool ParseDateParts(absl::string_view date, int* year, int* month, int* day) {
  std::vector<absl::string_view> parts = absl::StrSplit(date, '-');
  if (parts.empty() || parts.size() > 3) return false;
  static constexpr size_t kWidths[] = {4, 2, 2};
  int values[3] = {0, 0, 0};
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].size() != kWidths[i] || !AllDigits(parts[i])) return false;
    if (!absl::SimpleAtoi(parts[i], &values[i])) return false;
  }
  *year = values[0];
  *month = values[1];
  *day = values[2];
  if (*year < 1900) return false;
  if (parts.size() >= 2 && (*month < 1 || *month > 12)) return false;
  if (parts.size() == 3) {
    const absl::CivilDay civil(*year, *month, *day);
    if (civil.year() != *year || civil.month() != *month || civil.day() != *day)
      return false;
  }
  return true;
}

const absl::flat_hash_set<std::string>& CountryCodes() {
  static const auto* codes = [] {
    auto* set = new absl::flat_hash_set<std::string>();
    for (const char* const* c = icu::Locale::getISOCountries(); *c != nullptr;
         ++c) {
      const std::string locale = absl::StrCat("_", *c);
      const char* iso3 = uloc_getISO3Country(locale.c_str());
      if (iso3 != nullptr && std::strlen(iso3) == 3) set->insert(iso3);
    }
    return set;
  }();
  return *codes;
}

}  // namespace

bool IsPartialDate(absl::string_view date) {
  int y, m, d;
  return ParseDateParts(date, &y, &m, &d);
}

bool IsIsoDate(absl::string_view date) {
  return date.size() == 10 && IsPartialDate(date);
}

bool IsCountryCode(absl::string_view code) {
  return code.size() == 3 && CountryCodes().contains(code);
}

bool IsScriptCode(absl::string_view code) {
  return code.size() == 4 &&
         absl::ascii_isupper(static_cast<unsigned char>(code[0])) &&
         absl::ascii_islower(static_cast<unsigned char>(code[1])) &&
         absl::ascii_islower(static_cast<unsigned char>(code[2])) &&
         absl::ascii_islower(static_cast<unsigned char>(code[3]));
}

bool IsLanguageTag(absl::string_view tag) {
  std::vector<absl::string_view> parts = absl::StrSplit(tag, '-');
  if (parts[0].size() < 2 || parts[0].size() > 3) return false;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].empty() || parts[i].size() > 8) return false;
    for (char c : parts[i]) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) return false;
      if (i == 0 && !absl::ascii_isalpha(static_cast<unsigned char>(c)))
        return false;
    }
  }
  return true;
}

bool IsClientId(absl::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  if (!absl::ascii_isalnum(static_cast<unsigned char>(id[0]))) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' &&
        c != '_' && c != ':' && c != '-') {
      return false;
    }
  }
  return true;
}

absl::CivilDay EarliestDay(absl::string_view date) {
  int y = 0, m = 0, d = 0;
  ParseDateParts(date, &y, &m, &d);
  return absl::CivilDay(y, m == 0 ? 1 : m, d == 0 ? 1 : d);
}

absl::CivilDay LatestDay(absl::string_view date) {
  int y = 0, m = 0, d = 0;
  ParseDateParts(date, &y, &m, &d);
  if (m == 0) return absl::CivilDay(y, 12, 31);
  if (d == 0) return absl::CivilDay(absl::CivilMonth(y, m) + 1) - 1;
  return absl::CivilDay(y, m, d);
}

absl::Status CheckClientId(absl::string_view path, absl::string_view id) {
  if (id.empty())
    return absl::InvalidArgumentError(absl::StrCat(path, ": required"));
  if (!IsClientId(id)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path,
                     ": want 1 to 128 characters of A-Z a-z 0-9 . _ : -, "
                     "starting with a letter or digit"));
  }
  return absl::OkStatus();
}

absl::Status CheckPartialDate(absl::string_view path, absl::string_view date,
                              absl::Time now) {
  if (!IsPartialDate(date)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path,
                     ": want a partial ISO date YYYY, YYYY-MM or YYYY-MM-DD (a "
                     "real date, year 1900 or later)"));
  }
  if (EarliestDay(date) > absl::ToCivilDay(now, absl::UTCTimeZone())) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": is in the future"));
  }
  return absl::OkStatus();
}

absl::Status CheckCountry(absl::string_view path, absl::string_view code) {
  if (!IsCountryCode(code)) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": want an ISO 3166-1 alpha-3 country code such as CHN or THA"));
  }
  return absl::OkStatus();
}

absl::Status CheckNotFuture(absl::string_view path,
                            const google::protobuf::Timestamp& t,
                            absl::Time now) {
  if (t.seconds() == 0 && t.nanos() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": required"));
  }
  if (t.nanos() < 0 || t.nanos() > 999999999) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": nanos out of range"));
  }
  const absl::Time at =
      absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
  if (at > now + kClockSkew) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": is in the future"));
  }
  return absl::OkStatus();
}

absl::Status CheckText(absl::string_view path, absl::string_view text,
                       size_t max_bytes) {
  if (text.empty())
    return absl::InvalidArgumentError(absl::StrCat(path, ": required"));
  if (text.size() > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", text.size(), " bytes, at most ", max_bytes));
  }
  return absl::OkStatus();
}

}  // namespace gw::ingest
