// adapters/vn_mps/vn_mps_codec.h
//
// The codec of the VN-MPS link (partners/VN-MPS.md): canonical gw.v1
// messages <-> XML documents of VN-MPS.xsd over signed HTTPS, the reading
// of VN-MPS's answers, the gateway's own answers, and the request signer
// the HTTPS transport calls on every attempt (adapters/transport/
// https_link.h, whose metadata conventions it follows).
//
//  * Encode: by envelope.payload_type, CaseAlert -> POST /tip/v1/alerts
//    (tip:CaseAlertMessage), RepatriationRequest -> /tip/v1/repatriation-
//    requests, RepatriationRecord -> /tip/v1/repatriation-decisions,
//    CaseStatus -> /tip/v1/case-status; the field mapping of §4, the names
//    of §5.2, NFC and the text rules of §5.3 / §3.3 item 7, the attachment
//    inclusion rule of §9 and the exact serialization of §3.3 (vn_out.h).
//    Deterministic: MessageCreatedDateTime comes from the canonical
//    message, never the clock, so a retry is byte-identical. The document
//    is validated against VN-MPS.xsd before it is returned.
//    PartnerMessage: message_id, content_type "application/xml", bytes =
//    the document, metadata ":path", "content-type", "content-digest"
//    (RFC 9530 sha-256 of the bytes) and "gw-message-id". Errors:
//    INVALID_ARGUMENT naming the canonical field (never a value) when the
//    message cannot be represented: identifiers outside README §2.8 carry
//    "ID_NOT_REPRESENTABLE" in the message and as the ingest reason
//    (gateway/ingest/error_reason.h); anything else VN-MPS.xsd refuses is
//    named by the canonical field of the element where it failed; a
//    message_id that is not a lowercase UUID; a recipient other than the
//    partner; an unknown payload type. INTERNAL if VN-MPS.xsd cannot be
//    loaded.
//  * SignRequest: Signature-Input and Signature (HttpSignatureProfile::
//    SignRequest("POST", target_uri, content-digest, gw-message-id) with
//    created = the clock), as the "signature-input" and "signature"
//    metadata entries.
//  * ReadAnswer (§7, as KH-CNP.md §7):
//     - a non-OK answer.status, no readable ":status", or a response whose
//       signature does not verify against a key registered to the partner
//       (VerifyResponse, Gw-Message-Id echoing the sent id): Transient;
//     - 200/202 with a valid tip:Acknowledgement naming the sent id,
//       SenderAgencyCode = the partner, RecipientAgencyCode = this gateway,
//       status ACCEPTED and PayloadSHA256 = SHA-256 of the sent bytes:
//       Delivered, with gw.v1.Receipt {message_id, payload_sha256 =
//       PayloadSHA256, recipient = SenderAgencyCode, ACCEPTED, received_at
//       = ReceivedDateTime (UTC), warnings = its tip:Warnings as
//       ReceiptWarning {code = WarningCode, field = WarningLocation}}; the
//       same warnings in DeliveryOutcome.warnings;
//     - the same with another PayloadSHA256: Permanent "ACK_DIGEST_MISMATCH
//       ...";
//     - 2xx that is not such an acknowledgement (invalid body, another id
//       or agencies): Transient;
//     - 409: Permanent; another 4xx with a valid tip:Rejection: Permanent,
//       unless signed_http::IsRetriedRefusal (401 SIGNATURE_EXPIRED /
//       UNKNOWN_KEY, 429): Transient; a 4xx without a valid tip:Rejection,
//       or one whose RejectedMessageID names another message: Transient;
//     - 5xx: Transient; any other status: Transient.
//    Reasons read "VN-MPS <status> <ErrorCode> <ErrorLocation>: <ErrorText>"
//    (the location left out when absent). Every reason is valid UTF-8 (it
//    is stored in a proto3 string): texts from outside are cut to 300
//    characters (the location to 500), never inside a character, and bytes
//    that are not UTF-8 are replaced by U+FFFD. retry_after from Retry-After
//    (seconds or HTTP-date) on 429 and 5xx. Evidence (Delivered, Permanent,
//    and Transient signed refusals) = the response in the layout of the
//    example .http files: status line, the signed headers, empty line,
//    body (vn_http.h).
//  * Decode (§6): `received` as the transport hands it over (":method",
//    ":path", ":target-uri", ":body-too-large", headers). First
//    signed_http::CheckReceivedRequest with the four /gw/vn/v1/ endpoints
//    and the three media types of §2.3 (steps 2-10), a body over 8 MiB
//    [413 PAYLOAD_TOO_LARGE] (the transport normally refuses it first),
//    then step 11 in the ICD's order:
//      1 well-formed UTF-8 XML without DOCTYPE or NUL byte, decoded as
//        UTF-8 whatever its first bytes [400 MALFORMED_XML];
//      2 the text of every element (joined across CDATA sections, comments
//        and processing instructions, which are dropped) and every
//        attribute value normalized to NFC, one NORMALIZED_NFC warning per
//        changed element (§5.1);
//      3 the normalized document validates against VN-MPS.xsd
//        [400 SCHEMA_VIOLATION, location = where libxml2 failed, §8];
//      4 the root is a data message [400 WRONG_ENDPOINT];
//      5 tip:MessageID = Gw-Message-Id [400 HEADER_MISMATCH];
//      6 the root fits the path [400 WRONG_ENDPOINT];
//      7 ScheduledHandover (§4.4) and attachment content against its size
//        and SHA-256 (§4.1) [400 SCHEMA_VIOLATION];
//      8 every date and instant is a real one [400 SCHEMA_VIOLATION];
//      9 SenderAgencyCode = sender_agency and RecipientAgencyCode = this
//        gateway [403 AGENCY_MISMATCH].
//    Refusals are signed_http::RefusalStatus with field = the XPath
//    (xmlGetNodePath of the element, §8) and message_id per KH-CNP.md §8
//    (the body's MessageID when it can be read and is a UUID, else the
//    Gw-Message-Id header when it is one; none for steps 2-10).
//    Success: InboundMessage {sender_agency, message_id = MessageID,
//    envelope {payload_type, payload = the canonical message serialized
//    deterministically, no signatures}, received_sha256 = SHA-256 of the
//    body as received (before NFC), warnings (NORMALIZED_NFC with field =
//    the element's XPath; VALUE_NOT_REPRESENTABLE for an assessment
//    outcome NOT_REQUIRED), evidence = the request in the .http layout,
//    link_key_id = the key that verified}. All four kinds are decoded.
//    Entitlement, duplicates and references are the gateway's.
//  * EncodeAnswer: OK -> 202, or 200 when answer.duplicate, with a
//    tip:Acknowledgement built from the receipt and `received` only (never
//    the clock), so a duplicate's answer is byte-identical to the first:
//    AcknowledgedMessageID = receipt.message_id, Sender = this gateway,
//    Recipient = sender_agency, PayloadSHA256 = SHA-256 of received.bytes
//    (§4.6: of the request body as received; receipt.payload_sha256 is of
//    the canonical payload), ReceivedDateTime = receipt.received_at,
//    PartnerReference = partner_ref(receipt) (default "<local agency
//    without '-'>-<leaf_index>" when the receipt has an audit checkpoint,
//    none otherwise), one tip:Warning per NORMALIZED_NFC receipt warning
//    (at most 100). A refusal -> tip:Rejection from the status's
//    HttpRefusal, else signed_http::MapGatewayRefusal (with a location for
//    DUPLICATE_ID_CONFLICT and, on alerts, NOT_A_RECIPIENT /
//    AUTHOR_AGENCY_MISMATCH); RejectedMessageID per KH-CNP.md §8,
//    ErrorText cut to 200 characters, RejectedDateTime = the clock,
//    Retry-After on 429 and 503 (30 s unless the refusal says). Metadata:
//    ":status", "content-type" application/xml, "content-digest",
//    "gw-message-id" (echoing the request's only when it had exactly one),
//    "signature-input", "signature" (SignResponse), ["retry-after"].
//
// Readings of the ICD where it leaves a choice (each pinned by a test):
//  * An inbound Warning location names the element whose text or
//    attribute changed, once per element, in document order.
//  * A rejection carries no PayloadSHA256 (as the example's).
//  * XSD messages are passed on for structural errors with the namespace
//    written "tip:"; for bad values a text of our own that names the
//    element but not the value (xml_doc.h).
//  * Outbound sub-seconds are truncated; a canonical age_estimate of 0 is
//    not sent (proto3 cannot tell 0 from absent).
//
// Messages and reasons name fields and codes, never values (personal data),
// except the partner's own ErrorText in an outcome's reason.
// Thread safety: immutable after construction; every method is const and
// safe to call concurrently (the clock must be too). The signer and
// verifiers are not owned and must outlive the codec.
#ifndef GW_ADAPTERS_VN_MPS_VN_MPS_CODEC_H_
#define GW_ADAPTERS_VN_MPS_VN_MPS_CODEC_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "adapters/adapter.h"
#include "adapters/signed_http/http_signature.h"
#include "adapters/signed_http/received_request.h"
#include "adapters/transport/https_link.h"
#include "adapters/vn_mps/vn_format.h"
#include "adapters/vn_mps/xml_doc.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gw/v1/receipt.pb.h"

