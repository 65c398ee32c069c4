// Tests of Pipeline::AcceptInbound (gateway/ingest/pipeline.h): messages
// the MM-MPF peer gateway delivers (partners/MM-MPF.md §6), signed by an
// MM-MPF investigator and countersigned with MM-MPF's registered signing
// key, checked against the project's policies/, a TrustStore on the dev PKI,
// the real SqliteStore on a temporary file, and the audit log that issues
// receipts, wired as gatewayd wires them (gateway/api/gateway_server.cc).
// An accepted message must be answered with a receipt that verifies against
// CN-MPS/signing.crt; every refusal must carry its code and ErrorInfo reason
// (error_reason.h), be on the audit log (decision DENY) and store nothing.
// The clock is the real time (whole seconds) because the dev PKI's
// certificates are valid from the time they were made; tests move it
// forward only.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "adapters/adapter.h"
#include "gateway/audit/receipt.h"
#include "gateway/crypto/dsse.h"
#include "gateway/crypto/sha256.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gateway/identity/trust_store.h"
#include "gateway/ingest/audit_log.h"
#include "gateway/ingest/error_reason.h"
#include "gateway/ingest/pipeline.h"
#include "gateway/policy/policy.h"
#include "gateway/store/sqlite/sqlite_store.h"
#include "gateway/util/file.h"
#include "gateway/util/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/dev_pki.h"
#include "tests/support/test_client.h"

namespace gw::ingest {
namespace {

using gw::v1::CaseAlert;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kMessageId[] = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b";
constexpr char kOtherMessageId[] = "0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3";
constexpr char kAlertId[] = "MM-ALERT-1";
constexpr char kCaseRef[] = "MM-CASE-1";
constexpr char kDeliverAction[] = "PartnerExchange.Deliver";
constexpr char kLinkReceiveAction[] = "PartnerLink.Receive";
// partners/MM-MPF.md §5.8, pair 3: the same name in Zawgyi and in Unicode.
constexpr char kZawgyiText[] =
    "\u1031\u1019\u102C\u1004\u1039\u1031\u1019\u102C\u1004\u1039\u1040";
constexpr char kUnicodeText[] =
    "\u1019\u1031\u102C\u1004\u103A\u1019\u1031\u102C\u1004\u103A\u101D";

std::string Pki() { return gw::testing::DevPki::Get().dir(); }

std::string UserBase(const std::string& agency, const std::string& role,
                     const std::string& user) {
  return gw::testing::UserCertBase(agency, role, user);
}

const std::string& MmInvestigator() {
  static const std::string* const base =
      new std::string(UserBase("MM-MPF", "investigator", "investigator1"));
  return *base;
}

std::unique_ptr<crypto::Signer> LoadSigner(const std::string& base) {
  auto signer = crypto::Signer::FromPemFiles(base + ".key", base + ".crt");
  EXPECT_TRUE(signer.ok()) << signer.status();
  return signer.ok() ? *std::move(signer) : nullptr;
}

// The Principal the TrustStore gives the holder of `cert_path`.
identity::Principal CallerWithCert(const std::string& agency,
                                   const std::string& role,
                                   const std::string& user,
                                   const std::string& cert_path) {
  identity::Principal principal;
  principal.agency = agency;
  principal.role = role;
  principal.user = user;
  auto pem = util::ReadFile(cert_path);
  EXPECT_TRUE(pem.ok()) << pem.status();
  if (!pem.ok()) return principal;
  auto verifier = crypto::Verifier::FromCertificatePem(*pem);
  EXPECT_TRUE(verifier.ok()) << verifier.status();
  if (!verifier.ok()) return principal;
  principal.cert_der = (*verifier)->cert_der();
  principal.verifier = *std::move(verifier);
  return principal;
}

// A peer gateway as the TrustStore sees it on the PartnerExchange link.
identity::Principal PeerGateway(const std::string& agency) {
  return CallerWithCert(agency, "gateway", "gateway",
                        absl::StrCat(Pki(), "/", agency, "/gateway.crt"));
}

gw::v1::ReceiptWarning Warning(const std::string& code,
                               const std::string& field) {
  gw::v1::ReceiptWarning warning;
  warning.set_code(code);
  warning.set_field(field);
  return warning;
}

std::string FieldOf(const absl::Status& status) {
  const std::string message(status.message());
  return message.substr(0, message.find(": "));
}

class PipelineInboundTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(Pki().empty());
    now_seconds_ = absl::ToUnixSeconds(absl::Now());
    auto policy = policy::Policy::Load(GW_SOURCE_DIR "/policies");
    ASSERT_TRUE(policy.ok()) << policy.status();
    policy_ = *std::move(policy);
    auto trust = identity::TrustStore::Load(*policy_, Pki());
    ASSERT_TRUE(trust.ok()) << trust.status();
    trust_ = *std::move(trust);

    mm_signing_ = LoadSigner(Pki() + "/MM-MPF/signing");
    cn_signing_ = LoadSigner(Pki() + "/CN-MPS/signing");
    ASSERT_NE(mm_signing_, nullptr);
    ASSERT_NE(cn_signing_, nullptr);
    // The policy set registers MM-MPF/signing.crt as MM-MPF's key; every
    // accepted message below depends on it.
    ASSERT_NE(trust_->FindSigningKey("MM-MPF", mm_signing_->key_id_hex()),
              nullptr);
    auto receipt_key =
        crypto::Verifier::FromCertificateDer(cn_signing_->cert_der());
    ASSERT_TRUE(receipt_key.ok()) << receipt_key.status();
    receipt_key_ = *std::move(receipt_key);

    dir_ = gw::testing::MakeTempDir("gw-pipeline-inbound-test");
    store::SqliteStore::Options options;
    options.synchronous_full = false;  // tests need no power-loss safety
    auto store = store::SqliteStore::Open(dir_ + "/gateway.db", options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    writer_ = std::make_unique<Writer>(store_.get());
    auto audit_log = AuditLog::Create(store_.get(), writer_.get(),
                                      cn_signing_.get(), "CN-MPS", Clock());
    ASSERT_TRUE(audit_log.ok()) << audit_log.status();
    audit_log_ = *std::move(audit_log);
    AuditLog* log = audit_log_.get();
    writer_->SetAfterCommit([log](absl::Span<store::Write* const> batch) {
      log->OnBatchCommitted(batch);
    });
    pipeline_ = std::make_unique<Pipeline>(policy_, store_.get(), writer_.get(),
                                           &watchers_, Clock());
    pipeline_->SetTrustStore(trust_.get());
    pipeline_->SetLocalAgency("CN-MPS");
    mm_gateway_ = PeerGateway("MM-MPF");
  }

