// tools/gwctl/signed_envelope.h
//
// Wraps a payload message in a gw.v1.Envelope signed by the user's key
// (CONTRACT.md §3): payload = the message serialized deterministically,
// payload_type = the given media type, one signature by `signer` over
// PAE(payload_type, payload) with its keyid and certificate.
//
// Guarantees: the same message and key give the same envelope bytes
// (deterministic serialization; Ed25519 signatures are deterministic), so
// re-sending an alert is recognised by the gateway as a duplicate.
// Errors: INTERNAL / RESOURCE_EXHAUSTED only if serialization or OpenSSL
// fails.
// Thread safety: pure function; `signer` is only read.
#ifndef GW_TOOLS_GWCTL_SIGNED_ENVELOPE_H_
#define GW_TOOLS_GWCTL_SIGNED_ENVELOPE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/crypto/signer.h"
#include "google/protobuf/message_lite.h"
#include "gw/v1/envelope.pb.h"

namespace gw::gwctl {

inline constexpr absl::string_view kCaseAlertPayloadType =
    "application/vnd.gw.v1.CaseAlert+proto";
inline constexpr absl::string_view kCaseStatusPayloadType =
    "application/vnd.gw.v1.CaseStatus+proto";

[[nodiscard]] absl::StatusOr<gw::v1::Envelope> SignedEnvelopeFor(
    const google::protobuf::MessageLite& payload,
    absl::string_view payload_type, const crypto::Signer& signer);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_SIGNED_ENVELOPE_H_
