// The gateway and the partner systems that do not speak gRPC, end to end:
// a real gatewayd (CN-MPS) and the mock partner programs of tools/partners/,
// which implement the partners' side of their ICDs with their own decoders.
//  * TH-RTP (partners/TH-RTP.md): TIS-620 frames over mutual TLS, one
//    connection per direction.
//  * LA-MPS (partners/LA-MPS.md): files through a link directory.
//  * KH-CNP (partners/KH-CNP.md) and VN-MPS (partners/VN-MPS.md): signed
//    JSON / XML over HTTPS both ways (RFC 9421).
// For each: an outbound alert delivered and acknowledged; an inbound alert
// that creates a case at CN-MPS; the partner down, retried, delivered; a
// refusal dead-lettered with the partner's reason; a duplicate
// acknowledged once. For the HTTPS partners also: a schema-invalid inbound
// message refused with the ICD's error and audited, and a tampered body
// refused by its signature.
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gw/v1/alert.grpc.pb.h"
#include "gw/v1/audit.grpc.pb.h"
#include "gw/v1/case.grpc.pb.h"
#include "gw/v1/receipt.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/dev_pki.h"
#include "tests/support/eventually.h"
#include "tests/support/gateway_process.h"
#include "tests/support/test_client.h"

namespace gw {
namespace {

using ::gw::testing::BuiltProgram;
using ::gw::testing::CallContext;
using ::gw::testing::ChannelAs;
using ::gw::testing::ChannelWithCert;
using ::gw::testing::ChildProcess;
using ::gw::testing::DevPki;
using ::gw::testing::Eventually;
using ::gw::testing::FreeLoopbackPort;
using ::gw::testing::GatewayProcess;
using ::gw::testing::MakeTempDir;
using ::gw::testing::PolicyDirWithPartners;
using ::gw::testing::ProgramResult;
using ::gw::testing::RunProgram;
using ::gw::testing::SampleAlert;
using ::gw::testing::SignedEnvelope;
using ::gw::testing::UserCertBase;
using ::testing::HasSubstr;

constexpr char kAlertType[] = "application/vnd.gw.v1.CaseAlert+proto";
// Both mocks refuse cases whose reference starts with this (their
// --refuse-case-prefix): TH-RTP with NK 302, LA-MPS with REJECTED
// UNKNOWN_REFERENCE.
constexpr char kRefusedPrefix[] = "REFUSE-";

std::string Pki(const std::string& path) {
  return absl::StrCat(DevPki::Get().dir(), "/", path);
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class PartnerLinksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(DevPki::Get().dir().empty());
    cn_port_ = FreeLoopbackPort();
    th_mock_port_ = FreeLoopbackPort();
    th_inbound_port_ = FreeLoopbackPort();
    cn_data_ = MakeTempDir("gw-links-cn");
    link_root_ = MakeTempDir("gw-links-la");
    th_store_ = MakeTempDir("gw-links-th-store");
    la_store_ = MakeTempDir("gw-links-la-store");
    for (HttpsSide* side : {&kh_, &vn_}) {
      side->mock_port = FreeLoopbackPort();
      side->inbound_port = FreeLoopbackPort();
    }
    kh_.store = MakeTempDir("gw-links-kh-store");
    vn_.store = MakeTempDir("gw-links-vn-store");
  }

  std::string Policies() {
    return PolicyDirWithPartners(
        absl::StrCat(GW_SOURCE_DIR, "/policies"),
        absl::StrCat(
            "partners { agency: \"TH-RTP\" adapter: \"th_rtp\" settings { "
            "[type.googleapis.com/gw.adapters.th_rtp.v1.Settings] { "
            "target: \"127.0.0.1:",
            th_mock_port_,
            "\" tls_server_name: \"localhost\" listen: \"127.0.0.1:",
            th_inbound_port_,
            "\" } } }\n"
            "partners { agency: \"LA-MPS\" adapter: \"la_mps\" settings { "
            "[type.googleapis.com/gw.adapters.la_mps.v1.Settings] { "
            "link_root: \"",
            link_root_, "\" poll_milliseconds: 200 } } }\n",
            HttpsPartnerEntry("KH-CNP", "kh_cnp", "https://cnp.partner.example",
                              kh_),
            HttpsPartnerEntry("VN-MPS", "vn_mps", "https://tip.partner.example",
                              vn_)));
  }