  void TearDown() override {
    pipeline_.reset();
    if (writer_ != nullptr) writer_->Stop();
    audit_log_.reset();
    writer_.reset();
    store_.reset();
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  Pipeline::Clock Clock() {
    return [this] { return absl::FromUnixSeconds(now_seconds_.load()); };
  }
  absl::Time Now() const { return absl::FromUnixSeconds(now_seconds_.load()); }
  void Advance(absl::Duration d) { now_seconds_ += absl::ToInt64Seconds(d); }

  // A valid fictional alert as an MM-MPF investigator writes it.
  CaseAlert InboundAlert(const std::string& alert_id = kAlertId,
                         const std::string& case_ref = kCaseRef,
                         const std::vector<std::string>& recipients = {
                             "CN-MPS", "TH-RTP"}) {
    CaseAlert alert = gw::testing::SampleAlert(alert_id, case_ref, recipients);
    alert.set_origin_agency("MM-MPF");
    alert.set_originator("investigator1");
    alert.mutable_subjects(0)->mutable_person()->set_nationality("MMR");
    *alert.mutable_created_at() = util::ToTimestamp(Now() - absl::Seconds(60));
    return alert;
  }

  // `payload` signed with `author_base`.key only.
  static gw::v1::Envelope AuthorSigned(
      const std::string& payload,
      const std::string& author_base = MmInvestigator(),
      const std::string& payload_type = kCaseAlertPayloadType) {
    return gw::testing::SignedEnvelopeBytes(payload_type, payload, author_base);
  }

  static void Countersign(const crypto::Signer& signer,
                          gw::v1::Envelope* envelope) {
    absl::Status s = crypto::SignEnvelope(signer, envelope);
    EXPECT_TRUE(s.ok()) << s;
  }

  // Signed the way MM-MPF sends: the author first, then the MM-MPF gateway's
  // registered signing key.
  gw::v1::Envelope PeerEnvelope(
      const std::string& payload,
      const std::string& author_base = MmInvestigator(),
      const std::string& payload_type = kCaseAlertPayloadType) {
    gw::v1::Envelope envelope =
        AuthorSigned(payload, author_base, payload_type);
    Countersign(*mm_signing_, &envelope);
    return envelope;
  }
  gw::v1::Envelope PeerEnvelope(const CaseAlert& alert) {
    return PeerEnvelope(alert.SerializeAsString());
  }

  // What the MM-MPF codec hands the pipeline for `envelope`.
  static adapters::InboundMessage Inbound(
      gw::v1::Envelope envelope, const std::string& message_id = kMessageId) {
    adapters::InboundMessage message;
    message.sender_agency = "MM-MPF";
    message.message_id = message_id;
    message.received_sha256 = crypto::Sha256Hex(envelope.payload());
    message.envelope = std::move(envelope);
    return message;
  }
  adapters::InboundMessage Inbound(const CaseAlert& alert) {
    return Inbound(PeerEnvelope(alert));
  }

  // The receipt, or the refusal; last_duplicate_ says whether the
  // pipeline called it a resend of the same message.
  absl::StatusOr<gw::v1::Receipt> Accept(const identity::Principal& caller,
                                         adapters::InboundMessage message) {
    absl::Notification done;
    absl::StatusOr<InboundAccepted> result;
    std::atomic<int> calls{0};
    pipeline_->AcceptInbound(caller, std::move(message),
                             [&](absl::StatusOr<InboundAccepted> r) {
                               result = std::move(r);
                               ++calls;
                               done.Notify();
                             });
    done.WaitForNotification();
    EXPECT_EQ(calls.load(), 1);
    if (!result.ok()) return result.status();
    last_duplicate_ = result->duplicate;
    return std::move(result->receipt);
  }
  absl::StatusOr<gw::v1::Receipt> Accept(adapters::InboundMessage message) {
    return Accept(mm_gateway_, std::move(message));
  }

  std::vector<store::AuditLeaf> AuditLeaves() {
    auto size = store_->AuditLogSize();
    EXPECT_TRUE(size.ok()) << size.status();
    if (!size.ok()) return {};
    auto leaves = store_->ReadAuditLog(0, *size);
    EXPECT_TRUE(leaves.ok()) << leaves.status();
    return leaves.ok() ? *std::move(leaves) : std::vector<store::AuditLeaf>{};
  }

  std::vector<gw::v1::AuditEntry> AuditEntries() {
    std::vector<gw::v1::AuditEntry> entries;
    for (const auto& leaf : AuditLeaves()) {
      entries.emplace_back();
      EXPECT_TRUE(entries.back().ParseFromString(leaf.leaf_data));
    }
    return entries;
  }

  // Asserts that `result` is the refusal wanted and that exactly one new
  // audit entry, a DENY by `caller` for the payload received, records it.
  void ExpectAuditedRefusal(const absl::StatusOr<gw::v1::Receipt>& result,
                            absl::StatusCode code, const std::string& reason,
                            const std::string& field, size_t audit_size_before,
                            const identity::Principal& caller,
                            const adapters::InboundMessage& message) {
    ASSERT_FALSE(result.ok()) << "accepted, leaf " << result->leaf_index();
    const absl::Status& status = result.status();
    EXPECT_EQ(status.code(), code) << status;
    EXPECT_EQ(ReasonOf(status), reason) << status;
    if (!field.empty()) {
      EXPECT_EQ(FieldOf(status), field) << status;
    }
    EXPECT_FALSE(absl::StrContains(status.message(), "TESTCASE")) << status;
    const std::vector<gw::v1::AuditEntry> log = AuditEntries();
    ASSERT_EQ(log.size(), audit_size_before + 1);
    const gw::v1::AuditEntry& entry = log.back();
    EXPECT_EQ(entry.decision(), "DENY");
    EXPECT_EQ(entry.outcome(), absl::StatusCodeToString(code));
    EXPECT_EQ(entry.reason(), status.message());
    EXPECT_EQ(entry.action(), message.link_key_id.empty() ? kDeliverAction
                                                          : kLinkReceiveAction);
    EXPECT_EQ(entry.actor_agency(), caller.agency);
    EXPECT_EQ(entry.actor_role(), caller.role);
    EXPECT_EQ(entry.actor_user(), caller.user);
    EXPECT_EQ(entry.payload_sha256(),
              crypto::Sha256Hex(message.envelope.payload()));
    EXPECT_EQ(entry.policy_version(), policy_->version());
    EXPECT_EQ(util::FromTimestamp(entry.time()), Now());
    EXPECT_FALSE(absl::StrContains(entry.SerializeAsString(), "TESTCASE"));
  }

  // Nothing of the refused message is in the store.
  void ExpectNothingStored(const adapters::InboundMessage& message) {
    EXPECT_TRUE(absl::IsNotFound(store_->GetAlert(kAlertId).status()));
    EXPECT_TRUE(absl::IsNotFound(store_->GetCase(kCaseRef).status()));
    EXPECT_TRUE(absl::IsNotFound(
        store_->InboundMessageDigest("MM-MPF", message.message_id).status()));
    EXPECT_TRUE(absl::IsNotFound(
        store_->InboundMessageDigest(message.sender_agency, message.message_id)
            .status()));
  }

  void ExpectVerifies(const gw::v1::Receipt& receipt) {
    absl::Status verified = audit::VerifyReceipt(receipt, *receipt_key_);
    EXPECT_TRUE(verified.ok()) << verified;
  }

  std::atomic<int64_t> now_seconds_{0};
  bool last_duplicate_ = false;
  std::string dir_;
  std::shared_ptr<const policy::Policy> policy_;
  std::unique_ptr<identity::TrustStore> trust_;
  std::unique_ptr<crypto::Signer> mm_signing_;
  std::unique_ptr<crypto::Signer> cn_signing_;
  std::unique_ptr<crypto::Verifier> receipt_key_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<AuditLog> audit_log_;
  CaseWatchers watchers_;
  std::unique_ptr<Pipeline> pipeline_;
  identity::Principal mm_gateway_;
};

TEST_F(PipelineInboundTest, AcceptedMessageIsStoredAuditedAndReceipted) {
  int published = 0;
  watchers_.Subscribe(kCaseRef,
                      [&](const gw::v1::CaseStatus&) { ++published; });
  const CaseAlert alert = InboundAlert();
  adapters::InboundMessage message = Inbound(alert);
  message.warnings = {Warning("ZAWGYI_UNCERTAIN", "narrative[0].text")};
  const gw::v1::Envelope sent = message.envelope;
  const std::string digest = crypto::Sha256Hex(sent.payload());

  auto receipt = Accept(message);
  ASSERT_TRUE(receipt.ok()) << receipt.status();

  // The receipt MM-MPF checks (MM-MPF.md §7).
  EXPECT_EQ(receipt->message_id(), kMessageId);
  EXPECT_EQ(receipt->recipient(), "CN-MPS");
  EXPECT_EQ(receipt->status(), gw::v1::Receipt::ACCEPTED);
  EXPECT_EQ(receipt->payload_sha256(), digest);
  EXPECT_EQ(util::FromTimestamp(receipt->received_at()), Now());
  ASSERT_THAT(receipt->warnings(), SizeIs(1));
  EXPECT_EQ(receipt->warnings(0).code(), "ZAWGYI_UNCERTAIN");
  EXPECT_EQ(receipt->warnings(0).field(), "narrative[0].text");
  ExpectVerifies(*receipt);

  // Stored as received, with the case owned by the partner and no onward
  // deliveries.
  auto stored = store_->GetAlert(kAlertId);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->envelope().SerializeAsString(), sent.SerializeAsString());
  EXPECT_EQ(stored->alert().SerializeAsString(), alert.SerializeAsString());
  EXPECT_EQ(stored->payload_sha256(), digest);
  EXPECT_THAT(stored->deliveries(), IsEmpty());
  auto pending = store_->PendingDeliveries();
  ASSERT_TRUE(pending.ok()) << pending.status();
  EXPECT_THAT(*pending, IsEmpty());
  auto case_status = store_->GetCase(kCaseRef);
  ASSERT_TRUE(case_status.ok()) << case_status.status();
  EXPECT_EQ(case_status->owner_agency(), "MM-MPF");
  EXPECT_EQ(case_status->state(), gw::v1::CaseStatus::OPEN);
  EXPECT_THAT(case_status->alert_ids(), Contains(kAlertId));
  auto known = store_->InboundMessageDigest("MM-MPF", kMessageId);
  ASSERT_TRUE(known.ok()) << known.status();
  EXPECT_EQ(*known, digest);
  EXPECT_EQ(published, 1);

