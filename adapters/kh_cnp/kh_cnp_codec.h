// adapters/kh_cnp/kh_cnp_codec.h
//
// The codec of the KH-CNP link (partners/KH-CNP.md): canonical gw.v1
// messages <-> JSON bodies over signed HTTPS, the reading of KH-CNP's
// signed answers, the gateway's own signed answers, and the request
// signatures the HTTPS transport asks for (adapters/transport/
// https_link.h gives the metadata conventions used below).
//
//  * Encode: by envelope.payload_type, CaseAlert -> POST /cnp/v1/alerts,
//    RepatriationRequest -> /cnp/v1/repatriation-requests,
//    RepatriationRecord -> /cnp/v1/repatriation-decisions, CaseStatus ->
//    /cnp/v1/case-status; the body by kh_json_out.h (tables of §4, NFC,
//    UTC "Z" timestamps, empty members left out, attachment inclusion of
//    §9), written in JCS (§3.2). Deterministic: nothing comes from the
//    clock, so a retry sends the same bytes (§7). Two changes to what the
//    canonical message holds, which an Encode cannot report as warnings
//    (the delivery's originator is not told): a person with a Khmr name
//    and no Latn name gets a generated Latn entry (kh_names.h: "SAKALBANG
//    Sreipou" style, appended after the person's own entries), and
//    U+200B/U+200C are removed from name members (§5.2, KH-CNP refuses
//    them). Nothing else is added or removed.
//    The body is validated against the schema's $defs entry and the rules
//    beyond it (kh_checks.h) before it is returned. PartnerMessage:
//    content_type "application/json", bytes = the body, metadata ":path",
//    "content-type", "content-digest" (RFC 9530), "gw-message-id".
//    Errors: INVALID_ARGUMENT naming the canonical field ("alert.subjects
//    [0].person.date_of_birth: ... (KH-CNP /alert/subjects/0/person/
//    date_of_birth)"): a recipient other than the partner, a message id
//    that is not a lowercase UUID, an unknown payload type, anything the
//    schema or §4-§5 forbid, identifiers outside README §2.8 (message and
//    ingest reason "ID_NOT_REPRESENTABLE"), a body over 8 MiB even with
//    every attachment described only. INTERNAL when the embedded schema
//    does not load (a build defect).
//  * SignRequest: Signature-Input and Signature (RFC 9421, §6.1) over
//    "@method" POST, `target_uri`, and the request's content-digest and
//    gw-message-id metadata, created = the clock: a fresh signature on
//    every attempt. FAILED_PRECONDITION when the request lacks them.
//  * ReadAnswer (§7, README §2.3, §2.4), `answer` being the HTTP response:
//     - a non-OK answer.status (no response): Transient "transport: <code>
//       <message>";
//     - a response whose signature does not verify by §6.4 steps 5-10
//       (with a key registered to the partner, Gw-Message-Id echoing
//       sent.message_id), or without one: Transient "unsigned or badly
//       signed response: <code> <detail>";
//     - 202 / 200: the body must be a schema-valid ack naming the sent
//       message id, from the partner to this gateway (else Transient
//       "ack: ..."); its payload_sha256 must be the SHA-256 of sent.bytes,
//       else Permanent "ACK_DIGEST_MISMATCH /payload_sha256: ..." with the
//       response as evidence. Delivered with gw.v1.Receipt {message_id,
//       payload_sha256, recipient = the ack's sender, status ACCEPTED,
//       received_at (UTC), warnings = the ack's warnings};
//     - reason for refusals: "KH-CNP <status> <code> <field>: <detail>"
//       (field left out when absent), from a schema-valid error body;
//       "KH-CNP <status> (no readable error body: ...)" otherwise. 409:
//       Permanent. 5xx and 429: Transient. Other 4xx: Permanent, except
//       the transient codes of §8 (SIGNATURE_EXPIRED, UNKNOWN_KEY, ...;
//       signed_http::IsRetriedRefusal) and a 401 whose body cannot be read
//       (it may be one of those), which are Transient. An error body
//       naming another message id than the one sent: Transient. Any other
//       status (1xx, 3xx, other 2xx): Transient;
//     - retry_after from Retry-After (delta-seconds from the clock, or an
//       HTTP-date) on any outcome but Delivered;
//     - evidence (every signed response, transient ones included): the
//       response in the .http layout of kh_http.h (status line, Content-
//       Type, Content-Length, Content-Digest, Gw-Message-Id, Signature-
//       Input, Signature, CRLF line ends, empty line, body), which an
//       auditor re-verifies with the partner's key.
//  * Decode (§6.4 steps 2-11), `received` as the transport hands it over:
//    a sender_agency other than the partner -> 403 AGENCY_MISMATCH; steps
//    2-10 by signed_http::CheckReceivedRequest with the four inbound
//    endpoints (/gw/kh/v1/alerts, /repatriation-requests,
//    /repatriation-decisions, /case-status) and both media types of §2.3;
//    then step 11: strict JSON [400 MALFORMED_JSON]; every string put in
//    NFC and U+200B/U+200C removed from name members (kh_text.h), noting
//    each changed member; schema validation of the normalized body against
//    the $defs entry of its own message_type when that names a message of
//    the schema, else of the endpoint's [400 SCHEMA_VIOLATION, field = the
//    pointer]; kh_checks.h [400 SCHEMA_VIOLATION]; message_id ==
//    Gw-Message-Id [400 HEADER_MISMATCH /message_id]; message_type is the
//    endpoint's [400 WRONG_ENDPOINT /message_type]; sender == the
//    certificate's agency [403 AGENCY_MISMATCH /sender]; recipient == this
//    gateway [403 AGENCY_MISMATCH /recipient]. Refusals are
//    signed_http::RefusalStatus statuses (http_refusal.h) whose message_id
//    follows §8: none for steps 2-10, else the body's message_id when it
//    is a message id, else the Gw-Message-Id when it is one.
//    Success: InboundMessage {sender_agency, message_id, envelope
//    {payload_type, payload = the canonical message (kh_json_in.h)
//    serialized deterministically, no signatures}, received_sha256 = hex
//    SHA-256 of the body as received, evidence = the request in the .http
//    layout (request line with the path, Host = the authority of the
//    signed @target-uri, headers as for responses, body), link_key_id =
//    the key that verified, warnings: NORMALIZED_NFC with the JSON Pointer
//    of each changed member (§5.1, §5.2), then VALUE_NOT_REPRESENTABLE
//    (kh_json_in.h)}. All four kinds are decoded; which the gateway
//    accepts is the ingest pipeline's business.
//  * EncodeAnswer: always a signed response (profile.SignResponse), with
//    metadata ":status", content-type application/json, content-digest,
//    gw-message-id (the request's own value, only when it had exactly
//    one; the signature then covers it), signature-input, signature, and
//    retry-after on 429 / 503.
//     - OK: 202, or 200 when answer.duplicate, with the ack body {ack,
//       message_id = the request's Gw-Message-Id (else the receipt's),
//       sender = this gateway, recipient = sender_agency, status ACCEPTED,
//       payload_sha256 = SHA-256 of received.bytes, received_at = the
//       receipt's, partner_ref, warnings NORMALIZED_NFC recomputed from
//       received.bytes}. Built from the receipt and `received` only, never
//       the clock, so a duplicate gets the first body byte for byte
//       (§7; the signature is fresh). partner_ref: `partner_ref`, by
//       default "<local agency without '-'>-<leaf_index>" for a receipt
//       with an audit checkpoint, none otherwise; cut to 64 characters.
//       FAILED_PRECONDITION without a receipt or its received_at.
//     - a refusal: the status's HttpRefusal, else signed_http::
//       MapGatewayRefusal; error body (§8) {error, message_id (the
//       refusal's; for a gateway refusal the request's Gw-Message-Id when
//       it is a message id), sender, recipient, received_at = the clock,
//       error {code, field when it is a JSON Pointer, detail: one line, at
//       most 500 characters}}; Retry-After = the refusal's seconds, else
//       30, on 429 and 503.
//
// Messages and reasons name fields and codes, never values (personal data),
// except KH-CNP's own error detail in an outcome's reason.
// Thread safety: immutable after construction apart from the signature
// profile's replay memory (locked); every method is const and safe to call
// concurrently (the clock must be too). The signer and verifiers are not
// owned and must outlive the codec.
#ifndef GW_ADAPTERS_KH_CNP_KH_CNP_CODEC_H_
#define GW_ADAPTERS_KH_CNP_KH_CNP_CODEC_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "adapters/adapter.h"
#include "adapters/json/json_schema.h"
#include "adapters/kh_cnp/kh_format.h"
#include "adapters/signed_http/http_signature.h"
#include "adapters/signed_http/received_request.h"
#include "adapters/transport/https_link.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gw/v1/receipt.pb.h"