  // --- The HTTPS partners (KH-CNP, VN-MPS) ---
  struct HttpsSide {
    int mock_port = 0;     // the partner's server
    int inbound_port = 0;  // the gateway's endpoint for the partner
    std::string store;     // the mock's --store
  };
  static std::string HttpsPartnerEntry(const std::string& agency,
                                       const std::string& adapter,
                                       const std::string& base_uri,
                                       const HttpsSide& side) {
    return absl::StrCat(
        "partners { agency: \"", agency, "\" adapter: \"", adapter,
        "\" settings { "
        "[type.googleapis.com/gw.adapters.https_link.v1.Settings] "
        "{ base_uri: \"",
        base_uri, "\" connect: \"127.0.0.1:", side.mock_port,
        "\" tls_server_name: \"localhost\" listen: \"127.0.0.1:",
        side.inbound_port,
        "\" external_base_uri: \"https://gateway.mekong.example\" "
        "request_timeout_seconds: 5 } } }\n");
  }
  HttpsSide& Side(const std::string& agency) {
    return agency == "KH-CNP" ? kh_ : vn_;
  }
  std::vector<std::string> HttpsPki(const std::string& agency) {
    return {"--tls-cert=" + Pki(agency + "/gateway.crt"),
            "--tls-key=" + Pki(agency + "/gateway.key"),
            "--peer-ca=" + Pki("CN-MPS/ca.crt"),
            "--signing-key=" + Pki(agency + "/signing.key"),
            "--signing-cert=" + Pki(agency + "/signing.crt"),
            "--gateway-signing-cert=" + Pki("CN-MPS/signing.crt")};
  }

  std::unique_ptr<GatewayProcess> StartCn() {
    auto cn = std::make_unique<GatewayProcess>(std::vector<std::string>{
        "--agency=CN-MPS", absl::StrCat("--listen=127.0.0.1:", cn_port_),
        "--data=" + cn_data_, "--pki=" + DevPki::Get().dir(),
        "--policies=" + Policies()});
    return cn;
  }
  std::string CnAddress() const { return absl::StrCat("127.0.0.1:", cn_port_); }

  // --- The Thai system ---
  std::vector<std::string> ThKeys() {
    return {"--signing-key=" + Pki("TH-RTP/signing.key"),
            "--signing-cert=" + Pki("TH-RTP/signing.crt"),
            "--gateway-signing-cert=" + Pki("CN-MPS/signing.crt")};
  }
  std::vector<std::string> ThTls() {
    return {"--tls-cert=" + Pki("TH-RTP/gateway.crt"),
            "--tls-key=" + Pki("TH-RTP/gateway.key"),
            "--peer-ca=" + Pki("CN-MPS/ca.crt")};
  }
  std::unique_ptr<ChildProcess> StartThMock() {
    std::vector<std::string> args = {
        "serve", absl::StrCat("--listen=127.0.0.1:", th_mock_port_),
        "--store=" + th_store_,
        absl::StrCat("--refuse-case-prefix=", kRefusedPrefix)};
    for (auto& a : ThTls()) args.push_back(a);
    for (auto& a : ThKeys()) args.push_back(a);
    return std::make_unique<ChildProcess>(
        BuiltProgram("tools/partners/th_rtp_mock/th-rtp-mock"), args,
        "listening on");
  }
  ProgramResult ThSend(const std::string& alert_id, const std::string& case_ref,
                       int repeat = 1) {
    std::vector<std::string> args = {
        "send",
        absl::StrCat("--to=127.0.0.1:", th_inbound_port_),
        "--tls-server-name=localhost",
        "--kind=alert",
        "--alert-id=" + alert_id,
        "--case-ref=" + case_ref,
        absl::StrCat("--repeat=", repeat)};
    for (auto& a : ThTls()) args.push_back(a);
    for (auto& a : ThKeys()) args.push_back(a);
    return RunProgram(BuiltProgram("tools/partners/th_rtp_mock/th-rtp-mock"),
                      args, 90);
  }

  // --- The Lao system ---
  std::vector<std::string> LaKeys() {
    return {"--link-root=" + link_root_,
            "--signing-key=" + Pki("LA-MPS/signing.key"),
            "--signing-cert=" + Pki("LA-MPS/signing.crt"),
            "--gateway-signing-cert=" + Pki("CN-MPS/signing.crt")};
  }
  std::unique_ptr<ChildProcess> StartLaMock() {
    std::vector<std::string> args = {
        "serve", "--store=" + la_store_, "--poll=200ms",
        absl::StrCat("--refuse-case-prefix=", kRefusedPrefix)};
    for (auto& a : LaKeys()) args.push_back(a);
    return std::make_unique<ChildProcess>(
        BuiltProgram("tools/partners/la_mps_mock/la-mps-mock"), args,
        "serving as");
  }
  ProgramResult LaSend(const std::string& alert_id, const std::string& case_ref,
                       const std::string& message_id = "",
                       const std::string& wait = "--wait=60s") {
    std::vector<std::string> args = {"send", "--kind=alert",
                                     "--alert-id=" + alert_id,
                                     "--case-ref=" + case_ref, wait};
    if (!message_id.empty()) args.push_back("--message-id=" + message_id);
    for (auto& a : LaKeys()) args.push_back(a);
    return RunProgram(BuiltProgram("tools/partners/la_mps_mock/la-mps-mock"),
                      args, 90);
  }

