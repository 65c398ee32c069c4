// adapters/la_mps/la_values.h
//
// The value formats of LA-MPS.md §3.3 (table "Value formats") and §5.3, as
// checks and as conversions to and from the canonical forms:
//
//  * dates `DD/MM/YYYY` (real calendar dates, year 0001-9999) <-> ISO
//    `YYYY-MM-DD`;
//  * partial dates of birth: `DD/MM/YYYY`, `00/MM/YYYY` (day unknown),
//    `00/00/YYYY` (month unknown) <-> `YYYY-MM-DD`, `YYYY-MM`, `YYYY`;
//    `DD/00/YYYY` with DD != 00 is invalid;
//  * timestamps `DD/MM/YYYY HH:MM:SS+07:00`, Lao time, whole seconds, the
//    literal suffix `+07:00`; to absl::Time by subtracting 7 hours, from it
//    by adding 7 hours. Sub-second parts of canonical times are dropped
//    (rounded down), so the same time always gives the same text;
//  * the shapes of codes, agency codes, identifiers (partners/README.md
//    §2.8), country, script and language codes, MRZ lines, UUIDs,
//    lowercase hex, integers and RFC 4648 §4 base64 with padding;
//  * text: no leading or trailing white space (Unicode White_Space), no
//    control characters (C0, DEL, C1; LF only where a value may span
//    lines), at most N characters (Unicode code points).
// Conversions return INVALID_ARGUMENT with a message that states the rule,
// never the value; callers prefix the field path. Thread safety: pure
// functions.
#ifndef GW_ADAPTERS_LA_MPS_LA_VALUES_H_
#define GW_ADAPTERS_LA_MPS_LA_VALUES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace gw::la_mps {

// Longest text value, in characters (LA-MPS.md §9).
inline constexpr size_t kMaxTextChars = 20000;

// `^[A-Z][A-Z0-9_]*$`: an enumeration name or a document type.
bool IsCode(absl::string_view value);
// `^[A-Z]{2}-[A-Z]{2,7}$` (partners/README.md §2.8).
bool IsAgencyCode(absl::string_view value);
// `^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$` (partners/README.md §2.8).
bool IsIdentifier(absl::string_view value);
// Three upper-case ASCII letters (ISO 3166-1 alpha-3 shape).
bool IsCountryShape(absl::string_view value);
// One upper-case then three lower-case ASCII letters (ISO 15924 shape).
bool IsScriptCode(absl::string_view value);
// A BCP 47 tag of the simple form `lo`, `en`, `zh-Hans`, `my-MM`: a
// primary subtag of 2 or 3 letters, then subtags of 1 to 8 letters/digits.
bool IsLanguageTag(absl::string_view value);
// `[A-Z0-9<]{30,44}`.
bool IsMrzLine(absl::string_view value);
// Non-empty lowercase hex; exactly `length` digits when length > 0.
bool IsLowerHex(absl::string_view value, size_t length = 0);
// `type/subtype` (RFC 6838 restricted names), optionally followed by
// parameters: printable ASCII only.
bool IsMediaType(absl::string_view value);

// Decimal ASCII digits, no sign, no leading zeros, at most `max`.
[[nodiscard]] absl::StatusOr<uint64_t> ParseInteger(absl::string_view value,
                                                    uint64_t max);

// RFC 4648 §4, standard alphabet, with padding.
std::string Base64Encode(absl::string_view bytes);
// Strict inverse of Base64Encode: the input must be exactly what
// Base64Encode gives for some bytes (length a multiple of 4, padding only at
// the end, unused bits zero).
[[nodiscard]] absl::StatusOr<std::string> Base64DecodeStrict(
    absl::string_view text);

// ISO `YYYY-MM-DD` <-> `DD/MM/YYYY`.
[[nodiscard]] absl::StatusOr<std::string> IsoDateToLa(absl::string_view iso);
[[nodiscard]] absl::StatusOr<std::string> LaDateToIso(absl::string_view la);
// Partial dates of birth (see above).
[[nodiscard]] absl::StatusOr<std::string> IsoPartialDateToLa(
    absl::string_view iso);
[[nodiscard]] absl::StatusOr<std::string> LaPartialDateToIso(
    absl::string_view la);

// absl::Time <-> `DD/MM/YYYY HH:MM:SS+07:00`. TimeToLa fails for a time
// whose Lao year is outside 0001-9999.
[[nodiscard]] absl::StatusOr<std::string> TimeToLa(absl::Time time);
[[nodiscard]] absl::StatusOr<absl::Time> LaToTime(absl::string_view la);

// OK if `text` is a text value of at most `max_chars` characters: not
// empty, no leading or trailing white space, no control characters other
// than LF (and LF only if `multiline`). REQUIRES: valid UTF-8.
[[nodiscard]] absl::Status CheckText(absl::string_view text, size_t max_chars,
                                     bool multiline);

// Outbound text as the format writes it: CR LF and lone CR become LF (a
// line break is LF, §3.3) and leading and trailing white space is removed.
// Nothing else is changed: CheckText then refuses what remains invalid.
// REQUIRES: valid UTF-8. May return "".
std::string CleanText(absl::string_view text);

// Number of Unicode code points in valid UTF-8 `text`.
size_t CountChars(absl::string_view text);

}  // namespace gw::la_mps

#endif  // GW_ADAPTERS_LA_MPS_LA_VALUES_H_
