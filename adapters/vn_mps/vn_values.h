// adapters/vn_mps/vn_values.h
//
// Dates and times of VN-MPS.md §5.4, both ways.
//  * DateTimeType: "YYYY-MM-DDThh:mm:ss" then "Z" or "±hh:mm", whole
//    seconds, zone required. The gateway writes UTC with "Z"; sub-second
//    parts of a canonical timestamp are dropped (truncated), so the same
//    canonical time always gives the same text. Inbound values are real
//    instants (calendar date, hour 00-23, minute and second 00-59, zone at
//    most ±14:00) converted to UTC.
//  * DateType "YYYY-MM-DD", YearMonthType "YYYY-MM", YearType "YYYY", no
//    zone; a real date has year 0001-9999, month 01-12 and a day that
//    exists in that month.
//  * The XSD types VN-MPS reads with whiteSpace="collapse" (xs:dateTime,
//    xs:date, xs:gYearMonth, xs:gYear, xs:boolean, xs:nonNegativeInteger,
//    xs:language) validate the collapsed value, so " true " and
//    "\n2026-04-07 " are valid: readers collapse before reading
//    (CollapseWhiteSpace), and the parsers here take collapsed values only.
// Thread safety: pure functions.
#ifndef GW_ADAPTERS_VN_MPS_VN_VALUES_H_
#define GW_ADAPTERS_VN_MPS_VN_VALUES_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace gw::vn_mps {

// "YYYY-MM-DDThh:mm:ssZ". INVALID_ARGUMENT "<field>: ..." for a time
// outside the years 0001-9999 or an invalid Timestamp.
[[nodiscard]] absl::StatusOr<std::string> FormatDateTime(
    const google::protobuf::Timestamp& ts, absl::string_view field);
// The same for an absl::Time known to be in range (clock, receipts).
std::string FormatDateTime(absl::Time t);

// The instant of a DateTimeType value; nullopt if it is not one.
std::optional<absl::Time> ParseDateTime(absl::string_view text);

// Which DateRepresentationType branch a partial date takes, by its form.
enum class DateForm { kInvalid, kDate, kYearMonth, kYear };
DateForm FormOf(absl::string_view partial_date);
// Whether `text` (of any of the three forms) is a real date.
bool IsRealDate(absl::string_view text);

// XML Schema whiteSpace="collapse": TAB, LF and CR become spaces, runs of
// spaces one space, leading and trailing spaces are removed.
std::string CollapseWhiteSpace(absl::string_view text);

// An xs:boolean: "true" or "1" true, "false" or "0" false, after
// collapsing; nullopt for anything else.
std::optional<bool> ParseBoolean(absl::string_view text);

}  // namespace gw::vn_mps

#endif  // GW_ADAPTERS_VN_MPS_VN_VALUES_H_
