// adapters/th_rtp/be_date.h
//
// Buddhist Era dates and timestamps of TH-RTP (partners/TH-RTP.md §5.6):
//  * D fields: "YYYYMMDD", B.E. year = C.E. year + 543; "00000000" is the
//    blank (unknown) value. Partial dates ("YYYYMM00", "YYYY0000") only
//    where allowed (SB.BIRTH_DATE); "YYYY00DD" is never valid.
//  * TS fields: "YYYYMMDDhhmmss", B.E., Thailand time (UTC+07:00, no DST);
//    all zeros when unknown. Fractions of a second are truncated.
// Canonical dates are ISO strings ("YYYY", "YYYY-MM", "YYYY-MM-DD"; the
// empty string for an unknown date), canonical times absl::Time (UTC).
//
// Errors are INVALID_ARGUMENT with a message that describes the problem
// without repeating the value (dates of birth are personal data); callers
// prefix the field name. Thread safety: pure functions.
#ifndef GW_ADAPTERS_TH_RTP_BE_DATE_H_
#define GW_ADAPTERS_TH_RTP_BE_DATE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace gw::th_rtp {

inline constexpr int kBuddhistEraOffset = 543;
inline constexpr char kBlankDate[] = "00000000";
inline constexpr char kBlankTimestamp[] = "00000000000000";

// Canonical ISO date -> D field value. "" gives "00000000". A partial ISO
// date ("YYYY", "YYYY-MM") is accepted only with `allow_partial`. Errors: a
// malformed or impossible date, or a year whose B.E. form has more than
// four digits.
[[nodiscard]] absl::StatusOr<std::string> FormatBeDate(absl::string_view iso,
                                                       bool allow_partial);

// D field value (8 bytes) -> canonical ISO date ("" for "00000000"). Errors:
// not 8 digits, a partial date without `allow_partial`, YYYY00DD, an
// impossible calendar date (checked in C.E.), a B.E. year below 543.
[[nodiscard]] absl::StatusOr<std::string> ParseBeDate(absl::string_view be,
                                                      bool allow_partial);

// UTC time -> TS field value: +7 hours, then +543 years. Errors: a time
// whose B.E. year is not four digits.
[[nodiscard]] absl::StatusOr<std::string> FormatBeTimestamp(absl::Time utc);

// TS field value (14 bytes) -> UTC time; nullopt for all zeros. Errors: not
// 14 digits, an impossible date or time of day.
[[nodiscard]] absl::StatusOr<std::optional<absl::Time>> ParseBeTimestamp(
    absl::string_view be);

}  // namespace gw::th_rtp

#endif  // GW_ADAPTERS_TH_RTP_BE_DATE_H_
