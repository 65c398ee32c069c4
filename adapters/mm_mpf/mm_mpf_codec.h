// adapters/mm_mpf/mm_mpf_codec.h
//
// The codec of the MM-MPF peer-gateway link (partners/MM-MPF.md): the peer
// runs the same gateway software, so the partner format is the canonical
// gw.v1.Envelope itself, carried by gw.v1.PartnerExchange/Deliver, and the
// acknowledgement is the peer's signed canonical gw.v1.Receipt.
//
//  * Encode: the envelope, serialized deterministically, with metadata
//    {"gw-message-id", message id}. The same message always gives the same
//    bytes, so a retry resends exactly what was sent (partners/README.md
//    §2.4). Refuses (INVALID_ARGUMENT naming the field) a message id that is
//    not a lowercase canonical UUID (README §2.1), an envelope without
//    exactly two signatures (author, then this gateway: MM-MPF.md §6), a
//    payload_type outside MM-MPF.md §3, and an envelope over 16 MiB (§9).
//  * ReadAnswer: decides "delivered" (README §2.3, MM-MPF.md §7, §8):
//     - OK with a Receipt that verifies (audit::VerifyReceipt: signature,
//       checkpoint, inclusion proof, audit entry) with the partner key named
//       by receipt.signature.keyid, for this message id, this partner,
//       status ACCEPTED and payload_sha256 = SHA-256(envelope.payload):
//       Delivered, evidence = the receipt bytes as received.
//     - the same, but another payload digest: Permanent
//       "ACK_DIGEST_MISMATCH ..." (README §2.3), evidence = receipt bytes.
//     - OK with a receipt that does not parse or verify, names another
//       message id, recipient or status, or is signed by a key that is not
//       registered to the partner: Transient (MM-MPF.md §7: "an OK whose
//       Receipt does not verify" is retried).
//     - a gRPC refusal: Permanent for INVALID_ARGUMENT, ALREADY_EXISTS,
//       FAILED_PRECONDITION, PERMISSION_DENIED, NOT_FOUND, and
//       UNAUTHENTICATED whose ErrorInfo reason is SIGNATURE_INVALID (§8);
//       every other status is Transient. The reason is "<STATUS_CODE>
//       <ErrorInfo.reason> <BadRequest field>: <message>" (parts that are
//       absent are left out), read from the google.rpc.Status in the
//       answer's "grpc-status-details-bin" metadata (raw protobuf bytes, as
//       grpc::Status::error_details() gives them); a permanent refusal's
//       evidence is those bytes.
//    Every outcome carries the outbound Zawgyi warnings of the payload
//    (ZAWGYI_SUSPECTED, MM-MPF.md §5.7); they never block a delivery.
//  * Decode: `received.bytes` is a serialized gw.v1.Envelope, as the
//    gateway's PartnerExchange service received it; the message id is
//    `received.message_id` or, if that is empty, the "gw-message-id"
//    metadata. Checks, in this order, each an INVALID_ARGUMENT whose message
//    names the field and whose status payloads carry the MM-MPF.md §8
//    details (see kErrorInfoTypeUrl below): the message id
//    (MISSING_MESSAGE_ID), the envelope and payload_type
//    (UNKNOWN_PAYLOAD_TYPE), the payload parses as its type
//    (PAYLOAD_UNPARSEABLE). received_sha256 is the SHA-256 of the payload as
//    received. Zawgyi text is then converted (ConvertInboundZawgyi,
//    MM-MPF.md §5): when a field was converted, converted_payload is the
//    converted message (with its text_conversions), serialized
//    deterministically; warnings lists ZAWGYI_CONVERTED / ZAWGYI_UNCERTAIN
//    per field. The envelope itself is kept exactly as received.
//    Decode does NOT verify signatures, the sender's keys or the author's
//    agency: the ingest pipeline does that (MM-MPF.md §6), on the envelope
//    as received.
//
// Error and reason texts name fields and codes only, never payload values.
// Thread safety: all methods are const and safe to call concurrently. The
// partner keys are not owned and must outlive the codec.
#ifndef GW_ADAPTERS_MM_MPF_MM_MPF_CODEC_H_
#define GW_ADAPTERS_MM_MPF_MM_MPF_CODEC_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "adapters/adapter.h"
#include "gateway/crypto/verifier.h"
#include "google/protobuf/message.h"
#include "google/rpc/status.pb.h"

