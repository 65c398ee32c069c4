// End-to-end tests of the secure core: the real gatewayd binary, called over
// mutual TLS on loopback with the development PKI, as users meet it.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <future>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gw/v1/alert.grpc.pb.h"
#include "gw/v1/audit.grpc.pb.h"
#include "gw/v1/case.grpc.pb.h"
#include "gw/v1/repatriation.grpc.pb.h"
#include "tests/support/dev_pki.h"
#include "tests/support/gateway_process.h"
#include "tests/support/test_client.h"

namespace gw {
namespace {

using ::gw::testing::CallContext;
using ::gw::testing::ChannelAs;
using ::gw::testing::ChannelWithCert;
using ::gw::testing::DevPki;
using ::gw::testing::GatewayArgs;
using ::gw::testing::GatewayProcess;
using ::gw::testing::ReadFileForTest;
using ::gw::testing::SampleAlert;
using ::gw::testing::SignedEnvelope;
using ::gw::testing::UserCertBase;
using ::testing::HasSubstr;

constexpr char kAlertType[] = "application/vnd.gw.v1.CaseAlert+proto";
constexpr char kCaseType[] = "application/vnd.gw.v1.CaseStatus+proto";

struct Sent {
  grpc::Status status;
  v1::SendAlertResponse response;
};

Sent Send(const std::string& address, const v1::Envelope& envelope,
          const std::string& cert_base = UserCertBase("CN-MPS", "investigator",
                                                      "investigator1")) {
  auto stub = v1::AlertService::NewStub(ChannelWithCert(address, cert_base));
  v1::SendAlertRequest request;
  *request.mutable_envelope() = envelope;
  Sent sent;
  sent.status = stub->SendAlert(CallContext().get(), request, &sent.response);
  return sent;
}

v1::Envelope AlertEnvelope(const v1::CaseAlert& alert) {
  return SignedEnvelope(
      kAlertType, alert,
      UserCertBase("CN-MPS", "investigator", "investigator1"));
}

// Every audit entry, read as an auditor.
std::vector<v1::AuditEntry> AuditLog(const std::string& address) {
  auto stub = v1::AuditService::NewStub(
      ChannelAs(address, "CN-MPS", "auditor", "auditor1"));
  std::vector<v1::AuditEntry> entries;
  for (;;) {
    v1::GetEntriesRequest request;
    request.set_start(entries.size());
    request.set_count(1000);
    v1::Entries page;
    grpc::Status status = stub->GetEntries(CallContext().get(), request, &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok() || page.entries().empty()) break;
    for (const auto& e : page.entries()) {
      v1::AuditEntry decoded;
      EXPECT_TRUE(decoded.ParseFromString(e.leaf_data()));
      EXPECT_EQ(e.leaf_index(), entries.size());
      entries.push_back(decoded);
    }
  }
  return entries;
}

class GatewaydTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_dir_ = new std::string(::gw::testing::MakeTempDir("gw-itest-data"));
    gateway_ = new GatewayProcess(GatewayArgs(*data_dir_));
    ASSERT_TRUE(gateway_->ok()) << gateway_->error();
  }
  static void TearDownTestSuite() {
    if (gateway_ != nullptr) {
      EXPECT_EQ(gateway_->Terminate(), 0) << gateway_->Stderr();
    }
    delete gateway_;
    gateway_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(gateway_ != nullptr && gateway_->ok()); }

  static const std::string& address() { return gateway_->address(); }

  // Asserts that the newest audit entry records a refusal of `action` with
  // `code`.
  static void ExpectRefusalAudited(const std::string& action,
                                   grpc::StatusCode code) {
    std::vector<v1::AuditEntry> log = AuditLog(address());
    ASSERT_FALSE(log.empty());
    // The auditor's own GetEntries calls are reads and are not audited, so
    // the refusal is the newest entry.
    const v1::AuditEntry& last = log.back();
    EXPECT_EQ(last.action(), action);
    EXPECT_EQ(last.decision(), "DENY");
    EXPECT_EQ(last.outcome(),
              absl::StatusCodeToString(static_cast<absl::StatusCode>(code)));
    EXPECT_FALSE(last.policy_version().empty());
  }

  static std::string* data_dir_;
  static GatewayProcess* gateway_;
};

