// Tests of the ingest Pipeline (gateway/ingest/pipeline.h) with a fixed
// clock, the real policy set, the dev PKI's user keys, and the real
// SqliteStore on a temporary file (a FakeStore where a store failure is
// needed). Every refusal must be answered with its code and field path and
// be on the audit log (decision DENY, outcome = code name, reason = the
// message, policy version set).
#include "gateway/ingest/pipeline.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gateway/crypto/sha256.h"
#include "gateway/crypto/verifier.h"
#include "gateway/store/sqlite/sqlite_store.h"
#include "gateway/util/file.h"
#include "gateway/util/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/dev_pki.h"
#include "tests/support/fake_store.h"
#include "tests/support/test_client.h"

namespace gw::ingest {
namespace {

using gw::v1::CaseAlert;
using gw::v1::CaseStatus;
using ::testing::ElementsAre;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

const absl::Time kNow = absl::FromCivil(
    absl::CivilSecond(2026, 11, 15, 10, 0, 0), absl::UTCTimeZone());

std::string FieldOf(const absl::Status& status) {
  const std::string message(status.message());
  return message.substr(0, message.find(": "));
}

std::shared_ptr<const policy::Policy> LoadPolicy(
    const std::vector<std::pair<std::string, std::string>>& replacements = {}) {
  const std::string dir = GW_SOURCE_DIR "/policies";
  auto agencies = util::ReadFile(dir + "/agencies.textproto");
  auto rules = util::ReadFile(dir + "/rules.textproto");
  EXPECT_TRUE(agencies.ok() && rules.ok());
  if (!agencies.ok() || !rules.ok()) return nullptr;
  std::string changed = *rules;
  for (const auto& [from, to] : replacements) {
    EXPECT_TRUE(absl::StrContains(changed, from)) << from;
    changed = absl::StrReplaceAll(changed, {{from, to}});
  }
  auto policy = policy::Policy::FromFiles(
      {{"agencies.textproto", *agencies}, {"rules.textproto", changed}});
  EXPECT_TRUE(policy.ok()) << policy.status();
  return policy.ok() ? *std::move(policy) : nullptr;
}

std::string CertBase(const std::string& agency, const std::string& role,
                     const std::string& user) {
  return gw::testing::UserCertBase(agency, role, user);
}

// The Principal the TrustStore would give the dev PKI user.
identity::Principal Caller(const std::string& agency, const std::string& role,
                           const std::string& user) {
  identity::Principal principal;
  principal.agency = agency;
  principal.role = role;
  principal.user = user;
  auto pem = util::ReadFile(CertBase(agency, role, user) + ".crt");
  EXPECT_TRUE(pem.ok()) << pem.status();
  if (!pem.ok()) return principal;
  auto verifier = crypto::Verifier::FromCertificatePem(*pem);
  EXPECT_TRUE(verifier.ok()) << verifier.status();
  if (!verifier.ok()) return principal;
  principal.cert_der = (*verifier)->cert_der();
  principal.verifier = *std::move(verifier);
  return principal;
}

CaseAlert Alert(const std::string& alert_id = "ALERT-1",
                const std::string& case_ref = "CASE-1",
                const std::vector<std::string>& recipients = {"TH-RTP",
                                                              "VN-MPS"}) {
  CaseAlert alert = gw::testing::SampleAlert(alert_id, case_ref, recipients);
  alert.mutable_created_at()->set_seconds(absl::ToUnixSeconds(kNow) - 60);
  alert.mutable_created_at()->set_nanos(0);
  return alert;
}

gw::v1::SendAlertRequest AlertRequest(
    const CaseAlert& alert,
    const std::string& cert_base = CertBase("CN-MPS", "investigator",
                                            "investigator1")) {
  gw::v1::SendAlertRequest request;
  *request.mutable_envelope() =
      gw::testing::SignedEnvelope(kCaseAlertPayloadType, alert, cert_base);
  return request;
}

CaseStatus CaseUpdate(const std::string& case_ref, CaseStatus::State state,
                      const std::string& update_id = "UPDATE-1",
                      const std::string& owner = "CN-MPS",
                      const std::string& user = "investigator1") {
  CaseStatus update;
  update.set_case_ref(case_ref);
  update.set_owner_agency(owner);
  update.set_state(state);
  update.set_update_id(update_id);
  update.set_updated_by(user);
  gw::v1::LanguageText* note = update.add_note();
  note->set_lang("en");
  note->set_text("FICTIONAL TEST NOTE");
  return update;
}

gw::v1::UpdateCaseStatusRequest UpdateRequest(const CaseStatus& update,
                                              const std::string& cert_base) {
  gw::v1::UpdateCaseStatusRequest request;
  *request.mutable_envelope() =
      gw::testing::SignedEnvelope(kCaseStatusPayloadType, update, cert_base);
  return request;
}

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(gw::testing::DevPki::Get().dir().empty());
    dir_ = gw::testing::MakeTempDir("gw-pipeline-test");
    policy_ = LoadPolicy();
    ASSERT_NE(policy_, nullptr);
    store::SqliteStore::Options options;
    options.synchronous_full = false;  // tests need no power-loss safety
    auto store = store::SqliteStore::Open(dir_ + "/gateway.db", options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    writer_ = std::make_unique<Writer>(store_.get());
    pipeline_ = MakePipeline(policy_);
  }