  // Audited as allowed, at the leaf the receipt proves.
  const std::vector<store::AuditLeaf> leaves = AuditLeaves();
  ASSERT_THAT(leaves, SizeIs(1));
  EXPECT_EQ(receipt->leaf_index(), 0u);
  EXPECT_EQ(receipt->leaf_data(), leaves[0].leaf_data);
  gw::v1::AuditEntry entry;
  ASSERT_TRUE(entry.ParseFromString(leaves[0].leaf_data));
  EXPECT_EQ(entry.decision(), "ALLOW");
  EXPECT_EQ(entry.outcome(), "OK");
  EXPECT_EQ(entry.action(), kDeliverAction);
  EXPECT_EQ(entry.actor_agency(), "MM-MPF");
  EXPECT_EQ(entry.actor_role(), "gateway");
  EXPECT_EQ(entry.actor_user(), "gateway");
  EXPECT_THAT(entry.object_ids(),
              ElementsAre(absl::StrCat("message:", kMessageId),
                          absl::StrCat("alert:", kAlertId),
                          absl::StrCat("case:", kCaseRef)));
  EXPECT_EQ(entry.payload_sha256(), digest);
  EXPECT_EQ(entry.policy_version(), policy_->version());
  EXPECT_FALSE(absl::StrContains(entry.SerializeAsString(), "TESTCASE"));
}

TEST_F(PipelineInboundTest, FollowUpAlertOnThePartnersCaseIsAccepted) {
  ASSERT_TRUE(Accept(Inbound(InboundAlert())).ok());
  auto second = Accept(
      Inbound(PeerEnvelope(InboundAlert("MM-ALERT-2")), kOtherMessageId));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->message_id(), kOtherMessageId);
  EXPECT_EQ(second->leaf_index(), 1u);
  ExpectVerifies(*second);
  auto case_status = store_->GetCase(kCaseRef);
  ASSERT_TRUE(case_status.ok()) << case_status.status();
  EXPECT_EQ(case_status->owner_agency(), "MM-MPF");
  EXPECT_THAT(case_status->alert_ids(), Contains("MM-ALERT-2"));
}

