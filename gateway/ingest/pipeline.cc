#include "gateway/ingest/pipeline.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/crypto/dsse.h"
#include "gateway/crypto/sha256.h"
#include "gateway/crypto/verifier.h"
#include "gateway/ingest/alert_validator.h"
#include "gateway/ingest/field_checks.h"
#include "gateway/util/proto_time.h"
#include "gateway/util/status_macros.h"
#include "gateway/util/uuid.h"

namespace gw::ingest {
namespace {

using gw::v1::CaseAlert;
using gw::v1::CaseStatus;

constexpr char kAllow[] = "ALLOW";
constexpr char kDeny[] = "DENY";

absl::Status CheckSize(const google::protobuf::Message& request,
                       const policy::Policy& policy) {
  const size_t size = request.ByteSizeLong();
  if (size > policy.limits().max_message_bytes()) {
    return absl::ResourceExhaustedError(
        absl::StrCat("request: ", size, " bytes, at most ",
                     policy.limits().max_message_bytes()));
  }
  return absl::OkStatus();
}

}  // namespace

Pipeline::Pipeline(std::shared_ptr<const policy::Policy> policy,
                   store::Store* store, Writer* writer, CaseWatchers* watchers,
                   Clock clock)
    : policy_(std::move(policy)),
      store_(store),
      writer_(writer),
      watchers_(watchers),
      clock_(std::move(clock)) {}

gw::v1::AuditEntry Pipeline::NewAuditEntry(const identity::Principal& caller,
                                           const AuditFacts& facts,
                                           absl::Time now) const {
  gw::v1::AuditEntry entry;
  *entry.mutable_time() = util::ToTimestamp(now);
  entry.set_actor_agency(caller.agency);
  entry.set_actor_role(caller.role);
  entry.set_actor_user(caller.user);
  entry.set_action(facts.action);
  for (const auto& id : facts.object_ids) entry.add_object_ids(id);
  entry.set_payload_sha256(facts.payload_sha256);
  entry.set_policy_version(policy_->version());
  return entry;
}

void Pipeline::AuditRefusal(const identity::Principal& caller, AuditFacts facts,
                            absl::Status refusal,
                            std::function<void(absl::Status)> done) {
  auto write = std::make_unique<store::Write>();
  gw::v1::AuditEntry entry = NewAuditEntry(caller, facts, clock_());
  entry.set_decision(kDeny);
  entry.set_outcome(absl::StatusCodeToString(refusal.code()));
  entry.set_reason(std::string(refusal.message()));
  write->op = store::AppendAudit{std::move(entry)};
  writer_->Submit(std::move(write),
                  [refusal, done = std::move(done)](store::Write& w) {
                    // If even the audit entry cannot be written, say so: a
                    // refusal that is not on record must not look like a normal
                    // answer.
                    done(w.result.status.ok() ? refusal : w.result.status);
                  });
}

absl::Status Pipeline::VerifyAuthor(const identity::Principal& caller,
                                    const gw::v1::Envelope& envelope,
                                    absl::string_view want_payload_type) const {
  if (envelope.payload_type() != want_payload_type) {
    return absl::InvalidArgumentError(
        absl::StrCat("envelope.payload_type: want ", want_payload_type));
  }
  if (envelope.payload().empty()) {
    return absl::InvalidArgumentError("envelope.payload: required");
  }
  if (envelope.signatures_size() == 0) {
    return absl::InvalidArgumentError(
        "envelope.signatures: the author's signature is required");
  }
  const gw::v1::Signature& author = envelope.signatures(0);
  if (!author.cert_der().empty() && author.cert_der() != caller.cert_der) {
    return absl::UnauthenticatedError(
        "envelope.signatures[0].cert_der: the author's certificate is not the "
        "caller's");
  }
  // The TrustStore hands out principals with their verifier; build one only
  // for a principal that came from elsewhere.
  std::shared_ptr<const crypto::Verifier> verifier = caller.verifier;
  if (verifier == nullptr) {
    auto built = crypto::Verifier::FromCertificateDer(caller.cert_der);
    if (!built.ok()) {
      return absl::UnauthenticatedError(
          absl::StrCat("caller certificate: ", built.status().message()));
    }
    verifier = *std::move(built);
  }
  if (author.keyid() != verifier->key_id_hex()) {
    return absl::UnauthenticatedError(
        "envelope.signatures[0].keyid: the author is not the caller (signer "
        "key differs)");
  }
  return crypto::VerifyEnvelopeSignature(envelope, 0, *verifier);
}

absl::Status Pipeline::OpenSigned(const identity::Principal& caller,
                                  const google::protobuf::Message& request,
                                  const gw::v1::Envelope& envelope,
                                  absl::string_view payload_type,
                                  google::protobuf::Message* payload) const {
  GW_RETURN_IF_ERROR(CheckSize(request, *policy_));
  GW_RETURN_IF_ERROR(VerifyAuthor(caller, envelope, payload_type));
  if (!payload->ParseFromString(envelope.payload())) {
    return absl::InvalidArgumentError(
        absl::StrCat("envelope.payload: does not parse as ",
                     payload->GetDescriptor()->full_name()));
  }
  return absl::OkStatus();
}

absl::Status Pipeline::CheckAlert(const identity::Principal& caller,
                                  const CaseAlert& alert, absl::Time now,
                                  std::string* reason) const {
  if (alert.origin_agency() != caller.agency) {
    return absl::PermissionDeniedError(absl::StrCat(
        "payload.origin_agency: must be the caller's agency ", caller.agency));
  }
  if (alert.originator() != caller.user) {
    return absl::PermissionDeniedError(absl::StrCat(
        "payload.originator: must be the caller's user id ", caller.user));
  }
  GW_RETURN_IF_ERROR(ValidateCaseAlert(alert, *policy_, now));
  std::vector<std::string> reasons;
  for (int i = 0; i < alert.recipients_size(); ++i) {
    policy::Decision decision =
        policy_->MayReceiveAlert(alert.recipients(i), alert.kind());
    if (!decision.allowed) {
      return absl::PermissionDeniedError(
          absl::StrCat("payload.recipients[", i, "]: ", alert.recipients(i),
                       " may not receive ", CaseAlert::Kind_Name(alert.kind()),
                       " alerts (", decision.reason, ")"));
    }
  }
  *reason =
      absl::StrCat("alert_routes allow ", CaseAlert::Kind_Name(alert.kind()),
                   " to ", alert.recipients_size(), " recipient(s)");
  return absl::OkStatus();
}

void Pipeline::SendAlert(
    const identity::Principal& caller, const gw::v1::SendAlertRequest& request,
    std::function<void(absl::StatusOr<gw::v1::SendAlertResponse>)> done) {
  const absl::Time now = clock_();
  const gw::v1::Envelope& envelope = request.envelope();
  AuditFacts facts{
      "AlertService.SendAlert", {}, crypto::Sha256Hex(envelope.payload())};
  auto refuse = [&](absl::Status status) {
    AuditRefusal(caller, std::move(facts), std::move(status),
                 [done](absl::Status s) { done(std::move(s)); });
  };

  CaseAlert alert;
  if (absl::Status opened =
          OpenSigned(caller, request, envelope, kCaseAlertPayloadType, &alert);
      !opened.ok()) {
    return refuse(opened);
  }
  if (IsClientId(alert.alert_id()))
    facts.object_ids.push_back("alert:" + alert.alert_id());
  if (IsClientId(alert.case_ref()))
    facts.object_ids.push_back("case:" + alert.case_ref());
  std::string reason;
  if (absl::Status checked = CheckAlert(caller, alert, now, &reason);
      !checked.ok()) {
    return refuse(checked);
  }

  auto write = std::make_unique<store::Write>();
  store::AcceptAlert accept;
  gw::v1::AlertRecord& record = accept.record;
  *record.mutable_envelope() = envelope;
  *record.mutable_received_at() = util::ToTimestamp(now);
  record.set_payload_sha256(facts.payload_sha256);
  for (const std::string& recipient : alert.recipients()) {
    gw::v1::Delivery* delivery = record.add_deliveries();
    delivery->set_recipient(recipient);
    delivery->set_state(gw::v1::Delivery::QUEUED);
    delivery->set_message_id(util::NewUuidV4());
    *delivery->mutable_updated_at() = record.received_at();
  }
  *record.mutable_alert() = std::move(alert);
  accept.audit = NewAuditEntry(caller, facts, now);
  accept.audit.set_decision(kAllow);
  accept.audit.set_outcome("OK");
  accept.audit.set_reason(reason);
  write->op = std::move(accept);

  writer_->Submit(
      std::move(write), [this, caller, facts, done](store::Write& w) mutable {
        store::WriteResult& result = w.result;
        if (!result.status.ok()) {
          if (absl::IsAlreadyExists(result.status) ||
              absl::IsPermissionDenied(result.status)) {
            // A business refusal found inside the transaction: record it.
            return AuditRefusal(caller, std::move(facts), result.status,
                                [done](absl::Status s) { done(std::move(s)); });
          }
          return done(result.status);
        }
        gw::v1::SendAlertResponse response;
        const gw::v1::AlertRecord& stored = *result.alert;
        response.set_alert_id(stored.alert().alert_id());
        *response.mutable_received_at() = stored.received_at();
        response.set_payload_sha256(stored.payload_sha256());
        response.set_duplicate(result.duplicate);
        *response.mutable_deliveries() = stored.deliveries();
        response.set_audit_leaf_index(result.audit_leaf_index);
        if (result.receipt.has_value())
          *response.mutable_receipt() = *std::move(result.receipt);
        if (result.case_status.has_value() && !result.duplicate)
          watchers_->Publish(*result.case_status);
        done(std::move(response));
      });
}

absl::Status Pipeline::CheckCaseUpdate(const identity::Principal& caller,
                                       const CaseStatus& update) const {
  GW_RETURN_IF_ERROR(CheckClientId("payload.case_ref", update.case_ref()));
  GW_RETURN_IF_ERROR(CheckClientId("payload.update_id", update.update_id()));
  if (update.state() == CaseStatus::STATE_UNSPECIFIED ||
      !CaseStatus::State_IsValid(update.state())) {
    return absl::InvalidArgumentError(
        "payload.state: want OPEN, INVESTIGATING, VICTIM_LOCATED, "
        "SUSPECT_ARRESTED, PROSECUTION or "
        "CLOSED");
  }
  if (update.owner_agency() != caller.agency) {
    return absl::PermissionDeniedError(absl::StrCat(
        "payload.owner_agency: must be the caller's agency ", caller.agency));
  }
  if (update.updated_by() != caller.user) {
    return absl::PermissionDeniedError(absl::StrCat(
        "payload.updated_by: must be the caller's user id ", caller.user));
  }
  for (int i = 0; i < update.note_size(); ++i) {
    const std::string item = absl::StrCat("payload.note[", i, "]");
    if (!IsLanguageTag(update.note(i).lang())) {
      return absl::InvalidArgumentError(
          absl::StrCat(item, ".lang: want a BCP 47 language tag"));
    }
    GW_RETURN_IF_ERROR(CheckText(item + ".text", update.note(i).text(),
                                 policy_->limits().max_text_bytes()));
  }
  return absl::OkStatus();
}

void Pipeline::UpdateCaseStatus(
    const identity::Principal& caller,
    const gw::v1::UpdateCaseStatusRequest& request,
    std::function<void(absl::StatusOr<CaseUpdateResult>)> done) {
  const absl::Time now = clock_();
  const gw::v1::Envelope& envelope = request.envelope();
  AuditFacts facts{"CaseService.UpdateCaseStatus",
                   {},
                   crypto::Sha256Hex(envelope.payload())};
  auto refuse = [&](absl::Status status) {
    AuditRefusal(caller, std::move(facts), std::move(status),
                 [done](absl::Status s) { done(std::move(s)); });
  };

  CaseStatus update;
  if (absl::Status opened = OpenSigned(caller, request, envelope,
                                       kCaseStatusPayloadType, &update);
      !opened.ok()) {
    return refuse(opened);
  }
  if (IsClientId(update.case_ref()))
    facts.object_ids.push_back("case:" + update.case_ref());
  if (IsClientId(update.update_id()))
    facts.object_ids.push_back("update:" + update.update_id());
  if (absl::Status checked = CheckCaseUpdate(caller, update); !checked.ok())
    return refuse(checked);

  // A case the caller cannot see must look absent; one it can see but does
  // not own is a permission problem.
  auto existing = store_->GetCase(update.case_ref());
  if (!existing.ok()) {
    return refuse(absl::IsNotFound(existing.status())
                      ? absl::NotFoundError("payload.case_ref: no such case")
                      : existing.status());
  }
  if (existing->owner_agency() != caller.agency) {
    bool shared = false;
    for (const auto& agency : existing->shared_with())
      shared |= agency == caller.agency;
    return refuse(
        shared ? absl::PermissionDeniedError("payload.case_ref: only the owner "
                                             "agency may update this case")
               : absl::NotFoundError("payload.case_ref: no such case"));
  }

  auto write = std::make_unique<store::Write>();
  store::UpdateCase op;
  op.actor_agency = caller.agency;
  op.actor_user = caller.user;
  op.payload_sha256 = facts.payload_sha256;
  op.at = now;
  op.audit = NewAuditEntry(caller, facts, now);
  op.audit.set_decision(kAllow);
  op.audit.set_outcome("OK");
  op.audit.set_reason(absl::StrCat("owner investigator sets state ",
                                   CaseStatus::State_Name(update.state())));
  op.update = std::move(update);
  write->op = std::move(op);

  writer_->Submit(
      std::move(write), [this, caller, facts, done](store::Write& w) mutable {
        store::WriteResult& result = w.result;
        if (!result.status.ok()) {
          if (absl::IsAlreadyExists(result.status) ||
              absl::IsPermissionDenied(result.status) ||
              absl::IsNotFound(result.status)) {
            return AuditRefusal(caller, std::move(facts), result.status,
                                [done](absl::Status s) { done(std::move(s)); });
          }
          return done(result.status);
        }
        if (!result.duplicate) watchers_->Publish(*result.case_status);
        done(CaseUpdateResult{*std::move(result.case_status),
                              std::move(result.receipt)});
      });
}

}  // namespace gw::ingest