  void TearDown() override {
    pipelines_.clear();
    pipeline_.reset();
    if (writer_ != nullptr) writer_->Stop();
    writer_.reset();
    store_.reset();
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  std::unique_ptr<Pipeline> MakePipeline(
      std::shared_ptr<const policy::Policy> policy) {
    return std::make_unique<Pipeline>(std::move(policy), store_.get(),
                                      writer_.get(), &watchers_,
                                      [] { return kNow; });
  }

  absl::StatusOr<gw::v1::SendAlertResponse> Send(
      Pipeline& pipeline, const identity::Principal& caller,
      const gw::v1::SendAlertRequest& request) {
    absl::Notification done;
    absl::StatusOr<gw::v1::SendAlertResponse> result;
    int calls = 0;
    pipeline.SendAlert(caller, request,
                       [&](absl::StatusOr<gw::v1::SendAlertResponse> r) {
                         result = std::move(r);
                         ++calls;
                         done.Notify();
                       });
    done.WaitForNotification();
    EXPECT_EQ(calls, 1);
    return result;
  }
  absl::StatusOr<gw::v1::SendAlertResponse> Send(
      const identity::Principal& caller,
      const gw::v1::SendAlertRequest& request) {
    return Send(*pipeline_, caller, request);
  }

  absl::StatusOr<CaseStatus> Update(
      const identity::Principal& caller,
      const gw::v1::UpdateCaseStatusRequest& request) {
    absl::Notification done;
    absl::StatusOr<CaseStatus> result;
    pipeline_->UpdateCaseStatus(caller, request,
                                [&](absl::StatusOr<CaseUpdateResult> r) {
                                  if (r.ok()) {
                                    result = std::move(r->status);
                                  } else {
                                    result = r.status();
                                  }
                                  done.Notify();
                                });
    done.WaitForNotification();
    return result;
  }

  std::vector<gw::v1::AuditEntry> AuditLog() {
    auto size = store_->AuditLogSize();
    EXPECT_TRUE(size.ok()) << size.status();
    if (!size.ok()) return {};
    auto leaves = store_->ReadAuditLog(0, *size);
    EXPECT_TRUE(leaves.ok()) << leaves.status();
    std::vector<gw::v1::AuditEntry> entries;
    if (!leaves.ok()) return entries;
    for (const auto& leaf : *leaves) {
      entries.emplace_back();
      EXPECT_TRUE(entries.back().ParseFromString(leaf.leaf_data));
    }
    return entries;
  }

  // Asserts that `status` is the refusal wanted and that exactly one new
  // audit entry records it.
  void ExpectAuditedRefusal(const absl::Status& status, absl::StatusCode want,
                            const std::string& field, size_t audit_size_before,
                            const identity::Principal& caller,
                            const std::string& action) {
    EXPECT_EQ(status.code(), want) << status;
    EXPECT_EQ(FieldOf(status), field) << status;
    EXPECT_FALSE(absl::StrContains(status.message(), "TESTCASE")) << status;
    const std::vector<gw::v1::AuditEntry> log = AuditLog();
    ASSERT_EQ(log.size(), audit_size_before + 1);
    const gw::v1::AuditEntry& entry = log.back();
    EXPECT_EQ(entry.decision(), "DENY");
    EXPECT_EQ(entry.outcome(), absl::StatusCodeToString(want));
    EXPECT_EQ(entry.reason(), status.message());
    EXPECT_TRUE(absl::StartsWith(entry.reason(), field + ":"))
        << entry.reason();
    EXPECT_EQ(entry.policy_version(), policy_->version());
    EXPECT_FALSE(entry.policy_version().empty());
    EXPECT_EQ(entry.action(), action);
    EXPECT_EQ(entry.actor_agency(), caller.agency);
    EXPECT_EQ(entry.actor_role(), caller.role);
    EXPECT_EQ(entry.actor_user(), caller.user);
    EXPECT_EQ(util::FromTimestamp(entry.time()), kNow);
    EXPECT_FALSE(absl::StrContains(entry.SerializeAsString(), "TESTCASE"));
  }

  // Sends ALERT-1 (CASE-1, CN-MPS to TH-RTP and VN-MPS) and expects success.
  void SeedCase() {
    auto sent = Send(investigator_, AlertRequest(Alert()));
    ASSERT_TRUE(sent.ok()) << sent.status();
  }

  std::string dir_;
  std::shared_ptr<const policy::Policy> policy_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<Writer> writer_;
  CaseWatchers watchers_;
  std::unique_ptr<Pipeline> pipeline_;
  std::vector<std::unique_ptr<Pipeline>> pipelines_;
  const identity::Principal investigator_ =
      Caller("CN-MPS", "investigator", "investigator1");
};

TEST_F(PipelineTest, SendAlertStoresAuditsAndPublishes) {
  std::vector<CaseStatus> published;
  watchers_.Subscribe("CASE-1",
                      [&](const CaseStatus& s) { published.push_back(s); });
  const gw::v1::SendAlertRequest request = AlertRequest(Alert());

  auto response = Send(investigator_, request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->alert_id(), "ALERT-1");
  EXPECT_FALSE(response->duplicate());
  EXPECT_EQ(util::FromTimestamp(response->received_at()), kNow);
  EXPECT_EQ(response->payload_sha256(),
            crypto::Sha256Hex(request.envelope().payload()));
  ASSERT_THAT(response->deliveries(), SizeIs(2));
  EXPECT_EQ(response->deliveries(0).recipient(), "TH-RTP");
  EXPECT_EQ(response->deliveries(1).recipient(), "VN-MPS");
  for (const auto& delivery : response->deliveries()) {
    EXPECT_EQ(delivery.state(), gw::v1::Delivery::QUEUED);
    EXPECT_EQ(delivery.message_id().size(), 36u);
  }
  EXPECT_NE(response->deliveries(0).message_id(),
            response->deliveries(1).message_id());

  // Stored: the record with the envelope as received, and the case.
  auto stored = store_->GetAlert("ALERT-1");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->envelope().SerializeAsString(),
            request.envelope().SerializeAsString());
  EXPECT_EQ(stored->alert().case_ref(), "CASE-1");
  auto case_status = store_->GetCase("CASE-1");
  ASSERT_TRUE(case_status.ok()) << case_status.status();
  EXPECT_EQ(case_status->owner_agency(), "CN-MPS");
  EXPECT_EQ(case_status->state(), CaseStatus::OPEN);
  EXPECT_THAT(case_status->shared_with(),
              UnorderedElementsAre("TH-RTP", "VN-MPS"));

