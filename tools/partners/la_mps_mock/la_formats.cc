// tools/partners/la_mps_mock/la_formats.cc
#include "tools/partners/la_mps_mock/la_formats.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/uscript.h>

#include <cstdint>
#include <set>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace gw::la_mps_mock {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAlpha(char c) { return IsUpper(c) || IsLower(c); }

bool AllDigits(absl::string_view v) {
  if (v.empty()) return false;
  for (char c : v) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

int Num(absl::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

// Decodes the code point at *i of valid UTF-8 and advances *i.
uint32_t NextCodePoint(absl::string_view s, size_t* i) {
  const auto b0 = static_cast<unsigned char>(s[*i]);
  if (b0 < 0x80) {
    *i += 1;
    return b0;
  }
  int len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2;
  uint32_t cp = b0 & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (int k = 1; k < len; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  }
  *i += len;
  return cp;
}

std::vector<uint32_t> CodePoints(absl::string_view s) {
  std::vector<uint32_t> out;
  size_t i = 0;
  while (i < s.size()) out.push_back(NextCodePoint(s, &i));
  return out;
}

// DD/MM/YYYY into its numbers (no range checks).
bool SplitDate(absl::string_view v, int* d, int* m, int* y) {
  if (v.size() != 10 || v[2] != '/' || v[5] != '/') return false;
  if (!AllDigits(v.substr(0, 2)) || !AllDigits(v.substr(3, 2)) ||
      !AllDigits(v.substr(6, 4))) {
    return false;
  }
  *d = Num(v.substr(0, 2));
  *m = Num(v.substr(3, 2));
  *y = Num(v.substr(6, 4));
  return true;
}

bool RealDate(int d, int m, int y) {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const absl::CivilDay day(y, m, d);
  return day.year() == y && day.month() == m && day.day() == d;
}

const std::set<std::string>& Alpha3Countries() {
  static const auto* const kCountries = [] {
    auto* set = new std::set<std::string>();
    for (const char* const* cc = uloc_getISOCountries(); *cc != nullptr; ++cc) {
      const std::string locale = absl::StrCat("und_", *cc);
      const char* alpha3 = uloc_getISO3Country(locale.c_str());
      if (alpha3 != nullptr && std::string(alpha3).size() == 3) {
        set->insert(alpha3);
      }
    }
    return set;
  }();
  return *kCountries;
}

}  // namespace

bool IsValidUtf8(absl::string_view s, size_t* bad_offset) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    size_t len = 0;
    uint32_t min = 0;
    if (b0 < 0x80) {
      ++i;
      continue;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
      min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      min = 0x10000;
    } else {
      if (bad_offset != nullptr) *bad_offset = i;
      return false;
    }
    if (i + len > s.size()) {
      if (bad_offset != nullptr) *bad_offset = i;
      return false;
    }
    uint32_t cp = b0 & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
    for (size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) {
        if (bad_offset != nullptr) *bad_offset = i;
        return false;
      }
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      if (bad_offset != nullptr) *bad_offset = i;
      return false;
    }
    i += len;
  }
  return true;
}

bool IsNfc(absl::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return false;
  const bool normalized = nfc->isNormalizedUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())), status);
  return U_SUCCESS(status) && normalized;
}

