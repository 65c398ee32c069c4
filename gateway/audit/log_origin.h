// gateway/audit/log_origin.h
//
// The name of a gateway's audit log in its checkpoints: the C2SP
// tlog-checkpoint origin line, also used as the signed-note key name (as
// C2SP recommends). One log per agency's gateway, e.g.
// "mekong-gateway/CN-MPS/audit". Auditors verify checkpoints against this
// name and the key of <AGENCY>/signing.crt.
#ifndef GW_AUDIT_LOG_ORIGIN_H_
#define GW_AUDIT_LOG_ORIGIN_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace gw::audit {

inline std::string AuditLogOrigin(absl::string_view agency) {
  return absl::StrCat("mekong-gateway/", agency, "/audit");
}

// The DSSE payload type whose PAE a receipt signature covers (receipt.proto).
inline constexpr char kReceiptPayloadType[] =
    "application/vnd.gw.v1.Receipt+proto";

// Trailing metadata key carrying the gateway's signed gw.v1.Receipt
// (serialized) on answers whose message has no receipt field, such as
// CaseService.UpdateCaseStatus.
inline constexpr char kReceiptTrailer[] = "gw-receipt-bin";

}  // namespace gw::audit

#endif  // GW_AUDIT_LOG_ORIGIN_H_
