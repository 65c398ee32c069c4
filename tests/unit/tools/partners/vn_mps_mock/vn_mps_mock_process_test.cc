// tests/unit/tools/partners/vn_mps_mock/vn_mps_mock_process_test.cc
//
// The vn-mps-mock binary as tools/run-gateway and the integration tests use
// it: `serve` on a free loopback port with the dev PKI (VN-MPS and CN-MPS),
// driven by an in-test mutual-TLS client that plays the gateway (a signed
// alert -> 202, the same again -> 200 with the same acknowledgement, the
// same id with other bytes -> 409, an invalid decision -> 400 at the
// location of VN-MPS.md §10); `send` against a `serve` that plays the
// gateway (agencies swapped); help and usage errors.
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gateway/crypto/sha256.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gateway/util/file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/child_process.h"
#include "tests/support/dev_pki.h"
#include "tests/unit/tools/partners/vn_mps_mock/vn_examples.h"
#include "tools/partners/http_mock/http_signature.h"
#include "tools/partners/http_mock/https_client.h"
#include "tools/partners/vn_mps_mock/vn_format.h"

namespace gw::vn_mps_mock {
namespace {

using gw::testing::ChildProcess;
using gw::testing::ProgramResult;
using gw::testing::RunProgram;
using testing::DecisionBody;
using testing::DecisionDocument;
using testing::Example;
using ::testing::HasSubstr;
using testing::kDecisionMessageId;
using testing::ReplaceOnce;

constexpr char kAlertId[] = "37c8e64b-0095-5398-8717-4b2f2a27a274";
constexpr char kBaseUri[] = "https://tip.partner.example";

std::string Pki(const std::string& relative) {
  return absl::StrCat(gw::testing::DevPki::Get().dir(), "/", relative);
}

std::string MockBinary() {
  return gw::testing::BuiltProgram("tools/partners/vn_mps_mock/vn-mps-mock");
}

// `serve` arguments for `agency` receiving from `peer`.
std::vector<std::string> ServeArgs(const std::string& agency,
                                   const std::string& peer,
                                   const std::string& store,
                                   std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"serve",
                                   "--listen",
                                   "127.0.0.1:0",
                                   "--tls-cert",
                                   Pki(agency + "/gateway.crt"),
                                   "--tls-key",
                                   Pki(agency + "/gateway.key"),
                                   "--peer-ca",
                                   Pki(peer + "/ca.crt"),
                                   "--peer-crl",
                                   Pki(peer + "/crl.pem"),
                                   "--signing-key",
                                   Pki(agency + "/signing.key"),
                                   "--signing-cert",
                                   Pki(agency + "/signing.crt"),
                                   "--gateway-signing-cert",
                                   Pki(peer + "/signing.crt"),
                                   "--store",
                                   store};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// The port of "vn-mps-mock listening on 127.0.0.1:PORT".
std::string PortOf(const ChildProcess& process) {
  const std::string output = process.Output();
  const std::string marker = "vn-mps-mock listening on 127.0.0.1:";
  const size_t at = output.find(marker);
  if (at == std::string::npos) return "";
  const size_t end = output.find('\n', at);
  return output.substr(at + marker.size(), end - at - marker.size());
}

std::unique_ptr<crypto::Verifier> VerifierOf(const std::string& pem_file) {
  absl::StatusOr<std::string> pem = util::ReadFile(pem_file);
  EXPECT_TRUE(pem.ok()) << pem.status();
  if (!pem.ok()) return nullptr;
  absl::StatusOr<std::unique_ptr<crypto::Verifier>> verifier =
      crypto::Verifier::FromCertificatePem(*pem);
  EXPECT_TRUE(verifier.ok()) << verifier.status();
  return verifier.ok() ? *std::move(verifier) : nullptr;
}

class VnMpsMockServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = gw::testing::MakeTempDir("vn-mps-mock-store") + "/store";
    mock_ = std::make_unique<ChildProcess>(
        MockBinary(), ServeArgs("VN-MPS", "CN-MPS", store_),
        "vn-mps-mock listening on");
    ASSERT_TRUE(mock_->ok()) << mock_->error();
    port_ = PortOf(*mock_);
    ASSERT_FALSE(port_.empty()) << mock_->Output();
    absl::StatusOr<std::unique_ptr<crypto::Signer>> signer =
        crypto::Signer::FromPemFiles(Pki("CN-MPS/signing.key"),
                                     Pki("CN-MPS/signing.crt"));
    ASSERT_TRUE(signer.ok()) << signer.status();
    gateway_signer_ = *std::move(signer);
    mock_key_ = VerifierOf(Pki("VN-MPS/signing.crt"));
    ASSERT_NE(mock_key_, nullptr);
    absl::StatusOr<std::unique_ptr<http_mock::HttpsClient>> client =
        http_mock::HttpsClient::Create({Pki("CN-MPS/gateway.crt"),
                                        Pki("CN-MPS/gateway.key"),
                                        Pki("VN-MPS/ca.crt"), ""});
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
    absl::StatusOr<std::unique_ptr<VnMpsFormat>> format = VnMpsFormat::Create();
    ASSERT_TRUE(format.ok()) << format.status();
    format_ = *std::move(format);
  }

