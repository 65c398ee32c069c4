// adapters/kh_cnp/kh_checks.h
//
// The rules of KH-CNP.md that the schema cannot express, checked on a body
// that already validates against its $defs entry (§6.4 step 11, §8
// SCHEMA_VIOLATION). Both directions use them: Decode refuses a breach,
// Encode refuses to send one.
//  * §5.3: every date (`expiry`, `completed_on`, `date`, and a full
//    `date_of_birth`) is a real calendar date, and every timestamp
//    (`created_at`, `at`, `decided_at`, `updated_at`, `received_at`) a
//    real instant; the pointer is the member's.
//  * §4.1: an attachment that carries `content` carries the canonical
//    padded base64 (RFC 4648 §4) of exactly `size` bytes
//    (pointer .../content when the text is not canonical base64, .../size
//    when the length differs) whose SHA-256 is `sha256` (.../sha256).
//  * §4.4: `handover` is present if and only if `state` is
//    HANDOVER_SCHEDULED: /repatriation_decision/handover when a handover
//    comes with another state, /repatriation_decision/state when the
//    state comes without one.
// The first breach in document order (members in key order, which is the
// order of a JCS body; an attachment's own rules when the walk reaches
// it) is returned, with one English line that never contains the value.
// Thread safety: pure function.
#ifndef GW_ADAPTERS_KH_CNP_KH_CHECKS_H_
#define GW_ADAPTERS_KH_CNP_KH_CHECKS_H_

#include <optional>

#include "adapters/json/json_schema.h"
#include "nlohmann/json.hpp"

namespace gw::kh_cnp {

std::optional<json::SchemaViolation> CheckBeyondSchema(
    const nlohmann::json& body);

}  // namespace gw::kh_cnp

#endif  // GW_ADAPTERS_KH_CNP_KH_CHECKS_H_
