// adapters/signed_http/http_refusal.h
//
// Refusals on the signed-HTTP links, in the ICDs' terms (KH-CNP.md §8,
// VN-MPS.md §8, which share the codes): what a receiver answers (HTTP
// status, error code, the field/location concerned, a one-line detail) and
// how a sender judges such an answer.
//
//  * An HttpRefusal travels on an absl::Status as a payload, so Decode can
//    refuse precisely and EncodeAnswer can answer exactly that. The status
//    code follows the class: transient codes (SIGNATURE_EXPIRED,
//    UNKNOWN_KEY, RATE_LIMITED, INTERNAL_ERROR, UNAVAILABLE) are
//    UNAVAILABLE (UNKNOWN_KEY carries the ingest reason "UNKNOWN_KEY"),
//    401 codes UNAUTHENTICATED, 403 PERMISSION_DENIED, 409 ALREADY_EXISTS,
//    422 FAILED_PRECONDITION (UNKNOWN_REFERENCE: NOT_FOUND), 413
//    RESOURCE_EXHAUSTED, other 4xx INVALID_ARGUMENT; the ingest reason
//    (gateway/ingest/error_reason.h) is the code.
//  * A refusal from the ingest pipeline carries no HttpRefusal;
//    MapGatewayRefusal turns its reason / code into the ICD's.
// Details name fields and codes, never values (personal data).
// Thread safety: pure functions.
#ifndef GW_ADAPTERS_SIGNED_HTTP_HTTP_REFUSAL_H_
#define GW_ADAPTERS_SIGNED_HTTP_HTTP_REFUSAL_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace gw::signed_http {

inline constexpr char kHttpRefusalPayloadUrl[] =
    "gw.adapters.signed_http/refusal";

struct HttpRefusal {
  int http_status = 400;
  std::string code;        // e.g. "SCHEMA_VIOLATION"
  std::string field;       // JSON Pointer (KH-CNP) / XPath (VN-MPS); "" if none
  std::string detail;      // one line
  std::string message_id;  // the refused message's id when known (§8 rule)
  // Seconds for Retry-After (429, 503); 0: none.
  int retry_after_seconds = 0;
};

// True for the transient codes of KH-CNP.md §8 (SIGNATURE_EXPIRED,
// UNKNOWN_KEY, RATE_LIMITED, INTERNAL_ERROR, UNAVAILABLE).
bool IsTransientCode(std::string_view code);

// The status carrying `refusal` (see above); message "<code> <field>:
// <detail>" (the field part left out when empty).
absl::Status RefusalStatus(const HttpRefusal& refusal);
std::optional<HttpRefusal> HttpRefusalOf(const absl::Status& status);

// The ICD refusal for a status without an HttpRefusal (from the ingest
// pipeline), by its ingest reason first: DUPLICATE_ID_CONFLICT 409,
// NOT_A_RECIPIENT 403, AUTHOR_AGENCY_MISMATCH 403 AGENCY_MISMATCH,
// SIGNATURE_INVALID 401, UNKNOWN_KEY 401, UNKNOWN_REFERENCE 422,
// WORKFLOW_STATE 422, MISSING_MESSAGE_ID 400 HEADER_MISMATCH, a reason that
// is itself an ICD code keeps it (with its §8 status), the payload reasons
// FIELD_INVALID, PAYLOAD_UNPARSEABLE, UNKNOWN_PAYLOAD_TYPE 400
// SCHEMA_VIOLATION; then (other reasons, e.g. NOT_SUPPORTED_YET, INTERNAL)
// by code: INVALID_ARGUMENT 400 SCHEMA_VIOLATION, PERMISSION_DENIED 403
// NOT_A_RECIPIENT, UNAUTHENTICATED 401 SIGNATURE_INVALID, ALREADY_EXISTS
// 409 DUPLICATE_ID_CONFLICT, NOT_FOUND 422 UNKNOWN_REFERENCE,
// FAILED_PRECONDITION 422 WORKFLOW_STATE, RESOURCE_EXHAUSTED 429
// RATE_LIMITED, UNAVAILABLE 503 UNAVAILABLE, anything else 500
// INTERNAL_ERROR. 429 and 503 get retry_after_seconds 30. Detail = the
// status message on one line; field and message_id empty. A status that
// does carry an HttpRefusal gets that one back unchanged.
HttpRefusal MapGatewayRefusal(const absl::Status& status);

// How a sender treats a signed refusal it received (KH-CNP.md §7): true
// when it is retried (5xx, 429, or a transient code), false when the
// message is dead-lettered.
bool IsRetriedRefusal(int http_status, std::string_view code);

}  // namespace gw::signed_http

#endif  // GW_ADAPTERS_SIGNED_HTTP_HTTP_REFUSAL_H_
