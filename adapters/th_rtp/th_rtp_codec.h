// adapters/th_rtp/th_rtp_codec.h
//
// The codec of the TH-RTP link (partners/TH-RTP.md): canonical gw.v1
// messages <-> signed fixed-width TIS-620 frames, the reading of AK/NK
// answers, the gateway's own AK/NK answers, and what the frame transport
// needs to know about frames (FrameProtocol).
//
//  * Encode: CaseAlert -> AL, RepatriationRequest -> RQ, RepatriationRecord
//    -> RD, CaseStatus -> CS (by envelope.payload_type), signed with the
//    link key. PartnerMessage.bytes is the whole frame (4-byte LEN + body),
//    content_type kFrameContentType. Deterministic: CREATED_AT comes from
//    the canonical created_at (RQ: created_at; RD: updated_at, else the
//    latest history entry's at; CS: updated_at), never from the clock, and
//    Ed25519 is deterministic, so a retry is byte-identical (§3.5, §6).
//    Text follows §5.3-§5.5 (TEXT_SUBST, NARR_OMITTED, NAME_FLAG,
//    TRUNCATED); attachments the inclusion rule of §9. Errors:
//    INVALID_ARGUMENT naming the canonical field for anything the frame
//    cannot carry; identifiers outside README §2.8 carry
//    "ID_NOT_REPRESENTABLE" in the message and as the ingest reason
//    payload (gateway/ingest/error_reason.h). FAILED_PRECONDITION for a
//    link key that is not Ed25519.
//  * ReadAnswer: `answer.bytes` is one whole AK or NK frame.
//     - a non-OK answer.status, a frame that does not parse or validate,
//       that is not AK/NK, not signed by a key registered to the partner,
//       or that names another message id: Transient;
//     - AK for the sent id with ACK_BODY_SHA256 = SHA-256 of the sent body:
//       Delivered, with a gw.v1.Receipt {message_id, payload_sha256 = the
//       ACK_BODY_SHA256, recipient = AK.SENDER, status ACCEPTED,
//       received_at = RECEIVED_AT}; evidence = the AK frame;
//     - the same with another digest: Permanent "ACK_DIGEST_MISMATCH ...";
//     - NK: reason "TH-RTP NK <REASON_CODE> <FIELD_NAME>: <REASON_TEXT>"
//       (the field part left out when FIELD_NAME is blank; the text decoded
//       from TIS-620, line breaks as spaces); RETRYABLE N: Permanent with
//       the NK frame as evidence; RETRYABLE Y: Transient (evidence set too).
//  * Decode: `received.bytes` is the whole frame as received; the checks
//    of §6 in order (frame.h). Success: InboundMessage with the canonical
//    message serialized deterministically into envelope.payload (no
//    envelope signatures), received_sha256 = SHA-256 of the body,
//    evidence = the whole frame, link_key_id = the TR.KEY_ID that
//    verified, and warnings NAME_INCOMPLETE (NAME_FLAG other than N) and
//    NAME_TRUNCATED (TRUNCATED Y) on "<path>.names", TEXT_SUBSTITUTED
//    (TEXT_SUBST Y; field "narrative" when NARR_OMITTED > 0, else "") and
//    VALUE_NOT_REPRESENTABLE (RQ.BIA_OUTCOME NOT_REQUIRED, which gw.v1 has
//    no value for). Failure: a status carrying the NK fields (RefusalOf):
//    INVALID_ARGUMENT for class P codes, PERMISSION_DENIED for 130/131,
//    UNAUTHENTICATED for 201, UNAVAILABLE for class T codes (202, 901).
//    Entitlement, duplicates and references (step 7) are the gateway's.
//  * EncodeAnswer: OK -> AK (DUPLICATE from answer.duplicate, RECEIVED_AT
//    from the receipt, PARTNER_REF from `partner_ref`); a refusal -> NK
//    from the status's ThRtpRefusal, or else mapped from its ingest reason
//    and code (see MapGatewayRefusal). NAK_MESSAGE_ID / NAK_BODY_SHA256 as
//    §3.11. Control frames carry a new id (`new_message_id`) and the
//    clock's time.
//  * FrameProtocol: Inspect classifies by the first record type (anything
//    but AK/NK/HB is a would-be data frame, judged by Decode); AK/NK/HB must
//    parse, and HB must be signed by a partner key, else an error that
//    closes the connection.
//
// Readings of the ICD where it leaves a choice (each pinned by a test):
//  * §6 step 6: fields in offset order, for one field 122, then 121, then
//    120 (calendar validity of D/TS included); then the record's formats
//    and enumerations (roles of §3.2 among them); joins (§3.6 TEXT_SUBST,
//    §3.7/§3.8 handover pairs, §3.13 NAME_FLAG, DOC_USE placement, LANG of
//    all parts of a text, AT/AD sizes, padding and SHA256) after the last
//    record, in record order.
//  * Structural NK fields: unknown record type -> that record, no field;
//    missing CR LF -> "<REC>.EOL"; bytes after TR -> the record after TR;
//    no TR -> record 0; a record out of grammar order -> "<REC>.REC_TYPE";
//    an NR topic not of the frame or out of place -> "NR.TOPIC".
//  * §5.3 in the Latin name slot (type A): R is U+0020-U+007E only. DEL
//    counts as a control character (removed). Trimming (§5.2) never sets
//    TEXT_SUBST; spaces a cut leaves at the end are trimmed too.
//  * §5.5: NAME_FLAG F whenever steps 2-4 changed a sent name (either
//    slot); T only if the generated slot is not blank, else R (or U).
//  * §5.4: an empty text, or one whose lang does not fit NR.LANG, counts
//    as not sent.
//  * gw.v1 mapping: TRACING_RESULT FOUND/NOT_FOUND <-> FAMILY_FOUND/
//    FAMILY_NOT_FOUND, CARE_INSTITUTION -> NOT_FOUND; BIA NO_RETURN <->
//    DO_NOT_RETURN, NOT_REQUIRED -> unspecified + warning; an absent
//    guardian / assessment <-> NOT_STARTED / PENDING with nothing else. RD
//    handover <-> request.proposed_handover (RepatriationEvent has none).
//    CS note: the update's `note`, else the latest history entry's.
//  * An NK with RETRYABLE contrary to its code's class is invalid
//    (transient); a blank NAK_MESSAGE_ID answers this frame only for
//    100/101; an NK naming other body bytes is transient.
//
// Messages and reasons name fields and codes, never values (personal data),
// except the partner's own NK REASON_TEXT in an outcome's reason.
// Thread safety: immutable after construction; every method is const and
// safe to call concurrently (the clock and id generator must be too). The
// signer and verifiers are not owned and must outlive the codec.
#ifndef GW_ADAPTERS_TH_RTP_TH_RTP_CODEC_H_
#define GW_ADAPTERS_TH_RTP_TH_RTP_CODEC_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/adapter.h"
#include "adapters/th_rtp/frame.h"
#include "adapters/transport/frame_protocol.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gateway/util/payload_types.h"
#include "gw/v1/receipt.pb.h"