  // --- CN-MPS, as its investigator sees it ---
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

  std::optional<v1::AlertRecord> GetAtCn(const std::string& alert_id) {
    auto stub = v1::AlertService::NewStub(
        ChannelAs(CnAddress(), "CN-MPS", "investigator", "investigator1"));
    v1::GetAlertRequest request;
    request.set_alert_id(alert_id);
    v1::AlertRecord record;
    if (!stub->GetAlert(CallContext().get(), request, &record).ok())
      return std::nullopt;
    return record;
  }

  v1::Delivery DeliveryTo(const std::string& alert_id,
                          const std::string& partner) {
    std::optional<v1::AlertRecord> record = GetAtCn(alert_id);
    if (!record.has_value()) return {};
    for (const auto& d : record->deliveries()) {
      if (d.recipient() == partner) return d;
    }
    return {};
  }

  bool WaitForState(const std::string& alert_id, const std::string& partner,
                    v1::Delivery::State state, int seconds) {
    return Eventually(
        [&] { return DeliveryTo(alert_id, partner).state() == state; },
        seconds);
  }

  // Audit entries at CN-MPS of `action` naming `object_id`, as its auditor
  // searches them.
  int AuditCount(const std::string& action, const std::string& object_id) {
    auto stub = v1::AuditService::NewStub(
        ChannelAs(CnAddress(), "CN-MPS", "auditor", "auditor1"));
    v1::SearchAuditRequest request;
    request.set_action(action);
    request.set_object_id(object_id);
    v1::Entries entries;
    grpc::Status status =
        stub->SearchAudit(CallContext().get(), request, &entries);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return entries.entries_size();
  }