TEST_F(PipelineInboundTest, ExactResendGetsTheFirstReceiptAndStoresNothing) {
  adapters::InboundMessage message = Inbound(InboundAlert());
  message.warnings = {Warning("ZAWGYI_UNCERTAIN", "narrative[0].text")};
  auto first = Accept(message);
  ASSERT_TRUE(first.ok()) << first.status();
  int published = 0;
  watchers_.Subscribe(kCaseRef,
                      [&](const gw::v1::CaseStatus&) { ++published; });

  // Later, the same id and bytes; the first message's warnings are the ones
  // answered, whatever the adapter says this time.
  Advance(absl::Minutes(10));
  adapters::InboundMessage again = message;
  again.warnings.clear();
  auto second = Accept(again);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->leaf_index(), first->leaf_index());
  EXPECT_EQ(second->message_id(), kMessageId);
  EXPECT_EQ(second->payload_sha256(), first->payload_sha256());
  EXPECT_EQ(util::FromTimestamp(second->received_at()),
            util::FromTimestamp(first->received_at()));
  EXPECT_EQ(second->leaf_data(), first->leaf_data());
  ASSERT_THAT(second->warnings(), SizeIs(1));
  EXPECT_EQ(second->warnings(0).code(), "ZAWGYI_UNCERTAIN");
  ExpectVerifies(*second);

  EXPECT_TRUE(last_duplicate_);
  EXPECT_THAT(AuditLeaves(), SizeIs(1));
  EXPECT_EQ(published, 0);
  auto stored = store_->GetAlert(kAlertId);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->envelope().SerializeAsString(),
            message.envelope.SerializeAsString());
}

TEST_F(PipelineInboundTest, ExactResendIsAnsweredAfterTheAuthorsCertExpired) {
  const adapters::InboundMessage message = Inbound(InboundAlert());
  auto first = Accept(message);
  ASSERT_TRUE(first.ok()) << first.status();

  // Past the end of every dev PKI leaf certificate (825 days).
  Advance(absl::Hours(24 * 900));
  auto again = Accept(message);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->leaf_index(), first->leaf_index());
  EXPECT_THAT(AuditLeaves(), SizeIs(1));

  // A new message by the same author is judged now: refused.
  const adapters::InboundMessage fresh = Inbound(
      PeerEnvelope(InboundAlert("MM-ALERT-2", "MM-CASE-2")), kOtherMessageId);
  ExpectAuditedRefusal(Accept(fresh), absl::StatusCode::kUnauthenticated,
                       "SIGNATURE_INVALID", "envelope.signatures[0].cert_der",
                       1, mm_gateway_, fresh);
  EXPECT_TRUE(absl::IsNotFound(store_->GetAlert("MM-ALERT-2").status()));
}

TEST_F(PipelineInboundTest, SameMessageIdWithOtherBytesIsAConflict) {
  const adapters::InboundMessage message = Inbound(InboundAlert());
  ASSERT_TRUE(Accept(message).ok());
  CaseAlert changed = InboundAlert();
  changed.mutable_narrative(0)->set_text("FICTIONAL TEST RECORD, corrected.");
  const adapters::InboundMessage conflict = Inbound(PeerEnvelope(changed));

  ExpectAuditedRefusal(Accept(conflict), absl::StatusCode::kAlreadyExists,
                       "DUPLICATE_ID_CONFLICT", "", 1, mm_gateway_, conflict);
  auto stored = store_->GetAlert(kAlertId);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->envelope().SerializeAsString(),
            message.envelope.SerializeAsString());
  auto known = store_->InboundMessageDigest("MM-MPF", kMessageId);
  ASSERT_TRUE(known.ok()) << known.status();
  EXPECT_EQ(*known, message.received_sha256);
}

TEST_F(PipelineInboundTest, SameAlertIdWithOtherBytesUnderANewIdIsAConflict) {
  const adapters::InboundMessage message = Inbound(InboundAlert());
  ASSERT_TRUE(Accept(message).ok());
  CaseAlert changed = InboundAlert();
  changed.mutable_narrative(0)->set_text("FICTIONAL TEST RECORD, corrected.");
  const adapters::InboundMessage conflict =
      Inbound(PeerEnvelope(changed), kOtherMessageId);

  ExpectAuditedRefusal(Accept(conflict), absl::StatusCode::kAlreadyExists,
                       "DUPLICATE_ID_CONFLICT", "", 1, mm_gateway_, conflict);
  EXPECT_TRUE(absl::IsNotFound(
      store_->InboundMessageDigest("MM-MPF", kOtherMessageId).status()));
  auto stored = store_->GetAlert(kAlertId);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->envelope().SerializeAsString(),
            message.envelope.SerializeAsString());
}