  // Audited as allowed, at the leaf the response names.
  const std::vector<gw::v1::AuditEntry> log = AuditLog();
  ASSERT_THAT(log, SizeIs(1));
  EXPECT_EQ(response->audit_leaf_index(), 0u);
  const gw::v1::AuditEntry& entry = log[0];
  EXPECT_EQ(entry.decision(), "ALLOW");
  EXPECT_EQ(entry.outcome(), "OK");
  EXPECT_EQ(entry.action(), "AlertService.SendAlert");
  EXPECT_THAT(entry.object_ids(), ElementsAre("alert:ALERT-1", "case:CASE-1"));
  EXPECT_EQ(entry.payload_sha256(), response->payload_sha256());
  EXPECT_EQ(entry.policy_version(), policy_->version());
  EXPECT_EQ(entry.actor_agency(), "CN-MPS");
  EXPECT_EQ(entry.actor_role(), "investigator");
  EXPECT_EQ(entry.actor_user(), "investigator1");
  EXPECT_EQ(util::FromTimestamp(entry.time()), kNow);
  EXPECT_FALSE(entry.reason().empty());
  EXPECT_FALSE(absl::StrContains(entry.SerializeAsString(), "TESTCASE"));

  // The case's watchers heard of it.
  ASSERT_THAT(published, SizeIs(1));
  EXPECT_EQ(published[0].case_ref(), "CASE-1");
}

struct SendRefusalCase {
  std::string name;
  std::function<gw::v1::SendAlertRequest()>
      request;  // sent by CN-MPS investigator1
  absl::StatusCode want;
  std::string field;
};

TEST_F(PipelineTest, SendAlertRefusalsAreAnsweredPreciselyAndAudited) {
  const std::string liaison_cert = CertBase("CN-MPS", "liaison", "liaison1");
  const std::vector<SendRefusalCase> cases = {
      {"wrong payload type",
       [] {
         auto r = AlertRequest(Alert());
         r.mutable_envelope()->set_payload_type("application/json");
         return r;
       },
       absl::StatusCode::kInvalidArgument, "envelope.payload_type"},
      {"payload type of a case update",
       [] {
         gw::v1::SendAlertRequest r;
         *r.mutable_envelope() = gw::testing::SignedEnvelope(
             kCaseStatusPayloadType, Alert(),
             CertBase("CN-MPS", "investigator", "investigator1"));
         return r;
       },
       absl::StatusCode::kInvalidArgument, "envelope.payload_type"},
      {"empty payload",
       [] {
         gw::v1::SendAlertRequest r;
         *r.mutable_envelope() = gw::testing::SignedEnvelopeBytes(
             kCaseAlertPayloadType, "",
             CertBase("CN-MPS", "investigator", "investigator1"));
         return r;
       },
       absl::StatusCode::kInvalidArgument, "envelope.payload"},
      {"no signature",
       [] {
         auto r = AlertRequest(Alert());
         r.mutable_envelope()->clear_signatures();
         return r;
       },
       absl::StatusCode::kInvalidArgument, "envelope.signatures"},
      {"signed by another user's certificate",
       [liaison_cert] { return AlertRequest(Alert(), liaison_cert); },
       absl::StatusCode::kUnauthenticated, "envelope.signatures[0].cert_der"},
      {"signed by another user, certificate left out",
       [liaison_cert] {
         auto r = AlertRequest(Alert(), liaison_cert);
         r.mutable_envelope()->mutable_signatures(0)->clear_cert_der();
         return r;
       },
       absl::StatusCode::kUnauthenticated, "envelope.signatures[0].keyid"},
      {"tampered signature",
       [] {
         auto r = AlertRequest(Alert());
         std::string* sig =
             r.mutable_envelope()->mutable_signatures(0)->mutable_sig();
         (*sig)[0] = static_cast<char>((*sig)[0] ^ 0x01);
         return r;
       },
       absl::StatusCode::kUnauthenticated, "envelope.signatures[0].sig"},
      {"tampered payload",
       [] {
         auto r = AlertRequest(Alert());
         CaseAlert changed = Alert();
         changed.add_recipients("KH-CNP");
         r.mutable_envelope()->set_payload(changed.SerializeAsString());
         return r;
       },
       absl::StatusCode::kUnauthenticated, "envelope.signatures[0].sig"},
      {"payload does not parse",
       [] {
         gw::v1::SendAlertRequest r;
         *r.mutable_envelope() = gw::testing::SignedEnvelopeBytes(
             kCaseAlertPayloadType, "\xff\xff\xff",
             CertBase("CN-MPS", "investigator", "investigator1"));
         return r;
       },
       absl::StatusCode::kInvalidArgument, "envelope.payload"},
      {"origin_agency is not the caller's",
       [] {
         CaseAlert a = Alert("ALERT-1", "CASE-1", {"VN-MPS"});
         a.set_origin_agency("TH-RTP");
         return AlertRequest(a);
       },
       absl::StatusCode::kPermissionDenied, "payload.origin_agency"},
      {"originator is not the caller",
       [] {
         CaseAlert a = Alert();
         a.set_originator("investigator2");
         return AlertRequest(a);
       },
       absl::StatusCode::kPermissionDenied, "payload.originator"},
      {"unknown recipient",
       [] {
         return AlertRequest(Alert("ALERT-1", "CASE-1", {"TH-RTP", "ZZ-ZZZ"}));
       },
       absl::StatusCode::kInvalidArgument, "payload.recipients[1]"},
      {"recipient may not receive the kind",
       [] {
         CaseAlert a =
             Alert("ALERT-1", "CASE-1", {"TH-RTP", "VN-MPS", "LA-MPS"});
         a.set_kind(CaseAlert::ROUTE_INTELLIGENCE);
         return AlertRequest(a);
       },
       absl::StatusCode::kPermissionDenied, "payload.recipients[2]"},
      {"home agency has no alert route",
       [] { return AlertRequest(Alert("ALERT-1", "CASE-1", {"CN-MFA"})); },
       absl::StatusCode::kPermissionDenied, "payload.recipients[0]"},
      {"malformed field",
       [] {
         CaseAlert a = Alert();
         a.mutable_subjects(0)->mutable_person()->set_date_of_birth(
             "2011-02-29");
         return AlertRequest(a);
       },
       absl::StatusCode::kInvalidArgument,
       "payload.subjects[0].person.date_of_birth"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const size_t before = AuditLog().size();
    auto response = Send(investigator_, c.request());
    ASSERT_FALSE(response.ok());
    ExpectAuditedRefusal(response.status(), c.want, c.field, before,
                         investigator_, "AlertService.SendAlert");
    EXPECT_TRUE(absl::IsNotFound(store_->GetAlert("ALERT-1").status()));
    EXPECT_TRUE(absl::IsNotFound(store_->GetCase("CASE-1").status()));
  }
}

TEST_F(PipelineTest, RefusalAuditNamesTheObjectsWhenTheIdsAreWellFormed) {
  CaseAlert a = Alert();
  a.set_originator("investigator2");
  auto response = Send(investigator_, AlertRequest(a));
  ASSERT_EQ(response.status().code(), absl::StatusCode::kPermissionDenied);
  const auto log = AuditLog();
  ASSERT_THAT(log, SizeIs(1));
  EXPECT_THAT(log[0].object_ids(), ElementsAre("alert:ALERT-1", "case:CASE-1"));
  EXPECT_EQ(log[0].payload_sha256(), crypto::Sha256Hex(a.SerializeAsString()));
}

TEST_F(PipelineTest, MessageSizeLimitBoundary) {
  const gw::v1::SendAlertRequest request = AlertRequest(Alert());
  const size_t size = request.ByteSizeLong();
  const std::string limit = absl::StrCat("max_message_bytes: ",
                                         policy_->limits().max_message_bytes());

  // The attachment limit may not exceed the message limit.
  const std::pair<std::string, std::string> attachment = {
      absl::StrCat("max_attachment_bytes: ",
                   policy_->limits().max_attachment_bytes()),
      "max_attachment_bytes: 64"};
  auto exact = LoadPolicy(
      {{limit, absl::StrCat("max_message_bytes: ", size)}, attachment});
  auto below = LoadPolicy(
      {{limit, absl::StrCat("max_message_bytes: ", size - 1)}, attachment});
  ASSERT_NE(exact, nullptr);
  ASSERT_NE(below, nullptr);
  auto too_small = MakePipeline(below);
  auto fits = MakePipeline(exact);

  auto refused = Send(*too_small, investigator_, request);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(FieldOf(refused.status()), "request");
  auto log = AuditLog();
  ASSERT_THAT(log, SizeIs(1));
  EXPECT_EQ(log[0].decision(), "DENY");
  EXPECT_EQ(log[0].outcome(), "RESOURCE_EXHAUSTED");
  EXPECT_EQ(log[0].policy_version(), below->version());
  EXPECT_TRUE(absl::IsNotFound(store_->GetAlert("ALERT-1").status()));

  auto accepted = Send(*fits, investigator_, request);
  EXPECT_TRUE(accepted.ok()) << accepted.status();
}

TEST_F(PipelineTest, OversizeRequestWithTheRealLimitIsResourceExhausted) {
  // Three attachments under the 2 MiB attachment limit make a request over
  // the 4 MiB message limit.
  CaseAlert a = Alert();
  for (int i = 0; i < 3; ++i) {
    gw::v1::Attachment* at = a.add_attachments();
    at->set_name(absl::StrCat("photo", i, ".jpg"));
    at->set_media_type("image/jpeg");
    at->set_content(std::string(1536 * 1024, static_cast<char>('a' + i)));
    at->set_sha256(crypto::Sha256Hex(at->content()));
  }
  auto response = Send(investigator_, AlertRequest(a));
  ASSERT_FALSE(response.ok());
  ExpectAuditedRefusal(response.status(), absl::StatusCode::kResourceExhausted,
                       "request", 0, investigator_, "AlertService.SendAlert");
}

TEST_F(PipelineTest, SamePayloadAgainIsAnIdempotentSuccess) {
  const gw::v1::SendAlertRequest request = AlertRequest(Alert());
  auto first = Send(investigator_, request);
  ASSERT_TRUE(first.ok()) << first.status();
  int published = 0;
  watchers_.Subscribe("CASE-1", [&](const CaseStatus&) { ++published; });

  auto again = Send(investigator_, request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->duplicate());
  EXPECT_EQ(again->audit_leaf_index(), first->audit_leaf_index());
  EXPECT_EQ(again->payload_sha256(), first->payload_sha256());
  ASSERT_EQ(again->deliveries_size(), first->deliveries_size());
  for (int i = 0; i < first->deliveries_size(); ++i) {
    EXPECT_EQ(again->deliveries(i).message_id(),
              first->deliveries(i).message_id());
  }
  EXPECT_EQ(published, 0) << "a duplicate changes nothing, so nobody is told";
  EXPECT_THAT(AuditLog(), SizeIs(1));
}

TEST_F(PipelineTest, SameIdWithADifferentPayloadIsAlreadyExistsAndAudited) {
  ASSERT_TRUE(Send(investigator_, AlertRequest(Alert())).ok());
  CaseAlert changed = Alert();
  changed.mutable_narrative(0)->set_text(
      "FICTIONAL TEST RECORD, second version.");
  auto response = Send(investigator_, AlertRequest(changed));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kAlreadyExists);
  const auto log = AuditLog();
  ASSERT_THAT(log, SizeIs(2));
  EXPECT_EQ(log[1].decision(), "DENY");
  EXPECT_EQ(log[1].outcome(), "ALREADY_EXISTS");
  EXPECT_EQ(log[1].reason(), response.status().message());
  EXPECT_EQ(log[1].policy_version(), policy_->version());
  EXPECT_EQ(log[1].payload_sha256(),
            crypto::Sha256Hex(changed.SerializeAsString()));
  // The first payload stays.
  auto stored = store_->GetAlert("ALERT-1");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->alert().narrative(0).text(), Alert().narrative(0).text());
}