  // POSTs `body` as the gateway does, signed `created_offset` s from now;
  // the response must be signed by the mock.
  http_mock::HttpResponse Post(const std::string& path, const std::string& body,
                               const std::string& message_id,
                               int created_offset = 0) {
    if (!client_->connected()) {
      const absl::Status connected =
          client_->Connect("127.0.0.1", port_, "127.0.0.1", "VN-MPS");
      EXPECT_TRUE(connected.ok()) << connected;
    }
    const int64_t created = absl::ToUnixSeconds(absl::Now()) + created_offset;
    absl::StatusOr<http_mock::HeaderList> headers =
        http_mock::SignedRequestHeaders(
            *gateway_signer_, "POST", absl::StrCat(kBaseUri, path),
            "application/xml", body, message_id, created);
    EXPECT_TRUE(headers.ok()) << headers.status();
    http_mock::HttpRequest request;
    request.method = "POST";
    request.target = path;
    request.headers = headers.ok() ? *headers : http_mock::HeaderList{};
    request.body = body;
    absl::StatusOr<http_mock::HttpResponse> response = client_->RoundTrip(
        request, "tip.partner.example", std::chrono::seconds(20));
    EXPECT_TRUE(response.ok()) << response.status();
    if (!response.ok()) return {};
    http_mock::VerifyOptions verify;
    verify.keys = {mock_key_.get()};
    verify.now = absl::Now();
    const auto verified = http_mock::VerifyResponseSignature(
        *response, std::optional<std::string>(message_id), verify);
    EXPECT_TRUE(std::holds_alternative<http_mock::VerifiedMessage>(verified))
        << "response not validly signed: "
        << std::get<http_mock::Refusal>(verified).code;
    return *response;
  }

  std::vector<nlohmann::json> ReceivedLines() const {
    std::vector<nlohmann::json> lines;
    std::ifstream in(store_ + "/received.jsonl");
    std::string line;
    while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
    return lines;
  }

  std::string store_;
  std::unique_ptr<ChildProcess> mock_;
  std::string port_;
  std::unique_ptr<crypto::Signer> gateway_signer_;
  std::unique_ptr<crypto::Verifier> mock_key_;
  std::unique_ptr<http_mock::HttpsClient> client_;
  std::unique_ptr<VnMpsFormat> format_;
};

TEST_F(VnMpsMockServeTest, AcknowledgesOnceAnswersDuplicatesAndConflicts) {
  const std::string body = Example("alert-outbound.xml");
  const http_mock::HttpResponse first = Post("/tip/v1/alerts", body, kAlertId);
  ASSERT_EQ(first.status, 202) << first.body;
  absl::StatusOr<http_mock::AnswerSummary> ack =
      format_->ReadAnswer(first.status, first.body);
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_TRUE(ack->acknowledged);
  EXPECT_EQ(ack->message_id, kAlertId);
  EXPECT_EQ(ack->payload_sha256, crypto::Sha256Hex(body));
  EXPECT_THAT(first.body, HasSubstr("<tip:SenderAgencyCode>VN-MPS<"));
  EXPECT_THAT(first.body, HasSubstr("<tip:PartnerReference>VN-MPS-IN-"));

  // The exact duplicate: 200 and the first acknowledgement, byte for byte.
  const http_mock::HttpResponse again =
      Post("/tip/v1/alerts", body, kAlertId, /*created_offset=*/1);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, first.body);

  // The same id for other bytes: 409 DUPLICATE_ID_CONFLICT.
  const std::string other =
      ReplaceOnce(body, "<tip:HandlingCode>H2<", "<tip:HandlingCode>H1<");
  const http_mock::HttpResponse conflict =
      Post("/tip/v1/alerts", other, kAlertId, /*created_offset=*/2);
  EXPECT_EQ(conflict.status, 409);
  absl::StatusOr<http_mock::AnswerSummary> refusal =
      format_->ReadAnswer(conflict.status, conflict.body);
  ASSERT_TRUE(refusal.ok()) << refusal.status();
  EXPECT_EQ(refusal->code, "DUPLICATE_ID_CONFLICT");

  const std::vector<nlohmann::json> lines = ReceivedLines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["status"], 202);
  EXPECT_EQ(lines[0]["summary"]["subjects"][0]["person"]["names"][0]["full"],
            "Kiểm Thị Thử");
  EXPECT_EQ(lines[0]["summary"]["exact_serialization"], true);
  EXPECT_EQ(lines[1]["duplicate"], true);
  EXPECT_EQ(lines[2]["code"], "DUPLICATE_ID_CONFLICT");
  absl::StatusOr<std::string> stored =
      util::ReadFile(absl::StrCat(store_, "/received/", kAlertId, ".xml"));
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(*stored, body);
}