TEST_F(PipelineInboundTest, ConvertedPayloadIsStoredAndAuditedInTheSameCommit) {
  CaseAlert received = InboundAlert();
  gw::v1::LanguageText* burmese = received.add_narrative();
  burmese->set_lang("my");
  burmese->set_text(kZawgyiText);
  CaseAlert converted = received;
  converted.mutable_narrative(1)->set_text(kUnicodeText);
  gw::v1::TextConversion* conversion = converted.add_text_conversions();
  conversion->set_field("narrative[1].text");
  conversion->set_from_encoding("Zawgyi");
  conversion->set_transform("Zawgyi-my");
  conversion->set_field_probability(1.0);
  conversion->set_message_probability(1.0);
  conversion->set_original_utf8_sha256(crypto::Sha256Hex(kZawgyiText));

  adapters::InboundMessage message = Inbound(received);
  message.converted_payload = converted.SerializeAsString();
  message.warnings = {Warning("ZAWGYI_CONVERTED", "narrative[1].text")};
  const gw::v1::Envelope sent = message.envelope;
  const std::string digest = crypto::Sha256Hex(sent.payload());

  auto receipt = Accept(message);
  ASSERT_TRUE(receipt.ok()) << receipt.status();
  EXPECT_EQ(receipt->payload_sha256(), digest) << "of the payload as received";
  ASSERT_THAT(receipt->warnings(), SizeIs(1));
  EXPECT_EQ(receipt->warnings(0).code(), "ZAWGYI_CONVERTED");
  EXPECT_EQ(receipt->warnings(0).field(), "narrative[1].text");
  ExpectVerifies(*receipt);

  // The converted alert is stored; the envelope stays as received, so its
  // signatures still verify.
  auto stored = store_->GetAlert(kAlertId);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->alert().SerializeAsString(), converted.SerializeAsString());
  EXPECT_EQ(stored->envelope().SerializeAsString(), sent.SerializeAsString());
  EXPECT_EQ(stored->payload_sha256(), digest);

  // ENCODING_CONVERTED right after the acceptance, and already in the tree
  // the acceptance's receipt was issued against: the same commit.
  const std::vector<gw::v1::AuditEntry> log = AuditEntries();
  ASSERT_THAT(log, SizeIs(2));
  const uint64_t accepted_at = receipt->leaf_index();
  ASSERT_EQ(accepted_at, 0u);
  EXPECT_EQ(log[accepted_at].action(), kDeliverAction);
  EXPECT_EQ(log[accepted_at].decision(), "ALLOW");
  const gw::v1::AuditEntry& converted_entry = log[accepted_at + 1];
  EXPECT_EQ(converted_entry.action(), "ENCODING_CONVERTED");
  EXPECT_EQ(converted_entry.decision(), "ALLOW");
  EXPECT_EQ(converted_entry.actor_agency(), "MM-MPF");
  EXPECT_EQ(converted_entry.payload_sha256(), digest);
  EXPECT_THAT(converted_entry.object_ids(),
              Contains(absl::StrCat("message:", kMessageId)));
  EXPECT_THAT(converted_entry.reason(), HasSubstr("narrative[1].text"));
  EXPECT_THAT(converted_entry.reason(),
              HasSubstr(crypto::Sha256Hex(*message.converted_payload)));
  EXPECT_EQ(receipt->checkpoint().tree_size(), accepted_at + 2);
  // Field paths and digests only, never the text (CONTRACT.md §5).
  const std::string bytes = converted_entry.SerializeAsString();
  EXPECT_FALSE(absl::StrContains(bytes, kZawgyiText));
  EXPECT_FALSE(absl::StrContains(bytes, kUnicodeText));
  EXPECT_FALSE(absl::StrContains(bytes, "TESTCASE"));

  // A resend records no second conversion.
  auto again = Accept(message);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->leaf_index(), accepted_at);
  EXPECT_THAT(AuditLeaves(), SizeIs(2));
}

struct RefusalCase {
  std::string name;
  std::function<adapters::InboundMessage()> message;
  absl::StatusCode code;
  std::string reason;
  std::string field;
  // Who calls; the MM-MPF gateway if empty.
  std::string caller_agency = "";
  // Whether the audit entry names the message (only a well-formed id).
  bool names_message = true;
};

