// tests/unit/tools/partners/kh_cnp_mock/kh_serve_test.cc
//
// The KH-CNP mock's server over real sockets: mutual TLS with the dev PKI
// (KH-CNP server certificate, CN-MPS client certificate), driven by a
// client that signs like the gateway (CN-MPS signing key) and checks every
// response signature with KH-CNP's key: 202 with a signed ack, a resend
// answered 200 with the identical body, 409 for another body under the same
// id, 401 for a tampered body, an unknown key and a stale signature, 404,
// 405, 413, 415; the duplicate memory surviving a restart; a client
// certificate that is not OU=gateway getting no answer.
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "gateway/crypto/sha256.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gateway/util/file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/dev_pki.h"
#include "tests/support/rfc8032_keys.h"
#include "tests/support/scoped_temp_dir.h"
#include "tools/partners/http_mock/http_signature.h"
#include "tools/partners/http_mock/https_client.h"
#include "tools/partners/http_mock/receiver.h"
#include "tools/partners/http_mock/server.h"
#include "tools/partners/kh_cnp_mock/kh_format.h"

namespace gw::kh_cnp_mock {
namespace {

using http_mock::HeaderList;
using http_mock::HttpRequest;
using http_mock::HttpResponse;
using http_mock::HttpsClient;
using ::testing::HasSubstr;

constexpr char kId[] = "1c48fc5b-29bc-59f4-912a-1d9f44f64124";
constexpr char kBaseUri[] = "https://cnp.partner.example";
constexpr std::chrono::seconds kWait(20);

std::string Pki(const std::string& relative) {
  return absl::StrCat(gw::testing::DevPki::Get().dir(), "/", relative);
}

std::string AlertBody() {
  absl::StatusOr<std::string> text = util::ReadFile(
      absl::StrCat(GW_PARTNER_EXAMPLES_DIR, "/KH-CNP/alert-outbound.http"));
  EXPECT_TRUE(text.ok()) << text.status();
  absl::StatusOr<HttpRequest> request =
      http_mock::ParseRequestText(text.ok() ? *text : "");
  EXPECT_TRUE(request.ok()) << request.status();
  return request.ok() ? request->body : "";
}

struct PostOptions {
  std::string path = "/cnp/v1/alerts";
  std::string method = "POST";
  absl::Duration created_offset = absl::ZeroDuration();
  const crypto::Signer* signer = nullptr;  // default: the gateway's
  bool tamper = false;
  std::optional<std::string> content_type;
  std::optional<std::string> content_length;
};

class KhServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<KhCnpFormat>> format = KhCnpFormat::Create();
    ASSERT_TRUE(format.ok()) << format.status();
    format_ = *std::move(format);
    auto gateway = crypto::Signer::FromPemFiles(Pki("CN-MPS/signing.key"),
                                                Pki("CN-MPS/signing.crt"));
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_signer_ = *std::move(gateway);
    auto partner = crypto::Signer::FromPemFiles(Pki("KH-CNP/signing.key"),
                                                Pki("KH-CNP/signing.crt"));
    ASSERT_TRUE(partner.ok()) << partner.status();
    partner_signer_ = *std::move(partner);
    for (auto [agency, out] : {std::make_pair("CN-MPS", &gateway_key_),
                               std::make_pair("KH-CNP", &partner_key_)}) {
      auto pem = util::ReadFile(Pki(absl::StrCat(agency, "/signing.crt")));
      ASSERT_TRUE(pem.ok()) << pem.status();
      auto key = crypto::Verifier::FromCertificatePem(*pem);
      ASSERT_TRUE(key.ok()) << key.status();
      *out = *std::move(key);
    }
    StartServer();
  }

  void StartServer() {
    server_.reset();
    receiver_.reset();
    http_mock::ReceiverOptions options;
    options.base_uri = kBaseUri;
    options.store_dir = dir_.path() + "/store";
    options.partner_ref_prefix = "CNP-INT";
    options.peer_keys = {gateway_key_.get()};
    options.signer = partner_signer_.get();
    auto receiver = http_mock::Receiver::Open(*format_, std::move(options));
    ASSERT_TRUE(receiver.ok()) << receiver.status();
    receiver_ = *std::move(receiver);
    http_mock::ServerOptions server;
    server.tls = {Pki("KH-CNP/gateway.crt"), Pki("KH-CNP/gateway.key"),
                  Pki("CN-MPS/ca.crt"), Pki("CN-MPS/crl.pem")};
    auto started =
        http_mock::Server::Start(server, *receiver_, nullptr, nullptr);
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = *std::move(started);
  }

