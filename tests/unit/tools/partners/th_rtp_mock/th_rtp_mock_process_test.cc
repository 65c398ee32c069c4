// tests/unit/tools/partners/th_rtp_mock/th_rtp_mock_process_test.cc
//
// The th-rtp-mock binary as tools/run-gateway and the integration tests use
// it: `serve` on a free port with the dev PKI (TH-RTP and CN-MPS), driven
// by an in-test mutual-TLS client that plays the gateway; `send` against a
// `serve` that plays the gateway (agencies swapped); help and usage errors.
#include <algorithm>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gateway/crypto/sha256.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gateway/util/file.h"
#include "gateway/util/uuid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/dev_pki.h"
#include "tests/unit/tools/partners/th_rtp_mock/mock_process.h"
#include "tools/partners/th_rtp_mock/th_dates.h"
#include "tools/partners/th_rtp_mock/th_frame_reader.h"
#include "tools/partners/th_rtp_mock/th_frame_writer.h"
#include "tools/partners/th_rtp_mock/tls_client.h"

namespace gw::th_rtp_mock {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using testing::MockServer;
using ::testing::Not;
using testing::RunMock;
using ::testing::StartsWith;

constexpr std::chrono::seconds kWait(20);

std::string Pki(const std::string& relative) {
  return absl::StrCat(gw::testing::DevPki::Get().dir(), "/", relative);
}

std::vector<std::string> ServeArgs(const std::string& store,
                                   std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--listen",
                                   "127.0.0.1:0",
                                   "--tls-cert",
                                   Pki("TH-RTP/gateway.crt"),
                                   "--tls-key",
                                   Pki("TH-RTP/gateway.key"),
                                   "--peer-ca",
                                   Pki("CN-MPS/ca.crt"),
                                   "--peer-crl",
                                   Pki("CN-MPS/crl.pem"),
                                   "--signing-key",
                                   Pki("TH-RTP/signing.key"),
                                   "--signing-cert",
                                   Pki("TH-RTP/signing.crt"),
                                   "--gateway-signing-cert",
                                   Pki("CN-MPS/signing.crt"),
                                   "--store",
                                   store};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

class ThRtpMockProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = gw::testing::MakeTempDir("th-rtp-mock-store") + "/store";
    auto signer = crypto::Signer::FromPemFiles(Pki("CN-MPS/signing.key"),
                                               Pki("CN-MPS/signing.crt"));
    ASSERT_TRUE(signer.ok()) << signer.status();
    gateway_signer_ = *std::move(signer);
    auto pem = util::ReadFile(Pki("TH-RTP/signing.crt"));
    ASSERT_TRUE(pem.ok()) << pem.status();
    auto key = crypto::Verifier::FromCertificatePem(*pem);
    ASSERT_TRUE(key.ok()) << key.status();
    partner_key_ = *std::move(key);
  }

  // A client playing the gateway (O=CN-MPS, OU=gateway by default).
  std::unique_ptr<TlsClient> Connect(const MockServer& server,
                                     const std::string& cert_base = "") {
    const std::string base =
        cert_base.empty() ? Pki("CN-MPS/gateway") : cert_base;
    auto client = TlsClient::Create(
        {base + ".crt", base + ".key", Pki("TH-RTP/ca.crt"), ""});
    EXPECT_TRUE(client.ok()) << client.status();
    if (!client.ok()) return nullptr;
    absl::Status connected =
        (*client)->Connect("127.0.0.1", server.port(), "localhost", "TH-RTP");
    EXPECT_TRUE(connected.ok()) << connected;
    return connected.ok() ? *std::move(client) : nullptr;
  }

  // An outbound alert body as the gateway sends it, signed with its key.
  std::string AlertBody(const std::string& message_id,
                        const std::string& case_ref) {
    AlertValues alert = SampleInboundAlert();
    alert.header = {message_id, "CN-MPS", "TH-RTP",
                    FormatBeTimestamp(absl::Now())};
    alert.alert_id = "CNMPS-ALERT-2026-000901";
    alert.case_ref = case_ref;
    alert.origin_agency = "CN-MPS";
    alert.originator = "yn-xsbn-inv-0107";
    alert.recipients = "TH-RTP";
    absl::StatusOr<std::string> body = EncodeAlert(alert, *gateway_signer_);
    EXPECT_TRUE(body.ok()) << body.status();
    return body.ok() ? *body : std::string();
  }

  // Reads the next frame and decodes it as the gateway would.
  DecodedFrame ReadAnswer(TlsClient& client) {
    absl::StatusOr<std::string> body = client.ReadFrame(kWait);
    EXPECT_TRUE(body.ok()) << body.status();
    if (!body.ok()) return {};
    ReaderOptions at_gateway;
    at_gateway.own_agency = "CN-MPS";
    at_gateway.peer_agency = "TH-RTP";
    at_gateway.peer_keys = {partner_key_.get()};
    ReadResult read = ReadFrame(*body, at_gateway);
    EXPECT_TRUE(read.ok()) << "invalid answer: " << read.rejection->code << " "
                           << read.rejection->field;
    return read.frame;
  }

  std::vector<nlohmann::json> LogLines() {
    std::vector<nlohmann::json> lines;
    std::ifstream in(store_ + "/received.jsonl");
    std::string line;
    while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
    return lines;
  }

  std::string store_;
  std::unique_ptr<crypto::Signer> gateway_signer_;
  std::unique_ptr<crypto::Verifier> partner_key_;
};