TEST_F(PipelineInboundTest,
       RefusalsAreAnsweredWithAReasonAuditedAndStoreNothing) {
  const crypto::Signer& mm_signing = *mm_signing_;
  auto signer = [](const std::string& base) { return LoadSigner(base); };
  auto alert_bytes = [this] { return InboundAlert().SerializeAsString(); };
  const std::string thai_investigator =
      UserBase("TH-RTP", "investigator", "investigator1");
  const std::string mm_liaison = UserBase("MM-MPF", "liaison", "liaison1");
  const std::string mm_gateway_tls = Pki() + "/MM-MPF/gateway";

  const std::vector<RefusalCase> cases = {
      {"another agency's gateway delivers MM-MPF's message",
       [this] { return Inbound(InboundAlert()); },
       absl::StatusCode::kPermissionDenied, "AUTHOR_AGENCY_MISMATCH", "caller",
       "TH-RTP"},
      {"sender_agency is not the caller's",
       [this] {
         adapters::InboundMessage m = Inbound(InboundAlert());
         m.sender_agency = "TH-RTP";
         return m;
       },
       absl::StatusCode::kPermissionDenied, "AUTHOR_AGENCY_MISMATCH", "caller"},
      {"no message id",
       [this] { return Inbound(PeerEnvelope(InboundAlert()), ""); },
       absl::StatusCode::kInvalidArgument, "MISSING_MESSAGE_ID",
       "gw-message-id", "", false},
      {"message id in upper case",
       [this] {
         return Inbound(PeerEnvelope(InboundAlert()),
                        "6F1C2A9E-3B4D-4E5F-8A7B-9C0D1E2F3A4B");
       },
       absl::StatusCode::kInvalidArgument, "MISSING_MESSAGE_ID",
       "gw-message-id", "", false},
      {"message id not a UUID",
       [this] { return Inbound(PeerEnvelope(InboundAlert()), "MM-MSG-1"); },
       absl::StatusCode::kInvalidArgument, "MISSING_MESSAGE_ID",
       "gw-message-id", "", false},
      {"payload type not a gw.v1 type",
       [this, alert_bytes] {
         return Inbound(
             PeerEnvelope(alert_bytes(), MmInvestigator(), "application/json"));
       },
       absl::StatusCode::kInvalidArgument, "UNKNOWN_PAYLOAD_TYPE",
       "envelope.payload_type"},
      {"payload type not taken inbound yet",
       [this, alert_bytes] {
         return Inbound(PeerEnvelope(alert_bytes(), MmInvestigator(),
                                     kCaseStatusPayloadType));
       },
       absl::StatusCode::kUnavailable, "NOT_SUPPORTED_YET",
       "envelope.payload_type"},
      {"payload does not parse",
       [this] { return Inbound(PeerEnvelope("\xff\xff\xff")); },
       absl::StatusCode::kInvalidArgument, "PAYLOAD_UNPARSEABLE",
       "envelope.payload"},
      {"sender sets text_conversions",
       [this] {
         CaseAlert a = InboundAlert();
         a.add_text_conversions()->set_field("narrative[0].text");
         return Inbound(a);
       },
       absl::StatusCode::kInvalidArgument, "FIELD_INVALID",
       "payload.text_conversions"},
      {"no signature",
       [this, alert_bytes] {
         gw::v1::Envelope e = PeerEnvelope(alert_bytes());
         e.clear_signatures();
         return Inbound(e);
       },
       absl::StatusCode::kInvalidArgument, "SIGNATURE_INVALID",
       "envelope.signatures"},
      {"the author's signature only",
       [this, alert_bytes] { return Inbound(AuthorSigned(alert_bytes())); },
       absl::StatusCode::kInvalidArgument, "SIGNATURE_INVALID",
       "envelope.signatures"},
      {"the gateway's signature only",
       [this, alert_bytes, &mm_signing] {
         gw::v1::Envelope e;
         e.set_payload_type(kCaseAlertPayloadType);
         e.set_payload(alert_bytes());
         Countersign(mm_signing, &e);
         return Inbound(e);
       },
       absl::StatusCode::kInvalidArgument, "SIGNATURE_INVALID",
       "envelope.signatures"},
      {"author of another agency than origin_agency",
       [this, thai_investigator] {
         return Inbound(PeerEnvelope(InboundAlert().SerializeAsString(),
                                     thai_investigator));
       },
       absl::StatusCode::kPermissionDenied, "AUTHOR_AGENCY_MISMATCH",
       "payload.origin_agency"},
      {"author and origin of another agency than the caller",
       [this, thai_investigator] {
         CaseAlert a = InboundAlert();
         a.set_origin_agency("TH-RTP");
         return Inbound(PeerEnvelope(a.SerializeAsString(), thai_investigator));
       },
       absl::StatusCode::kPermissionDenied, "AUTHOR_AGENCY_MISMATCH",
       "payload.origin_agency"},
      {"originator is not the author",
       [this] {
         CaseAlert a = InboundAlert();
         a.set_originator("investigator2");
         return Inbound(a);
       },
       absl::StatusCode::kPermissionDenied, "AUTHOR_AGENCY_MISMATCH",
       "payload.originator"},
      {"author certificate revoked",
       [this] {
         CaseAlert a = InboundAlert();
         a.set_originator("revoked");
         return Inbound(PeerEnvelope(a.SerializeAsString(),
                                     UserBase("MM-MPF", "liaison", "revoked")));
       },
       absl::StatusCode::kUnauthenticated, "SIGNATURE_INVALID",
       "envelope.signatures[0].cert_der"},
      {"author certificate claims MM-MPF but chains to the TH-RTP CA",
       [this] {
         const std::string forged = gw::testing::DevPki::Get().MintCertificate(
             "TH-RTP", "MM-MPF", "investigator", "investigator1");
         return Inbound(
             PeerEnvelope(InboundAlert().SerializeAsString(), forged));
       },
       absl::StatusCode::kUnauthenticated, "SIGNATURE_INVALID",
       "envelope.signatures[0].cert_der"},
      {"author is MM-MPF's signing key",
       [this, alert_bytes, &mm_signing] {
         gw::v1::Envelope e;
         e.set_payload_type(kCaseAlertPayloadType);
         e.set_payload(alert_bytes());
         Countersign(mm_signing, &e);
         Countersign(mm_signing, &e);
         return Inbound(e);
       },
       absl::StatusCode::kUnauthenticated, "SIGNATURE_INVALID",
       "envelope.signatures[0].cert_der"},
      {"author signature does not verify",
       [this, alert_bytes] {
         gw::v1::Envelope e = PeerEnvelope(alert_bytes());
         std::string* sig = e.mutable_signatures(0)->mutable_sig();
         (*sig)[0] = static_cast<char>((*sig)[0] ^ 0x01);
         return Inbound(e);
       },
       absl::StatusCode::kUnauthenticated, "SIGNATURE_INVALID",
       "envelope.signatures[0].sig"},
      {"author signature over other bytes",
       [this, alert_bytes, &mm_signing] {
         gw::v1::Envelope e = AuthorSigned(alert_bytes());
         CaseAlert other = InboundAlert();
         other.add_recipients("VN-MPS");
         e.set_payload(other.SerializeAsString());
         Countersign(mm_signing, &e);
         return Inbound(e);
       },
       absl::StatusCode::kUnauthenticated, "SIGNATURE_INVALID",
       "envelope.signatures[0].sig"},
      {"second signature by an MM-MPF user, not a registered key",
       [this, alert_bytes, mm_liaison, signer] {
         gw::v1::Envelope e = AuthorSigned(alert_bytes());
         Countersign(*signer(mm_liaison), &e);
         return Inbound(e);
       },
       absl::StatusCode::kUnauthenticated, "SIGNATURE_INVALID",
       "envelope.signatures[1].keyid"},
      {"second signature by MM-MPF's TLS key, not its signing key",
       [this, alert_bytes, mm_gateway_tls, signer] {
         gw::v1::Envelope e = AuthorSigned(alert_bytes());
         Countersign(*signer(mm_gateway_tls), &e);
         return Inbound(e);
       },
       absl::StatusCode::kUnauthenticated, "SIGNATURE_INVALID",
       "envelope.signatures[1].keyid"},
      {"second signature by TH-RTP's registered key",
       [this, alert_bytes, signer] {
         gw::v1::Envelope e = AuthorSigned(alert_bytes());
         Countersign(*signer(Pki() + "/TH-RTP/signing"), &e);
         return Inbound(e);
       },
       absl::StatusCode::kUnauthenticated, "SIGNATURE_INVALID",
       "envelope.signatures[1].keyid"},
      {"the author's signature twice",
       [this, alert_bytes, signer] {
         gw::v1::Envelope e = AuthorSigned(alert_bytes());
         Countersign(*signer(MmInvestigator()), &e);
         return Inbound(e);
       },
       absl::StatusCode::kUnauthenticated, "SIGNATURE_INVALID",
       "envelope.signatures[1].keyid"},
      {"gateway signature does not verify",
       [this, alert_bytes] {
         gw::v1::Envelope e = PeerEnvelope(alert_bytes());
         std::string* sig = e.mutable_signatures(1)->mutable_sig();
         (*sig)[0] = static_cast<char>((*sig)[0] ^ 0x01);
         return Inbound(e);
       },
       absl::StatusCode::kUnauthenticated, "SIGNATURE_INVALID",
       "envelope.signatures[1].sig"},
      {"an extra signature by an unregistered key",
       [this, alert_bytes, thai_investigator, signer] {
         gw::v1::Envelope e = PeerEnvelope(alert_bytes());
         Countersign(*signer(thai_investigator), &e);
         return Inbound(e);
       },
       absl::StatusCode::kUnauthenticated, "SIGNATURE_INVALID",
       "envelope.signatures[2].keyid"},
      {"malformed field",
       [this] {
         CaseAlert a = InboundAlert();
         a.mutable_subjects(0)->mutable_person()->set_date_of_birth(
             "2011-02-29");
         return Inbound(a);
       },
       absl::StatusCode::kInvalidArgument, "FIELD_INVALID",
       "payload.subjects[0].person.date_of_birth"},
      {"unknown recipient agency",
       [this] {
         return Inbound(InboundAlert(kAlertId, kCaseRef, {"CN-MPS", "ZZ-ZZZ"}));
       },
       absl::StatusCode::kInvalidArgument, "FIELD_INVALID",
       "payload.recipients[1]"},
      {"CN-MPS not among the recipients",
       [this] {
         return Inbound(InboundAlert(kAlertId, kCaseRef, {"TH-RTP", "VN-MPS"}));
       },
       absl::StatusCode::kPermissionDenied, "NOT_A_RECIPIENT",
       "payload.recipients"},
  };
  for (const RefusalCase& c : cases) {
    SCOPED_TRACE(c.name);
    const identity::Principal caller =
        c.caller_agency.empty() ? mm_gateway_ : PeerGateway(c.caller_agency);
    const adapters::InboundMessage message = c.message();
    const size_t before = AuditLeaves().size();
    ExpectAuditedRefusal(Accept(caller, message), c.code, c.reason, c.field,
                         before, caller, message);
    const std::vector<gw::v1::AuditEntry> log = AuditEntries();
    if (!log.empty()) {
      const std::string named = absl::StrCat("message:", message.message_id);
      if (c.names_message) {
        EXPECT_THAT(log.back().object_ids(), Contains(named));
      } else {
        for (const std::string& id : log.back().object_ids())
          EXPECT_FALSE(absl::StartsWith(id, "message:")) << id;
      }
    }
    ExpectNothingStored(message);
  }
}