  std::unique_ptr<HttpsClient> Connect(const std::string& cert_base = "") {
    const std::string base =
        cert_base.empty() ? Pki("CN-MPS/gateway") : cert_base;
    auto client = HttpsClient::Create(
        {base + ".crt", base + ".key", Pki("KH-CNP/ca.crt"), ""});
    EXPECT_TRUE(client.ok()) << client.status();
    if (!client.ok()) return nullptr;
    absl::Status connected = (*client)->Connect(
        "127.0.0.1", absl::StrCat(server_->port()), "localhost", "KH-CNP");
    EXPECT_TRUE(connected.ok()) << connected;
    return connected.ok() ? *std::move(client) : nullptr;
  }

  // POSTs like the gateway; the response must be signed by KH-CNP.
  HttpResponse Post(HttpsClient& client, const std::string& body,
                    const PostOptions& options = {}) {
    const crypto::Signer& signer =
        options.signer != nullptr ? *options.signer : *gateway_signer_;
    absl::StatusOr<HeaderList> headers = http_mock::SignedRequestHeaders(
        signer, options.method, absl::StrCat(kBaseUri, options.path),
        "application/json", body, kId,
        absl::ToUnixSeconds(absl::Now() + options.created_offset));
    EXPECT_TRUE(headers.ok()) << headers.status();
    HttpRequest request{options.method, options.path,
                        headers.ok() ? *headers : HeaderList{},
                        options.tamper ? body + " " : body};
    if (options.content_type.has_value()) {
      for (auto& [name, value] : request.headers) {
        if (name == "Content-Type") value = *options.content_type;
      }
    }
    if (options.content_length.has_value()) {
      request.headers.emplace_back("Content-Length", *options.content_length);
      request.body.clear();
    }
    if (!client.connected()) {
      EXPECT_TRUE(client
                      .Connect("127.0.0.1", absl::StrCat(server_->port()),
                               "localhost", "KH-CNP")
                      .ok());
    }
    absl::StatusOr<HttpResponse> response =
        client.RoundTrip(request, "cnp.partner.example", kWait);
    EXPECT_TRUE(response.ok()) << response.status();
    if (!response.ok()) return {};
    http_mock::VerifyOptions verify;
    verify.keys = {partner_key_.get()};
    verify.now = absl::Now();
    auto verified =
        http_mock::VerifyResponseSignature(*response, std::string(kId), verify);
    EXPECT_TRUE(std::holds_alternative<http_mock::VerifiedMessage>(verified))
        << "unsigned or badly signed response: "
        << std::get<http_mock::Refusal>(verified).detail;
    return *response;
  }

  // "202" / "401 DIGEST_MISMATCH" from a verified response.
  std::string Outcome(const HttpResponse& response) {
    absl::StatusOr<http_mock::AnswerSummary> answer =
        format_->ReadAnswer(response.status, response.body);
    EXPECT_TRUE(answer.ok()) << answer.status() << ": " << response.body;
    if (!answer.ok() || answer->acknowledged) {
      return absl::StrCat(response.status);
    }
    return absl::StrCat(response.status, " ", answer->code);
  }

  gw::testing::ScopedTempDir dir_;
  std::unique_ptr<KhCnpFormat> format_;
  std::unique_ptr<crypto::Signer> gateway_signer_;
  std::unique_ptr<crypto::Signer> partner_signer_;
  std::unique_ptr<crypto::Verifier> gateway_key_;
  std::unique_ptr<crypto::Verifier> partner_key_;
  std::unique_ptr<http_mock::Receiver> receiver_;
  std::unique_ptr<http_mock::Server> server_;
};

