// Pipeline::AcceptInbound: messages partners deliver through their adapters
// enter the same checks and the same store transaction as local ones
// (pipeline.h).
#include <algorithm>
#include <regex>
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

namespace gw::ingest {
namespace {

using gw::v1::CaseAlert;

constexpr char kDeliverAction[] = "PartnerExchange.Deliver";

bool IsMessageId(absl::string_view id) {
  static const std::regex* const kUuid = new std::regex(
      "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
  return std::regex_match(id.begin(), id.end(), *kUuid);
}

// The reason a check's status carries if it has none yet.
absl::Status Reason(absl::Status status, absl::string_view fallback) {
  if (status.ok() || !ReasonOf(status).empty()) return status;
  return WithReason(std::move(status), fallback);
}

}  // namespace

void Pipeline::AcceptInbound(
    const identity::Principal& caller, adapters::InboundMessage message,
    std::function<void(absl::StatusOr<gw::v1::Receipt>)> done) {
  const absl::Time now = clock_();
  const gw::v1::Envelope& envelope = message.envelope;
  AuditFacts facts{kDeliverAction, {}, crypto::Sha256Hex(envelope.payload())};
  if (IsMessageId(message.message_id))
    facts.object_ids.push_back("message:" + message.message_id);
  auto refuse = [&](absl::Status status, absl::string_view reason) {
    status = Reason(std::move(status), reason);
    AuditRefusal(caller, std::move(facts), status,
                 [done](absl::Status s) { done(std::move(s)); });
  };

  if (trust_ == nullptr) {
    return done(absl::InternalError("inbound path has no trust store"));
  }
  if (caller.agency != message.sender_agency) {
    return refuse(absl::PermissionDeniedError(
                      "caller: the sending agency is not the caller's"),
                  "AUTHOR_AGENCY_MISMATCH");
  }
  if (!IsMessageId(message.message_id)) {
    return refuse(
        absl::InvalidArgumentError("gw-message-id: want a lowercase UUID "
                                   "(8-4-4-4-12 hexadecimal digits)"),
        "MISSING_MESSAGE_ID");
  }
  if (envelope.ByteSizeLong() > policy_->limits().max_message_bytes()) {
    return refuse(absl::ResourceExhaustedError(absl::StrCat(
                      "envelope: ", envelope.ByteSizeLong(), " bytes, at most ",
                      policy_->limits().max_message_bytes())),
                  "FIELD_INVALID");
  }
  if (envelope.payload_type() != kCaseAlertPayloadType) {
    if (absl::StartsWith(envelope.payload_type(), "application/vnd.gw.v1.")) {
      return refuse(absl::UnimplementedError(absl::StrCat(
                        "envelope.payload_type: ", envelope.payload_type(),
                        " is not accepted inbound by this release yet")),
                    "UNKNOWN_PAYLOAD_TYPE");
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
  if (IsClientId(received.alert_id()))
    facts.object_ids.push_back("alert:" + received.alert_id());
  if (IsClientId(received.case_ref()))
    facts.object_ids.push_back("case:" + received.case_ref());

  // 1. The author: a user of the origin agency, by certificate and key.
  if (envelope.signatures_size() < 2) {
    return refuse(absl::InvalidArgumentError(
                      "envelope.signatures: want the author's signature and "
                      "the sending gateway's"),
                  "SIGNATURE_INVALID");
  }
  const gw::v1::Signature& author_sig = envelope.signatures(0);
  auto author = trust_->AuthenticateDer(author_sig.cert_der(), now);
  if (!author.ok()) {
    return refuse(
        absl::UnauthenticatedError(absl::StrCat(
            "envelope.signatures[0].cert_der: ", author.status().message())),
        "SIGNATURE_INVALID");
  }
  if (author->agency != received.origin_agency()) {
    return refuse(absl::PermissionDeniedError(absl::StrCat(
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
    if (key == nullptr) continue;
    if (absl::Status s = crypto::VerifyEnvelopeSignature(envelope, i, *key);
        !s.ok()) {
      return refuse(s, "SIGNATURE_INVALID");
    }
    gateway_index = i;
    break;
  }
  if (gateway_index < 0) {
    return refuse(absl::UnauthenticatedError(absl::StrCat(
                      "envelope.signatures: none is by a key registered to ",
                      caller.agency)),
                  "SIGNATURE_INVALID");
  }

  // 3. What is stored: the adapter's conversion if it made one.
  CaseAlert alert = received;
  if (message.converted_payload.has_value() &&
      !alert.ParseFromString(*message.converted_payload)) {
    return done(
        absl::InternalError("the adapter's converted payload does not parse"));
  }
  if (alert.alert_id() != received.alert_id() ||
      alert.case_ref() != received.case_ref() ||
      alert.origin_agency() != received.origin_agency()) {
    return done(
        absl::InternalError("the adapter's conversion changed an identifier"));
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
  accept.inbound =
      store::InboundOrigin{message.sender_agency, message.message_id,
                           message.received_sha256, message.warnings};
  accept.audit = NewAuditEntry(caller, facts, now);
  accept.audit.set_decision("ALLOW");
  accept.audit.set_outcome("OK");
  accept.audit.set_reason(
      absl::StrCat("inbound ", CaseAlert::Kind_Name(alert.kind()), " from ",
                   caller.agency, ", author ", author->agency, "/",
                   author->role, ", gateway signature ", gateway_index));
  write->op = std::move(accept);

  // The conversion's own record (MM-MPF.md §5.6): field paths and digests,
  // never text.
  std::unique_ptr<store::Write> converted;
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
    converted = std::make_unique<store::Write>();
    converted->op = store::AppendAudit{std::move(entry)};
  }

  writer_->Submit(
      std::move(write), [this, caller, facts, done,
                         converted = std::shared_ptr<store::Write>(
                             std::move(converted))](store::Write& w) mutable {
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
        if (converted != nullptr && !result.duplicate) {
          auto write = std::make_unique<store::Write>(std::move(*converted));
          writer_->Submit(std::move(write), [](store::Write&) {});
        }
        if (result.case_status.has_value() && !result.duplicate)
          watchers_->Publish(*result.case_status);
        if (!result.receipt.has_value()) {
          return done(absl::InternalError(
              "stored, but the audit log could not issue a receipt; the "
              "partner will retry and get it"));
        }
        done(*std::move(result.receipt));
      });
}

}  // namespace gw::ingest