std::string* GatewaydTest::data_dir_ = nullptr;
GatewayProcess* GatewaydTest::gateway_ = nullptr;

TEST_F(GatewaydTest, HealthIsServing) {
  // grpc.health.v1.Health/Check with an empty HealthCheckRequest; the answer
  // HealthCheckResponse{status: SERVING} is the two bytes 08 01.
  grpc::GenericStub stub(
      ChannelAs(address(), "CN-MPS", "investigator", "investigator1"));
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  auto context = CallContext();
  stub.UnaryCall(context.get(), "/grpc.health.v1.Health/Check",
                 grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status s) { done.set_value(s); });
  grpc::Status status = done.get_future().get();
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const auto& slice : slices)
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));
}

TEST_F(GatewaydTest, SendAlertStoresOnceWithPendingDeliveriesAndAudit) {
  const v1::CaseAlert alert =
      SampleAlert("IT-HAPPY-1", "CASE-HAPPY-1", {"TH-RTP", "MM-MPF"});
  const v1::Envelope envelope = AlertEnvelope(alert);
  const size_t log_before = AuditLog(address()).size();

  Sent first = Send(address(), envelope);
  ASSERT_TRUE(first.status.ok()) << first.status.error_message();
  EXPECT_EQ(first.response.alert_id(), "IT-HAPPY-1");
  EXPECT_FALSE(first.response.duplicate());
  ASSERT_EQ(first.response.deliveries_size(), 2);
  for (const auto& delivery : first.response.deliveries()) {
    EXPECT_EQ(delivery.state(), v1::Delivery::QUEUED);
    EXPECT_EQ(delivery.message_id().size(), 36u);
  }

  // The same payload again is an idempotent success with the first answer.
  Sent again = Send(address(), envelope);
  ASSERT_TRUE(again.status.ok()) << again.status.error_message();
  EXPECT_TRUE(again.response.duplicate());
  EXPECT_EQ(again.response.received_at().seconds(),
            first.response.received_at().seconds());
  EXPECT_EQ(again.response.deliveries(0).message_id(),
            first.response.deliveries(0).message_id());

  std::vector<v1::AuditEntry> log = AuditLog(address());
  ASSERT_GE(log.size(), log_before + 1);
  const v1::AuditEntry& accepted = log[first.response.audit_leaf_index()];
  EXPECT_EQ(accepted.action(), "AlertService.SendAlert");
  EXPECT_EQ(accepted.decision(), "ALLOW");
  EXPECT_EQ(accepted.actor_agency(), "CN-MPS");
  EXPECT_EQ(accepted.actor_user(), "investigator1");
  EXPECT_EQ(accepted.payload_sha256(), first.response.payload_sha256());
  EXPECT_THAT(accepted.object_ids(), ::testing::Contains("alert:IT-HAPPY-1"));
  // No personal data in the audit log: only digests and ids.
  for (const auto& entry : log) {
    EXPECT_THAT(entry.SerializeAsString(),
                ::testing::Not(HasSubstr("TESTCASE")));
  }

  // The origin sees everything; a recipient its released copy; others nothing.
  v1::GetAlertRequest get;
  get.set_alert_id("IT-HAPPY-1");
  v1::AlertRecord record;
  auto investigator = v1::AlertService::NewStub(
      ChannelAs(address(), "CN-MPS", "investigator", "investigator1"));
  ASSERT_TRUE(investigator->GetAlert(CallContext().get(), get, &record).ok());
  EXPECT_FALSE(record.redacted());
  EXPECT_EQ(record.deliveries_size(), 2);
  EXPECT_EQ(record.envelope().payload(), envelope.payload());

  auto thai = v1::AlertService::NewStub(
      ChannelAs(address(), "TH-RTP", "liaison", "liaison1"));
  ASSERT_TRUE(thai->GetAlert(CallContext().get(), get, &record).ok());
  EXPECT_TRUE(record.redacted());
  ASSERT_EQ(record.deliveries_size(), 1);
  EXPECT_EQ(record.deliveries(0).recipient(), "TH-RTP");
  EXPECT_FALSE(record.has_envelope());
}