namespace gw::mm_mpf {

// PartnerMessage.content_type of the link.
inline constexpr char kEnvelopeContentType[] =
    "application/vnd.gw.v1.Envelope+proto";
// Request metadata carrying the message id (MM-MPF.md §2).
inline constexpr char kMessageIdMetadata[] = "gw-message-id";
// Answer metadata carrying the serialized google.rpc.Status of a refusal.
inline constexpr char kStatusDetailsMetadata[] = "grpc-status-details-bin";
// ErrorInfo.domain of the link's refusals (MM-MPF.md §8).
inline constexpr char kErrorDomain[] = "gw.v1.PartnerExchange";
// Largest request or response on the link (MM-MPF.md §9).
inline constexpr size_t kMaxMessageBytes = 16 * 1024 * 1024;

// Decode's errors carry their §8 details as absl::Status payloads keyed by
// these type URLs, each holding the serialized message, so that the
// gateway's PartnerExchange service can put them into google.rpc.Status
// details as they are (see ToRpcStatus).
inline constexpr char kErrorInfoTypeUrl[] =
    "type.googleapis.com/google.rpc.ErrorInfo";
inline constexpr char kBadRequestTypeUrl[] =
    "type.googleapis.com/google.rpc.BadRequest";

// True for a lowercase canonical UUID (partners/README.md §2.1).
bool IsCanonicalMessageId(absl::string_view id);

// The payload types of MM-MPF.md §3 and an empty message of each; nullptr
// for any other type.
const google::protobuf::Message* PayloadPrototype(
    absl::string_view payload_type);

// The google.rpc.Status for `status`: its code and message, and one detail
// per status payload whose key is a "type.googleapis.com/..." URL (the
// payload bytes are the detail's value). For the PartnerExchange service:
// the gRPC status is grpc::Status(code, message, ToRpcStatus(s).
// SerializeAsString()).
google::rpc::Status ToRpcStatus(const absl::Status& status);

class MmMpfCodec : public adapters::Codec {
 public:
  // `partner_agency`: the peer's agency code, e.g. "MM-MPF" (the receipt's
  // recipient). `partner_keys`: the Ed25519 signing certificates registered
  // to the peer (partners/README.md §2.6); receipts are verified with the
  // one whose key id the receipt names. Not owned.
  MmMpfCodec(std::string partner_agency,
             std::vector<const crypto::Verifier*> partner_keys);

  [[nodiscard]] absl::StatusOr<adapters::PartnerMessage> Encode(
      const adapters::OutboundMessage& message) const override;

  adapters::DeliveryOutcome ReadAnswer(
      const adapters::OutboundMessage& message,
      const adapters::PartnerMessage& sent,
      const adapters::PartnerAnswer& answer) const override;

  [[nodiscard]] absl::StatusOr<adapters::InboundMessage> Decode(
      const std::string& sender_agency,
      const adapters::PartnerMessage& received) const override;

 private:
  adapters::DeliveryOutcome ReadReceipt(
      const adapters::OutboundMessage& message,
      const adapters::PartnerAnswer& answer) const;
  adapters::DeliveryOutcome ReadRefusal(
      const adapters::PartnerAnswer& answer) const;

  const std::string partner_agency_;
  const std::vector<const crypto::Verifier*> partner_keys_;  // not owned
};

}  // namespace gw::mm_mpf

#endif  // GW_ADAPTERS_MM_MPF_MM_MPF_CODEC_H_