TEST_F(KhServeTest, AcknowledgesOnceAndAnswersDuplicatesAndConflicts) {
  std::unique_ptr<HttpsClient> client = Connect();
  ASSERT_NE(client, nullptr);
  const std::string body = AlertBody();
  const HttpResponse first = Post(*client, body);
  ASSERT_EQ(Outcome(first), "202");
  const nlohmann::json ack = nlohmann::json::parse(first.body);
  EXPECT_EQ(ack["message_id"], kId);
  EXPECT_EQ(ack["sender"], "KH-CNP");
  EXPECT_EQ(ack["recipient"], "CN-MPS");
  EXPECT_EQ(ack["payload_sha256"], crypto::Sha256Hex(body));
  EXPECT_EQ(ack["partner_ref"].get<std::string>().substr(0, 8), "CNP-INT-");

  // Same connection (kept alive): an exact duplicate, then a conflict.
  ASSERT_TRUE(client->connected());
  const HttpResponse again = Post(*client, body);
  EXPECT_EQ(Outcome(again), "200");
  EXPECT_EQ(again.body, first.body);
  const std::string other =
      absl::StrReplaceAll(body, {{"\"URGENT\"", "\"HIGH\""}});
  EXPECT_EQ(Outcome(Post(*client, other)), "409 DUPLICATE_ID_CONFLICT");
  EXPECT_EQ(receiver_->accepted_count(), 1);

  // The duplicate memory survives a restart on the same store.
  client.reset();
  StartServer();
  client = Connect();
  ASSERT_NE(client, nullptr);
  const HttpResponse after = Post(*client, body);
  EXPECT_EQ(Outcome(after), "200");
  EXPECT_EQ(after.body, first.body);
  EXPECT_EQ(Outcome(Post(*client, other)), "409 DUPLICATE_ID_CONFLICT");
}

TEST_F(KhServeTest, RefusesWhatTheIcdRefuses) {
  std::unique_ptr<HttpsClient> client = Connect();
  ASSERT_NE(client, nullptr);
  const std::string body = AlertBody();
  PostOptions tampered;
  tampered.tamper = true;
  EXPECT_EQ(Outcome(Post(*client, body, tampered)), "401 DIGEST_MISMATCH");

  std::unique_ptr<crypto::Signer> unregistered = gw::testing::Rfc8032Signer(1);
  PostOptions unknown_key;
  unknown_key.signer = unregistered.get();
  EXPECT_EQ(Outcome(Post(*client, body, unknown_key)), "401 UNKNOWN_KEY");

  PostOptions stale;
  stale.created_offset = -absl::Seconds(400);
  EXPECT_EQ(Outcome(Post(*client, body, stale)), "401 SIGNATURE_EXPIRED");

  PostOptions bad_path;
  bad_path.path = "/cnp/v1/alert";
  EXPECT_EQ(Outcome(Post(*client, body, bad_path)), "404 WRONG_ENDPOINT");

  PostOptions get;
  get.method = "GET";
  EXPECT_EQ(Outcome(Post(*client, body, get)), "405 WRONG_ENDPOINT");

  PostOptions text;
  text.content_type = "text/plain";
  EXPECT_EQ(Outcome(Post(*client, body, text)), "415 UNSUPPORTED_MEDIA_TYPE");

  const std::string bad_date =
      absl::StrReplaceAll(body, {{"\"2011-08-05\"", "\"2011-13-05\""}});
  const HttpResponse refused = Post(*client, bad_date);
  EXPECT_EQ(Outcome(refused), "400 SCHEMA_VIOLATION");
  EXPECT_THAT(
      refused.body,
      HasSubstr("\"field\":\"/alert/subjects/0/person/date_of_birth\""));

  PostOptions huge;
  huge.content_length = "8388609";  // announced, never sent
  EXPECT_EQ(Outcome(Post(*client, body, huge)), "413 PAYLOAD_TOO_LARGE");
  EXPECT_FALSE(client->connected());

  // After all these refusals, the message is still new.
  EXPECT_EQ(Outcome(Post(*client, body)), "202");
}

TEST_F(KhServeTest, AClientCertificateThatIsNotAGatewayGetsNoAnswer) {
  auto client = HttpsClient::Create(
      {Pki("CN-MPS/investigator/investigator1.crt"),
       Pki("CN-MPS/investigator/investigator1.key"), Pki("KH-CNP/ca.crt"), ""});
  ASSERT_TRUE(client.ok()) << client.status();
  absl::Status connected = (*client)->Connect(
      "127.0.0.1", absl::StrCat(server_->port()), "localhost", "KH-CNP");
  if (connected.ok()) {
    absl::StatusOr<HeaderList> headers = http_mock::SignedRequestHeaders(
        *gateway_signer_, "POST", absl::StrCat(kBaseUri, "/cnp/v1/alerts"),
        "application/json", AlertBody(), kId, absl::ToUnixSeconds(absl::Now()));
    ASSERT_TRUE(headers.ok());
    HttpRequest request{"POST", "/cnp/v1/alerts", *headers, AlertBody()};
    EXPECT_FALSE(
        (*client)->RoundTrip(request, "cnp.partner.example", kWait).ok());
  }
  EXPECT_EQ(receiver_->accepted_count(), 0);
}

}  // namespace
}  // namespace gw::kh_cnp_mock
