// Pipeline::AcceptInbound: messages partners deliver through their adapters
// enter the same checks and the same store transaction as local ones
// (pipeline.h).
#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gateway/crypto/dsse.h"
#include "gateway/crypto/sha256.h"
#include "gateway/ingest/alert_validator.h"
#include "gateway/ingest/error_reason.h"
#include "gateway/ingest/field_checks.h"
#include "gateway/ingest/pipeline.h"
#include "gateway/util/proto_time.h"
#include "gateway/util/uuid.h"

namespace gw::ingest {
namespace {

using gw::v1::CaseAlert;

// The audited action: a peer gateway's gRPC call, or a message a partner
// link's own transport received (api/partner_inbound.h).
constexpr char kDeliverAction[] = "PartnerExchange.Deliver";
constexpr char kLinkReceiveAction[] = "PartnerLink.Receive";
// Who may author an alert: the role that may send one locally.
constexpr char kAuthorRole[] = "investigator";
constexpr char kGatewayRole[] = "gateway";

// The reason a check's status carries if it has none yet.
absl::Status Reason(absl::Status status, absl::string_view fallback) {
  if (status.ok() || !ReasonOf(status).empty()) return status;
  return WithReason(std::move(status), fallback);
}

}  // namespace

absl::Status Pipeline::CheckLinkSignature(
    const identity::Principal& caller, const adapters::InboundMessage& message,
    const CaseAlert& payload) const {
  if (message.envelope.signatures_size() != 0) {
    return WithReason(
        absl::InvalidArgumentError(
            "envelope.signatures: a message signed on its link carries no "
            "DSSE signature"),
        "SIGNATURE_INVALID");
  }
  if (message.evidence.empty()) {
    return WithReason(absl::InternalError("the adapter kept no evidence of "
                                          "the partner's signature"),
                      "INTERNAL");
  }
  if (trust_->FindSigningKey(caller.agency, message.link_key_id) == nullptr) {
    // Transient on purpose (partners/README.md §2.6): the key may be
    // registered after its first use; the partner retries meanwhile.
    return WithReason(absl::UnavailableError(absl::StrCat(
                          "link signature: key ", message.link_key_id,
                          " is not registered to ", caller.agency,
                          "; register it in policies/agencies.textproto "
                          "(trust.signing_cert_files) if it is genuine")),
                      "UNKNOWN_KEY");
  }
  if (payload.origin_agency() != caller.agency) {
    // A partner system delivers its own agency's messages only.
    return WithReason(absl::PermissionDeniedError(absl::StrCat(
                          "payload.origin_agency: ", caller.agency,
                          " may deliver only its own agency's messages")),
                      "AUTHOR_AGENCY_MISMATCH");
  }
  return absl::OkStatus();
}

void Pipeline::AcceptInbound(
    const identity::Principal& caller, adapters::InboundMessage message,
    std::function<void(absl::StatusOr<InboundAccepted>)> done) {
  const absl::Time now = clock_();
  const gw::v1::Envelope& envelope = message.envelope;
  AuditFacts facts{
      message.link_key_id.empty() ? kDeliverAction : kLinkReceiveAction,
      {},
      crypto::Sha256Hex(envelope.payload())};
  if (util::IsLowercaseUuid(message.message_id))
    facts.object_ids.push_back("message:" + message.message_id);
  auto refuse = [&](absl::Status status, absl::string_view reason) {
    status = Reason(std::move(status), reason);
    AuditRefusal(caller, std::move(facts), status,
                 [done](absl::Status s) { done(std::move(s)); });
  };

  if (trust_ == nullptr) {
    return refuse(absl::InternalError("inbound path has no trust store"),
                  "INTERNAL");
  }
  if (caller.role != kGatewayRole) {
    // Second line of defence behind the policy rule for Deliver: only a
    // partner's gateway or system delivers.
    return refuse(
        absl::PermissionDeniedError(absl::StrCat(
            "caller: role ", caller.role, " may not deliver partner messages")),
        "NOT_A_RECIPIENT");
  }
  if (caller.agency != message.sender_agency) {
    return refuse(absl::PermissionDeniedError(
                      "caller: the sending agency is not the caller's"),
                  "AUTHOR_AGENCY_MISMATCH");
  }
  if (!util::IsLowercaseUuid(message.message_id)) {
    return refuse(
        absl::InvalidArgumentError("gw-message-id: want a lowercase UUID "
                                   "(8-4-4-4-12 hexadecimal digits)"),
        "MISSING_MESSAGE_ID");
  }
  if (envelope.ByteSizeLong() > policy_->limits().max_message_bytes()) {
    // Permanent (INVALID_ARGUMENT), unlike a local caller's
    // RESOURCE_EXHAUSTED: a peer would resend the same bytes for ever.
    return refuse(absl::InvalidArgumentError(absl::StrCat(
                      "envelope: ", envelope.ByteSizeLong(), " bytes, at most ",
                      policy_->limits().max_message_bytes())),
                  "FIELD_INVALID");
  }
  if (envelope.payload_type() != kCaseAlertPayloadType) {
    if (absl::StartsWith(envelope.payload_type(), "application/vnd.gw.v1.")) {
      // A type of the catalogue this release cannot take yet: transient
      // (UNAVAILABLE), so the peer keeps it and retries, and raises its
      // operator alarm, rather than dead-lettering a valid message.
      return refuse(absl::UnavailableError(absl::StrCat(
                        "envelope.payload_type: ", envelope.payload_type(),
                        " is not accepted inbound by this gateway release "
                        "yet; keep it and retry after the upgrade")),
                    "NOT_SUPPORTED_YET");
    }
    return refuse(absl::InvalidArgumentError(
                      "envelope.payload_type: not a gw.v1 payload type"),
                  "UNKNOWN_PAYLOAD_TYPE");
  }

  // The payload as received must parse: the signatures cover it.
  CaseAlert received;
  if (!received.ParseFromString(envelope.payload())) {
    return refuse(absl::InvalidArgumentError(
                      "envelope.payload: does not parse as gw.v1.CaseAlert"),
                  "PAYLOAD_UNPARSEABLE");
  }
  if (received.text_conversions_size() > 0) {
    // Conversions are recorded by the gateway that made them, on receipt
    // (partners/MM-MPF.md §5.6); a sender's claims would pass for ours.
    return refuse(absl::InvalidArgumentError(
                      "payload.text_conversions: must be empty; the receiving "
                      "gateway records its own conversions"),
                  "FIELD_INVALID");
  }
  if (IsClientId(received.alert_id()))
    facts.object_ids.push_back("alert:" + received.alert_id());
  if (IsClientId(received.case_ref()))
    facts.object_ids.push_back("case:" + received.case_ref());

  // An exact resend of a message accepted before is answered with the
  // first receipt (partners/README.md §2.2) even if a certificate has
  // expired since: its signatures were verified when it was accepted, and
  // are checked here as of the alert's creation. (A certificate revoked
  // since is still refused: the CRL is today's.)
  auto known_digest =
      store_->InboundMessageDigest(message.sender_agency, message.message_id);
  const bool exact_resend =
      known_digest.ok() && *known_digest == message.received_sha256;
  const absl::Time checked_at = exact_resend && received.has_created_at()
                                    ? util::FromTimestamp(received.created_at())
                                    : now;

  std::string signed_by;
  if (!message.link_key_id.empty()) {
    // 1-2. The partner's link signature, verified by the adapter over the
    //      evidence (partners/README.md §2.6).
    absl::Status checked = CheckLinkSignature(caller, message, received);
    if (!checked.ok()) return refuse(std::move(checked), "SIGNATURE_INVALID");
    signed_by =
        absl::StrCat("link signature key ", message.link_key_id.substr(0, 16));
  } else {
    // 1. The author: an investigator of the origin agency, by certificate and
    //    key.
    if (envelope.signatures_size() < 2) {
      return refuse(absl::InvalidArgumentError(
                        "envelope.signatures: want the author's signature and "
                        "the sending gateway's"),
                    "SIGNATURE_INVALID");
    }
    const gw::v1::Signature& author_sig = envelope.signatures(0);
    auto author = trust_->AuthenticateDer(author_sig.cert_der(), checked_at);
    if (!author.ok()) {
      return refuse(
          absl::UnauthenticatedError(absl::StrCat(
              "envelope.signatures[0].cert_der: ", author.status().message())),
          "SIGNATURE_INVALID");
    }
    if (author->agency != received.origin_agency()) {
      return refuse(
          absl::PermissionDeniedError(absl::StrCat(
              "payload.origin_agency: the author's certificate is of ",
              author->agency)),
          "AUTHOR_AGENCY_MISMATCH");
    }
    if (author->agency != caller.agency) {
      // A gateway delivers its own agency's messages, never a third agency's.
      return refuse(absl::PermissionDeniedError(absl::StrCat(
                        "payload.origin_agency: ", caller.agency,
                        " may deliver only its own agency's messages")),
                    "AUTHOR_AGENCY_MISMATCH");
    }
    if (author->role != kAuthorRole) {
      // The sending gateway's own certificate (or a liaison's) must not stand
      // in for an author: an investigator's key plus the gateway's
      // (CONTRACT.md §3).
      return refuse(
          absl::UnauthenticatedError(absl::StrCat(
              "envelope.signatures[0]: the author's certificate has "
              "role ",
              author->role, "; alerts are authored by investigators")),
          "SIGNATURE_INVALID");
    }
    if (author->user != received.originator()) {
      return refuse(absl::PermissionDeniedError(
                        "payload.originator: is not the author's user id"),
                    "AUTHOR_AGENCY_MISMATCH");
    }
    if (absl::Status s =
            crypto::VerifyEnvelopeSignature(envelope, 0, *author->verifier);
        !s.ok()) {
      return refuse(s, "SIGNATURE_INVALID");
    }

    // 2. The sending gateway: a key registered to the calling agency.
    int gateway_index = -1;
    for (int i = 1; i < envelope.signatures_size(); ++i) {
      const crypto::Verifier* key =
          trust_->FindSigningKey(caller.agency, envelope.signatures(i).keyid());
      if (key == nullptr) {
        // Every signature is the author's or the sending gateway's; any other
        // signer is refused (CONTRACT.md §3).
        return refuse(absl::UnauthenticatedError(absl::StrCat(
                          "envelope.signatures[", i,
                          "].keyid: not a key registered to ", caller.agency)),
                      "SIGNATURE_INVALID");
      }
      if (absl::Status s = crypto::VerifyEnvelopeSignature(envelope, i, *key);
          !s.ok()) {
        return refuse(s, "SIGNATURE_INVALID");
      }
      gateway_index = i;
    }
    if (gateway_index < 0) {
      return refuse(absl::UnauthenticatedError(absl::StrCat(
                        "envelope.signatures: none is by a key registered to ",
                        caller.agency)),
                    "SIGNATURE_INVALID");
    }
    signed_by = absl::StrCat("author ", author->agency, "/", author->role,
                             ", gateway signature ", gateway_index);
  }

  // 3. What is stored: the adapter's conversion if it made one.
  CaseAlert alert = received;
  if (message.converted_payload.has_value() &&
      !alert.ParseFromString(*message.converted_payload)) {
    return refuse(
        absl::InternalError("the adapter's converted payload does not parse"),
        "INTERNAL");
  }
  if (alert.alert_id() != received.alert_id() ||
      alert.case_ref() != received.case_ref() ||
      alert.origin_agency() != received.origin_agency() ||
      alert.recipients_size() != received.recipients_size()) {
    return refuse(
        absl::InternalError("the adapter's conversion changed an identifier"),
        "INTERNAL");
  }
  if (absl::Status s = ValidateCaseAlert(alert, *policy_, now); !s.ok()) {
    return refuse(s, "FIELD_INVALID");
  }
  if (std::find(alert.recipients().begin(), alert.recipients().end(),
                local_agency_) == alert.recipients().end()) {
    return refuse(absl::PermissionDeniedError(
                      absl::StrCat("payload.recipients: ", local_agency_,
                                   " is not a recipient of this alert")),
                  "NOT_A_RECIPIENT");
  }

  auto write = std::make_unique<store::Write>();
  store::AcceptAlert accept;
  gw::v1::AlertRecord& record = accept.record;
  *record.mutable_envelope() = envelope;
  *record.mutable_received_at() = util::ToTimestamp(now);
  record.set_payload_sha256(facts.payload_sha256);
  *record.mutable_alert() = alert;
  accept.inbound = store::InboundOrigin{
      message.sender_agency, message.message_id, message.received_sha256,
      message.warnings, std::move(message.evidence)};
  accept.audit = NewAuditEntry(caller, facts, now);
  accept.audit.set_decision("ALLOW");
  accept.audit.set_outcome("OK");
  accept.audit.set_reason(
      absl::StrCat("inbound ", CaseAlert::Kind_Name(alert.kind()), " from ",
                   caller.agency, ", ", signed_by));

  // The conversion's own record (MM-MPF.md §5.6), in the same transaction:
  // field paths and digests, never text.
  if (message.converted_payload.has_value()) {
    std::vector<std::string> fields;
    for (const auto& conversion : alert.text_conversions())
      fields.push_back(conversion.field());
    AuditFacts conversion_facts = facts;
    conversion_facts.action = "ENCODING_CONVERTED";
    gw::v1::AuditEntry entry = NewAuditEntry(caller, conversion_facts, now);
    entry.set_decision("ALLOW");
    entry.set_outcome("OK");
    entry.set_reason(
        absl::StrCat("Zawgyi-my converted ", absl::StrJoin(fields, ", "),
                     "; converted payload sha256 ",
                     crypto::Sha256Hex(*message.converted_payload)));
    accept.more_audit.push_back(std::move(entry));
  }
  write->op = std::move(accept);

  writer_->Submit(std::move(write), [this, caller, facts,
                                     done](store::Write& w) mutable {
    store::WriteResult& result = w.result;
    if (!result.status.ok()) {
      if (absl::IsAlreadyExists(result.status) ||
          absl::IsPermissionDenied(result.status)) {
        absl::Status refusal =
            Reason(result.status, absl::IsAlreadyExists(result.status)
                                      ? "DUPLICATE_ID_CONFLICT"
                                      : "NOT_A_RECIPIENT");
        return AuditRefusal(caller, std::move(facts), refusal,
                            [done](absl::Status s) { done(std::move(s)); });
      }
      return done(result.status);
    }
    if (result.case_status.has_value() && !result.duplicate)
      watchers_->Publish(*result.case_status);
    if (!result.receipt.has_value()) {
      return done(absl::InternalError(
          "stored, but the audit log could not issue a receipt; the "
          "partner will retry and get it"));
    }
    done(InboundAccepted{*std::move(result.receipt), result.duplicate_message});
  });
}

}  // namespace gw::ingest
