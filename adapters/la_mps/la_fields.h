// adapters/la_mps/la_fields.h
//
// The four LA-MPS message types (LA-MPS.md §3.4, §3.5, §4) as field-path
// records, to and from the canonical gw.v1 messages:
//
//   ALERT                  <-> gw.v1.CaseAlert
//   REPATRIATION_REQUEST   <-> gw.v1.RepatriationRequest
//   REPATRIATION_DECISION  <-> gw.v1.RepatriationRecord
//   CASE_STATUS            <-> gw.v1.CaseStatus
//
// Outbound (EncodeBody): the body records in the order of the ICD's
// tables. Text is NFC, CR LF and CR become LF, leading and trailing white
// space is removed; empty canonical values have no record; times are Lao
// time, whole seconds (la_values.h). Attachments, in canonical order, carry
// their content (`included` Y) while the content records fit in
// `attachment_budget` bytes; from the first one that does not fit on, they
// are described only (`included` N, §9). EncodeBody converts and does not
// judge: run DecodeBody on its output to find what the partner would refuse.
// Errors: INVALID_ARGUMENT "<field path>: <rule>" for a value that has no
// LA-MPS form (a malformed canonical date, text that is not UTF-8, a code
// the ICD lacks such as guardian.tracing_result CARE_INSTITUTION).
//
// Inbound (DecodeBody): reads the body records (after the seven header
// records, whose values the caller has checked) against the type's table
// (la_schema.h), then the rules of §3.5 ("Further rules") and the code
// lists. Errors: INVALID_ARGUMENT carrying the refusal SCHEMA_VIOLATION with
// the field path (la_refusal.h); UNAVAILABLE with reason NOT_SUPPORTED_YET
// for a valid LA-MPS value this gateway release cannot represent
// (best_interests_assessment.outcome NOT_REQUIRED while gw.v1 has no such
// outcome), so that the message is held, not refused.
//
// Mappings where gw.v1 and the ICD differ (partners/README.md §2.9):
//  * Person.sex: FEMALE, MALE <-> same; UNKNOWN <-> UNKNOWN; outbound
//    SEX_UNSPECIFIED and OTHER are written UNKNOWN (the ICD has no other
//    code, and "absent -> UNKNOWN").
//  * Guardian.tracing_result: FAMILY_FOUND <-> FOUND, FAMILY_NOT_FOUND <->
//    NOT_FOUND, IN_PROGRESS, NOT_STARTED; CARE_INSTITUTION cannot be sent.
//  * BestInterestsAssessment.outcome: DO_NOT_RETURN <-> NO_RETURN, RETURN,
//    PENDING; NOT_REQUIRED if gw.v1 defines it (found by name).
//  * RepatriationRequest.created_at <-> the header's message_created_at.
//  * RepatriationRecord: request_id and case_ref are the request's; state;
//    decided_by / decided_at / reason are the latest history entry's
//    actor_agency / at / reason. handover (HANDOVER_SCHEDULED only) is,
//    outbound, the handover of the latest entry's envelope when that is a
//    "application/vnd.gw.v1.RepatriationStep+proto" carrying one, else the
//    request's proposed_handover; inbound it becomes the request's
//    proposed_handover. updated_at <-> message_created_at (outbound, the
//    latest entry's `at` when updated_at is unset).
//  * CaseStatus: note is the update's `note`, or (outbound, when empty) the
//    latest history entry's note; message_created_at is updated_at.
//  * Fields the ICD does not carry (handling_restriction,
//    text_conversions, Guardian.relationship/institution/verified, ...) are
//    not sent and are absent inbound.
//
// Thread safety: pure functions.
#ifndef GW_ADAPTERS_LA_MPS_LA_FIELDS_H_
#define GW_ADAPTERS_LA_MPS_LA_FIELDS_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "adapters/la_mps/csv.h"
#include "adapters/la_mps/la_schema.h"
#include "google/protobuf/message.h"

namespace gw::la_mps {

enum class MessageType {
  kAlert,
  kRepatriationRequest,
  kRepatriationDecision,
  kCaseStatus,
};

// "ALERT", "REPATRIATION_REQUEST", "REPATRIATION_DECISION", "CASE_STATUS".
absl::string_view MessageTypeName(MessageType type);
std::optional<MessageType> MessageTypeFromName(absl::string_view name);
// The canonical envelope payload_type, e.g.
// "application/vnd.gw.v1.CaseAlert+proto".
absl::string_view PayloadTypeOf(MessageType type);
std::optional<MessageType> MessageTypeFromPayloadType(
    absl::string_view payload_type);

// The body table of `type` (§3.5).
const FieldSpec& BodySpec(MessageType type);

// The seven header records of §3.4, in order.
inline constexpr absl::string_view kHeaderFields[] = {
    "format",    "message_type",       "message_id", "sender",
    "recipient", "message_created_at", "key_id"};
inline constexpr absl::string_view kFormatName = "MKG-LA-CSV/1";

// The canonical time that is a message's message_created_at (see above);
// INVALID_ARGUMENT naming the field when it is unset.
[[nodiscard]] absl::StatusOr<absl::Time> MessageCreatedAt(
    MessageType type, const google::protobuf::Message& payload);

// Outbound body records (see above). `payload` is the message of `type`.
[[nodiscard]] absl::StatusOr<std::vector<CsvRecord>> EncodeBody(
    MessageType type, const google::protobuf::Message& payload,
    size_t attachment_budget);

// Inbound: the canonical message of `type` (see above).
[[nodiscard]] absl::StatusOr<std::unique_ptr<google::protobuf::Message>>
DecodeBody(MessageType type, absl::Span<const CsvRecord> body,
           absl::Time message_created_at);

}  // namespace gw::la_mps

#endif  // GW_ADAPTERS_LA_MPS_LA_FIELDS_H_