namespace gw::kh_cnp {

class KhCnpCodec : public adapters::Codec,
                   public adapters::AnswerEncoder,
                   public adapters::HttpRequestSigner {
 public:
  using Clock = std::function<absl::Time()>;
  // `partner_ref` of an ack for a receipt: at most 64 characters.
  using PartnerRef = std::function<std::string(const gw::v1::Receipt&)>;

  // `local_agency` is this gateway ("CN-MPS"), `partner_agency` the partner
  // ("KH-CNP"). `link_key`: this gateway's Ed25519 key registered with the
  // partner (signs requests and responses). `partner_keys`: the keys
  // registered to the partner, looked up by key_id_hex(). `clock`: the
  // signatures' `created`, the ±300 s window, error bodies' received_at
  // and Retry-After deltas.
  KhCnpCodec(std::string local_agency, std::string partner_agency,
             const crypto::Signer* link_key,
             std::vector<const crypto::Verifier*> partner_keys,
             Clock clock = absl::Now, PartnerRef partner_ref = {});
  ~KhCnpCodec() override;

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
  // Step 11 of §6.4 for a request that passed steps 2-10.
  absl::StatusOr<adapters::InboundMessage> DecodeBody(
      const std::string& sender_agency,
      const adapters::PartnerMessage& received, const KindSpec& endpoint,
      const signed_http::CheckedRequest& checked) const;
  // The ack a 200/202 response carries, judged (§7).
  adapters::DeliveryOutcome ReadAck(const adapters::OutboundMessage& message,
                                    const adapters::PartnerMessage& sent,
                                    const adapters::PartnerAnswer& answer,
                                    std::string evidence) const;
  // A signed response with `status` and `body`.
  absl::StatusOr<adapters::PartnerMessage> SignedResponse(
      int status, std::string body, const adapters::PartnerMessage& received,
      int retry_after_seconds) const;
  std::string PartnerRefOf(const gw::v1::Receipt& receipt) const;

  const std::string local_agency_;
  const std::string partner_agency_;
  const Clock clock_;
  const PartnerRef partner_ref_;
  const signed_http::HttpSignatureProfile profile_;
  const std::vector<signed_http::Endpoint> endpoints_;
  const std::vector<std::string> media_types_;
  // KhCnpSchema(): the schema, or why it did not load.
  const absl::StatusOr<const json::JsonSchema*> schema_;
};

}  // namespace gw::kh_cnp

#endif  // GW_ADAPTERS_KH_CNP_KH_CNP_CODEC_H_
