// tests/unit/tools/partners/kh_cnp_mock/kh_cnp_mock_process_test.cc
//
// The kh-cnp-mock binary as tools/run-gateway and the integration tests use
// it: help texts and usage errors (exit 3); `serve` on a free port with the
// dev PKI, driven by an in-test client that signs like the gateway, keeping
// what it accepted; `send` against a second `serve` that plays the gateway
// (agencies swapped): 202, a 200 duplicate on --repeat, a signed refusal
// for a tampered or schema-invalid body (exit 2) and an answer signed with
// an unexpected key (exit 1).
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gateway/crypto/signer.h"
#include "gateway/util/file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/child_process.h"
#include "tests/support/dev_pki.h"
#include "tests/support/eventually.h"
#include "tools/partners/http_mock/http_message.h"
#include "tools/partners/http_mock/http_signature.h"
#include "tools/partners/http_mock/https_client.h"

namespace gw::kh_cnp_mock {
namespace {

using gw::testing::ChildProcess;
using gw::testing::ProgramResult;
using gw::testing::RunProgram;
using ::testing::HasSubstr;

constexpr char kMarker[] = "kh-cnp-mock listening on ";

std::string Binary() {
  return gw::testing::BuiltProgram("tools/partners/kh_cnp_mock/kh-cnp-mock");
}

std::string Pki(const std::string& relative) {
  return absl::StrCat(gw::testing::DevPki::Get().dir(), "/", relative);
}

std::string PortOf(const ChildProcess& process) {
  const std::string out = process.Output();
  const size_t at = out.find(kMarker);
  if (at == std::string::npos) return "";
  const std::string rest = out.substr(at + sizeof(kMarker) - 1);
  const std::string address = rest.substr(0, rest.find('\n'));
  return address.substr(address.rfind(':') + 1);
}

// serve as `agency` for `peer` (the other side), with its dev PKI files.
std::vector<std::string> ServeArgs(const std::string& store,
                                   const std::string& agency,
                                   const std::string& peer,
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

std::vector<std::string> SendArgs(const std::string& port,
                                  std::vector<std::string> extra) {
  std::vector<std::string> args = {"send",
                                   "--to",
                                   "127.0.0.1:" + port,
                                   "--tls-cert",
                                   Pki("KH-CNP/gateway.crt"),
                                   "--tls-key",
                                   Pki("KH-CNP/gateway.key"),
                                   "--peer-ca",
                                   Pki("CN-MPS/ca.crt"),
                                   "--tls-server-name",
                                   "localhost",
                                   "--signing-key",
                                   Pki("KH-CNP/signing.key"),
                                   "--signing-cert",
                                   Pki("KH-CNP/signing.crt"),
                                   "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.empty() || line.front() != '{') continue;
    nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
    if (!json.is_discarded()) lines.push_back(json);
  }
  return lines;
}

std::vector<nlohmann::json> ReceivedLog(const std::string& store) {
  absl::StatusOr<std::string> text = util::ReadFile(store + "/received.jsonl");
  return text.ok() ? JsonLines(*text) : std::vector<nlohmann::json>{};
}

TEST(KhCnpMockProcessTest, HelpDescribesEveryCommandWithExamples) {
  const ProgramResult top = RunProgram(Binary(), {"--help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_THAT(top.output, HasSubstr("Exit codes:"));
  EXPECT_THAT(top.output, HasSubstr("Examples:\n  certs/make-dev-pki var/pki"));
  const ProgramResult serve = RunProgram(Binary(), {"serve", "--help"});
  EXPECT_EQ(serve.exit_code, 0);
  EXPECT_THAT(serve.output, HasSubstr("--refuse-case-prefix PREFIX"));
  EXPECT_THAT(serve.output, HasSubstr("POST /cnp/v1/alerts"));
  EXPECT_THAT(serve.output, HasSubstr("Examples:\n  kh-cnp-mock serve"));
  const ProgramResult send = RunProgram(Binary(), {"help", "send"});
  EXPECT_EQ(send.exit_code, 0);
  EXPECT_THAT(send.output, HasSubstr("--tamper-body"));
  EXPECT_THAT(send.output, HasSubstr("POST /gw/kh/v1/repatriation-requests"));
  EXPECT_THAT(send.output, HasSubstr("Examples:\n  kh-cnp-mock send"));
}

TEST(KhCnpMockProcessTest, UsageErrorsExitWith3AndOneSentence) {
  struct Case {
    std::vector<std::string> args;
    const char* says;
  };
  const Case cases[] = {
      {{}, "no command given"},
      {{"frobnicate"}, "there is no command 'frobnicate'"},
      {{"serve"}, "serve needs --"},
      {{"serve", "--listen"}, "--listen needs a value"},
      {ServeArgs("/tmp/x", "KH-CNP", "CN-MPS", {"--listen", "nowhere"}),
       "is given twice"},
      {SendArgs("1", {"--gateway-signing-cert", Pki("CN-MPS/signing.crt"),
                      "--kind", "case_status"}),
       "--kind must be alert or repatriation_request"},
      {SendArgs("1", {"--gateway-signing-cert", Pki("CN-MPS/signing.crt"),
                      "--message-id", "NOT-A-UUID"}),
       "--message-id needs a lowercase UUID"},
      {SendArgs("1", {"--gateway-signing-cert", Pki("CN-MPS/signing.crt"),
                      "--gateway-base-uri", "http://x/"}),
       "--gateway-base-uri needs"},
      {SendArgs("1", {"--gateway-signing-cert", Pki("CN-MPS/signing.crt"),
                      "--signing-key", Pki("KH-CNP/gateway.key")}),
       "is given twice"},
  };
  for (const Case& c : cases) {
    const ProgramResult result = RunProgram(Binary(), c.args);
    EXPECT_EQ(result.exit_code, 3) << result.output;
    EXPECT_THAT(result.output, HasSubstr(c.says));
    EXPECT_THAT(result.output, HasSubstr("kh-cnp-mock: "));
  }
  const ProgramResult missing_key = RunProgram(
      Binary(),
      SendArgs("1", {"--gateway-signing-cert", Pki("CN-MPS/no-such.crt")}));
  EXPECT_EQ(missing_key.exit_code, 3) << missing_key.output;
  EXPECT_THAT(missing_key.output, HasSubstr("--gateway-signing-cert"));
}

TEST(KhCnpMockProcessTest, ServeKeepsWhatTheGatewayDelivers) {
  const std::string store =
      gw::testing::MakeTempDir("kh-cnp-mock-store") + "/store";
  ChildProcess serve(Binary(), ServeArgs(store, "KH-CNP", "CN-MPS"),
                     "listening on");
  ASSERT_TRUE(serve.ok()) << serve.error();
  const std::string port = PortOf(serve);
  ASSERT_FALSE(port.empty()) << serve.Output();

  auto client = http_mock::HttpsClient::Create({Pki("CN-MPS/gateway.crt"),
                                                Pki("CN-MPS/gateway.key"),
                                                Pki("KH-CNP/ca.crt"), ""});
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_TRUE(
      (*client)->Connect("127.0.0.1", port, "localhost", "KH-CNP").ok());
  auto signer = crypto::Signer::FromPemFiles(Pki("CN-MPS/signing.key"),
                                             Pki("CN-MPS/signing.crt"));
  ASSERT_TRUE(signer.ok()) << signer.status();
  absl::StatusOr<std::string> text = util::ReadFile(
      absl::StrCat(GW_PARTNER_EXAMPLES_DIR, "/KH-CNP/alert-outbound.http"));
  ASSERT_TRUE(text.ok());
  absl::StatusOr<http_mock::HttpRequest> example =
      http_mock::ParseRequestText(*text);
  ASSERT_TRUE(example.ok());
  const std::string id = "1c48fc5b-29bc-59f4-912a-1d9f44f64124";
  absl::StatusOr<http_mock::HeaderList> headers =
      http_mock::SignedRequestHeaders(
          **signer, "POST", "https://cnp.partner.example/cnp/v1/alerts",
          "application/json", example->body, id,
          absl::ToUnixSeconds(absl::Now()));
  ASSERT_TRUE(headers.ok());
  absl::StatusOr<http_mock::HttpResponse> response =
      (*client)->RoundTrip({"POST", "/cnp/v1/alerts", *headers, example->body},
                           "cnp.partner.example", std::chrono::seconds(20));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 202) << response->body;

  ASSERT_TRUE(
      gw::testing::Eventually([&] { return !ReceivedLog(store).empty(); }, 20));
  const nlohmann::json line = ReceivedLog(store)[0];
  EXPECT_EQ(line["status"], 202);
  EXPECT_EQ(line["message_id"], id);
  EXPECT_EQ(line["case_ref"], "CN-YN-XSBN-2026-0042");
  EXPECT_EQ(line["summary"]["alert"]["alert_id"], "CNMPS-ALERT-2026-000732");
  absl::StatusOr<std::string> stored =
      util::ReadFile(absl::StrCat(store, "/received/", id, ".json"));
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(*stored, example->body);
  EXPECT_TRUE(gw::testing::Eventually(
      [&] {
        return serve.Output().find(absl::StrCat(
                   "202 POST /cnp/v1/alerts alert ", id)) != std::string::npos;
      },
      20))
      << serve.Output();
  EXPECT_EQ(serve.Terminate(), 0);
}

// `send` against a `serve` that plays the gateway: CN-MPS's certificates
// and keys, base URI https://gateway.mekong.example; the sample goes to its
// /cnp/v1/... path (the only paths `serve` has).
class KhCnpMockSendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = gw::testing::MakeTempDir("kh-cnp-mock-gw") + "/store";
    gateway_ = std::make_unique<ChildProcess>(
        Binary(),
        ServeArgs(store_, "CN-MPS", "KH-CNP",
                  {"--agency", "CN-MPS", "--peer-agency", "KH-CNP",
                   "--base-uri", "https://gateway.mekong.example"}),
        "listening on");
    ASSERT_TRUE(gateway_->ok()) << gateway_->error();
    port_ = PortOf(*gateway_);
    ASSERT_FALSE(port_.empty());
  }

  ProgramResult Send(std::vector<std::string> extra,
                     const std::string& gateway_cert = "CN-MPS/signing.crt") {
    extra.insert(extra.end(), {"--gateway-signing-cert", Pki(gateway_cert)});
    return RunProgram(Binary(), SendArgs(port_, extra));
  }

  std::string store_;
  std::unique_ptr<ChildProcess> gateway_;
  std::string port_;
};

TEST_F(KhCnpMockSendTest, SendsAndReportsAcksAndDuplicates) {
  const std::string id = "5d2a6c1e-8d4b-4f7a-9c2e-1b5d7e9f0a12";
  const ProgramResult sent =
      Send({"--kind", "repatriation_request", "--path",
            "/cnp/v1/repatriation-requests", "--message-id", id, "--case-ref",
            "KH-DEMO-0001", "--repeat", "2"});
  ASSERT_EQ(sent.exit_code, 0) << sent.output << gateway_->Output();
  const std::vector<nlohmann::json> answers = JsonLines(sent.output);
  ASSERT_EQ(answers.size(), 2u) << sent.output;
  EXPECT_EQ(answers[0]["status"], 202);
  EXPECT_EQ(answers[0]["acknowledged"], true);
  EXPECT_EQ(answers[0]["duplicate"], false);
  EXPECT_EQ(answers[0]["message_id"], id);
  EXPECT_EQ(answers[1]["status"], 200);
  EXPECT_EQ(answers[1]["duplicate"], true);
  EXPECT_EQ(answers[1]["received_at"], answers[0]["received_at"]);
  const std::vector<nlohmann::json> log = ReceivedLog(store_);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0]["case_ref"], "KH-DEMO-0001");
  EXPECT_EQ(log[0]["kind"], "repatriation_request");

