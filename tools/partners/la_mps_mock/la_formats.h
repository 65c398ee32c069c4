// tools/partners/la_mps_mock/la_formats.h
//
// The value formats of shared/partners/LA-MPS.md §3.3 and §5, checked as
// LA-MPS's own system checks them, plus the ICD's date and time notation.
//  * Every Is* predicate answers whether a whole value has the format;
//    CheckText returns "" for a good text value, else the rule it breaks
//    (never the value itself, which may be personal data).
//  * Dates must be real Gregorian calendar dates (years 0001..9999);
//    timestamps carry the literal suffix +07:00.
//  * Countries are ISO 3166-1 alpha-3 codes known to ICU; scripts are
//    ISO 15924 codes known to ICU.
// Thread safety: pure functions (ICU's data is loaded once, thread-safely).
#ifndef GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_FORMATS_H_
#define GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_FORMATS_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace gw::la_mps_mock {

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
// On false, *bad_offset (if not null) is the first offending byte.
bool IsValidUtf8(absl::string_view bytes, size_t* bad_offset = nullptr);
// REQUIRES: valid UTF-8.
bool IsNfc(absl::string_view utf8);
size_t CodePointCount(absl::string_view utf8);

// "" if `value` is a good text value: not empty, no leading or trailing
// white space (Unicode White_Space), no control characters (LF allowed
// only if `multiline`), at most `max_chars` code points. NFC is checked
// separately (IsNfc): LA-MPS answers it with its own code, NOT_NFC.
std::string CheckText(absl::string_view value, size_t max_chars,
                      bool multiline);

bool IsAgencyCode(absl::string_view v);  // ^[A-Z]{2}-[A-Z]{2,7}$
bool IsIdentifier(absl::string_view v);  // README §2.8
bool IsCodeName(absl::string_view v);    // ^[A-Z][A-Z0-9_]*$
bool IsDocumentType(absl::string_view v);
bool IsCountryAlpha3(absl::string_view v);
bool IsScriptCode(absl::string_view v);
bool IsLanguageTag(absl::string_view v);
bool IsDate(absl::string_view v);         // DD/MM/YYYY, a real date
bool IsPartialDate(absl::string_view v);  // also 00/MM/YYYY, 00/00/YYYY
bool IsTimestamp(absl::string_view v);    // DD/MM/YYYY HH:MM:SS+07:00
bool IsYesNo(absl::string_view v);
bool IsInteger(absl::string_view v);  // no sign, no leading zeros
// Lowercase hex; exactly `length` digits unless length is 0 (any, >= 1).
bool IsLowerHex(absl::string_view v, size_t length = 0);
bool IsBase64(absl::string_view v);  // RFC 4648 §4, padded, canonical
bool IsMrzLine(absl::string_view v);
bool IsUuid(absl::string_view v);  // lowercase, 36 characters
bool IsMediaType(absl::string_view v);

// Lao time (UTC+07:00, no daylight saving) in the ICD's notation.
absl::TimeZone LaoTime();
std::string FormatTimestamp(absl::Time t);   // 14/03/2026 09:30:00+07:00
std::string FormatDate(absl::CivilDay day);  // 16/04/2026
std::optional<absl::Time> ParseTimestamp(absl::string_view v);
std::optional<absl::CivilDay> ParseDate(absl::string_view v);

}  // namespace gw::la_mps_mock

#endif  // GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_FORMATS_H_