namespace gw::vn_mps {

class VnMpsCodec : public adapters::Codec,
                   public adapters::AnswerEncoder,
                   public adapters::HttpRequestSigner {
 public:
  using Clock = std::function<absl::Time()>;
  // tip:PartnerReference for a receipt: at most 200 characters; "" for
  // none.
  using PartnerRef = std::function<std::string(const gw::v1::Receipt&)>;

  // `local_agency` is this gateway ("CN-MPS"), `partner_agency` the partner
  // ("VN-MPS"). As ThRtpCodec's, without an id generator: no VN-MPS answer
  // carries a message id of its own. `link_key`: this gateway's Ed25519 key
  // registered with the partner. `partner_keys`: the keys registered to the
  // partner, looked up by key_id_hex(). `clock` dates signatures (created),
  // RejectedDateTime and the ±300 s window of verification. `partner_ref`
  // defaults to "<local agency without '-'>-<leaf_index>" for a receipt
  // with an audit checkpoint, none otherwise.
  VnMpsCodec(std::string local_agency, std::string partner_agency,
             const crypto::Signer* link_key,
             std::vector<const crypto::Verifier*> partner_keys,
             Clock clock = absl::Now, PartnerRef partner_ref = {});
  ~VnMpsCodec() override;

  // adapters::Codec
  [[nodiscard]] absl::StatusOr<adapters::PartnerMessage> Encode(
      const adapters::OutboundMessage& message) const override;
  adapters::DeliveryOutcome ReadAnswer(
      const adapters::OutboundMessage& message,
      const adapters::PartnerMessage& sent,
      const adapters::PartnerAnswer& answer) const override;
  [[nodiscard]] absl::StatusOr<adapters::InboundMessage> Decode(
      const std::string& sender_agency,
      const adapters::PartnerMessage& received) const override;

  // adapters::AnswerEncoder
  [[nodiscard]] absl::StatusOr<std::optional<adapters::PartnerMessage>>
  EncodeAnswer(const std::string& sender_agency,
               const adapters::PartnerMessage& received,
               const adapters::InboundAnswer& answer) const override;

  // adapters::HttpRequestSigner
  [[nodiscard]] absl::StatusOr<adapters::Metadata> SignRequest(
      std::string_view target_uri,
      const adapters::PartnerMessage& request) const override;

 private:
  absl::StatusOr<const XsdSchema*> Schema() const;
  std::string PartnerReference(const gw::v1::Receipt& receipt) const;

  const std::string local_agency_;
  const std::string partner_agency_;
  const crypto::Signer* const link_key_;  // not owned
  const Clock clock_;
  const PartnerRef partner_ref_;
  const signed_http::HttpSignatureProfile profile_;
  const std::vector<signed_http::Endpoint> endpoints_;
  const std::vector<std::string> media_types_;
  // VN-MPS.xsd, parsed once per process and shared (xml_doc.h).
  const absl::StatusOr<std::shared_ptr<const XsdSchema>> schema_;
};

}  // namespace gw::vn_mps

#endif  // GW_ADAPTERS_VN_MPS_VN_MPS_CODEC_H_