// The ICD (MM-MPF.md §8) and pipeline.h pair SIGNATURE_INVALID with
// INVALID_ARGUMENT or UNAUTHENTICATED only; a peer reads both.
TEST_F(PipelineInboundTest, AuthorWhoIsNotAnInvestigatorIsSignatureInvalid) {
  struct Author {
    std::string name;
    std::string base;
    std::string user;
  };
  const std::vector<Author> authors = {
      {"the MM-MPF gateway's own TLS certificate", Pki() + "/MM-MPF/gateway",
       "gateway"},
      {"an MM-MPF liaison", UserBase("MM-MPF", "liaison", "liaison1"),
       "liaison1"},
  };
  for (const Author& author : authors) {
    SCOPED_TRACE(author.name);
    CaseAlert alert = InboundAlert();
    alert.set_originator(author.user);
    const adapters::InboundMessage message =
        Inbound(PeerEnvelope(alert.SerializeAsString(), author.base));
    const size_t before = AuditLeaves().size();
    auto result = Accept(message);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(ReasonOf(result.status()), "SIGNATURE_INVALID");
    EXPECT_TRUE(absl::IsInvalidArgument(result.status()) ||
                absl::IsUnauthenticated(result.status()))
        << result.status();
    const std::vector<gw::v1::AuditEntry> log = AuditEntries();
    ASSERT_EQ(log.size(), before + 1);
    EXPECT_EQ(log.back().decision(), "DENY");
    ExpectNothingStored(message);
  }
}