  const ProgramResult alert = Send({"--path", "/cnp/v1/alerts"});
  EXPECT_EQ(alert.exit_code, 0) << alert.output;
  EXPECT_THAT(alert.output, HasSubstr("\"status\":202"));
}

TEST_F(KhCnpMockSendTest, SignedRefusalsExitWith2) {
  const ProgramResult tampered =
      Send({"--path", "/cnp/v1/alerts", "--tamper-body"});
  EXPECT_EQ(tampered.exit_code, 2) << tampered.output;
  EXPECT_THAT(tampered.output, HasSubstr("\"code\":\"DIGEST_MISMATCH\""));

  // A schema-invalid file, sent as is under its own message id.
  absl::StatusOr<std::string> text = util::ReadFile(absl::StrCat(
      GW_PARTNER_EXAMPLES_DIR, "/KH-CNP/repatriation-request-inbound.http"));
  ASSERT_TRUE(text.ok());
  absl::StatusOr<http_mock::HttpRequest> example =
      http_mock::ParseRequestText(*text);
  ASSERT_TRUE(example.ok());
  const std::string file =
      gw::testing::MakeTempDir("kh-cnp-mock-body") + "/bad.json";
  std::ofstream(file) << absl::StrReplaceAll(
      example->body, {{"\"2026-04-09\"", "\"2026-04-31\""}});
  const ProgramResult invalid =
      Send({"--kind", "repatriation_request", "--path",
            "/cnp/v1/repatriation-requests", "--body", file});
  EXPECT_EQ(invalid.exit_code, 2) << invalid.output;
  const std::vector<nlohmann::json> answers = JsonLines(invalid.output);
  ASSERT_EQ(answers.size(), 1u) << invalid.output;
  EXPECT_EQ(answers[0]["status"], 400);
  EXPECT_EQ(answers[0]["code"], "SCHEMA_VIOLATION");
  EXPECT_EQ(answers[0]["location"],
            "/repatriation_request/proposed_handover/date");
  EXPECT_EQ(answers[0]["message_id"], "0aa68b7a-eede-5f6f-a6af-68a3a94b7403");

  const ProgramResult wrong_path = Send({"--path", "/gw/kh/v1/alerts"});
  EXPECT_EQ(wrong_path.exit_code, 2) << wrong_path.output;
  EXPECT_THAT(wrong_path.output, HasSubstr("\"status\":404"));
}

TEST_F(KhCnpMockSendTest, AnAnswerSignedWithAnotherKeyIsATransportFailure) {
  const ProgramResult result =
      Send({"--path", "/cnp/v1/alerts"}, "TH-RTP/signing.crt");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_THAT(result.output, HasSubstr("not validly signed: UNKNOWN_KEY"));
}

TEST_F(KhCnpMockSendTest, NoListenerIsATransportFailure) {
  gateway_->Terminate();
  const ProgramResult result = Send({"--path", "/cnp/v1/alerts"});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_THAT(result.output, HasSubstr("kh-cnp-mock: "));
}

}  // namespace
}  // namespace gw::kh_cnp_mock