TEST_F(ThRtpMockProcessTest, ServeAcknowledgesAnAlertAndKeepsIt) {
  MockServer server(ServeArgs(store_));
  ASSERT_TRUE(server.ok()) << server.error();
  std::unique_ptr<TlsClient> client = Connect(server);
  ASSERT_NE(client, nullptr);
  const std::string id = util::NewUuidV4();
  const std::string body = AlertBody(id, "CN-YN-XSBN-2026-0042");
  ASSERT_TRUE(client->Write(WithLengthPrefix(body), kWait).ok());

  const DecodedFrame ak = ReadAnswer(*client);
  ASSERT_EQ(ak.header_type, "AK");
  EXPECT_EQ(ak.header().Get("ACK_MESSAGE_ID"), id);
  EXPECT_EQ(ak.header().Get("ACK_BODY_SHA256"), crypto::Sha256Hex(body));
  EXPECT_EQ(ak.header().Get("DUPLICATE"), "N");
  EXPECT_EQ(ak.header().Get("PARTNER_REF"),
            absl::StrCat("RTP-IN-", BeYear(absl::Now()), "-000001"));
  EXPECT_EQ(ak.key_id, partner_key_->key_id_hex());

  absl::StatusOr<std::string> stored =
      util::ReadFile(absl::StrCat(store_, "/received/", id, ".bin"));
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(*stored, WithLengthPrefix(body));
  const std::vector<nlohmann::json> lines = LogLines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["message_id"], id);
  EXPECT_EQ(lines[0]["type"], "AL");
  EXPECT_EQ(lines[0]["answer"], "AK");
  EXPECT_EQ(lines[0]["case_ref"], "CN-YN-XSBN-2026-0042");
  EXPECT_EQ(lines[0]["subjects"][0]["names"][0]["full"], "มาลี ทดสอบ");
  EXPECT_EQ(lines[0]["narrative_langs"], nlohmann::json::array({"th", "en"}));
  // stdout: the listening line, then one line per frame, without names.
  EXPECT_THAT(server.Stdout(), HasSubstr(absl::StrCat("AL ", id)));
  EXPECT_THAT(server.Stdout(), Not(HasSubstr("มาลี")));
}

TEST_F(ThRtpMockProcessTest, DuplicatesAreRecognisedAfterARestart) {
  const std::string id = util::NewUuidV4();
  const std::string body = AlertBody(id, "CN-YN-XSBN-2026-0043");
  std::string first_received;
  {
    MockServer server(ServeArgs(store_));
    ASSERT_TRUE(server.ok()) << server.error();
    std::unique_ptr<TlsClient> client = Connect(server);
    ASSERT_NE(client, nullptr);
    ASSERT_TRUE(client->Write(WithLengthPrefix(body), kWait).ok());
    const DecodedFrame ak = ReadAnswer(*client);
    first_received = ak.header().Get("RECEIVED_AT");
    EXPECT_EQ(server.Stop(), 0);
  }
  MockServer restarted(ServeArgs(store_));
  ASSERT_TRUE(restarted.ok()) << restarted.error();
  std::unique_ptr<TlsClient> client = Connect(restarted);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->Write(WithLengthPrefix(body), kWait).ok());
  const DecodedFrame again = ReadAnswer(*client);
  ASSERT_EQ(again.header_type, "AK");
  EXPECT_EQ(again.header().Get("DUPLICATE"), "Y");
  EXPECT_EQ(again.header().Get("RECEIVED_AT"), first_received);
  // The same id with another body is a conflict.
  const std::string other = AlertBody(id, "CN-YN-XSBN-2026-0044");
  ASSERT_TRUE(client->Write(WithLengthPrefix(other), kWait).ok());
  const DecodedFrame conflict = ReadAnswer(*client);
  EXPECT_EQ(conflict.header().Get("REASON_CODE"), "301");
}

