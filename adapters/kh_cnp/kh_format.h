// adapters/kh_cnp/kh_format.h
//
// Wire constants of the KH-CNP link (partners/KH-CNP.md), shared by the
// encoder and the decoder: the four data-message kinds with their
// `message_type`, canonical payload type, outbound and inbound endpoint
// paths (§2.2) and schema $defs entry (§3.1), the media types (§2.3) and
// the limits (§9, README §2.11). The mock partner (tools/partners/) keeps
// its own copy on purpose: it must not share the adapter's mistakes.
// Thread safety: constants and pure lookups.
#ifndef GW_ADAPTERS_KH_CNP_KH_FORMAT_H_
#define GW_ADAPTERS_KH_CNP_KH_FORMAT_H_

#include <array>
#include <cstddef>

#include "absl/strings/string_view.h"
#include "gateway/util/payload_types.h"

namespace gw::kh_cnp {

using ::gw::util::kCaseAlertPayloadType;
using ::gw::util::kCaseStatusPayloadType;
using ::gw::util::kRepatriationRecordPayloadType;
using ::gw::util::kRepatriationRequestPayloadType;

// §2.3: what the gateway writes, and the two values receivers accept
// (compared without regard to case).
inline constexpr char kJsonMediaType[] = "application/json";
inline constexpr char kJsonUtf8MediaType[] = "application/json; charset=utf-8";

// §9: request bodies, and the attachment inclusion rule's bound.
inline constexpr size_t kMaxBodyBytes = 8 * 1024 * 1024;
// §9: names per person.
inline constexpr int kMaxNames = 10;
// README §2.11: `partner_ref` and `error.detail`, in characters.
inline constexpr size_t kMaxPartnerRefChars = 64;
inline constexpr size_t kMaxDetailChars = 500;
// The longest JSON Pointer a refusal names (the schema's json_pointer has
// no limit; one that long names no member a partner could mean).
inline constexpr size_t kMaxFieldBytes = 256;

// $defs entries of the answers (§3.1).
inline constexpr char kAckDefs[] = "/$defs/ack_message";
inline constexpr char kErrorDefs[] = "/$defs/error_message";

// Warning codes (ReceiptWarning.code) of inbound messages. Only
// NORMALIZED_NFC exists in the ICD (§5.1); VALUE_NOT_REPRESENTABLE marks
// a value gw.v1 has no equivalent for (kept in the evidence), as on the
// TH-RTP link.
inline constexpr char kNormalizedNfcWarning[] = "NORMALIZED_NFC";
inline constexpr char kValueNotRepresentableWarning[] =
    "VALUE_NOT_REPRESENTABLE";

enum class Kind {
  kAlert,
  kRepatriationRequest,
  kRepatriationDecision,
  kCaseStatus
};

// One data-message kind of §2.2 / §3.1.
struct KindSpec {
  Kind kind;
  const char* message_type;   // body `message_type` and payload member name
  const char* payload_type;   // canonical Envelope.payload_type
  const char* outbound_path;  // gateway -> KH-CNP
  const char* inbound_path;   // KH-CNP -> gateway
  const char* defs;           // JSON Pointer of the schema's $defs entry
  const char* canonical;      // how errors name the canonical message
};

inline constexpr std::array<KindSpec, 4> kKinds = {{
    {Kind::kAlert, "alert", kCaseAlertPayloadType, "/cnp/v1/alerts",
     "/gw/kh/v1/alerts", "/$defs/alert_message", "alert"},
    {Kind::kRepatriationRequest, "repatriation_request",
     kRepatriationRequestPayloadType, "/cnp/v1/repatriation-requests",
     "/gw/kh/v1/repatriation-requests", "/$defs/repatriation_request_message",
     "request"},
    {Kind::kRepatriationDecision, "repatriation_decision",
     kRepatriationRecordPayloadType, "/cnp/v1/repatriation-decisions",
     "/gw/kh/v1/repatriation-decisions", "/$defs/repatriation_decision_message",
     "record"},
    {Kind::kCaseStatus, "case_status", kCaseStatusPayloadType,
     "/cnp/v1/case-status", "/gw/kh/v1/case-status",
     "/$defs/case_status_message", "case_status"},
}};

// The kind with this `message_type`, payload type or inbound path; nullptr
// if none.
inline const KindSpec* KindByMessageType(absl::string_view message_type) {
  for (const KindSpec& spec : kKinds) {
    if (message_type == spec.message_type) return &spec;
  }
  return nullptr;
}
inline const KindSpec* KindByPayloadType(absl::string_view payload_type) {
  for (const KindSpec& spec : kKinds) {
    if (payload_type == spec.payload_type) return &spec;
  }
  return nullptr;
}

}  // namespace gw::kh_cnp

#endif  // GW_ADAPTERS_KH_CNP_KH_FORMAT_H_
