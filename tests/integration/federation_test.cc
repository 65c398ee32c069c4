// Two real gateways over mutual TLS: CN-MPS and its MM-MPF peer
// (partners/MM-MPF.md), each its own gatewayd process with its own data and
// policy set, as operators run them. Covers delivery, acknowledgement with a
// receipt verified against the peer's key, the peer down and back, a crash
// between sending and recording the acknowledgement, a permanent refusal,
// URGENT overtaking a ROUTINE backlog, and inbound Zawgyi conversion.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gateway/audit/receipt.h"
#include "gateway/crypto/sha256.h"
#include "gateway/crypto/verifier.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gw/v1/alert.grpc.pb.h"
#include "gw/v1/audit.grpc.pb.h"
#include "gw/v1/case.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/dev_pki.h"
#include "tests/support/eventually.h"
#include "tests/support/gateway_process.h"
#include "tests/support/test_client.h"

namespace gw {
namespace {

using ::gw::testing::CallContext;
using ::gw::testing::ChannelAs;
using ::gw::testing::ChannelWithCert;
using ::gw::testing::DevPki;
using ::gw::testing::Eventually;
using ::gw::testing::FreeLoopbackPort;
using ::gw::testing::GatewayProcess;
using ::gw::testing::MakeTempDir;
using ::gw::testing::PolicyDirWithPartners;
using ::gw::testing::ReadFileForTest;
using ::gw::testing::SampleAlert;
using ::gw::testing::SignedEnvelope;
using ::gw::testing::UserCertBase;
using ::testing::HasSubstr;

constexpr char kAlertType[] = "application/vnd.gw.v1.CaseAlert+proto";

std::string PeerLink(const std::string& agency, int port,
                     const std::string& extra_settings = "") {
  return absl::StrCat(
      "partners { agency: \"", agency,
      "\" adapter: \"mm_mpf\" settings { "
      "[type.googleapis.com/gw.adapters.mm_mpf.v1.Settings] { target: "
      "\"127.0.0.1:",
      port, "\" ", extra_settings, " } } }\n");
}

class FederationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cn_port_ = FreeLoopbackPort();
    mm_port_ = FreeLoopbackPort();
    cn_data_ = MakeTempDir("gw-fed-cn");
    mm_data_ = MakeTempDir("gw-fed-mm");
  }

  // CN-MPS policies reaching MM-MPF on mm_port_.
  std::string CnPolicies(const std::string& extra_settings = "") {
    return PolicyDirWithPartners(absl::StrCat(GW_SOURCE_DIR, "/policies"),
                                 PeerLink("MM-MPF", mm_port_, extra_settings));
  }
  // The MM-MPF demo peer's policies reaching CN-MPS on cn_port_; `limits`
  // replaces its limits file when given.
  std::string MmPolicies(const std::string& limits = "") {
    std::string dir = PolicyDirWithPartners(
        absl::StrCat(GW_SOURCE_DIR, "/demo/mm-mpf/policies"),
        PeerLink("CN-MPS", cn_port_));
    if (!limits.empty()) std::ofstream(dir + "/limits.textproto") << limits;
    return dir;
  }

  std::unique_ptr<GatewayProcess> StartCn(const std::string& policies,
                                          std::vector<std::string> env = {}) {
    return std::make_unique<GatewayProcess>(
        std::vector<std::string>{
            "--agency=CN-MPS", absl::StrCat("--listen=127.0.0.1:", cn_port_),
            "--data=" + cn_data_, "--pki=" + DevPki::Get().dir(),
            "--policies=" + policies},
        std::move(env));
  }
  std::unique_ptr<GatewayProcess> StartMm(const std::string& policies) {
    return std::make_unique<GatewayProcess>(std::vector<std::string>{
        "--agency=MM-MPF", absl::StrCat("--listen=127.0.0.1:", mm_port_),
        "--data=" + mm_data_, "--pki=" + DevPki::Get().dir(),
        "--policies=" + policies});
  }

  std::string CnAddress() const { return absl::StrCat("127.0.0.1:", cn_port_); }
  std::string MmAddress() const { return absl::StrCat("127.0.0.1:", mm_port_); }