TEST_F(ThRtpMockProcessTest, RefusedCasePrefixIsAPermanentRejection) {
  MockServer server(ServeArgs(store_, {"--refuse-case-prefix", "REFUSE-"}));
  ASSERT_TRUE(server.ok()) << server.error();
  std::unique_ptr<TlsClient> client = Connect(server);
  ASSERT_NE(client, nullptr);
  const std::string id = util::NewUuidV4();
  ASSERT_TRUE(
      client->Write(WithLengthPrefix(AlertBody(id, "REFUSE-0001")), kWait)
          .ok());
  const DecodedFrame nk = ReadAnswer(*client);
  ASSERT_EQ(nk.header_type, "NK");
  EXPECT_EQ(nk.header().Get("REASON_CODE"), "302");
  EXPECT_EQ(nk.header().Get("RETRYABLE"), "N");
  EXPECT_EQ(nk.header().Get("FIELD_NAME"), "AL.CASE_REF");
  EXPECT_EQ(nk.header().Get("NAK_MESSAGE_ID"), id);
  EXPECT_EQ(LogLines().back()["answer"], "NK 302");
}

TEST_F(ThRtpMockProcessTest, BadLengthGetsNk100ThenTheConnectionCloses) {
  MockServer server(ServeArgs(store_));
  ASSERT_TRUE(server.ok()) << server.error();
  std::unique_ptr<TlsClient> client = Connect(server);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(
      client->Write(std::string("\0\0\0\x10", 4) + std::string(16, 'x'), kWait)
          .ok());
  const DecodedFrame nk = ReadAnswer(*client);
  EXPECT_EQ(nk.header().Get("REASON_CODE"), "100");
  EXPECT_EQ(nk.header().Get("NAK_MESSAGE_ID"), "");
  const absl::StatusOr<std::string> after = client->ReadFrame(kWait);
  EXPECT_TRUE(absl::IsUnavailable(after.status())) << after.status();
}

TEST_F(ThRtpMockProcessTest, ControlFrameFromTheClientClosesTheConnection) {
  MockServer server(ServeArgs(store_));
  ASSERT_TRUE(server.ok()) << server.error();
  std::unique_ptr<TlsClient> client = Connect(server);
  ASSERT_NE(client, nullptr);
  AckValues ack;
  ack.header = {util::NewUuidV4(), "CN-MPS", "TH-RTP",
                FormatBeTimestamp(absl::Now())};
  ack.ack_message_id = util::NewUuidV4();
  ack.ack_body_sha256 = crypto::Sha256Hex("x");
  ack.received_at = ack.header.created_at;
  absl::StatusOr<std::string> body = EncodeAck(ack, *gateway_signer_);
  ASSERT_TRUE(body.ok());
  ASSERT_TRUE(client->Write(WithLengthPrefix(*body), kWait).ok());
  const absl::StatusOr<std::string> after = client->ReadFrame(kWait);
  EXPECT_TRUE(absl::IsUnavailable(after.status())) << after.status();
}

TEST_F(ThRtpMockProcessTest, ClientCertificateOfAnotherAgencyIsRefused) {
  MockServer server(ServeArgs(store_));
  ASSERT_TRUE(server.ok()) << server.error();
  // Chains to the CN-MPS CA but says O=KH-CNP.
  const std::string intruder = gw::testing::DevPki::Get().MintCertificate(
      "CN-MPS", "KH-CNP", "gateway", "intruder");
  auto client = TlsClient::Create(
      {intruder + ".crt", intruder + ".key", Pki("TH-RTP/ca.crt"), ""});
  ASSERT_TRUE(client.ok()) << client.status();
  absl::Status connected =
      (*client)->Connect("127.0.0.1", server.port(), "localhost", "TH-RTP");
  if (connected.ok()) {
    // TLS 1.3: the client finishes first; the server closes right after.
    (*client)
        ->Write(WithLengthPrefix(AlertBody(util::NewUuidV4(), "C-1")), kWait)
        .IgnoreError();
    const absl::StatusOr<std::string> answer = (*client)->ReadFrame(kWait);
    EXPECT_TRUE(absl::IsUnavailable(answer.status())) << answer.status();
  }
  EXPECT_TRUE(LogLines().empty());
}