  HttpsSide kh_;
  HttpsSide vn_;
  int cn_port_ = 0;
  int th_mock_port_ = 0;
  int th_inbound_port_ = 0;
  std::string cn_data_;
  std::string link_root_;
  std::string th_store_;
  std::string la_store_;
};

// --- TH-RTP ---

TEST_F(PartnerLinksTest, ThaiAlertIsDeliveredAndAcknowledgedByTheThaiSystem) {
  auto th = StartThMock();
  ASSERT_TRUE(th->ok()) << th->error();
  auto cn = StartCn();
  ASSERT_TRUE(cn->ok()) << cn->error();

  v1::SendAlertResponse sent =
      SendAtCn(SampleAlert("LNK-TH-1", "CASE-LNK-TH-1", {"TH-RTP"}));
  ASSERT_TRUE(
      WaitForState("LNK-TH-1", "TH-RTP", v1::Delivery::ACKNOWLEDGED, 30))
      << cn->Stderr() << th->Output();
  const v1::Delivery delivery = DeliveryTo("LNK-TH-1", "TH-RTP");
  EXPECT_EQ(delivery.attempts(), 1u);
  EXPECT_EQ(delivery.receipt().message_id(), delivery.message_id());
  EXPECT_EQ(delivery.receipt().recipient(), "TH-RTP");
  // The Thai system kept the frame under the delivery's message id.
  EXPECT_THAT(ReadText(th_store_ + "/received.jsonl"),
              HasSubstr(delivery.message_id()));
  EXPECT_EQ(
      AuditCount("Delivery.Acknowledged", "message:" + delivery.message_id()),
      1);
}

TEST_F(PartnerLinksTest, ThaiInboundAlertCreatesACaseAtCnMps) {
  auto cn = StartCn();
  ASSERT_TRUE(cn->ok()) << cn->error();

  ProgramResult sent = ThSend("RTP-ALERT-2569-0001", "TH-CASE-LNK-1");
  ASSERT_EQ(sent.exit_code, 0) << sent.output << cn->Stderr();
  EXPECT_THAT(sent.output, HasSubstr("AK"));

  std::optional<v1::AlertRecord> record = GetAtCn("RTP-ALERT-2569-0001");
  ASSERT_TRUE(record.has_value()) << cn->Stderr();
  EXPECT_EQ(record->alert().origin_agency(), "TH-RTP");
  EXPECT_EQ(record->alert().case_ref(), "TH-CASE-LNK-1");
  // The Thai name arrived in Unicode, NFC.
  bool thai_name = false;
  for (const auto& name : record->alert().subjects(0).person().names())
    thai_name |= name.script() == "Thai";
  EXPECT_TRUE(thai_name);
}

TEST_F(PartnerLinksTest, ThaiSystemDownIsRetriedAndDeliveredWhenBack) {
  auto cn = StartCn();
  ASSERT_TRUE(cn->ok()) << cn->error();
  SendAtCn(SampleAlert("LNK-TH-DOWN", "CASE-LNK-TH-DOWN", {"TH-RTP"}));
  ASSERT_TRUE(WaitForState("LNK-TH-DOWN", "TH-RTP", v1::Delivery::RETRYING, 30))
      << cn->Stderr();
  const v1::Delivery retrying = DeliveryTo("LNK-TH-DOWN", "TH-RTP");
  EXPECT_FALSE(retrying.reason().empty());

  auto th = StartThMock();
  ASSERT_TRUE(th->ok()) << th->error();
  ASSERT_TRUE(
      WaitForState("LNK-TH-DOWN", "TH-RTP", v1::Delivery::ACKNOWLEDGED, 90))
      << cn->Stderr() << th->Output();
  const v1::Delivery delivered = DeliveryTo("LNK-TH-DOWN", "TH-RTP");
  EXPECT_GE(delivered.attempts(), 2u);
  EXPECT_EQ(delivered.message_id(), retrying.message_id());
}

TEST_F(PartnerLinksTest, ThaiNakLandsInDeadLetterWithTheThaiReason) {
  auto th = StartThMock();
  ASSERT_TRUE(th->ok()) << th->error();
  auto cn = StartCn();
  ASSERT_TRUE(cn->ok()) << cn->error();
  SendAtCn(SampleAlert("LNK-TH-NAK", absl::StrCat(kRefusedPrefix, "TH-1"),
                       {"TH-RTP"}));
  ASSERT_TRUE(WaitForState("LNK-TH-NAK", "TH-RTP", v1::Delivery::FAILED, 30))
      << cn->Stderr() << th->Output();
  const v1::Delivery failed = DeliveryTo("LNK-TH-NAK", "TH-RTP");
  EXPECT_THAT(failed.reason(), HasSubstr("TH-RTP NK 302 AL.CASE_REF"));
  EXPECT_EQ(failed.attempts(), 1u);
}

TEST_F(PartnerLinksTest, ThaiDuplicateFrameIsAcknowledgedOnceAndStoredOnce) {
  auto cn = StartCn();
  ASSERT_TRUE(cn->ok()) << cn->error();
  ProgramResult sent = ThSend("RTP-ALERT-2569-0002", "TH-CASE-LNK-2",
                              /*repeat=*/2);
  ASSERT_EQ(sent.exit_code, 0) << sent.output << cn->Stderr();
  EXPECT_THAT(sent.output, HasSubstr("duplicate=N"));
  EXPECT_THAT(sent.output, HasSubstr("duplicate=Y"));
  EXPECT_EQ(AuditCount("PartnerLink.Receive", "alert:RTP-ALERT-2569-0002"), 1);
}

TEST_F(PartnerLinksTest, ThaiSystemCannotUsePartnerExchangeInsteadOfItsLink) {
  auto cn = StartCn();
  ASSERT_TRUE(cn->ok()) << cn->error();
  auto stub = v1::PartnerExchange::NewStub(
      ChannelWithCert(CnAddress(), Pki("TH-RTP/gateway"), "CN-MPS"));
  v1::Envelope envelope;
  envelope.set_payload_type(kAlertType);
  envelope.set_payload("not a frame");
  v1::Receipt receipt;
  auto context = CallContext();
  context->AddMetadata("gw-message-id", "0f0e0d0c-0b0a-4908-8706-050403020100");
  grpc::Status status = stub->Deliver(context.get(), envelope, &receipt);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("its own partner link"));
}

// --- LA-MPS ---

TEST_F(PartnerLinksTest, LaoAlertIsDeliveredAndAcknowledgedByTheLaoSystem) {
  auto la = StartLaMock();
  ASSERT_TRUE(la->ok()) << la->error();
  auto cn = StartCn();
  ASSERT_TRUE(cn->ok()) << cn->error();

  SendAtCn(SampleAlert("LNK-LA-1", "CASE-LNK-LA-1", {"LA-MPS"}));
  ASSERT_TRUE(
      WaitForState("LNK-LA-1", "LA-MPS", v1::Delivery::ACKNOWLEDGED, 30))
      << cn->Stderr() << la->Output();
  const v1::Delivery delivery = DeliveryTo("LNK-LA-1", "LA-MPS");
  EXPECT_EQ(delivery.receipt().message_id(), delivery.message_id());
  EXPECT_EQ(delivery.receipt().recipient(), "LA-MPS");
  EXPECT_THAT(ReadText(la_store_ + "/received.jsonl"),
              HasSubstr(delivery.message_id()));
}