TEST_F(VnMpsMockServeTest, RefusesTheDecisionOfSection10AsTheExampleShows) {
  const std::string body = DecisionDocument(ReplaceOnce(
      DecisionBody(),
      "    <tip:DecidingAgencyCode>CN-MPS</tip:DecidingAgencyCode>\n", ""));
  const http_mock::HttpResponse response =
      Post("/tip/v1/repatriation-decisions", body, kDecisionMessageId);
  EXPECT_EQ(response.status, 400);
  absl::StatusOr<http_mock::AnswerSummary> refusal =
      format_->ReadAnswer(response.status, response.body);
  ASSERT_TRUE(refusal.ok()) << refusal.status();
  EXPECT_EQ(refusal->code, "SCHEMA_VIOLATION");
  EXPECT_EQ(refusal->message_id, kDecisionMessageId);
  EXPECT_EQ(refusal->location,
            "/tip:RepatriationDecisionMessage/tip:RepatriationDecision/"
            "tip:DecisionDateTime");
  EXPECT_EQ(refusal->detail,
            "Element 'tip:DecisionDateTime': This element is not expected. "
            "Expected is ( tip:DecidingAgencyCode ).");
}

// `send` from a vn-mps-mock to a vn-mps-mock `serve` that plays the gateway
// (own agency CN-MPS, peer VN-MPS; its endpoints are /tip/v1/...).
class VnMpsMockSendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string store =
        gw::testing::MakeTempDir("vn-mps-mock-gateway") + "/store";
    gateway_ = std::make_unique<ChildProcess>(
        MockBinary(),
        ServeArgs("CN-MPS", "VN-MPS", store,
                  {"--agency", "CN-MPS", "--peer-agency", "VN-MPS",
                   "--base-uri", "https://gateway.mekong.example"}),
        "vn-mps-mock listening on");
    ASSERT_TRUE(gateway_->ok()) << gateway_->error();
    port_ = PortOf(*gateway_);
    ASSERT_FALSE(port_.empty()) << gateway_->Output();
  }

  ProgramResult Send(std::vector<std::string> extra) {
    std::vector<std::string> args = {"send",
                                     "--to",
                                     "127.0.0.1:" + port_,
                                     "--tls-cert",
                                     Pki("VN-MPS/gateway.crt"),
                                     "--tls-key",
                                     Pki("VN-MPS/gateway.key"),
                                     "--peer-ca",
                                     Pki("CN-MPS/ca.crt"),
                                     "--signing-key",
                                     Pki("VN-MPS/signing.key"),
                                     "--signing-cert",
                                     Pki("VN-MPS/signing.crt"),
                                     "--gateway-signing-cert",
                                     Pki("CN-MPS/signing.crt")};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunProgram(MockBinary(), args, 60);
  }

  std::unique_ptr<ChildProcess> gateway_;
  std::string port_;
};

TEST_F(VnMpsMockSendTest, SendsSamplesAndReportsTheAnswers) {
  ProgramResult sent = Send({"--kind", "repatriation_request", "--path",
                             "/tip/v1/repatriation-requests", "--repeat", "2"});
  EXPECT_EQ(sent.exit_code, 0) << sent.output;
  EXPECT_THAT(sent.output, HasSubstr("202 ACCEPTED"));
  EXPECT_THAT(sent.output, HasSubstr("200 ACCEPTED"));

  // The NFD sample: this mock refuses non-NFC (the gateway would warn).
  sent = Send({"--kind", "repatriation-request-nfd", "--path",
               "/tip/v1/repatriation-requests"});
  EXPECT_EQ(sent.exit_code, 2) << sent.output;
  EXPECT_THAT(sent.output, HasSubstr("400 NOT_NFC message_id=")) << sent.output;

  sent = Send({"--kind=invalid_repatriation_decision", "--path",
               "/tip/v1/repatriation-decisions"});
  EXPECT_EQ(sent.exit_code, 2) << sent.output;
  EXPECT_THAT(sent.output, HasSubstr("400 SCHEMA_VIOLATION message_id="));
  EXPECT_THAT(sent.output,
              HasSubstr("location=/tip:RepatriationDecisionMessage/"
                        "tip:RepatriationDecision/tip:DecisionDateTime"));
}

TEST(VnMpsMockCliTest, HelpAndUsageErrors) {
  ProgramResult help = RunProgram(MockBinary(), {"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.output, HasSubstr("VN-MPS"));
  help = RunProgram(MockBinary(), {"serve", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.output, HasSubstr("/tip/v1/repatriation-decisions"));
  EXPECT_THAT(help.output, HasSubstr("NOT_NFC"));
  help = RunProgram(MockBinary(), {"send", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.output, HasSubstr("invalid_repatriation_decision"));

  const ProgramResult unknown = RunProgram(MockBinary(), {"fly"});
  EXPECT_EQ(unknown.exit_code, 3);
  EXPECT_THAT(unknown.output, HasSubstr("vn-mps-mock: "));
  const ProgramResult missing =
      RunProgram(MockBinary(), {"serve", "--listen", "127.0.0.1:0"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_THAT(missing.output, HasSubstr("--help"));
}

}  // namespace
}  // namespace gw::vn_mps_mock