TEST_F(GatewaydTest, SamePayloadIdWithDifferentPayloadIsAlreadyExists) {
  v1::CaseAlert alert =
      SampleAlert("IT-CONFLICT-1", "CASE-CONFLICT-1", {"VN-MPS"});
  ASSERT_TRUE(Send(address(), AlertEnvelope(alert)).status.ok());
  alert.set_priority(v1::CaseAlert::ROUTINE);
  Sent conflict = Send(address(), AlertEnvelope(alert));
  EXPECT_EQ(conflict.status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  ExpectRefusalAudited("AlertService.SendAlert",
                       grpc::StatusCode::ALREADY_EXISTS);
}

struct RefusalCase {
  std::string name;
  std::function<v1::Envelope()> envelope;
  std::string cert_base;  // empty: CN-MPS investigator1
  grpc::StatusCode want;
  std::string field;  // expected in the message
};

TEST_F(GatewaydTest, RefusalsAreCodedAndAudited) {
  const std::string investigator =
      UserCertBase("CN-MPS", "investigator", "investigator1");
  const DevPki& pki = DevPki::Get();
  const std::string wrong_ca =
      pki.MintCertificate("KH-CNP", "TH-RTP", "investigator", "impostor");
  auto ok_alert = [](const std::string& id) {
    return SampleAlert(id, "CASE-REFUSE", {"TH-RTP"});
  };
  const std::vector<RefusalCase> cases = {
      {"wrong CA for the claimed agency",
       [&] { return SignedEnvelope(kAlertType, ok_alert("R-1"), wrong_ca); },
       wrong_ca, grpc::StatusCode::UNAUTHENTICATED,
       "does not chain to the TH-RTP CA"},
      {"revoked certificate", [&] { return AlertEnvelope(ok_alert("R-2")); },
       absl::StrCat(pki.dir(), "/CN-MPS/investigator/revoked"),
       grpc::StatusCode::UNAUTHENTICATED, "revoked"},
      {"expired certificate", [&] { return AlertEnvelope(ok_alert("R-3")); },
       absl::StrCat(pki.dir(), "/CN-MPS/investigator/expired"),
       grpc::StatusCode::UNAUTHENTICATED, "expired"},
      {"role may not send alerts",
       [&] { return AlertEnvelope(ok_alert("R-4")); },
       UserCertBase("CN-MPS", "liaison", "liaison1"),
       grpc::StatusCode::PERMISSION_DENIED,
       "may not call gw.v1.AlertService/SendAlert"},
      {"bad signature",
       [&] {
         v1::Envelope e = AlertEnvelope(ok_alert("R-5"));
         (*e.mutable_signatures(0)->mutable_sig())[3] ^= 0x01;
         return e;
       },
       "", grpc::StatusCode::UNAUTHENTICATED, "envelope.signatures[0].sig"},
      {"signer is not the caller",
       [&] {
         return SignedEnvelope(kAlertType, ok_alert("R-6"),
                               UserCertBase("CN-MPS", "liaison", "liaison1"));
       },
       "", grpc::StatusCode::UNAUTHENTICATED, "envelope.signatures[0]"},
      {"no signature",
       [&] {
         v1::Envelope e = AlertEnvelope(ok_alert("R-7"));
         e.clear_signatures();
         return e;
       },
       "", grpc::StatusCode::INVALID_ARGUMENT, "envelope.signatures"},
      {"payload agency is not the caller's",
       [&] {
         v1::CaseAlert a = ok_alert("R-8");
         a.set_origin_agency("TH-RTP");
         return AlertEnvelope(a);
       },
       "", grpc::StatusCode::PERMISSION_DENIED, "payload.origin_agency"},
      {"unknown recipient",
       [&] {
         v1::CaseAlert a = ok_alert("R-9");
         a.add_recipients("XX-YYY");
         return AlertEnvelope(a);
       },
       "", grpc::StatusCode::INVALID_ARGUMENT, "payload.recipients[1]"},
      {"recipient not allowed for that kind",
       [&] {
         v1::CaseAlert a = ok_alert("R-10");
         a.set_kind(v1::CaseAlert::ROUTE_INTELLIGENCE);
         a.clear_recipients();
         a.add_recipients("LA-MPS");
         return AlertEnvelope(a);
       },
       "", grpc::StatusCode::PERMISSION_DENIED,
       "payload.recipients[0]: LA-MPS"},
      {"malformed payload",
       [&] {
         return ::gw::testing::SignedEnvelopeBytes(
             kAlertType, "\x0a\xff\xff\xff\x0f", investigator);
       },
       "", grpc::StatusCode::INVALID_ARGUMENT, "envelope.payload"},
      {"wrong payload type",
       [&] {
         v1::Envelope e = AlertEnvelope(ok_alert("R-12"));
         e.set_payload_type("application/json");
         return e;
       },
       "", grpc::StatusCode::INVALID_ARGUMENT, "envelope.payload_type"},
      {"partial date of birth malformed",
       [&] {
         v1::CaseAlert a = ok_alert("R-13");
         a.mutable_subjects(0)->mutable_person()->set_date_of_birth("2012-13");
         return AlertEnvelope(a);
       },
       "", grpc::StatusCode::INVALID_ARGUMENT,
       "payload.subjects[0].person.date_of_birth"},
      {"nationality not ISO 3166 alpha-3",
       [&] {
         v1::CaseAlert a = ok_alert("R-14");
         a.mutable_subjects(0)->mutable_person()->set_nationality("XXX");
         return AlertEnvelope(a);
       },
       "", grpc::StatusCode::INVALID_ARGUMENT,
       "payload.subjects[0].person.nationality"},
      {"attachment digest mismatch",
       [&] {
         v1::CaseAlert a = ok_alert("R-15");
         v1::Attachment* att = a.add_attachments();
         att->set_name("photo.jpg");
         att->set_media_type("image/jpeg");
         att->set_content("not really a jpeg");
         att->set_sha256(std::string(64, 'a'));
         return AlertEnvelope(a);
       },
       "", grpc::StatusCode::INVALID_ARGUMENT, "payload.attachments[0].sha256"},
      {"oversize message",
       [&] {
         v1::CaseAlert a = ok_alert("R-16");
         v1::Attachment* att = a.add_attachments();
         att->set_name("video.mp4");
         att->set_media_type("video/mp4");
         att->set_content(std::string(5 << 20, 'x'));
         att->set_sha256(std::string(64, 'a'));
         return AlertEnvelope(a);
       },
       "", grpc::StatusCode::RESOURCE_EXHAUSTED, "request"},
  };
  for (const RefusalCase& c : cases) {
    SCOPED_TRACE(c.name);
    Sent sent = Send(address(), c.envelope(),
                     c.cert_base.empty() ? investigator : c.cert_base);
    EXPECT_EQ(sent.status.error_code(), c.want) << sent.status.error_message();
    EXPECT_THAT(sent.status.error_message(), HasSubstr(c.field));
    ExpectRefusalAudited("AlertService.SendAlert", c.want);
  }
}

v1::Envelope CaseUpdateEnvelope(const std::string& case_ref,
                                v1::CaseStatus::State state,
                                const std::string& update_id,
                                const std::string& agency = "CN-MPS",
                                const std::string& role = "investigator",
                                const std::string& user = "investigator1") {
  v1::CaseStatus update;
  update.set_case_ref(case_ref);
  update.set_owner_agency(agency);
  update.set_state(state);
  update.set_update_id(update_id);
  update.set_updated_by(user);
  v1::LanguageText* note = update.add_note();
  note->set_lang("en");
  note->set_text("status changed in a test");
  return SignedEnvelope(kCaseType, update, UserCertBase(agency, role, user));
}

grpc::Status UpdateCase(const std::string& address,
                        const v1::Envelope& envelope, const std::string& agency,
                        const std::string& role, const std::string& user,
                        v1::CaseStatus* out) {
  auto stub = v1::CaseService::NewStub(ChannelAs(address, agency, role, user));
  v1::UpdateCaseStatusRequest request;
  *request.mutable_envelope() = envelope;
  return stub->UpdateCaseStatus(CallContext().get(), request, out);
}

TEST_F(GatewaydTest, CasesAreSharedWithRecipientsAndHiddenFromOthers) {
  ASSERT_TRUE(Send(address(), AlertEnvelope(SampleAlert(
                                  "IT-SHARE-1", "CASE-SHARE-1", {"TH-RTP"})))
                  .status.ok());

  auto thai = v1::CaseService::NewStub(
      ChannelAs(address(), "TH-RTP", "liaison", "liaison1"));
  v1::GetCaseStatusRequest get;
  get.set_case_ref("CASE-SHARE-1");
  v1::CaseStatus status;
  ASSERT_TRUE(thai->GetCaseStatus(CallContext().get(), get, &status).ok());
  EXPECT_EQ(status.owner_agency(), "CN-MPS");
  EXPECT_EQ(status.state(), v1::CaseStatus::OPEN);
  EXPECT_THAT(status.shared_with(), ::testing::ElementsAre("TH-RTP"));
  EXPECT_THAT(status.alert_ids(), ::testing::Contains("IT-SHARE-1"));

  // A liaison of an agency the case is not shared with learns nothing.
  auto lao = v1::CaseService::NewStub(
      ChannelAs(address(), "LA-MPS", "liaison", "liaison1"));
  grpc::Status hidden = lao->GetCaseStatus(CallContext().get(), get, &status);
  EXPECT_EQ(hidden.error_code(), grpc::StatusCode::NOT_FOUND);
  ExpectRefusalAudited("CaseService.GetCaseStatus",
                       grpc::StatusCode::NOT_FOUND);

  auto lao_alerts = v1::AlertService::NewStub(
      ChannelAs(address(), "LA-MPS", "liaison", "liaison1"));
  v1::GetAlertRequest get_alert;
  get_alert.set_alert_id("IT-SHARE-1");
  v1::AlertRecord record;
  EXPECT_EQ(lao_alerts->GetAlert(CallContext().get(), get_alert, &record)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  ExpectRefusalAudited("AlertService.GetAlert", grpc::StatusCode::NOT_FOUND);

  // Lists are filtered the same way.
  v1::ListCasesRequest list;
  list.set_page_size(1000);
  v1::ListCasesResponse cases;
  ASSERT_TRUE(thai->ListCases(CallContext().get(), list, &cases).ok());
  bool listed = false;
  for (const auto& c : cases.cases()) listed |= c.case_ref() == "CASE-SHARE-1";
  EXPECT_TRUE(listed);
  ASSERT_TRUE(lao->ListCases(CallContext().get(), list, &cases).ok());
  for (const auto& c : cases.cases()) EXPECT_NE(c.case_ref(), "CASE-SHARE-1");

  v1::ListAlertsRequest list_alerts;
  v1::ListAlertsResponse alerts;
  ASSERT_TRUE(
      lao_alerts->ListAlerts(CallContext().get(), list_alerts, &alerts).ok());
  for (const auto& a : alerts.alerts())
    EXPECT_NE(a.alert().alert_id(), "IT-SHARE-1");
}

TEST_F(GatewaydTest, ListAlertsPagesThroughEverythingOnce) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        Send(address(), AlertEnvelope(SampleAlert(absl::StrCat("IT-PAGE-", i),
                                                  "CASE-PAGE-1", {"KH-CNP"})))
            .status.ok());
  }
  auto stub = v1::AlertService::NewStub(
      ChannelAs(address(), "KH-CNP", "liaison", "liaison1"));
  v1::ListAlertsRequest request;
  request.set_case_ref("CASE-PAGE-1");
  request.set_page_size(2);
  std::vector<std::string> seen;
  for (int pages = 0; pages < 10; ++pages) {
    v1::ListAlertsResponse page;
    ASSERT_TRUE(stub->ListAlerts(CallContext().get(), request, &page).ok());
    for (const auto& a : page.alerts()) {
      seen.push_back(a.alert().alert_id());
      EXPECT_TRUE(a.redacted());
    }
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  EXPECT_THAT(seen,
              ::testing::ElementsAre("IT-PAGE-0", "IT-PAGE-1", "IT-PAGE-2",
                                     "IT-PAGE-3", "IT-PAGE-4"));
  request.set_page_token("not-a-token");
  v1::ListAlertsResponse page;
  EXPECT_EQ(stub->ListAlerts(CallContext().get(), request, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(GatewaydTest, OwnerUpdatesCaseAndSharingLiaisonWatchesIt) {
  ASSERT_TRUE(Send(address(), AlertEnvelope(SampleAlert(
                                  "IT-WATCH-1", "CASE-WATCH-1", {"TH-RTP"})))
                  .status.ok());

  // The Thai liaison watches the case: first the case as it is, then the
  // update.
  auto channel = ChannelAs(address(), "TH-RTP", "liaison", "liaison1");
  auto watcher = v1::CaseService::NewStub(channel);
  grpc::ClientContext watch_context;
  watch_context.set_deadline(std::chrono::system_clock::now() +
                             std::chrono::seconds(30));
  v1::WatchCaseRequest watch;
  watch.set_case_ref("CASE-WATCH-1");
  auto stream = watcher->WatchCase(&watch_context, watch);
  v1::CaseStatus seen;
  ASSERT_TRUE(stream->Read(&seen));
  EXPECT_EQ(seen.state(), v1::CaseStatus::OPEN);

  v1::CaseStatus updated;
  const v1::Envelope update = CaseUpdateEnvelope(
      "CASE-WATCH-1", v1::CaseStatus::VICTIM_LOCATED, "UPD-WATCH-1");
  grpc::Status status = UpdateCase(address(), update, "CN-MPS", "investigator",
                                   "investigator1", &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.state(), v1::CaseStatus::VICTIM_LOCATED);
  ASSERT_EQ(updated.history_size(), 2);
  EXPECT_EQ(updated.history(1).actor_user(), "investigator1");

  ASSERT_TRUE(stream->Read(&seen));
  EXPECT_EQ(seen.state(), v1::CaseStatus::VICTIM_LOCATED);
  EXPECT_EQ(seen.history_size(), 2);
  watch_context.TryCancel();
  stream->Finish();

  // The same update again is idempotent; the same id with other content is not.
  ASSERT_TRUE(UpdateCase(address(), update, "CN-MPS", "investigator",
                         "investigator1", &updated)
                  .ok());
  EXPECT_EQ(updated.history_size(), 2);
  EXPECT_EQ(
      UpdateCase(address(),
                 CaseUpdateEnvelope("CASE-WATCH-1", v1::CaseStatus::CLOSED,
                                    "UPD-WATCH-1"),
                 "CN-MPS", "investigator", "investigator1", &updated)
          .error_code(),
      grpc::StatusCode::ALREADY_EXISTS);
  ExpectRefusalAudited("CaseService.UpdateCaseStatus",
                       grpc::StatusCode::ALREADY_EXISTS);

  // An investigator of a sharing agency may read but not update.
  EXPECT_EQ(
      UpdateCase(address(),
                 CaseUpdateEnvelope("CASE-WATCH-1", v1::CaseStatus::CLOSED,
                                    "UPD-WATCH-2", "TH-RTP", "investigator",
                                    "investigator1"),
                 "TH-RTP", "investigator", "investigator1", &updated)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  ExpectRefusalAudited("CaseService.UpdateCaseStatus",
                       grpc::StatusCode::PERMISSION_DENIED);
  // A liaison may not call UpdateCaseStatus at all.
  EXPECT_EQ(UpdateCase(address(),
                       CaseUpdateEnvelope("CASE-WATCH-1",
                                          v1::CaseStatus::CLOSED, "UPD-WATCH-3",
                                          "CN-MPS", "liaison", "liaison1"),
                       "CN-MPS", "liaison", "liaison1", &updated)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A liaison of an agency the case is not shared with cannot watch it.
  auto lao = v1::CaseService::NewStub(
      ChannelAs(address(), "LA-MPS", "liaison", "liaison1"));
  grpc::ClientContext lao_context;
  auto lao_stream = lao->WatchCase(&lao_context, watch);
  EXPECT_FALSE(lao_stream->Read(&seen));
  EXPECT_EQ(lao_stream->Finish().error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(GatewaydTest, LaterCapabilitiesAnswerUnimplementedByName) {
  auto stub = v1::RepatriationService::NewStub(
      ChannelAs(address(), "CN-MFA", "reviewer", "reviewer1"));
  v1::ListRepatriationRequests request;
  v1::ListRepatriationResponse response;
  grpc::Status status =
      stub->ListRequests(CallContext().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_THAT(status.error_message(),
              HasSubstr("gw.v1.RepatriationService/ListRequests"));
}

// Crash safety: what SendAlert acknowledged survives SIGKILL.
TEST(GatewaydDurabilityTest, SigkillRightAfterSendAlertLosesNothing) {
  const std::string data_dir = ::gw::testing::MakeTempDir("gw-itest-kill");
  Sent sent;
  {
    GatewayProcess gateway(GatewayArgs(data_dir));
    ASSERT_TRUE(gateway.ok()) << gateway.error();
    sent = Send(gateway.address(),
                AlertEnvelope(SampleAlert("IT-KILL-1", "CASE-KILL-1",
                                          {"TH-RTP", "VN-MPS"})));
    ASSERT_TRUE(sent.status.ok()) << sent.status.error_message();
    gateway.Kill();
  }
  GatewayProcess restarted(GatewayArgs(data_dir));
  ASSERT_TRUE(restarted.ok()) << restarted.error();
  auto stub = v1::AlertService::NewStub(ChannelAs(
      restarted.address(), "CN-MPS", "investigator", "investigator1"));
  v1::GetAlertRequest get;
  get.set_alert_id("IT-KILL-1");
  v1::AlertRecord record;
  ASSERT_TRUE(stub->GetAlert(CallContext().get(), get, &record).ok());
  EXPECT_EQ(record.payload_sha256(), sent.response.payload_sha256());
  ASSERT_EQ(record.deliveries_size(), 2);
  for (const auto& delivery : record.deliveries()) {
    EXPECT_EQ(delivery.state(), v1::Delivery::QUEUED);
  }
  std::vector<v1::AuditEntry> log = AuditLog(restarted.address());
  ASSERT_GT(log.size(), sent.response.audit_leaf_index());
  EXPECT_EQ(log[sent.response.audit_leaf_index()].action(),
            "AlertService.SendAlert");
  EXPECT_EQ(log[sent.response.audit_leaf_index()].payload_sha256(),
            sent.response.payload_sha256());
  EXPECT_EQ(restarted.Terminate(), 0) << restarted.Stderr();
}

TEST(GatewaydLifecycleTest, SigtermExitsCleanlyAndRefusesToStartOnBadInput) {
  const std::string data_dir = ::gw::testing::MakeTempDir("gw-itest-term");
  {
    GatewayProcess gateway(GatewayArgs(data_dir));
    ASSERT_TRUE(gateway.ok()) << gateway.error();
    EXPECT_EQ(gateway.Terminate(), 0);
    EXPECT_THAT(gateway.Stderr(), HasSubstr("stopped"));
  }
  // A missing PKI: one sentence saying what to do.
  std::vector<std::string> args = GatewayArgs(data_dir);
  args[1] = "--pki=" + data_dir + "/no-pki-here";
  GatewayProcess no_pki(args);
  EXPECT_FALSE(no_pki.ok());
  EXPECT_THAT(no_pki.error(), HasSubstr("make-dev-pki"));
}

// The same path with ECDSA P-256 keys everywhere (certs/make-dev-pki --algo
// p256): TLS with P-256 certificates and DER ECDSA envelope signatures.
TEST(GatewaydP256Test, P256PkiServesAndVerifiesEcdsaSignatures) {
  const DevPki& pki = DevPki::GetP256();
  const std::string data_dir = ::gw::testing::MakeTempDir("gw-itest-p256");
  GatewayProcess gateway(
      {"--data=" + data_dir, "--pki=" + pki.dir(),
       "--policies=" + ::gw::testing::PolicyDirWithPartners(
                           absl::StrCat(GW_SOURCE_DIR, "/policies"), "")});
  ASSERT_TRUE(gateway.ok()) << gateway.error();
  const std::string investigator =
      pki.dir() + "/CN-MPS/investigator/investigator1";
  v1::Envelope envelope = SignedEnvelope(
      kAlertType, SampleAlert("IT-P256-1", "CASE-P256-1", {"MM-MPF"}),
      investigator);
  ASSERT_GE(envelope.signatures(0).sig().size(), 8u);
  EXPECT_EQ(envelope.signatures(0).sig()[0],
            '\x30');  // DER SEQUENCE, not raw Ed25519
  auto stub = v1::AlertService::NewStub(::gw::testing::ChannelWithCert(
      gateway.address(), investigator, "CN-MPS", pki.dir()));
  v1::SendAlertRequest request;
  *request.mutable_envelope() = envelope;
  v1::SendAlertResponse response;
  grpc::Status status =
      stub->SendAlert(CallContext().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.deliveries(0).recipient(), "MM-MPF");

  (*request.mutable_envelope()->mutable_signatures(0)->mutable_sig())[10] ^=
      0x40;
  status = stub->SendAlert(CallContext().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}
}  // namespace
}  // namespace gw