TEST_F(PipelineTest,
       AlertOnACaseOwnedByAnotherAgencyIsPermissionDeniedAndAudited) {
  SeedCase();
  const identity::Principal thai =
      Caller("TH-RTP", "investigator", "investigator1");
  CaseAlert a = Alert("ALERT-TH", "CASE-1", {"VN-MPS"});
  a.set_origin_agency("TH-RTP");
  auto response = Send(thai, AlertRequest(a, CertBase("TH-RTP", "investigator",
                                                      "investigator1")));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kPermissionDenied);
  const auto log = AuditLog();
  ASSERT_THAT(log, SizeIs(2));
  EXPECT_EQ(log[1].decision(), "DENY");
  EXPECT_EQ(log[1].outcome(), "PERMISSION_DENIED");
  EXPECT_EQ(log[1].actor_agency(), "TH-RTP");
  EXPECT_TRUE(absl::IsNotFound(store_->GetAlert("ALERT-TH").status()));
}

TEST_F(PipelineTest, UpdateCaseStatusByTheOwner) {
  SeedCase();
  std::vector<CaseStatus> published;
  watchers_.Subscribe("CASE-1",
                      [&](const CaseStatus& s) { published.push_back(s); });
  const CaseStatus update = CaseUpdate("CASE-1", CaseStatus::INVESTIGATING);
  const auto request = UpdateRequest(
      update, CertBase("CN-MPS", "investigator", "investigator1"));

  auto status = Update(investigator_, request);
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->case_ref(), "CASE-1");
  EXPECT_EQ(status->state(), CaseStatus::INVESTIGATING);
  EXPECT_EQ(util::FromTimestamp(status->updated_at()), kNow);
  ASSERT_THAT(status->history(), SizeIs(2));
  EXPECT_EQ(status->history(1).state(), CaseStatus::INVESTIGATING);
  EXPECT_EQ(status->history(1).update_id(), "UPDATE-1");
  ASSERT_THAT(published, SizeIs(1));
  EXPECT_EQ(published[0].state(), CaseStatus::INVESTIGATING);

  const auto log = AuditLog();
  ASSERT_THAT(log, SizeIs(2));
  EXPECT_EQ(log[1].decision(), "ALLOW");
  EXPECT_EQ(log[1].outcome(), "OK");
  EXPECT_EQ(log[1].action(), "CaseService.UpdateCaseStatus");
  EXPECT_THAT(log[1].object_ids(),
              ElementsAre("case:CASE-1", "update:UPDATE-1"));
  EXPECT_EQ(log[1].payload_sha256(),
            crypto::Sha256Hex(request.envelope().payload()));
  EXPECT_EQ(log[1].policy_version(), policy_->version());

  // The same update again changes nothing; a different one with the same
  // update_id is refused and audited.
  auto again = Update(investigator_, request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_THAT(again->history(), SizeIs(2));
  EXPECT_THAT(published, SizeIs(1));
  EXPECT_THAT(AuditLog(), SizeIs(2));

  auto conflict = Update(
      investigator_,
      UpdateRequest(CaseUpdate("CASE-1", CaseStatus::CLOSED),
                    CertBase("CN-MPS", "investigator", "investigator1")));
  EXPECT_EQ(conflict.status().code(), absl::StatusCode::kAlreadyExists);
  const auto after = AuditLog();
  ASSERT_THAT(after, SizeIs(3));
  EXPECT_EQ(after[2].decision(), "DENY");
  EXPECT_EQ(after[2].outcome(), "ALREADY_EXISTS");
}