size_t CodePointCount(absl::string_view utf8) {
  size_t n = 0;
  for (char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string CheckText(absl::string_view value, size_t max_chars,
                      bool multiline) {
  if (value.empty()) return "empty value (an absent field has no record)";
  const std::vector<uint32_t> cps = CodePoints(value);
  if (u_isUWhiteSpace(static_cast<UChar32>(cps.front())) ||
      u_isUWhiteSpace(static_cast<UChar32>(cps.back()))) {
    return "leading or trailing white space";
  }
  for (uint32_t cp : cps) {
    if (cp == '\n' && multiline) continue;
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
      return multiline ? "control character (only LF may break a line)"
                       : "control character or line break";
    }
  }
  if (cps.size() > max_chars) {
    return absl::StrCat(cps.size(), " characters; at most ", max_chars);
  }
  return "";
}

bool IsAgencyCode(absl::string_view v) {
  if (v.size() < 5 || v.size() > 10) return false;
  if (!IsUpper(v[0]) || !IsUpper(v[1]) || v[2] != '-') return false;
  for (char c : v.substr(3)) {
    if (!IsUpper(c)) return false;
  }
  return true;
}

bool IsIdentifier(absl::string_view v) {
  if (v.empty() || v.size() > 64) return false;
  if (!IsAlpha(v[0]) && !IsDigit(v[0])) return false;
  for (char c : v) {
    if (!IsAlpha(c) && !IsDigit(c) && c != '.' && c != '_' && c != ':' &&
        c != '/' && c != '-') {
      return false;
    }
  }
  return true;
}

bool IsCodeName(absl::string_view v) {
  if (v.empty() || !IsUpper(v[0])) return false;
  for (char c : v) {
    if (!IsUpper(c) && !IsDigit(c) && c != '_') return false;
  }
  return true;
}

bool IsDocumentType(absl::string_view v) { return IsCodeName(v); }

bool IsCountryAlpha3(absl::string_view v) {
  if (v.size() != 3) return false;
  for (char c : v) {
    if (!IsUpper(c)) return false;
  }
  return Alpha3Countries().count(std::string(v)) > 0;
}

bool IsScriptCode(absl::string_view v) {
  if (v.size() != 4 || !IsUpper(v[0])) return false;
  for (char c : v.substr(1)) {
    if (!IsLower(c)) return false;
  }
  const std::string code(v);
  return u_getPropertyValueEnum(UCHAR_SCRIPT, code.c_str()) !=
         UCHAR_INVALID_CODE;
}

bool IsLanguageTag(absl::string_view v) {
  // Well-formed BCP 47 in the shape the ICD uses: a 2-3 letter (or 4-8
  // letter registered) language subtag, then subtags of 1-8 letters/digits.
  if (v.empty()) return false;
  bool first = true;
  for (absl::string_view sub : absl::StrSplit(v, '-')) {
    if (sub.empty() || sub.size() > 8) return false;
    for (char c : sub) {
      if (first ? !IsAlpha(c) : !(IsAlpha(c) || IsDigit(c))) return false;
    }
    if (first && sub.size() < 2) return false;
    first = false;
  }
  return true;
}

bool IsDate(absl::string_view v) {
  int d = 0, m = 0, y = 0;
  return SplitDate(v, &d, &m, &y) && RealDate(d, m, y);
}

bool IsPartialDate(absl::string_view v) {
  int d = 0, m = 0, y = 0;
  if (!SplitDate(v, &d, &m, &y)) return false;
  if (y < 1) return false;
  if (d == 0 && m == 0) return true;
  if (d == 0) return m >= 1 && m <= 12;
  return RealDate(d, m, y);
}

bool IsTimestamp(absl::string_view v) { return ParseTimestamp(v).has_value(); }

bool IsYesNo(absl::string_view v) { return v == "Y" || v == "N"; }

bool IsInteger(absl::string_view v) {
  if (!AllDigits(v) || v.size() > 18) return false;
  return v == "0" || v[0] != '0';
}

bool IsLowerHex(absl::string_view v, size_t length) {
  if (v.empty() || (length != 0 && v.size() != length)) return false;
  for (char c : v) {
    if (!IsDigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

bool IsBase64(absl::string_view v) {
  if (v.empty() || v.size() % 4 != 0) return false;
  for (size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    const bool alphabet = IsAlpha(c) || IsDigit(c) || c == '+' || c == '/';
    const bool padding = c == '=' && i + 2 >= v.size();
    if (!alphabet && !padding) return false;
  }
  std::string decoded;
  if (!absl::Base64Unescape(v, &decoded)) return false;
  return absl::Base64Escape(decoded) == v;  // canonical (zero pad bits)
}

bool IsMrzLine(absl::string_view v) {
  if (v.size() < 30 || v.size() > 44) return false;
  for (char c : v) {
    if (!IsUpper(c) && !IsDigit(c) && c != '<') return false;
  }
  return true;
}

bool IsUuid(absl::string_view v) {
  if (v.size() != 36) return false;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (v[i] != '-') return false;
    } else if (!IsDigit(v[i]) && !(v[i] >= 'a' && v[i] <= 'f')) {
      return false;
    }
  }
  return true;
}

bool IsMediaType(absl::string_view v) {
  // type "/" subtype (RFC 6838 restricted names), optional parameters.
  const absl::string_view essence = v.substr(0, v.find(';'));
  const size_t slash = essence.find('/');
  if (slash == absl::string_view::npos) return false;
  auto restricted = [](absl::string_view name) {
    if (name.empty() || name.size() > 127 ||
        !(IsAlpha(name[0]) || IsDigit(name[0])))
      return false;
    for (char c : name) {
      if (!IsAlpha(c) && !IsDigit(c) &&
          absl::string_view("!#$&-^_.+").find(c) == absl::string_view::npos) {
        return false;
      }
    }
    return true;
  };
  return restricted(essence.substr(0, slash)) &&
         restricted(essence.substr(slash + 1));
}

absl::TimeZone LaoTime() { return absl::FixedTimeZone(7 * 60 * 60); }

std::string FormatTimestamp(absl::Time t) {
  return absl::FormatTime("%d/%m/%Y %H:%M:%S+07:00", t, LaoTime());
}

std::string FormatDate(absl::CivilDay day) {
  return absl::StrFormat("%02d/%02d/%04d", day.day(), day.month(), day.year());
}

std::optional<absl::Time> ParseTimestamp(absl::string_view v) {
  if (v.size() != 25 || v[10] != ' ' || v[13] != ':' || v[16] != ':' ||
      v.substr(19) != "+07:00") {
    return std::nullopt;
  }
  int d = 0, m = 0, y = 0;
  if (!SplitDate(v.substr(0, 10), &d, &m, &y) || !RealDate(d, m, y)) {
    return std::nullopt;
  }
  const absl::string_view hh = v.substr(11, 2), mm = v.substr(14, 2),
                          ss = v.substr(17, 2);
  if (!AllDigits(hh) || !AllDigits(mm) || !AllDigits(ss)) return std::nullopt;
  if (Num(hh) > 23 || Num(mm) > 59 || Num(ss) > 59) return std::nullopt;
  return absl::FromCivil(absl::CivilSecond(y, m, d, Num(hh), Num(mm), Num(ss)),
                         LaoTime());
}

std::optional<absl::CivilDay> ParseDate(absl::string_view v) {
  int d = 0, m = 0, y = 0;
  if (!SplitDate(v, &d, &m, &y) || !RealDate(d, m, y)) return std::nullopt;
  return absl::CivilDay(y, m, d);
}

}  // namespace gw::la_mps_mock