TEST_F(PartnerLinksTest, LaoInboundAlertCreatesACaseAtCnMps) {
  auto cn = StartCn();
  ASSERT_TRUE(cn->ok()) << cn->error();
  ProgramResult sent = LaSend("LA-ALERT-2026-0001", "LA-CASE-LNK-1");
  ASSERT_EQ(sent.exit_code, 0) << sent.output << cn->Stderr();
  EXPECT_THAT(sent.output, HasSubstr("ACCEPTED"));

  std::optional<v1::AlertRecord> record = GetAtCn("LA-ALERT-2026-0001");
  ASSERT_TRUE(record.has_value()) << cn->Stderr();
  EXPECT_EQ(record->alert().origin_agency(), "LA-MPS");
  bool lao_name = false;
  for (const auto& name : record->alert().subjects(0).person().names())
    lao_name |= name.script() == "Laoo";
  EXPECT_TRUE(lao_name);
}

TEST_F(PartnerLinksTest, LaoSystemDownIsRetriedAndDeliveredWhenBack) {
  // The files wait in the outbox while nobody collects them; when the Lao
  // system comes back it acknowledges and the delivery completes.
  auto cn = StartCn();
  ASSERT_TRUE(cn->ok()) << cn->error();
  SendAtCn(SampleAlert("LNK-LA-DOWN", "CASE-LNK-LA-DOWN", {"LA-MPS"}));
  ASSERT_TRUE(Eventually(
      [&] {
        const v1::Delivery d = DeliveryTo("LNK-LA-DOWN", "LA-MPS");
        return !d.message_id().empty() &&
               std::ifstream(absl::StrCat(link_root_, "/outbox/",
                                          d.message_id(), ".done"))
                   .good();
      },
      30))
      << cn->Stderr();
  EXPECT_NE(DeliveryTo("LNK-LA-DOWN", "LA-MPS").state(),
            v1::Delivery::ACKNOWLEDGED);

  auto la = StartLaMock();
  ASSERT_TRUE(la->ok()) << la->error();
  ASSERT_TRUE(
      WaitForState("LNK-LA-DOWN", "LA-MPS", v1::Delivery::ACKNOWLEDGED, 60))
      << cn->Stderr() << la->Output();
}

TEST_F(PartnerLinksTest, LaoRejectionLandsInDeadLetterWithTheLaoReason) {
  auto la = StartLaMock();
  ASSERT_TRUE(la->ok()) << la->error();
  auto cn = StartCn();
  ASSERT_TRUE(cn->ok()) << cn->error();
  SendAtCn(SampleAlert("LNK-LA-REJ", absl::StrCat(kRefusedPrefix, "LA-1"),
                       {"LA-MPS"}));
  ASSERT_TRUE(WaitForState("LNK-LA-REJ", "LA-MPS", v1::Delivery::FAILED, 30))
      << cn->Stderr() << la->Output();
  EXPECT_THAT(DeliveryTo("LNK-LA-REJ", "LA-MPS").reason(),
              HasSubstr("LA-MPS REJECTED UNKNOWN_REFERENCE case_ref"));
}

TEST_F(PartnerLinksTest, LaoDuplicateMessageIsAcknowledgedOnceAndStoredOnce) {
  auto cn = StartCn();
  ASSERT_TRUE(cn->ok()) << cn->error();
  const std::string id = "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
  ProgramResult first = LaSend("LA-ALERT-2026-0002", "LA-CASE-LNK-2", id);
  ASSERT_EQ(first.exit_code, 0) << first.output << cn->Stderr();
  const std::string ack_path = absl::StrCat(link_root_, "/outbox/", id, ".ack");
  const std::string ack = ReadText(ack_path);
  ASSERT_FALSE(ack.empty());
  const auto first_write = std::filesystem::last_write_time(ack_path);

  // The transfer delivers the same three files again (LA-MPS.md §2.2):
  // the stored receipt is written again, byte for byte (§7.2 step 4), and
  // nothing is stored twice.
  for (const char* ext : {".csv", ".sig", ".done"}) {
    const std::string path = absl::StrCat(link_root_, "/inbox/", id, ext);
    const std::string bytes = ReadText(path);
    ASSERT_FALSE(bytes.empty()) << path;
    std::filesystem::remove(path);
    std::ofstream(path, std::ios::binary) << bytes;
  }
  ASSERT_TRUE(Eventually(
      [&] { return std::filesystem::last_write_time(ack_path) != first_write; },
      30))
      << cn->Stderr();
  EXPECT_EQ(ReadText(ack_path), ack);
  EXPECT_EQ(AuditCount("PartnerLink.Receive", "alert:LA-ALERT-2026-0002"), 1);

  // The same message id for other content is a conflict: the first
  // receipt stands, and the sender sees no receipt for its new bytes.
  ProgramResult conflict =
      LaSend("LA-ALERT-2026-0002", "LA-CASE-LNK-2", id, "--wait=3s");
  EXPECT_EQ(conflict.exit_code, 1) << conflict.output;
  EXPECT_EQ(ReadText(ack_path), ack);
}