TEST_F(ThRtpMockProcessTest, WindowOf32IsEnforcedWhileAnswersAreHeld) {
  MockServer server(ServeArgs(store_, {"--hold-answers-ms", "120000"}));
  ASSERT_TRUE(server.ok()) << server.error();
  std::unique_ptr<TlsClient> client = Connect(server);
  ASSERT_NE(client, nullptr);
  std::string last_id;
  for (int i = 0; i < 33; ++i) {
    last_id = util::NewUuidV4();
    ASSERT_TRUE(client
                    ->Write(WithLengthPrefix(AlertBody(
                                last_id, absl::StrCat("CN-WINDOW-", i))),
                            kWait)
                    .ok());
  }
  // The 32 are held; the 33rd is answered at once.
  const DecodedFrame nk = ReadAnswer(*client);
  ASSERT_EQ(nk.header_type, "NK");
  EXPECT_EQ(nk.header().Get("REASON_CODE"), "902");
  EXPECT_EQ(nk.header().Get("RETRYABLE"), "Y");
  EXPECT_EQ(nk.header().Get("NAK_MESSAGE_ID"), last_id);
}

TEST_F(ThRtpMockProcessTest, HeartbeatIsSentWhenIdle) {
  MockServer server(ServeArgs(store_, {"--heartbeat-interval-ms", "200"}));
  ASSERT_TRUE(server.ok()) << server.error();
  std::unique_ptr<TlsClient> client = Connect(server);
  ASSERT_NE(client, nullptr);
  const DecodedFrame heartbeat = ReadAnswer(*client);
  EXPECT_EQ(heartbeat.header_type, "HB");
  EXPECT_EQ(heartbeat.sender, "TH-RTP");
}

// `serve` playing the gateway: agencies, certificates and keys swapped.
std::vector<std::string> GatewayLikeServeArgs(
    const std::string& store, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--listen",
                                   "127.0.0.1:0",
                                   "--agency",
                                   "CN-MPS",
                                   "--peer-agency",
                                   "TH-RTP",
                                   "--tls-cert",
                                   Pki("CN-MPS/gateway.crt"),
                                   "--tls-key",
                                   Pki("CN-MPS/gateway.key"),
                                   "--peer-ca",
                                   Pki("TH-RTP/ca.crt"),
                                   "--signing-key",
                                   Pki("CN-MPS/signing.key"),
                                   "--signing-cert",
                                   Pki("CN-MPS/signing.crt"),
                                   "--gateway-signing-cert",
                                   Pki("TH-RTP/signing.crt"),
                                   "--store",
                                   store};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::vector<std::string> SendArgs(const std::string& port,
                                  std::vector<std::string> extra) {
  std::vector<std::string> args = {"send",
                                   "--to",
                                   absl::StrCat("127.0.0.1:", port),
                                   "--tls-cert",
                                   Pki("TH-RTP/gateway.crt"),
                                   "--tls-key",
                                   Pki("TH-RTP/gateway.key"),
                                   "--peer-ca",
                                   Pki("CN-MPS/ca.crt"),
                                   "--tls-server-name",
                                   "localhost",
                                   "--signing-key",
                                   Pki("TH-RTP/signing.key"),
                                   "--signing-cert",
                                   Pki("TH-RTP/signing.crt"),
                                   "--gateway-signing-cert",
                                   Pki("CN-MPS/signing.crt")};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST_F(ThRtpMockProcessTest, SendDeliversAndReportsDuplicates) {
  MockServer gateway(GatewayLikeServeArgs(store_));
  ASSERT_TRUE(gateway.ok()) << gateway.error();
  const std::string id = util::NewUuidV4();
  std::string out, err;
  const int status =
      RunMock(SendArgs(gateway.port(),
                       {"--kind", "alert", "--message-id", id, "--case-ref",
                        "RTP-CASE-2569-0007", "--repeat", "2", "--json"}),
              &out, &err);
  EXPECT_EQ(status, 0) << err;
  const std::vector<std::string> lines =
      absl::StrSplit(out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << out;
  const nlohmann::json first = nlohmann::json::parse(lines[0]);
  const nlohmann::json second = nlohmann::json::parse(lines[1]);
  EXPECT_EQ(first["answer"], "AK");
  EXPECT_EQ(first["message_id"], id);
  EXPECT_EQ(first["duplicate"], false);
  EXPECT_EQ(second["duplicate"], true);
  EXPECT_EQ(second["received_at"], first["received_at"]);
  EXPECT_EQ(second["partner_ref"], first["partner_ref"]);
  // What the gateway side decoded: TH-RTP's alert with the Thai name.
  const std::vector<nlohmann::json> log = LogLines();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0]["sender"], "TH-RTP");
  EXPECT_EQ(log[0]["case_ref"], "RTP-CASE-2569-0007");
  EXPECT_EQ(log[0]["origin_agency"], "TH-RTP");
  EXPECT_EQ(log[0]["subjects"][0]["birth_date"], "25540800");
  EXPECT_EQ(log[0]["subjects"][0]["names"][0]["full"], "มาลี ทดสอบ");
}

