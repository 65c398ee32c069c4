// adapters/la_mps/la_mps_codec.h
//
// The codec of the LA-MPS store-and-forward link (partners/LA-MPS.md): a
// message is <id>.csv (PartnerMessage.bytes) with <id>.sig and <id>.done
// (metadata kSigFile "sig" and kDoneFile "done"); a receipt is one signed
// <id>.ack file. The codec is also the link's AnswerEncoder (the gateway's
// .ack for an inbound message) and its FileDropProtocol (what the
// directory transport must know about .ack files).
//
//  * Encode: payload types CaseAlert / RepatriationRequest /
//    RepatriationRecord / CaseStatus become ALERT / REPATRIATION_REQUEST /
//    REPATRIATION_DECISION / CASE_STATUS (la_fields.h), after the seven
//    header records (message_created_at from the payload's created_at or
//    updated_at, so a retry gives the same bytes). The .csv is signed with
//    the gateway's link key; content_type "text/csv". Attachments carry
//    their content while the .csv stays within 16 MiB (§9). Errors, all
//    INVALID_ARGUMENT naming the field: a message id that is not a
//    lowercase UUID; a recipient other than the partner; another payload
//    type, or a payload that does not parse; alert_id / request_id /
//    case_ref outside partners/README.md §2.8 ("ID_NOT_REPRESENTABLE", also
//    the status's error_reason.h reason); a .csv over 16 MiB or 100,000
//    records ("PAYLOAD_TOO_LARGE"); any value LA-MPS would refuse (the
//    written records are read back with the inbound rules, so the partner
//    never sees a SCHEMA_VIOLATION of ours). FAILED_PRECONDITION without a
//    link key.
//  * ReadAnswer: `answer.bytes` is the partner's <id>.ack. Valid means: it
//    parses, its key_id is one of the partner's keys and the signature
//    verifies, message_id = the id sent, sender = the partner, recipient =
//    this gateway. Then: ACCEPTED with payload_sha256 = SHA-256 of the .csv
//    sent -> Delivered, receipt {message_id, payload_sha256, recipient =
//    the partner, ACCEPTED, received_at, warnings}, evidence = the .ack;
//    REJECTED -> Permanent "LA-MPS REJECTED <error_code> <error_field>:
//    <error_text>" with the .ack as evidence; ACCEPTED or REJECTED for
//    other bytes -> Permanent "ACK_DIGEST_MISMATCH ..." (README §2.3);
//    CORRUPT -> Transient (the transport rewrites the files, §7.3); an
//    invalid .ack or a transport error -> Transient.
//  * Decode: LA-MPS.md §7.2 from step 5 (the transport did steps 1-4; the
//    .done digests are checked again). In this order, each a refusal
//    carrying its LA-MPS error (la_refusal.h, RefusalOf): .csv over 16 MiB
//    PAYLOAD_TOO_LARGE; CSV rules MALFORMED_CSV; more than 100,000 records
//    PAYLOAD_TOO_LARGE; the seven header records in order HEADER_MISMATCH
//    (error_field = the expected field), then `format` and `message_id` =
//    <id> HEADER_MISMATCH; `sender` = the partner and `recipient` = this
//    gateway AGENCY_MISMATCH; key_id malformed or .sig not verifying
//    SIGNATURE_INVALID (UNAUTHENTICATED); then the fields SCHEMA_VIOLATION
//    with error_field. Content refusals are INVALID_ARGUMENT. Not refusals
//    (no .ack: the message is held and retried on a later poll):
//    UNAVAILABLE with reason "UNKNOWN_KEY" when key_id is well formed but
//    not a key of the partner; UNAVAILABLE "INCOMPLETE" when the .sig or
//    .done is missing or the digests differ; UNAVAILABLE
//    "NOT_SUPPORTED_YET" (la_fields.h); INTERNAL for a message id that is
//    not a UUID. Text that is not NFC is normalised after the signature
//    check, with a warning {NORMALIZED_NFC, field path} (§5.1).
//    The result: envelope {payload_type, payload = the canonical message
//    serialized deterministically}, no signatures; received_sha256 =
//    SHA-256 of the .csv; evidence = MakeEvidence (la_files.h) of the
//    three files; link_key_id = key_id.
//  * EncodeAnswer: the gateway's .ack. OK -> ACCEPTED, received_at and
//    warnings from the receipt, no partner_ref (as the example receipt;
//    the canonical receipt is the gateway's proof), so an exact duplicate
//    answered with the first receipt gets the same bytes. A status carrying
//    an LA-MPS refusal -> REJECTED with it. Other refusals by their
//    error_reason.h reason: DUPLICATE_ID_CONFLICT -> nullopt (the earlier
//    .ack stays, §7.2 step 4); UNKNOWN_KEY, INCOMPLETE, NOT_SUPPORTED_YET
//    and the codes UNAVAILABLE, INTERNAL, RESOURCE_EXHAUSTED,
//    DEADLINE_EXCEEDED, ABORTED, CANCELLED, UNKNOWN, DATA_LOSS -> nullopt
//    (held, §8); NOT_A_RECIPIENT, SIGNATURE_INVALID, UNKNOWN_REFERENCE
//    (or NOT_FOUND), WORKFLOW_STATE (or FAILED_PRECONDITION) -> REJECTED
//    with that code; anything else (FIELD_INVALID, ...) -> REJECTED
//    SCHEMA_VIOLATION. error_field is the status message's leading
//    "<canonical path>: " written as an LA-MPS path (subjects[0].role ->
//    subjects.1.role), error_text the status message (one line, at most
//    1,000 characters). A REJECTED .ack's received_at is the clock's now.
//  * InspectAck: kFinal for a valid ACCEPTED or REJECTED .ack, kCorrupt for
//    a valid CORRUPT one, kIgnore otherwise. InspectOwnAck (the receiver's
//    own outbox/<id>.ack, LA-MPS.md §7.2 step 4): kSameMessage or
//    kConflict when the bytes parse, status is ACCEPTED or REJECTED,
//    message_id = <id>, sender = this gateway, recipient = the partner,
//    key_id = the link key's and the signature verifies with the link key's
//    certificate; kSameMessage when payload_sha256 = `csv_sha256`,
//    kConflict otherwise. kNone for everything else: a CORRUPT receipt
//    (never final), a partly written or altered one, one signed by another
//    key (the partner's, or a link key since replaced), or no link key.
//    MakeIncompleteAck: a signed
//    CORRUPT .ack, error_code INCOMPLETE, payload_sha256 of the bytes
//    present, received_at now.
//
// Reasons and error texts name fields and codes, never values; the
// partner's own error_text is copied into reasons (one line, cut).
// Thread safety: all methods are const and safe to call concurrently. The
// signer and partner keys are not owned and must outlive the codec; the
// clock must be thread-safe.
#ifndef GW_ADAPTERS_LA_MPS_LA_MPS_CODEC_H_
#define GW_ADAPTERS_LA_MPS_LA_MPS_CODEC_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/adapter.h"
#include "adapters/la_mps/la_files.h"
#include "adapters/la_mps/la_refusal.h"
#include "adapters/transport/file_drop_protocol.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"