  // Sends `alert` as CN-MPS investigator1; returns the response.
  v1::SendAlertResponse SendAtCn(const v1::CaseAlert& alert) {
    auto stub = v1::AlertService::NewStub(
        ChannelAs(CnAddress(), "CN-MPS", "investigator", "investigator1"));
    v1::SendAlertRequest request;
    *request.mutable_envelope() =
        SignedEnvelope(kAlertType, alert,
                       UserCertBase("CN-MPS", "investigator", "investigator1"));
    v1::SendAlertResponse response;
    grpc::Status status =
        stub->SendAlert(CallContext().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // The MM-MPF delivery of `alert_id` as CN's investigator sees it.
  v1::Delivery CnDeliveryToMm(const std::string& alert_id) {
    auto stub = v1::AlertService::NewStub(
        ChannelAs(CnAddress(), "CN-MPS", "investigator", "investigator1"));
    v1::GetAlertRequest request;
    request.set_alert_id(alert_id);
    v1::AlertRecord record;
    if (!stub->GetAlert(CallContext().get(), request, &record).ok()) return {};
    for (const auto& d : record.deliveries()) {
      if (d.recipient() == "MM-MPF") return d;
    }
    return {};
  }

  bool WaitForState(const std::string& alert_id, v1::Delivery::State state,
                    int seconds) {
    return Eventually([&] { return CnDeliveryToMm(alert_id).state() == state; },
                      seconds);
  }

  // MM-MPF's receipt checked offline with nothing but MM's signing.crt.
  static absl::Status VerifyMmReceipt(const v1::Receipt& receipt) {
    auto key = crypto::Verifier::FromCertificatePem(ReadFileForTest(
        absl::StrCat(DevPki::Get().dir(), "/MM-MPF/signing.crt")));
    if (!key.ok()) return key.status();
    return audit::VerifyReceipt(receipt, **key);
  }

  // The audit entries at MM-MPF recording deliveries of `message_id`, as
  // the CN-MPS gateway (their actor) may search them.
  std::vector<v1::LogEntry> MmDeliverEntries(const std::string& message_id) {
    auto stub = v1::AuditService::NewStub(ChannelWithCert(
        MmAddress(), absl::StrCat(DevPki::Get().dir(), "/CN-MPS/gateway"),
        "MM-MPF"));
    v1::SearchAuditRequest request;
    request.set_actor_agency("CN-MPS");
    request.set_action("PartnerExchange.Deliver");
    request.set_object_id("message:" + message_id);
    v1::Entries entries;
    grpc::Status status =
        stub->SearchAudit(CallContext().get(), request, &entries);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {entries.entries().begin(), entries.entries().end()};
  }

  int cn_port_ = 0;
  int mm_port_ = 0;
  std::string cn_data_;
  std::string mm_data_;
};

TEST_F(FederationTest, PeerAcknowledgesWithAReceiptThatVerifiesAgainstItsKey) {
  auto mm = StartMm(MmPolicies());
  ASSERT_TRUE(mm->ok()) << mm->error();
  auto cn = StartCn(CnPolicies());
  ASSERT_TRUE(cn->ok()) << cn->error();

  v1::SendAlertResponse sent =
      SendAtCn(SampleAlert("FED-ACK-1", "CASE-FED-ACK", {"MM-MPF", "TH-RTP"}));
  ASSERT_TRUE(WaitForState("FED-ACK-1", v1::Delivery::ACKNOWLEDGED, 30))
      << cn->Stderr();

  const v1::Delivery delivery = CnDeliveryToMm("FED-ACK-1");
  EXPECT_EQ(delivery.attempts(), 1u);
  const v1::Receipt& receipt = delivery.receipt();
  EXPECT_TRUE(VerifyMmReceipt(receipt).ok()) << VerifyMmReceipt(receipt);
  EXPECT_EQ(receipt.message_id(), delivery.message_id());
  EXPECT_EQ(receipt.recipient(), "MM-MPF");
  EXPECT_EQ(receipt.payload_sha256(), sent.payload_sha256());

  // MM's liaison sees the case CN shared with MM, owned by CN.
  auto cases = v1::CaseService::NewStub(ChannelWithCert(
      MmAddress(), UserCertBase("MM-MPF", "liaison", "liaison1"), "MM-MPF"));
  v1::GetCaseStatusRequest get;
  get.set_case_ref("CASE-FED-ACK");
  v1::CaseStatus status;
  grpc::Status call = cases->GetCaseStatus(CallContext().get(), get, &status);
  ASSERT_TRUE(call.ok()) << call.error_message();
  EXPECT_EQ(status.owner_agency(), "CN-MPS");
  EXPECT_THAT(status.shared_with(), ::testing::Contains("MM-MPF"));

  // TH-RTP has no link in this policy set: its copy waits in the outbox.
  auto alerts = v1::AlertService::NewStub(
      ChannelAs(CnAddress(), "CN-MPS", "investigator", "investigator1"));
  v1::GetAlertRequest request;
  request.set_alert_id("FED-ACK-1");
  v1::AlertRecord record;
  ASSERT_TRUE(alerts->GetAlert(CallContext().get(), request, &record).ok());
  for (const auto& d : record.deliveries()) {
    if (d.recipient() == "TH-RTP") {
      EXPECT_EQ(d.state(), v1::Delivery::QUEUED);
      EXPECT_THAT(d.reason(), HasSubstr("no partner link is configured"));
    }
  }
}

TEST_F(FederationTest, PeerDownIsRetriedWithBackoffAndDeliveredWhenBack) {
  auto cn = StartCn(CnPolicies());
  ASSERT_TRUE(cn->ok()) << cn->error();
  SendAtCn(SampleAlert("FED-DOWN-1", "CASE-FED-DOWN", {"MM-MPF"}));

  ASSERT_TRUE(WaitForState("FED-DOWN-1", v1::Delivery::RETRYING, 30))
      << cn->Stderr();
  const v1::Delivery retrying = CnDeliveryToMm("FED-DOWN-1");
  EXPECT_GE(retrying.attempts(), 1u);
  EXPECT_TRUE(retrying.has_next_attempt_at());
  EXPECT_FALSE(retrying.reason().empty());

  auto mm = StartMm(MmPolicies());
  ASSERT_TRUE(mm->ok()) << mm->error();
  ASSERT_TRUE(WaitForState("FED-DOWN-1", v1::Delivery::ACKNOWLEDGED, 60))
      << cn->Stderr();
  const v1::Delivery delivered = CnDeliveryToMm("FED-DOWN-1");
  EXPECT_GE(delivered.attempts(), 2u);
  EXPECT_EQ(delivered.message_id(), retrying.message_id());
  EXPECT_TRUE(VerifyMmReceipt(delivered.receipt()).ok());
}

TEST_F(FederationTest, CrashBeforeRecordingTheAckRedeliversOnceInEffect) {
  auto mm = StartMm(MmPolicies());
  ASSERT_TRUE(mm->ok()) << mm->error();
  const std::string policies = CnPolicies();
  {
    auto cn = StartCn(policies, {"GW_FAILPOINT=delivery.before_record_ack"});
    ASSERT_TRUE(cn->ok()) << cn->error();
    SendAtCn(SampleAlert("FED-CRASH-1", "CASE-FED-CRASH", {"MM-MPF"}));
    // The peer acknowledges; the gateway dies before recording it.
    const int status = cn->WaitExited(30);
    ASSERT_NE(status, -1) << "gatewayd did not hit the failpoint";
    ASSERT_TRUE(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGKILL);
  }
  auto cn = StartCn(policies);
  ASSERT_TRUE(cn->ok()) << cn->error();
  ASSERT_TRUE(WaitForState("FED-CRASH-1", v1::Delivery::ACKNOWLEDGED, 30))
      << cn->Stderr();
  const v1::Delivery delivery = CnDeliveryToMm("FED-CRASH-1");
  EXPECT_EQ(delivery.attempts(), 1u)
      << "the crashed attempt was never recorded";

  // The peer stored the message once and answered the resend with the
  // receipt of the first time.
  std::vector<v1::LogEntry> entries = MmDeliverEntries(delivery.message_id());
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(delivery.receipt().leaf_index(), entries[0].leaf_index());
  EXPECT_TRUE(VerifyMmReceipt(delivery.receipt()).ok());
}

TEST_F(FederationTest, PermanentRefusalLandsInDeadLetterWithThePeersReason) {
  auto mm = StartMm(MmPolicies("limits { max_subjects: 1 }\n"));
  ASSERT_TRUE(mm->ok()) << mm->error();
  auto cn = StartCn(CnPolicies());
  ASSERT_TRUE(cn->ok()) << cn->error();

  v1::CaseAlert alert =
      SampleAlert("FED-REFUSED-1", "CASE-FED-REF", {"MM-MPF"});
  *alert.add_subjects() = alert.subjects(0);
  alert.mutable_subjects(1)->set_role(v1::Subject::WITNESS);
  SendAtCn(alert);

  ASSERT_TRUE(WaitForState("FED-REFUSED-1", v1::Delivery::FAILED, 30))
      << cn->Stderr();
  const v1::Delivery failed = CnDeliveryToMm("FED-REFUSED-1");
  EXPECT_THAT(failed.reason(), HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(failed.reason(), HasSubstr("FIELD_INVALID"));
  EXPECT_THAT(failed.reason(), HasSubstr("payload.subjects"));
  EXPECT_EQ(failed.attempts(), 1u) << "a permanent refusal is not retried";
}

TEST_F(FederationTest, UrgentOvertakesABacklogOfRoutineAlerts) {
  // One delivery at a time, so the order at the peer is the order sent.
  auto cn = StartCn(CnPolicies("max_in_flight: 1"));
  ASSERT_TRUE(cn->ok()) << cn->error();
  constexpr int kRoutine = 8;
  for (int i = 0; i < kRoutine; ++i) {
    v1::CaseAlert alert =
        SampleAlert(absl::StrCat("FED-ROUTINE-", i),
                    absl::StrCat("CASE-FED-R", i), {"MM-MPF"});
    alert.set_priority(v1::CaseAlert::ROUTINE);
    SendAtCn(alert);
  }
  v1::CaseAlert urgent = SampleAlert("FED-URGENT", "CASE-FED-U", {"MM-MPF"});
  urgent.set_priority(v1::CaseAlert::URGENT);
  SendAtCn(urgent);
  ASSERT_TRUE(WaitForState("FED-URGENT", v1::Delivery::RETRYING, 30));

  auto mm = StartMm(MmPolicies());
  ASSERT_TRUE(mm->ok()) << mm->error();
  ASSERT_TRUE(WaitForState("FED-URGENT", v1::Delivery::ACKNOWLEDGED, 90))
      << cn->Stderr();
  for (int i = 0; i < kRoutine; ++i) {
    ASSERT_TRUE(WaitForState(absl::StrCat("FED-ROUTINE-", i),
                             v1::Delivery::ACKNOWLEDGED, 60));
  }
  // The peer's audit log orders its acceptances: at most the one probe that
  // found the peer back may precede the URGENT alert.
  const uint64_t urgent_leaf =
      CnDeliveryToMm("FED-URGENT").receipt().leaf_index();
  int before = 0;
  for (int i = 0; i < kRoutine; ++i) {
    const uint64_t leaf =
        CnDeliveryToMm(absl::StrCat("FED-ROUTINE-", i)).receipt().leaf_index();
    if (leaf < urgent_leaf) ++before;
  }
  EXPECT_LE(before, 1);
}

TEST_F(FederationTest, InboundAlertFromThePeerCreatesACaseWithZawgyiConverted) {
  auto cn = StartCn(CnPolicies());
  ASSERT_TRUE(cn->ok()) << cn->error();
  auto mm = StartMm(MmPolicies());
  ASSERT_TRUE(mm->ok()) << mm->error();

  // An MM-MPF investigator's alert whose Burmese name was typed in Zawgyi
  // (MM-MPF.md §5.8 pair 3), sent at MM-MPF to CN-MPS.
  v1::CaseAlert alert = SampleAlert("FED-IN-1", "MM-CASE-IN-1", {"CN-MPS"});
  alert.set_origin_agency("MM-MPF");
  alert.set_originator("investigator1");
  v1::PersonName* burmese =
      alert.mutable_subjects(0)->mutable_person()->add_names();
  burmese->set_script("Mymr");
  const std::string zawgyi =
      "\u1031\u1019\u102c\u1004\u1039\u1031\u1019\u102c\u1004\u1039"
      "\u1040";
  burmese->set_given(zawgyi);
  burmese->set_full(zawgyi);
  auto stub = v1::AlertService::NewStub(ChannelWithCert(
      MmAddress(), UserCertBase("MM-MPF", "investigator", "investigator1"),
      "MM-MPF"));
  v1::SendAlertRequest request;
  *request.mutable_envelope() =
      SignedEnvelope(kAlertType, alert,
                     UserCertBase("MM-MPF", "investigator", "investigator1"));
  v1::SendAlertResponse response;
  grpc::Status call = stub->SendAlert(CallContext().get(), request, &response);
  ASSERT_TRUE(call.ok()) << call.error_message();

  // MM's copy to CN is acknowledged with CN's receipt and its warnings.
  v1::Delivery to_cn;
  ASSERT_TRUE(Eventually(
      [&] {
        v1::GetAlertRequest get;
        get.set_alert_id("FED-IN-1");
        v1::AlertRecord record;
        if (!stub->GetAlert(CallContext().get(), get, &record).ok())
          return false;
        if (record.deliveries_size() != 1) return false;
        to_cn = record.deliveries(0);
        return to_cn.state() == v1::Delivery::ACKNOWLEDGED;
      },
      30))
      << mm->Stderr();
  auto cn_key = crypto::Verifier::FromCertificatePem(ReadFileForTest(
      absl::StrCat(DevPki::Get().dir(), "/CN-MPS/signing.crt")));
  ASSERT_TRUE(cn_key.ok());
  EXPECT_TRUE(audit::VerifyReceipt(to_cn.receipt(), **cn_key).ok());
  ASSERT_EQ(to_cn.receipt().warnings_size(), 2);
  EXPECT_EQ(to_cn.receipt().warnings(0).code(), "ZAWGYI_CONVERTED");
  EXPECT_EQ(to_cn.receipt().warnings(0).field(),
            "subjects[0].person.names[1].given");

  // At CN the case exists, owned by MM-MPF, and the stored text is Unicode
  // with the conversion on record (the digest of the original string).
  auto cn_alerts = v1::AlertService::NewStub(
      ChannelAs(CnAddress(), "CN-MPS", "investigator", "investigator1"));
  v1::GetAlertRequest get;
  get.set_alert_id("FED-IN-1");
  v1::AlertRecord record;
  call = cn_alerts->GetAlert(CallContext().get(), get, &record);
  ASSERT_TRUE(call.ok()) << call.error_message();
  const std::string unicode =
      "\u1019\u1031\u102c\u1004\u103a\u1019\u1031\u102c\u1004\u103a"
      "\u101d";
  EXPECT_EQ(record.alert().subjects(0).person().names(1).given(), unicode);
  ASSERT_EQ(record.alert().text_conversions_size(), 2);
  EXPECT_EQ(record.alert().text_conversions(0).field(),
            "subjects[0].person.names[1].given");
  EXPECT_EQ(record.alert().text_conversions(0).original_utf8_sha256(),
            crypto::Sha256Hex(zawgyi));

  auto cn_cases = v1::CaseService::NewStub(
      ChannelAs(CnAddress(), "CN-MPS", "investigator", "investigator1"));
  v1::GetCaseStatusRequest get_case;
  get_case.set_case_ref("MM-CASE-IN-1");
  v1::CaseStatus status;
  call = cn_cases->GetCaseStatus(CallContext().get(), get_case, &status);
  ASSERT_TRUE(call.ok()) << call.error_message();
  EXPECT_EQ(status.owner_agency(), "MM-MPF");
}

}  // namespace
}  // namespace gw