TEST_F(ThRtpMockProcessTest, SendExitsTwoOnNk) {
  MockServer gateway(
      GatewayLikeServeArgs(store_, {"--refuse-case-prefix", "REFUSE-"}));
  ASSERT_TRUE(gateway.ok()) << gateway.error();
  std::string out, err;
  const int status =
      RunMock(SendArgs(gateway.port(),
                       {"--kind", "repatriation-request", "--request-id",
                        "RTP-RQ-2569-000058", "--case-ref", "REFUSE-0113"}),
              &out, &err);
  EXPECT_EQ(status, 2) << err;
  EXPECT_THAT(out, StartsWith("NK 302 RQ.CASE_REF: "));
  EXPECT_THAT(out, HasSubstr("(retryable=N)"));
}

TEST_F(ThRtpMockProcessTest, SendSaysWhatToDoWhenNothingListens) {
  std::string out, err;
  const int status = RunMock(SendArgs("1", {"--kind", "alert"}), &out, &err);
  EXPECT_EQ(status, 1);
  EXPECT_THAT(err, StartsWith("th-rtp-mock: cannot connect to 127.0.0.1:1"));
  EXPECT_THAT(err, EndsWith(".\n"));
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
}

TEST(ThRtpMockCommandLineTest, HelpAndUsage) {
  std::string out, err;
  EXPECT_EQ(RunMock({"--help"}, &out, &err), 0);
  EXPECT_THAT(out, HasSubstr("Examples:"));
  EXPECT_EQ(RunMock({"serve", "--help"}, &out, &err), 0);
  EXPECT_THAT(out, HasSubstr("--refuse-case-prefix"));
  EXPECT_EQ(RunMock({"help", "send"}, &out, &err), 0);
  EXPECT_THAT(out, HasSubstr("--repeat"));

  EXPECT_EQ(RunMock({"send", "--kind", "alert", "--bogus", "1"}, &out, &err),
            3);
  EXPECT_EQ(err,
            "th-rtp-mock: send does not take --bogus; run 'th-rtp-mock send "
            "--help' for usage.\n");
  EXPECT_EQ(RunMock({"serve", "--listen", "127.0.0.1:0"}, &out, &err), 3);
  EXPECT_THAT(err, StartsWith("th-rtp-mock: serve needs --"));
  EXPECT_EQ(RunMock({"frobnicate"}, &out, &err), 3);
}

TEST(ThRtpMockCommandLineTest, UnreadableKeyIsAConfigurationError) {
  std::string out, err;
  std::vector<std::string> args = ServeArgs("/tmp/unused-th-rtp-store");
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--signing-key") args[i + 1] = "/nonexistent/signing.key";
  }
  args.insert(args.begin(), "serve");
  EXPECT_EQ(RunMock(args, &out, &err), 3);
  EXPECT_THAT(err, StartsWith("th-rtp-mock: --signing-key /nonexistent/"));
  EXPECT_THAT(err, EndsWith(".\n"));
}

}  // namespace
}  // namespace gw::th_rtp_mock
