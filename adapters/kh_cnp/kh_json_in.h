// adapters/kh_cnp/kh_json_in.h
//
// KH-CNP bodies -> canonical gw.v1 messages (KH-CNP.md §4), the inverse of
// kh_json_out.h. REQUIRES: `body` validates against the $defs entry of
// `spec` and meets kh_checks.h (Decode has checked both), and its strings
// are NFC; anything else gives INTERNAL, never a crash.
//  * timestamps converted to UTC (an offset such as +07:00 is applied);
//  * an absent member gives the field's default; `sex` is copied
//    (FEMALE, MALE, UNKNOWN);
//  * guardian FOUND -> FAMILY_FOUND, NOT_FOUND -> FAMILY_NOT_FOUND;
//    assessment NO_RETURN -> DO_NOT_RETURN; NOT_REQUIRED, which gw.v1
//    cannot hold, -> OUTCOME_UNSPECIFIED with a VALUE_NOT_REPRESENTABLE
//    warning on its pointer;
//  * attachments: `content` decoded into Attachment.content (none without
//    `content`: gw.v1 has no `size`, which is then lost; the sha256 is kept);
//  * decision -> RepatriationRecord {request {request_id, case_ref,
//    proposed_handover = handover}, state, history [one entry: to_state =
//    state, actor_agency = decided_by, at = decided_at, reason]};
//  * case status -> CaseStatus with `note` (the update's note).
// Thread safety: pure function.
#ifndef GW_ADAPTERS_KH_CNP_KH_JSON_IN_H_
#define GW_ADAPTERS_KH_CNP_KH_JSON_IN_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/kh_cnp/kh_format.h"
#include "google/protobuf/message.h"
#include "gw/v1/receipt.pb.h"
#include "nlohmann/json.hpp"

namespace gw::kh_cnp {

struct CanonicalMessage {
  std::unique_ptr<google::protobuf::Message> message;
  std::vector<gw::v1::ReceiptWarning> warnings;
};

[[nodiscard]] absl::StatusOr<CanonicalMessage> ToCanonical(
    const KindSpec& spec, const nlohmann::json& body);

}  // namespace gw::kh_cnp

#endif  // GW_ADAPTERS_KH_CNP_KH_JSON_IN_H_
