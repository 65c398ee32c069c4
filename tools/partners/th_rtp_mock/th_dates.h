// tools/partners/th_rtp_mock/th_dates.h
//
// Buddhist Era dates and times of ICD TH-RTP §5.6: B.E. year = C.E. year +
// 543; `TS` fields are Thailand local time (UTC+07:00, no daylight saving),
// `YYYYMMDDhhmmss`; `D` fields `YYYYMMDD`, partial (`YYYY0000`, `YYYYMM00`)
// only where the caller allows it.
//
// Thread safety: pure functions, safe from any thread.
#ifndef GW_TOOLS_PARTNERS_TH_RTP_MOCK_TH_DATES_H_
#define GW_TOOLS_PARTNERS_TH_RTP_MOCK_TH_DATES_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace gw::th_rtp_mock {

// `time` as a TS value; fractions of a second are truncated.
std::string FormatBeTimestamp(absl::Time time);
// The B.E. year of `time` in Thailand (for partner references).
int BeYear(absl::Time time);

// The instant of a TS value, or nullopt unless it is 14 digits naming a
// real time (all zeros, the blank value, is nullopt too).
std::optional<absl::Time> ParseBeTimestamp(absl::string_view ts);

enum class DateKind {
  kBlank,    // 00000000
  kFull,     // a real calendar date (after C.E. = B.E. - 543)
  kPartial,  // YYYY0000 or YYYYMM00 with a real year and month
  kInvalid,  // anything else: not 8 digits, impossible date, YYYY00DD, ...
};
DateKind ClassifyBeDate(absl::string_view date);

// RFC 3339 UTC ("2026-03-14T02:30:00Z") of a TS value, "" if invalid.
std::string TimestampToUtcText(absl::string_view ts);

}  // namespace gw::th_rtp_mock

#endif  // GW_TOOLS_PARTNERS_TH_RTP_MOCK_TH_DATES_H_