// --- KH-CNP and VN-MPS: the same behaviour over each partner's HTTPS ---

struct HttpsPartner {
  const char* agency;
  const char* program;   // under tools/partners/
  const char* base_uri;  // the partner's, as policies name it
  const char* example;   // an outbound alert example, turned around
};

void PrintTo(const HttpsPartner& partner, std::ostream* out) {
  *out << partner.agency;
}

class HttpsLinksTest : public PartnerLinksTest,
                       public ::testing::WithParamInterface<HttpsPartner> {
 protected:
  std::string Agency() const { return GetParam().agency; }
  std::string Program() const {
    return BuiltProgram(absl::StrCat("tools/partners/", GetParam().program));
  }

  std::unique_ptr<ChildProcess> StartMock() {
    std::vector<std::string> args = {
        "serve", absl::StrCat("--listen=127.0.0.1:", Side(Agency()).mock_port),
        absl::StrCat("--base-uri=", GetParam().base_uri),
        "--store=" + Side(Agency()).store,
        absl::StrCat("--refuse-case-prefix=", kRefusedPrefix)};
    for (auto& a : HttpsPki(Agency())) args.push_back(a);
    return std::make_unique<ChildProcess>(Program(), args, "listening on");
  }

  // `send` to the gateway's endpoint for this partner; `extra` are more
  // flags (--kind, --case-ref, --message-id, --body, --tamper-body, ...).
  ProgramResult Send(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {
        "send", absl::StrCat("--to=127.0.0.1:", Side(Agency()).inbound_port),
        "--tls-server-name=localhost",
        "--gateway-base-uri=https://gateway.mekong.example"};
    for (auto& a : HttpsPki(Agency())) args.push_back(a);
    for (auto& a : extra) args.push_back(a);
    return RunProgram(Program(), args, 90);
  }

  // The alerts CN-MPS holds for `case_ref`.
  std::vector<v1::AlertRecord> AlertsOfCase(const std::string& case_ref) {
    auto stub = v1::AlertService::NewStub(
        ChannelAs(CnAddress(), "CN-MPS", "investigator", "investigator1"));
    v1::ListAlertsRequest request;
    request.set_case_ref(case_ref);
    v1::ListAlertsResponse response;
    grpc::Status status =
        stub->ListAlerts(CallContext().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.alerts().begin(), response.alerts().end()};
  }
};

TEST_P(HttpsLinksTest, AlertIsDeliveredAndAcknowledgedByThePartner) {
  auto mock = StartMock();
  ASSERT_TRUE(mock->ok()) << mock->error();
  auto cn = StartCn();
  ASSERT_TRUE(cn->ok()) << cn->error();

  const std::string id = absl::StrCat("LNK-", Agency(), "-1");
  SendAtCn(SampleAlert(id, "CASE-" + id, {Agency()}));
  ASSERT_TRUE(WaitForState(id, Agency(), v1::Delivery::ACKNOWLEDGED, 30))
      << cn->Stderr() << mock->Output();
  const v1::Delivery delivery = DeliveryTo(id, Agency());
  EXPECT_EQ(delivery.attempts(), 1u);
  EXPECT_EQ(delivery.receipt().message_id(), delivery.message_id());
  EXPECT_EQ(delivery.receipt().recipient(), Agency());
  EXPECT_EQ(delivery.receipt().payload_sha256().size(), 64u);
  // The partner kept the message under the delivery's message id.
  EXPECT_THAT(ReadText(Side(Agency()).store + "/received.jsonl"),
              HasSubstr(delivery.message_id()));
  EXPECT_EQ(
      AuditCount("Delivery.Acknowledged", "message:" + delivery.message_id()),
      1);
}

TEST_P(HttpsLinksTest, InboundAlertCreatesACaseAtCnMps) {
  auto cn = StartCn();
  ASSERT_TRUE(cn->ok()) << cn->error();
  const std::string case_ref = absl::StrCat(Agency(), "-CASE-LNK-1");
  ProgramResult sent = Send({"--kind=alert", "--case-ref=" + case_ref});
  ASSERT_EQ(sent.exit_code, 0) << sent.output << cn->Stderr();

  std::vector<v1::AlertRecord> alerts = AlertsOfCase(case_ref);
  ASSERT_EQ(alerts.size(), 1u) << cn->Stderr();
  EXPECT_EQ(alerts[0].alert().origin_agency(), Agency());
  ASSERT_GT(alerts[0].alert().subjects_size(), 0);
  EXPECT_GT(alerts[0].alert().subjects(0).person().names_size(), 0);
}