namespace gw::la_mps {

// PartnerMessage.content_type of messages and receipts.
inline constexpr char kCsvContentType[] = "text/csv";
// Largest .csv (LA-MPS.md §9).
inline constexpr size_t kMaxCsvBytes = 16 * 1024 * 1024;

class LaMpsCodec : public adapters::Codec,
                   public adapters::AnswerEncoder,
                   public adapters::FileDropProtocol {
 public:
  // `local_agency`: this gateway's agency ("CN-MPS"). `partner_agency`:
  // "LA-MPS". `own_key`: the gateway's link signing key (Ed25519).
  // `partner_keys`: the signing keys registered to the partner, found by
  // key_id_hex(). `clock`: now, for REJECTED and CORRUPT receipts.
  LaMpsCodec(std::string local_agency, std::string partner_agency,
             const crypto::Signer* own_key,
             std::vector<const crypto::Verifier*> partner_keys,
             std::function<absl::Time()> clock);

  [[nodiscard]] absl::StatusOr<adapters::PartnerMessage> Encode(
      const adapters::OutboundMessage& message) const override;

  adapters::DeliveryOutcome ReadAnswer(
      const adapters::OutboundMessage& message,
      const adapters::PartnerMessage& sent,
      const adapters::PartnerAnswer& answer) const override;

  [[nodiscard]] absl::StatusOr<adapters::InboundMessage> Decode(
      const std::string& sender_agency,
      const adapters::PartnerMessage& received) const override;

  [[nodiscard]] absl::StatusOr<std::optional<adapters::PartnerMessage>>
  EncodeAnswer(const std::string& sender_agency,
               const adapters::PartnerMessage& received,
               const adapters::InboundAnswer& answer) const override;

  AckKind InspectAck(std::string_view message_id,
                     std::string_view ack_bytes) const override;

  OwnAckKind InspectOwnAck(std::string_view message_id,
                           std::string_view ack_bytes,
                           std::string_view csv_sha256) const override;

  [[nodiscard]] absl::StatusOr<std::string> MakeIncompleteAck(
      std::string_view message_id, std::string_view csv_bytes,
      std::string_view what_is_wrong) const override;

 private:
  const crypto::Verifier* PartnerKey(absl::string_view key_id) const;
  // A parsed .ack that is valid for `message_id` (see ReadAnswer), or why
  // not.
  absl::StatusOr<Ack> ReadValidAck(absl::string_view message_id,
                                   absl::string_view bytes) const;
  absl::StatusOr<adapters::PartnerMessage> SignedAck(Ack ack) const;

  const std::string local_agency_;
  const std::string partner_agency_;
  const crypto::Signer* const own_key_;  // not owned
  // own_key_'s certificate, to recognise our own receipts; null without a
  // link key.
  const std::unique_ptr<const crypto::Verifier> own_verifier_;
  const std::vector<const crypto::Verifier*> partner_keys_;  // not owned
  const std::function<absl::Time()> clock_;
};

}  // namespace gw::la_mps

#endif  // GW_ADAPTERS_LA_MPS_LA_MPS_CODEC_H_