struct UpdateRefusalCase {
  std::string name;
  identity::Principal caller;
  std::function<gw::v1::UpdateCaseStatusRequest()> request;
  absl::StatusCode want;
  std::string field;
};

TEST_F(PipelineTest, UpdateCaseStatusRefusalsAreAnsweredPreciselyAndAudited) {
  SeedCase();  // CASE-1: owner CN-MPS, shared with TH-RTP and VN-MPS
  const std::string investigator_cert =
      CertBase("CN-MPS", "investigator", "investigator1");
  const identity::Principal thai_liaison =
      Caller("TH-RTP", "liaison", "liaison1");
  const identity::Principal khmer_liaison =
      Caller("KH-CNP", "liaison", "liaison1");
  const std::vector<UpdateRefusalCase> cases = {
      {"liaison of an agency the case is shared with", thai_liaison,
       [] {
         return UpdateRequest(CaseUpdate("CASE-1", CaseStatus::CLOSED,
                                         "UPDATE-TH", "TH-RTP", "liaison1"),
                              CertBase("TH-RTP", "liaison", "liaison1"));
       },
       absl::StatusCode::kPermissionDenied, "payload.case_ref"},
      {"liaison of an unrelated agency", khmer_liaison,
       [] {
         return UpdateRequest(CaseUpdate("CASE-1", CaseStatus::CLOSED,
                                         "UPDATE-KH", "KH-CNP", "liaison1"),
                              CertBase("KH-CNP", "liaison", "liaison1"));
       },
       absl::StatusCode::kNotFound, "payload.case_ref"},
      {"no such case", investigator_,
       [investigator_cert] {
         return UpdateRequest(CaseUpdate("CASE-404", CaseStatus::CLOSED),
                              investigator_cert);
       },
       absl::StatusCode::kNotFound, "payload.case_ref"},
      {"owner_agency is not the caller's", investigator_,
       [investigator_cert] {
         return UpdateRequest(CaseUpdate("CASE-1", CaseStatus::CLOSED,
                                         "UPDATE-2", "TH-RTP", "investigator1"),
                              investigator_cert);
       },
       absl::StatusCode::kPermissionDenied, "payload.owner_agency"},
      {"updated_by is not the caller", investigator_,
       [investigator_cert] {
         return UpdateRequest(CaseUpdate("CASE-1", CaseStatus::CLOSED,
                                         "UPDATE-2", "CN-MPS", "investigator2"),
                              investigator_cert);
       },
       absl::StatusCode::kPermissionDenied, "payload.updated_by"},
      {"state unspecified", investigator_,
       [investigator_cert] {
         return UpdateRequest(
             CaseUpdate("CASE-1", CaseStatus::STATE_UNSPECIFIED),
             investigator_cert);
       },
       absl::StatusCode::kInvalidArgument, "payload.state"},
      {"update_id missing", investigator_,
       [investigator_cert] {
         return UpdateRequest(CaseUpdate("CASE-1", CaseStatus::CLOSED, ""),
                              investigator_cert);
       },
       absl::StatusCode::kInvalidArgument, "payload.update_id"},
      {"case_ref malformed", investigator_,
       [investigator_cert] {
         return UpdateRequest(CaseUpdate("CASE 1", CaseStatus::CLOSED),
                              investigator_cert);
       },
       absl::StatusCode::kInvalidArgument, "payload.case_ref"},
      {"note language malformed", investigator_,
       [investigator_cert] {
         CaseStatus u = CaseUpdate("CASE-1", CaseStatus::CLOSED);
         u.mutable_note(0)->set_lang("english");
         return UpdateRequest(u, investigator_cert);
       },
       absl::StatusCode::kInvalidArgument, "payload.note[0].lang"},
      {"note text empty", investigator_,
       [investigator_cert] {
         CaseStatus u = CaseUpdate("CASE-1", CaseStatus::CLOSED);
         u.mutable_note(0)->clear_text();
         return UpdateRequest(u, investigator_cert);
       },
       absl::StatusCode::kInvalidArgument, "payload.note[0].text"},
      {"payload type of an alert", investigator_,
       [investigator_cert] {
         gw::v1::UpdateCaseStatusRequest r;
         *r.mutable_envelope() = gw::testing::SignedEnvelope(
             kCaseAlertPayloadType, CaseUpdate("CASE-1", CaseStatus::CLOSED),
             investigator_cert);
         return r;
       },
       absl::StatusCode::kInvalidArgument, "envelope.payload_type"},
      {"signed by someone else", investigator_,
       [] {
         return UpdateRequest(CaseUpdate("CASE-1", CaseStatus::CLOSED),
                              CertBase("CN-MPS", "liaison", "liaison1"));
       },
       absl::StatusCode::kUnauthenticated, "envelope.signatures[0].cert_der"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const size_t before = AuditLog().size();
    auto status = Update(c.caller, c.request());
    ASSERT_FALSE(status.ok());
    ExpectAuditedRefusal(status.status(), c.want, c.field, before, c.caller,
                         "CaseService.UpdateCaseStatus");
    auto unchanged = store_->GetCase("CASE-1");
    ASSERT_TRUE(unchanged.ok());
    EXPECT_EQ(unchanged->state(), CaseStatus::OPEN);
  }
}

TEST_F(PipelineTest, HiddenCaseLooksExactlyLikeAMissingOne) {
  SeedCase();
  const identity::Principal khmer = Caller("KH-CNP", "liaison", "liaison1");
  const std::string cert = CertBase("KH-CNP", "liaison", "liaison1");
  auto hidden =
      Update(khmer, UpdateRequest(CaseUpdate("CASE-1", CaseStatus::CLOSED,
                                             "U-1", "KH-CNP", "liaison1"),
                                  cert));
  auto missing =
      Update(khmer, UpdateRequest(CaseUpdate("CASE-404", CaseStatus::CLOSED,
                                             "U-1", "KH-CNP", "liaison1"),
                                  cert));
  EXPECT_EQ(hidden.status(), missing.status());
}

TEST_F(PipelineTest, AuditRefusalAnswersOnlyOnceRecorded) {
  absl::Notification done;
  absl::Status answer;
  pipeline_->AuditRefusal(
      investigator_, AuditFacts{"AlertService.GetAlert", {"alert:X-1"}, ""},
      absl::NotFoundError("alert_id: no such alert"), [&](absl::Status s) {
        answer = s;
        done.Notify();
      });
  done.WaitForNotification();
  EXPECT_EQ(answer.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(answer.message(), "alert_id: no such alert");
  const auto log = AuditLog();
  ASSERT_THAT(log, SizeIs(1));
  EXPECT_EQ(log[0].action(), "AlertService.GetAlert");
  EXPECT_THAT(log[0].object_ids(), ElementsAre("alert:X-1"));
  EXPECT_EQ(log[0].decision(), "DENY");
  EXPECT_EQ(log[0].outcome(), "NOT_FOUND");
  EXPECT_EQ(log[0].reason(), "alert_id: no such alert");
  EXPECT_EQ(log[0].policy_version(), policy_->version());
}

// With a store that cannot commit, nothing is stored, nobody is told, and
// the caller gets the store's retryable code, refusals included.
TEST(PipelineStoreFailureTest, CommitFailureReachesTheCaller) {
  ASSERT_FALSE(gw::testing::DevPki::Get().dir().empty());
  auto policy = LoadPolicy();
  ASSERT_NE(policy, nullptr);
  gw::testing::FakeStore store;
  Writer writer(&store);
  CaseWatchers watchers;
  int published = 0;
  watchers.Subscribe("CASE-1", [&](const CaseStatus&) { ++published; });
  Pipeline pipeline(policy, &store, &writer, &watchers, [] { return kNow; });
  const identity::Principal caller =
      Caller("CN-MPS", "investigator", "investigator1");
  store.FailCommitsWith(absl::UnavailableError("disk full"));

  absl::Notification sent;
  absl::StatusOr<gw::v1::SendAlertResponse> response;
  pipeline.SendAlert(caller, AlertRequest(Alert()),
                     [&](absl::StatusOr<gw::v1::SendAlertResponse> r) {
                       response = std::move(r);
                       sent.Notify();
                     });
  sent.WaitForNotification();
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);

  absl::Notification refused;
  absl::Status refusal;
  pipeline.AuditRefusal(caller, AuditFacts{"AlertService.GetAlert", {}, ""},
                        absl::NotFoundError("alert_id: no such alert"),
                        [&](absl::Status s) {
                          refusal = s;
                          refused.Notify();
                        });
  refused.WaitForNotification();
  EXPECT_EQ(refusal.code(), absl::StatusCode::kUnavailable)
      << "a refusal that is not on record must not look like a normal answer";

  writer.Stop();
  EXPECT_EQ(published, 0);
  EXPECT_TRUE(store.audit_entries().empty());
  EXPECT_TRUE(absl::IsNotFound(store.GetAlert("ALERT-1").status()));
}

}  // namespace
}  // namespace gw::ingest