TEST_P(HttpsLinksTest, PartnerDownIsRetriedAndDeliveredWhenBack) {
  auto cn = StartCn();
  ASSERT_TRUE(cn->ok()) << cn->error();
  const std::string id = absl::StrCat("LNK-", Agency(), "-DOWN");
  SendAtCn(SampleAlert(id, "CASE-" + id, {Agency()}));
  ASSERT_TRUE(WaitForState(id, Agency(), v1::Delivery::RETRYING, 30))
      << cn->Stderr();
  const v1::Delivery retrying = DeliveryTo(id, Agency());
  EXPECT_FALSE(retrying.reason().empty());

  auto mock = StartMock();
  ASSERT_TRUE(mock->ok()) << mock->error();
  ASSERT_TRUE(WaitForState(id, Agency(), v1::Delivery::ACKNOWLEDGED, 90))
      << cn->Stderr() << mock->Output();
  const v1::Delivery delivered = DeliveryTo(id, Agency());
  EXPECT_GE(delivered.attempts(), 2u);
  EXPECT_EQ(delivered.message_id(), retrying.message_id());
}

TEST_P(HttpsLinksTest, PartnerRefusalLandsInDeadLetterWithItsReason) {
  auto mock = StartMock();
  ASSERT_TRUE(mock->ok()) << mock->error();
  auto cn = StartCn();
  ASSERT_TRUE(cn->ok()) << cn->error();
  const std::string id = absl::StrCat("LNK-", Agency(), "-REF");
  SendAtCn(SampleAlert(id, absl::StrCat(kRefusedPrefix, Agency()), {Agency()}));
  ASSERT_TRUE(WaitForState(id, Agency(), v1::Delivery::FAILED, 30))
      << cn->Stderr() << mock->Output();
  const v1::Delivery failed = DeliveryTo(id, Agency());
  EXPECT_THAT(failed.reason(), HasSubstr(absl::StrCat(Agency(), " 422 ")));
  EXPECT_EQ(failed.attempts(), 1u);
}

TEST_P(HttpsLinksTest, DuplicateIsAcknowledgedOnceAndStoredOnce) {
  auto cn = StartCn();
  ASSERT_TRUE(cn->ok()) << cn->error();
  const std::string case_ref = absl::StrCat(Agency(), "-CASE-LNK-DUP");
  ProgramResult sent =
      Send({"--kind=alert", "--case-ref=" + case_ref, "--repeat=2",
            "--message-id=0b6f4f0e-3c55-4d3c-9a57-2f0d2c1b6e01"});
  ASSERT_EQ(sent.exit_code, 0) << sent.output << cn->Stderr();
  // First receipt 202; the resend 200 with the first acknowledgement (the
  // same received_at) (KH-CNP.md §7).
  const size_t first = sent.output.find("202 ACCEPTED ");
  const size_t second = sent.output.find("200 ACCEPTED ");
  ASSERT_NE(first, std::string::npos) << sent.output;
  ASSERT_NE(second, std::string::npos) << sent.output;
  auto received_at = [&](size_t from) {
    const size_t at = sent.output.find("received_at=", from);
    return sent.output.substr(at, sent.output.find(' ', at) - at);
  };
  EXPECT_EQ(received_at(first), received_at(second));
  EXPECT_THAT(sent.output.substr(second), HasSubstr("duplicate=yes"));
  std::vector<v1::AlertRecord> alerts = AlertsOfCase(case_ref);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(AuditCount("PartnerLink.Receive",
                       "alert:" + alerts[0].alert().alert_id()),
            1);
}

