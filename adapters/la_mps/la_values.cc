// adapters/la_mps/la_values.cc
//
// See la_values.h for the contract.
#include "adapters/la_mps/la_values.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace gw::la_mps {

namespace {

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return IsUpper(c) || IsLower(c); }
bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }

// The value of `n` ASCII digits at `text[pos]`, or -1.
int Digits(absl::string_view text, size_t pos, size_t n) {
  if (pos + n > text.size()) return -1;
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!IsDigit(text[i])) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool IsRealDay(int year, int month, int day) {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const absl::CivilDay civil(year, month, day);
  return civil.year() == year && civil.month() == month && civil.day() == day;
}

absl::Status BadFormat(absl::string_view want) {
  return absl::InvalidArgumentError(absl::StrCat("want ", want));
}

// The code point at `text[*pos]` (valid UTF-8), advancing `*pos`.
uint32_t NextCodePoint(absl::string_view text, size_t* pos) {
  const unsigned char lead = static_cast<unsigned char>(text[*pos]);
  int extra = lead < 0x80 ? 0 : lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3;
  uint32_t cp = extra == 0   ? lead
                : extra == 1 ? (lead & 0x1Fu)
                : extra == 2 ? (lead & 0x0Fu)
                             : (lead & 0x07u);
  ++*pos;
  for (; extra > 0 && *pos < text.size(); --extra, ++*pos) {
    cp = (cp << 6) | (static_cast<unsigned char>(text[*pos]) & 0x3Fu);
  }
  return cp;
}

// Start of the last code point of non-empty valid UTF-8 `text`.
size_t LastCodePointStart(absl::string_view text) {
  size_t i = text.size() - 1;
  while (i > 0 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) --i;
  return i;
}

