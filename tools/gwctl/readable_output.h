// tools/gwctl/readable_output.h
//
// What gwctl prints: readable text for people (the default) or proto3 JSON
// for programs (--json). Every time is shown in UTC and in `local`, the
// user's time zone (absl::LocalTimeZone() in the binary, fixed in tests).
//
// Guarantees: every function is total (any message, including an empty
// one, gives text; unset times print as "-"); every returned text that is
// not empty ends in '\n'. Nothing here validates what the gateway sent.
// Thread safety: pure functions.
#ifndef GW_TOOLS_GWCTL_READABLE_OUTPUT_H_
#define GW_TOOLS_GWCTL_READABLE_OUTPUT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "google/protobuf/timestamp.pb.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/audit.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/receipt.pb.h"

namespace gw::gwctl {

// "2026-11-28 09:15:02 UTC (17:15:02 +08:00 local)"; the local date is
// added when it differs from the UTC date; only the UTC part when `local`
// is at offset 0 at `t`.
std::string FormatUtcAndLocal(absl::Time t, absl::TimeZone local);
// The same for a Timestamp; "-" when it is unset (0 seconds, 0 nanos).
std::string FormatTimestamp(const google::protobuf::Timestamp& ts,
                            absl::TimeZone local);
// For table cells: "2026-11-28 09:15:02Z (17:15 +08:00)" or "-".
std::string FormatTimestampShort(const google::protobuf::Timestamp& ts,
                                 absl::TimeZone local);

// "queued", "sent", "acknowledged", ... ("unspecified" for 0).
std::string DeliveryStateName(gw::v1::Delivery::State state);

// send-alert's answer. `sent` is the alert gwctl sent (for its case_ref):
//   Alert ID accepted at TIME
//     (already accepted earlier: this is the original answer)  [duplicate]
//     payload sha256  HEX
//     case            REF
//     audit leaf      N
//     receipt         leaf N of M, checkpoint signed   [with a receipt]
//     TH-RTP          queued   message ID
std::string FormatSendAlertResponse(const gw::v1::SendAlertResponse& response,
                                    const gw::v1::CaseAlert& sent,
                                    absl::TimeZone local);

// get-alert: the alert's fields, its subjects and narrative, then a table
// of deliveries.
std::string FormatAlertRecord(const gw::v1::AlertRecord& record,
                              absl::TimeZone local);

// list-alerts: one row per alert (ALERT ID, KIND, PRIORITY, CASE, ORIGIN,
// RECEIVED, DELIVERIES), or "No alerts.\n".
std::string FormatAlertTable(
    const google::protobuf::RepeatedPtrField<gw::v1::AlertRecord>& alerts,
    absl::TimeZone local);

// case get / case update: state, owner, sharing, then the history table.
std::string FormatCaseStatus(const gw::v1::CaseStatus& status,
                             absl::TimeZone local);

// case list: one row per case (CASE, STATE, OWNER, SHARED WITH, UPDATED,
// ALERTS), or "No cases.\n".
std::string FormatCaseTable(
    const google::protobuf::RepeatedPtrField<gw::v1::CaseStatus>& cases,
    absl::TimeZone local);

// case watch, one line per update: "HH:MM:SS  CASE  STATE  by AGENCY/USER",
// the time in `local`, taken with the actor from the last history event
// (else updated_at, owner_agency and updated_by).
std::string FormatCaseWatchLine(const gw::v1::CaseStatus& status,
                                absl::TimeZone local);

// The receipt line of send-alert / case update answers:
//   "  receipt         leaf N of M, checkpoint signed\n"
// M being the checkpoint's tree size ("checkpoint unsigned" without a
// note). Says what the receipt claims; audit verify-receipt checks it.
std::string FormatReceiptLine(const gw::v1::Receipt& receipt);

// audit checkpoint, for a checkpoint whose note was verified:
//   Checkpoint of ORIGIN
//     size            N
//     root            HEX
//     time            TIME
//     signature       verified
std::string FormatCheckpoint(const gw::v1::Checkpoint& checkpoint,
                             absl::string_view origin, absl::TimeZone local);

// audit search: one row per entry (LEAF, TIME, ACTOR, ACTION, OBJECTS,
// DECISION, OUTCOME), or "No audit entries.\n". ACTOR is AGENCY/ROLE/USER.
std::string FormatAuditTable(
    const google::protobuf::RepeatedPtrField<gw::v1::LogEntry>& entries,
    absl::TimeZone local);

// proto3 JSON with proto field names; `multiline` indents it, otherwise it
// is one line. Ends in '\n'. INTERNAL if protobuf cannot print it.
[[nodiscard]] absl::StatusOr<std::string> ToJson(
    const google::protobuf::Message& message, bool multiline);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_READABLE_OUTPUT_H_