namespace gw::th_rtp {

inline constexpr char kFrameContentType[] = "application/vnd.th-rtp.frame";
using ::gw::util::kCaseAlertPayloadType;
using ::gw::util::kCaseStatusPayloadType;
using ::gw::util::kRepatriationRecordPayloadType;
using ::gw::util::kRepatriationRequestPayloadType;

// Status payload key under which Decode's refusals carry their NK fields.
inline constexpr char kRefusalPayloadUrl[] = "gw.adapters.th_rtp/refusal";

// Inbound warning codes (ReceiptWarning.code).
inline constexpr char kNameIncompleteWarning[] = "NAME_INCOMPLETE";
inline constexpr char kNameTruncatedWarning[] = "NAME_TRUNCATED";
inline constexpr char kTextSubstitutedWarning[] = "TEXT_SUBSTITUTED";
inline constexpr char kValueNotRepresentableWarning[] =
    "VALUE_NOT_REPRESENTABLE";

// The status for `refusal`: its code class as above, message "TH-RTP
// <code> <CODE_NAME>: <text>", the refusal as payload, and the §8 name as
// the ingest reason (error_reason.h).
absl::Status RefusalStatus(const ThRtpRefusal& refusal);
// The refusal a status carries, if any.
std::optional<ThRtpRefusal> RefusalOf(const absl::Status& status);

// The NK for a refusal that carries no ThRtpRefusal (from the ingest
// pipeline), by its ingest reason, then by its code: DUPLICATE_ID_CONFLICT
// 301, NOT_A_RECIPIENT / AUTHOR_AGENCY_MISMATCH 131, SIGNATURE_INVALID 201,
// UNKNOWN_KEY 202, FIELD_INVALID and the other payload reasons 120,
// RESOURCE_EXHAUSTED 900, NOT_SUPPORTED_YET / INTERNAL / UNAVAILABLE 901;
// otherwise INVALID_ARGUMENT 120, PERMISSION_DENIED 131, UNAUTHENTICATED
// 201, ALREADY_EXISTS 301, NOT_FOUND 302, FAILED_PRECONDITION 303, any
// other 901. `body` is the refused body (for the header type and the TR
// record number); the text is the status message.
ThRtpRefusal MapGatewayRefusal(const absl::Status& status,
                               absl::string_view body);

class ThRtpCodec : public adapters::Codec,
                   public adapters::AnswerEncoder,
                   public adapters::FrameProtocol {
 public:
  using Clock = std::function<absl::Time()>;
  using MessageIdGenerator = std::function<std::string()>;
  // AK.PARTNER_REF for a receipt: printable ASCII, at most 30 bytes.
  using PartnerRef = std::function<std::string(const gw::v1::Receipt&)>;

  // `local_agency` is this gateway ("CN-MPS"), `partner_agency` the partner
  // ("TH-RTP"). `link_key`: this gateway's Ed25519 key registered with the
  // partner. `partner_keys`: the keys registered to the partner, looked up
  // by key_id_hex(). `clock` times control frames (CREATED_AT, an NK's
  // RECEIVED_AT); `new_message_id` names them (default: random UUIDv4).
  // `partner_ref` defaults to "<local agency without '-'>-<leaf_index>" for
  // a receipt with an audit checkpoint, blank otherwise.
  ThRtpCodec(std::string local_agency, std::string partner_agency,
             const crypto::Signer* link_key,
             std::vector<const crypto::Verifier*> partner_keys,
             Clock clock = absl::Now, MessageIdGenerator new_message_id = {},
             PartnerRef partner_ref = {});

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

  // adapters::FrameProtocol
  size_t min_body_length() const override { return kMinBodyLength; }
  size_t max_body_length() const override { return kMaxBodyLength; }
  [[nodiscard]] absl::StatusOr<adapters::FrameInfo> Inspect(
      std::string_view body, std::string_view peer_agency) const override;
  [[nodiscard]] absl::StatusOr<std::string> MakeHeartbeat(
      std::string_view peer_agency) const override;
  [[nodiscard]] absl::StatusOr<std::string> MakeLengthRefusal(
      std::string_view peer_agency) const override;
  [[nodiscard]] absl::StatusOr<std::string> MakeWindowRefusal(
      std::string_view body, std::string_view peer_agency) const override;

 private:
  // A signed NK frame for `refusal` of `body` (may be empty) to `peer`.
  absl::StatusOr<std::string> MakeNak(const ThRtpRefusal& refusal,
                                      absl::string_view body,
                                      absl::string_view peer) const;
  std::string NewMessageId() const;

  const std::string local_agency_;
  const std::string partner_agency_;
  const crypto::Signer* const link_key_;                     // not owned
  const std::vector<const crypto::Verifier*> partner_keys_;  // not owned
  const Clock clock_;
  const MessageIdGenerator new_message_id_;
  const PartnerRef partner_ref_;
};

}  // namespace gw::th_rtp

#endif  // GW_ADAPTERS_TH_RTP_TH_RTP_CODEC_H_