// pipeline.h: "the caller is a `gateway` of message.sender_agency".
TEST_F(PipelineInboundTest, CallerWhoIsNotAGatewayIsRefused) {
  const identity::Principal investigator = CallerWithCert(
      "MM-MPF", "investigator", "investigator1", MmInvestigator() + ".crt");
  const adapters::InboundMessage message = Inbound(InboundAlert());
  auto result = Accept(investigator, message);
  ASSERT_FALSE(result.ok()) << "accepted from an MM-MPF investigator";
  EXPECT_EQ(result.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_FALSE(ReasonOf(result.status()).empty());
  const std::vector<gw::v1::AuditEntry> log = AuditEntries();
  ASSERT_THAT(log, SizeIs(1));
  EXPECT_EQ(log[0].decision(), "DENY");
  ExpectNothingStored(message);
}

TEST_F(PipelineInboundTest, OversizeEnvelopeIsInvalidArgument) {
  // Three attachments under the 2 MiB attachment limit make an envelope
  // over the 4 MiB message limit. Permanent: a peer would resend the same
  // bytes for ever after RESOURCE_EXHAUSTED.
  CaseAlert alert = InboundAlert();
  for (int i = 0; i < 3; ++i) {
    gw::v1::Attachment* attachment = alert.add_attachments();
    attachment->set_name(absl::StrCat("photo", i, ".jpg"));
    attachment->set_media_type("image/jpeg");
    attachment->set_content(
        std::string(1536 * 1024, static_cast<char>('a' + i)));
    attachment->set_sha256(crypto::Sha256Hex(attachment->content()));
  }
  const adapters::InboundMessage message = Inbound(alert);
  ASSERT_GT(message.envelope.ByteSizeLong(),
            policy_->limits().max_message_bytes());
  ExpectAuditedRefusal(Accept(message), absl::StatusCode::kInvalidArgument,
                       "FIELD_INVALID", "envelope", 0, mm_gateway_, message);
  ExpectNothingStored(message);
}

TEST_F(PipelineInboundTest, AlertOnACaseOwnedByAnotherAgencyIsRefused) {
  // CN-MPS's own case with the same case_ref.
  const identity::Principal investigator = CallerWithCert(
      "CN-MPS", "investigator", "investigator1",
      UserBase("CN-MPS", "investigator", "investigator1") + ".crt");
  CaseAlert local =
      gw::testing::SampleAlert("CN-ALERT-1", kCaseRef, {"TH-RTP"});
  *local.mutable_created_at() = util::ToTimestamp(Now() - absl::Seconds(60));
  gw::v1::SendAlertRequest request;
  *request.mutable_envelope() = gw::testing::SignedEnvelope(
      kCaseAlertPayloadType, local,
      UserBase("CN-MPS", "investigator", "investigator1"));
  absl::Notification sent;
  absl::Status send_status;
  pipeline_->SendAlert(investigator, request,
                       [&](absl::StatusOr<gw::v1::SendAlertResponse> r) {
                         send_status = r.status();
                         sent.Notify();
                       });
  sent.WaitForNotification();
  ASSERT_TRUE(send_status.ok()) << send_status;

  const adapters::InboundMessage message = Inbound(InboundAlert());
  auto result = Accept(message);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_FALSE(ReasonOf(result.status()).empty());
  const std::vector<gw::v1::AuditEntry> log = AuditEntries();
  ASSERT_THAT(log, SizeIs(2));
  EXPECT_EQ(log[1].decision(), "DENY");
  EXPECT_EQ(log[1].action(), kDeliverAction);
  EXPECT_TRUE(absl::IsNotFound(store_->GetAlert(kAlertId).status()));
  EXPECT_TRUE(absl::IsNotFound(
      store_->InboundMessageDigest("MM-MPF", kMessageId).status()));
  auto case_status = store_->GetCase(kCaseRef);
  ASSERT_TRUE(case_status.ok()) << case_status.status();
  EXPECT_EQ(case_status->owner_agency(), "CN-MPS");
  EXPECT_THAT(case_status->alert_ids(), Not(Contains(kAlertId)));
}

// --- Links whose partner signs its own format (TH-RTP, LA-MPS, ...) ---

// What a non-DSSE codec hands the pipeline: the canonical payload with no
// envelope signature, the partner's bytes as evidence, and the key id that
// verified them.
adapters::InboundMessage LinkSigned(
    const CaseAlert& alert, const std::string& sender,
    const std::string& key_id, const std::string& message_id = kMessageId) {
  adapters::InboundMessage message;
  message.sender_agency = sender;
  message.message_id = message_id;
  message.envelope.set_payload_type(kCaseAlertPayloadType);
  message.envelope.set_payload(alert.SerializeAsString());
  message.evidence = "FRAME BYTES AS RECEIVED";
  message.received_sha256 = crypto::Sha256Hex(message.evidence);
  message.link_key_id = key_id;
  return message;
}

class PipelineLinkSignedTest : public PipelineInboundTest {
 protected:
  CaseAlert ThaiAlert() {
    CaseAlert alert = InboundAlert(kAlertId, kCaseRef, {"CN-MPS", "VN-MPS"});
    alert.set_origin_agency("TH-RTP");
    alert.set_originator("rtp-inv-0042");
    return alert;
  }
  std::string ThaiKeyId() {
    auto signer = LoadSigner(Pki() + "/TH-RTP/signing");
    return signer == nullptr ? "" : signer->key_id_hex();
  }
};

TEST_F(PipelineLinkSignedTest, PartnerSignedAlertIsStoredWithItsEvidence) {
  const identity::Principal thai = PeerGateway("TH-RTP");
  const adapters::InboundMessage message =
      LinkSigned(ThaiAlert(), "TH-RTP", ThaiKeyId());
  auto receipt = Accept(thai, message);
  ASSERT_TRUE(receipt.ok()) << receipt.status();
  EXPECT_FALSE(last_duplicate_);
  EXPECT_EQ(receipt->message_id(), kMessageId);
  ExpectVerifies(*receipt);
  auto stored = store_->GetAlert(kAlertId);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->alert().origin_agency(), "TH-RTP");
  EXPECT_EQ(stored->envelope().signatures_size(), 0);
  auto digest = store_->InboundMessageDigest("TH-RTP", kMessageId);
  ASSERT_TRUE(digest.ok()) << digest.status();
  EXPECT_EQ(*digest, message.received_sha256);
  const std::vector<gw::v1::AuditEntry> log = AuditEntries();
  ASSERT_THAT(log, SizeIs(1));
  EXPECT_EQ(log[0].decision(), "ALLOW");
  EXPECT_EQ(log[0].action(), kLinkReceiveAction);
  EXPECT_THAT(log[0].reason(), HasSubstr("link signature key"));

  // The partner resends the same frame: the first receipt, flagged.
  auto again = Accept(thai, message);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(last_duplicate_);
  EXPECT_EQ(again->leaf_index(), receipt->leaf_index());
  EXPECT_THAT(AuditEntries(), SizeIs(1));
}

TEST_F(PipelineLinkSignedTest, KeyNotRegisteredToTheSenderIsTransient) {
  const identity::Principal thai = PeerGateway("TH-RTP");
  // MM-MPF's key, registered, but not to TH-RTP.
  const adapters::InboundMessage message =
      LinkSigned(ThaiAlert(), "TH-RTP", mm_signing_->key_id_hex());
  auto result = Accept(thai, message);
  ExpectAuditedRefusal(result, absl::StatusCode::kUnavailable, "UNKNOWN_KEY",
                       "link signature", 0, thai, message);
  EXPECT_TRUE(absl::IsNotFound(store_->GetAlert(kAlertId).status()));
}

TEST_F(PipelineLinkSignedTest,
       EnvelopeSignaturesOnALinkSignedMessageAreRefused) {
  const identity::Principal thai = PeerGateway("TH-RTP");
  adapters::InboundMessage message =
      LinkSigned(ThaiAlert(), "TH-RTP", ThaiKeyId());
  Countersign(*mm_signing_, &message.envelope);
  auto result = Accept(thai, message);
  ExpectAuditedRefusal(result, absl::StatusCode::kInvalidArgument,
                       "SIGNATURE_INVALID", "envelope.signatures", 0, thai,
                       message);
}

TEST_F(PipelineLinkSignedTest, PartnerMayNotDeliverAnotherAgencysAlert) {
  const identity::Principal thai = PeerGateway("TH-RTP");
  CaseAlert alert = ThaiAlert();
  alert.set_origin_agency("VN-MPS");
  const adapters::InboundMessage message =
      LinkSigned(alert, "TH-RTP", ThaiKeyId());
  auto result = Accept(thai, message);
  ExpectAuditedRefusal(result, absl::StatusCode::kPermissionDenied,
                       "AUTHOR_AGENCY_MISMATCH", "payload.origin_agency", 0,
                       thai, message);
}

TEST_F(PipelineLinkSignedTest, NativePeerWithoutDsseSignaturesIsStillRefused) {
  // Without a link key id the DSSE rules apply: an unsigned envelope from
  // the MM-MPF peer is refused, whatever evidence it carries.
  adapters::InboundMessage message =
      LinkSigned(InboundAlert(), "MM-MPF", /*key_id=*/"");
  auto result = Accept(message);
  ExpectAuditedRefusal(result, absl::StatusCode::kInvalidArgument,
                       "SIGNATURE_INVALID", "envelope.signatures", 0,
                       mm_gateway_, message);
}

}  // namespace
}  // namespace gw::ingest