TEST_P(HttpsLinksTest, SchemaInvalidInboundIsRefusedWithTheIcdErrorAndAudited) {
  auto cn = StartCn();
  ASSERT_TRUE(cn->ok()) << cn->error();
  // The ICD's own outbound alert, sent by the partner this time, with a
  // date of birth in month 13: a schema violation (KH-CNP.md §8, VN-MPS.md
  // §8), found after the signature verified.
  const std::string message_id = "5d3c2b1a-0f9e-4d8c-8b7a-6a5b4c3d2e1f";
  std::string body = ReadText(absl::StrCat(GW_PARTNER_EXAMPLES_DIR, "/",
                                           Agency(), "/", GetParam().example));
  ASSERT_FALSE(body.empty());
  for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"CN-MPS", "@@"},
           {Agency(), "CN-MPS"},
           {"@@", Agency()},
           {"2011-08-05", "2011-13-05"}}) {
    ASSERT_NE(body.find(from), std::string::npos) << from;
    for (size_t at = body.find(from); at != std::string::npos;
         at = body.find(from, at + to.size())) {
      body.replace(at, from.size(), to);
    }
  }
  // Its own message id, so that the error names it.
  const std::string example_id = Agency() == "KH-CNP"
                                     ? "1c48fc5b-29bc-59f4-912a-1d9f44f64124"
                                     : "37c8e64b-0095-5398-8717-4b2f2a27a274";
  ASSERT_NE(body.find(example_id), std::string::npos);
  body.replace(body.find(example_id), example_id.size(), message_id);
  const std::string path = MakeTempDir("gw-links-body") + "/bad-body";
  std::ofstream(path, std::ios::binary) << body;

  ProgramResult sent = Send({"--kind=alert", "--body=" + path,
                             "--message-id=" + message_id, "--json"});
  EXPECT_EQ(sent.exit_code, 2) << sent.output << cn->Stderr();
  EXPECT_THAT(sent.output, HasSubstr("\"status\":400"));
  EXPECT_THAT(sent.output, HasSubstr("SCHEMA_VIOLATION"));
  EXPECT_THAT(sent.output,
              HasSubstr(Agency() == "KH-CNP" ? "date_of_birth"
                                             : "tip:PersonBirthDate"));
  EXPECT_GE(AuditCount("PartnerLink.Receive", "message:" + message_id), 1);
}

TEST_P(HttpsLinksTest, TamperedBodyIsRefusedByItsSignature) {
  auto cn = StartCn();
  ASSERT_TRUE(cn->ok()) << cn->error();
  const std::string message_id = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d";
  const std::string case_ref = absl::StrCat(Agency(), "-CASE-LNK-TAMPER");
  ProgramResult sent =
      Send({"--kind=alert", "--case-ref=" + case_ref,
            "--message-id=" + message_id, "--tamper-body", "--json"});
  EXPECT_EQ(sent.exit_code, 2) << sent.output << cn->Stderr();
  EXPECT_THAT(sent.output, HasSubstr("\"status\":401"));
  EXPECT_THAT(sent.output, HasSubstr("DIGEST_MISMATCH"));
  EXPECT_TRUE(AlertsOfCase(case_ref).empty());
  EXPECT_GE(AuditCount("PartnerLink.Receive", "message:" + message_id), 1);
}

TEST_P(HttpsLinksTest, NonNfcInboundTextIsNormalizedNotRefused) {
  if (Agency() != "VN-MPS") {
    GTEST_SKIP() << "kh-cnp-mock sends NFC only; the KH-CNP codec tests "
                    "cover its NFD input";
  }
  auto cn = StartCn();
  ASSERT_TRUE(cn->ok()) << cn->error();
  // VN-MPS.md §5.1: decomposed Vietnamese is accepted, stored in NFC, and
  // the answer names each changed element.
  const std::string case_ref = "VN-MPS-CASE-LNK-NFD";
  ProgramResult sent = Send({"--kind=alert_nfd", "--case-ref=" + case_ref});
  ASSERT_EQ(sent.exit_code, 0) << sent.output << cn->Stderr();
  EXPECT_THAT(sent.output, HasSubstr("202 ACCEPTED "));
  EXPECT_THAT(sent.output, HasSubstr("NORMALIZED_NFC@/tip:CaseAlertMessage"));
  std::vector<v1::AlertRecord> alerts = AlertsOfCase(case_ref);
  ASSERT_EQ(alerts.size(), 1u) << cn->Stderr();
  bool precomposed = false;  // "ể" is U+1EC3 in NFC, E1 BB 83 in UTF-8
  for (const auto& name : alerts[0].alert().subjects(0).person().names()) {
    precomposed |= absl::StrContains(name.family() + name.given() + name.full(),
                                     "\xE1\xBB\x83");
  }
  EXPECT_TRUE(precomposed);
}

INSTANTIATE_TEST_SUITE_P(
    Partners, HttpsLinksTest,
    ::testing::Values(HttpsPartner{"KH-CNP", "kh_cnp_mock/kh-cnp-mock",
                                   "https://cnp.partner.example",
                                   "alert-outbound.json"},
                      HttpsPartner{"VN-MPS", "vn_mps_mock/vn-mps-mock",
                                   "https://tip.partner.example",
                                   "alert-outbound.xml"}),
    [](const ::testing::TestParamInfo<HttpsPartner>& info) {
      return std::string(info.param.agency[0] == 'K' ? "KhCnp" : "VnMps");
    });

}  // namespace
}  // namespace gw