// Unicode White_Space.
bool IsWhiteSpace(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool IsControl(uint32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

bool IsRestrictedNameChar(char c) {
  return IsAlnum(c) || c == '!' || c == '#' || c == '$' || c == '&' ||
         c == '-' || c == '^' || c == '_' || c == '.' || c == '+';
}

// RFC 6838 §4.2 restricted-name: 1 to 127 characters, alphanumeric first.
bool IsRestrictedName(absl::string_view name) {
  if (name.empty() || name.size() > 127 || !IsAlnum(name[0])) return false;
  for (char c : name) {
    if (!IsRestrictedNameChar(c)) return false;
  }
  return true;
}

}  // namespace

bool IsCode(absl::string_view value) {
  if (value.empty() || !IsUpper(value[0])) return false;
  for (char c : value) {
    if (!IsUpper(c) && !IsDigit(c) && c != '_') return false;
  }
  return true;
}

bool IsAgencyCode(absl::string_view value) {
  if (value.size() < 5 || value.size() > 10 || value[2] != '-') return false;
  for (size_t i = 0; i < value.size(); ++i) {
    if (i != 2 && !IsUpper(value[i])) return false;
  }
  return true;
}

bool IsIdentifier(absl::string_view value) {
  if (value.empty() || value.size() > 64 || !IsAlnum(value[0])) return false;
  for (char c : value) {
    if (!IsAlnum(c) && c != '.' && c != '_' && c != ':' && c != '/' &&
        c != '-') {
      return false;
    }
  }
  return true;
}

bool IsCountryShape(absl::string_view value) {
  return value.size() == 3 && IsUpper(value[0]) && IsUpper(value[1]) &&
         IsUpper(value[2]);
}

bool IsScriptCode(absl::string_view value) {
  return value.size() == 4 && IsUpper(value[0]) && IsLower(value[1]) &&
         IsLower(value[2]) && IsLower(value[3]);
}

bool IsLanguageTag(absl::string_view value) {
  size_t start = 0;
  bool first = true;
  while (true) {
    size_t end = value.find('-', start);
    if (end == absl::string_view::npos) end = value.size();
    const absl::string_view part = value.substr(start, end - start);
    if (first) {
      if (part.size() < 2 || part.size() > 3) return false;
      for (char c : part) {
        if (!IsAlpha(c)) return false;
      }
    } else {
      if (part.empty() || part.size() > 8) return false;
      for (char c : part) {
        if (!IsAlnum(c)) return false;
      }
    }
    first = false;
    if (end == value.size()) return true;
    start = end + 1;
  }
}

bool IsMrzLine(absl::string_view value) {
  if (value.size() < 30 || value.size() > 44) return false;
  for (char c : value) {
    if (!IsUpper(c) && !IsDigit(c) && c != '<') return false;
  }
  return true;
}

bool IsLowerHex(absl::string_view value, size_t length) {
  if (value.empty() || (length > 0 && value.size() != length)) return false;
  for (char c : value) {
    if (!IsDigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

bool IsMediaType(absl::string_view value) {
  for (char c : value) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  const size_t params = value.find(';');
  const absl::string_view essence = value.substr(0, params);
  const size_t slash = essence.find('/');
  if (slash == absl::string_view::npos) return false;
  return IsRestrictedName(essence.substr(0, slash)) &&
         IsRestrictedName(essence.substr(slash + 1));
}

absl::StatusOr<uint64_t> ParseInteger(absl::string_view value, uint64_t max) {
  if (value.empty() || value.size() > 19) {
    return BadFormat("a decimal integer (ASCII digits)");
  }
  if (value.size() > 1 && value[0] == '0') {
    return BadFormat("a decimal integer without leading zeros");
  }
  uint64_t out = 0;
  for (char c : value) {
    if (!IsDigit(c)) return BadFormat("a decimal integer (ASCII digits)");
    out = out * 10 + static_cast<uint64_t>(c - '0');
  }
  if (out > max) {
    return absl::InvalidArgumentError(absl::StrCat("want at most ", max));
  }
  return out;
}

std::string Base64Encode(absl::string_view bytes) {
  return absl::Base64Escape(bytes);
}

absl::StatusOr<std::string> Base64DecodeStrict(absl::string_view text) {
  const auto bad = [] {
    return BadFormat("base64 (RFC 4648 §4, standard alphabet, with padding)");
  };
  if (text.empty() || text.size() % 4 != 0) return bad();
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (IsAlnum(c) || c == '+' || c == '/') continue;
    // '=' only as the last one or two characters.
    if (c == '=' && i + 2 >= text.size() &&
        (i + 1 == text.size() || text[i + 1] == '=')) {
      continue;
    }
    return bad();
  }
  std::string out;
  if (!absl::Base64Unescape(text, &out) || absl::Base64Escape(out) != text) {
    return bad();
  }
  return out;
}

absl::StatusOr<std::string> IsoDateToLa(absl::string_view iso) {
  const int year = Digits(iso, 0, 4);
  const int month = Digits(iso, 5, 2);
  const int day = Digits(iso, 8, 2);
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-' ||
      !IsRealDay(year, month, day)) {
    return BadFormat("an ISO date YYYY-MM-DD that is a real calendar date");
  }
  return absl::StrFormat("%02d/%02d/%04d", day, month, year);
}

absl::StatusOr<std::string> LaDateToIso(absl::string_view la) {
  const int day = Digits(la, 0, 2);
  const int month = Digits(la, 3, 2);
  const int year = Digits(la, 6, 4);
  if (la.size() != 10 || la[2] != '/' || la[5] != '/' ||
      !IsRealDay(year, month, day)) {
    return BadFormat("a date DD/MM/YYYY that is a real calendar date");
  }
  return absl::StrFormat("%04d-%02d-%02d", year, month, day);
}

absl::StatusOr<std::string> IsoPartialDateToLa(absl::string_view iso) {
  const int year = Digits(iso, 0, 4);
  if (iso.size() == 4 && year >= 1) return absl::StrFormat("00/00/%04d", year);
  const int month = Digits(iso, 5, 2);
  if (iso.size() == 7 && year >= 1 && iso[4] == '-' && month >= 1 &&
      month <= 12) {
    return absl::StrFormat("00/%02d/%04d", month, year);
  }
  if (iso.size() == 10) return IsoDateToLa(iso);
  return BadFormat(
      "a partial ISO date YYYY, YYYY-MM or YYYY-MM-DD (a real calendar "
      "date)");
}

absl::StatusOr<std::string> LaPartialDateToIso(absl::string_view la) {
  const int day = Digits(la, 0, 2);
  const int month = Digits(la, 3, 2);
  const int year = Digits(la, 6, 4);
  if (la.size() != 10 || la[2] != '/' || la[5] != '/' || day < 0 || month < 0 ||
      year < 1) {
    return BadFormat("a partial date DD/MM/YYYY, 00/MM/YYYY or 00/00/YYYY");
  }
  if (day == 0 && month == 0) return absl::StrFormat("%04d", year);
  if (day == 0 && month <= 12) return absl::StrFormat("%04d-%02d", year, month);
  if (month == 0) {
    return BadFormat(
        "a partial date DD/MM/YYYY, 00/MM/YYYY or 00/00/YYYY (DD/00/YYYY is "
        "invalid)");
  }
  if (!IsRealDay(year, month, day)) {
    return BadFormat("a partial date whose full form is a real calendar date");
  }
  return absl::StrFormat("%04d-%02d-%02d", year, month, day);
}

absl::StatusOr<std::string> TimeToLa(absl::Time time) {
  static const absl::TimeZone kLao = absl::FixedTimeZone(7 * 60 * 60);
  const absl::CivilSecond civil = absl::ToCivilSecond(time, kLao);
  if (civil.year() < 1 || civil.year() > 9999) {
    return BadFormat("a time whose year is 0001 to 9999");
  }
  return absl::StrFormat("%02d/%02d/%04d %02d:%02d:%02d+07:00", civil.day(),
                         civil.month(), civil.year(), civil.hour(),
                         civil.minute(), civil.second());
}

absl::StatusOr<absl::Time> LaToTime(absl::string_view la) {
  const int day = Digits(la, 0, 2);
  const int month = Digits(la, 3, 2);
  const int year = Digits(la, 6, 4);
  const int hour = Digits(la, 11, 2);
  const int minute = Digits(la, 14, 2);
  const int second = Digits(la, 17, 2);
  if (la.size() != 25 || la[2] != '/' || la[5] != '/' || la[10] != ' ' ||
      la[13] != ':' || la[16] != ':' || la.substr(19) != "+07:00" ||
      !IsRealDay(year, month, day) || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 59) {
    return BadFormat(
        "a timestamp DD/MM/YYYY HH:MM:SS+07:00 (a real calendar date and "
        "time)");
  }
  static const absl::TimeZone kLao = absl::FixedTimeZone(7 * 60 * 60);
  return absl::FromCivil(
      absl::CivilSecond(year, month, day, hour, minute, second), kLao);
}

absl::Status CheckText(absl::string_view text, size_t max_chars,
                       bool multiline) {
  if (text.empty()) return absl::InvalidArgumentError("empty value");
  size_t pos = 0;
  size_t chars = 0;
  while (pos < text.size()) {
    const uint32_t cp = NextCodePoint(text, &pos);
    ++chars;
    if (IsControl(cp) && !(multiline && cp == '\n')) {
      return absl::InvalidArgumentError(
          multiline ? "control character other than LF"
                    : "control character (a line break included)");
    }
  }
  size_t first = 0;
  size_t last = LastCodePointStart(text);
  if (IsWhiteSpace(NextCodePoint(text, &first)) ||
      IsWhiteSpace(NextCodePoint(text, &last))) {
    return absl::InvalidArgumentError("leading or trailing white space");
  }
  if (chars > max_chars) {
    return absl::InvalidArgumentError(
        absl::StrCat("longer than ", max_chars, " characters"));
  }
  return absl::OkStatus();
}

std::string CleanText(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  // Trim white space at both ends, one code point at a time.
  size_t begin = 0;
  while (begin < out.size()) {
    size_t next = begin;
    if (!IsWhiteSpace(NextCodePoint(out, &next))) break;
    begin = next;
  }
  size_t end = out.size();
  while (end > begin) {
    const size_t start =
        LastCodePointStart(absl::string_view(out).substr(0, end));
    size_t probe = start;
    if (!IsWhiteSpace(NextCodePoint(out, &probe))) break;
    end = start;
  }
  return out.substr(begin, end - begin);
}

size_t CountChars(absl::string_view text) {
  size_t chars = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;
  }
  return chars;
}

}  // namespace gw::la_mps
