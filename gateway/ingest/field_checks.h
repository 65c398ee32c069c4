// gateway/ingest/field_checks.h
//
// Checks of single field values shared by every payload validator. Each
// returns OK or INVALID_ARGUMENT "<path>: <what was expected>"; messages name
// the field and the rule, never the value (it may be personal data).
// Thread safety: pure functions (the country table is built once).
#ifndef GW_INGEST_FIELD_CHECKS_H_
#define GW_INGEST_FIELD_CHECKS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace gw::ingest {

// "YYYY", "YYYY-MM" or "YYYY-MM-DD" with a real calendar date, year >= 1900.
bool IsPartialDate(absl::string_view date);
// A full ISO date "YYYY-MM-DD" with a real calendar date.
bool IsIsoDate(absl::string_view date);
// ISO 3166-1 alpha-3 country code known to ICU (e.g. "CHN", "THA", "MMR").
bool IsCountryCode(absl::string_view code);
// ISO 15924 script code shape: one upper-case then three lower-case letters.
bool IsScriptCode(absl::string_view code);
// A BCP 47 language tag of the simple form "en", "zh", "zh-Hans", "my-MM".
bool IsLanguageTag(absl::string_view tag);
// Ids chosen by clients: 1..128 of [A-Za-z0-9._:-], starting alphanumeric.
bool IsClientId(absl::string_view id);

// The first day a partial date can mean, and the last: "2011" is
// 2011-01-01 .. 2011-12-31. REQUIRES: IsPartialDate(date).
absl::CivilDay EarliestDay(absl::string_view date);
absl::CivilDay LatestDay(absl::string_view date);

[[nodiscard]] absl::Status CheckClientId(absl::string_view path,
                                         absl::string_view id);
[[nodiscard]] absl::Status CheckPartialDate(absl::string_view path,
                                            absl::string_view date,
                                            absl::Time now);
[[nodiscard]] absl::Status CheckCountry(absl::string_view path,
                                        absl::string_view code);
// Set, and no later than `now` + 5 minutes of clock skew.
[[nodiscard]] absl::Status CheckNotFuture(absl::string_view path,
                                          const google::protobuf::Timestamp& t,
                                          absl::Time now);
// Non-empty, at most `max_bytes`.
[[nodiscard]] absl::Status CheckText(absl::string_view path,
                                     absl::string_view text, size_t max_bytes);

}  // namespace gw::ingest

#endif  // GW_INGEST_FIELD_CHECKS_H_
