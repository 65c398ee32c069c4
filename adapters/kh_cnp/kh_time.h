// adapters/kh_cnp/kh_time.h
//
// Dates and times of the KH-CNP bodies (KH-CNP.md §5.3):
//  * FormatTimestamp: the gateway's form, RFC 3339 UTC with "Z" and whole
//    seconds ("2026-03-14T02:30:00Z"); a fraction of a second is dropped
//    (rounded down), so the same Timestamp always gives the same text.
//    INVALID_ARGUMENT for an instant outside the years 0000-9999 or a
//    Timestamp whose nanos are out of range.
//  * ParseTimestamp: the schema's `timestamp` pattern (whole seconds, "Z"
//    or an offset up to ±23:59) and a real instant (a real calendar date);
//    the instant in UTC, or nullopt.
//  * IsCalendarDate: "YYYY-MM-DD" that names a real day (2026-02-30 does
//    not). IsPartialDate: "YYYY", "YYYY-MM" or a real "YYYY-MM-DD".
// Thread safety: pure functions.
#ifndef GW_ADAPTERS_KH_CNP_KH_TIME_H_
#define GW_ADAPTERS_KH_CNP_KH_TIME_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace gw::kh_cnp {

[[nodiscard]] absl::StatusOr<std::string> FormatTimestamp(
    const google::protobuf::Timestamp& timestamp);
[[nodiscard]] absl::StatusOr<std::string> FormatUtcTime(absl::Time time);

std::optional<absl::Time> ParseTimestamp(absl::string_view text);

bool IsCalendarDate(absl::string_view text);
bool IsPartialDate(absl::string_view text);

}  // namespace gw::kh_cnp

#endif  // GW_ADAPTERS_KH_CNP_KH_TIME_H_
