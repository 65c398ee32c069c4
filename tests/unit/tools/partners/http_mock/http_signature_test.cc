// tests/unit/tools/partners/http_mock/http_signature_test.cc
//
// The mock partners' own RFC 9421 / RFC 9530 code against the ICDs: the
// signature bases of KH-CNP.md §6.2 and §6.3 byte for byte, every .http
// example of KH-CNP and VN-MPS verifying with the RFC 8032 test keys,
// signing reproducing the example signatures, and each refusal of
// KH-CNP.md §6.4 steps 5-10 in its order.
#include "tools/partners/http_mock/http_signature.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gateway/util/file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/rfc8032_keys.h"

namespace gw::http_mock {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kAlertCreated = 1773455405;

std::string Example(const std::string& name) {
  absl::StatusOr<std::string> text =
      util::ReadFile(absl::StrCat(GW_PARTNER_EXAMPLES_DIR, "/", name));
  EXPECT_TRUE(text.ok()) << text.status();
  return text.ok() ? *text : "";
}

HttpRequest ExampleRequest(const std::string& name) {
  absl::StatusOr<HttpRequest> request = ParseRequestText(Example(name));
  EXPECT_TRUE(request.ok()) << name << ": " << request.status();
  return request.ok() ? *request : HttpRequest{};
}

HttpResponse ExampleResponse(const std::string& name) {
  absl::StatusOr<HttpResponse> response = ParseResponseText(Example(name));
  EXPECT_TRUE(response.ok()) << name << ": " << response.status();
  return response.ok() ? *response : HttpResponse{};
}

std::string Header(const HeaderList& headers, const std::string& name) {
  std::vector<std::string> values = HeaderValues(headers, name);
  return values.size() == 1 ? values[0] : "";
}

// Replaces every field `name` (or adds one) with `value`; nullopt removes.
void SetHeader(HeaderList* headers, const std::string& name,
               std::optional<std::string> value) {
  HeaderList out;
  for (auto& [n, v] : *headers) {
    if (!absl::EqualsIgnoreCase(n, name)) out.emplace_back(n, v);
  }
  if (value.has_value()) out.emplace_back(name, *value);
  *headers = std::move(out);
}

int64_t CreatedOf(const HeaderList& headers) {
  const std::string input = Header(headers, "signature-input");
  const size_t at = input.find("created=");
  return std::stoll(input.substr(at + 8));
}

class HttpSignatureTest : public ::testing::Test {
 protected:
  HttpSignatureTest()
      : gateway_signer_(gw::testing::Rfc8032Signer(1)),
        partner_signer_(gw::testing::Rfc8032Signer(2)),
        gateway_key_(gw::testing::Rfc8032Verifier(1)),
        partner_key_(gw::testing::Rfc8032Verifier(2)) {}

  VerifyOptions At(int64_t now, std::vector<const crypto::Verifier*> keys) {
    VerifyOptions options;
    options.keys = std::move(keys);
    options.now = absl::FromUnixSeconds(now);
    return options;
  }

  // The alert of §6.2 as KH-CNP receives it, checked at its `created`.
  std::variant<VerifiedMessage, Refusal> VerifyAlert(
      const HttpRequest& request, int64_t now = kAlertCreated) {
    return VerifyRequestSignature(request,
                                  "https://cnp.partner.example/cnp/v1/alerts",
                                  At(now, {gateway_key_.get()}));
  }

  static std::string CodeOf(const std::variant<VerifiedMessage, Refusal>& v) {
    if (const Refusal* refusal = std::get_if<Refusal>(&v)) {
      return absl::StrCat(refusal->http_status, " ", refusal->code);
    }
    return "OK";
  }

  std::unique_ptr<crypto::Signer> gateway_signer_;
  std::unique_ptr<crypto::Signer> partner_signer_;
  std::unique_ptr<crypto::Verifier> gateway_key_;
  std::unique_ptr<crypto::Verifier> partner_key_;
};

TEST_F(HttpSignatureTest, RequestSignatureBaseIsTheOneOfSection62) {
  const HttpRequest request = ExampleRequest("KH-CNP/alert-outbound.http");
  SignatureParams params;
  params.components = RequestComponents();
  params.created = kAlertCreated;
  params.keyid = gw::testing::kRfc8032Test1KeyId;
  ComponentValues values;
  values.method = request.method;
  values.target_uri = "https://cnp.partner.example" + request.target;
  values.content_digest = Header(request.headers, "content-digest");
  values.message_id = Header(request.headers, "gw-message-id");
  absl::StatusOr<std::string> base = SignatureBase(params, values);
  ASSERT_TRUE(base.ok()) << base.status();
  EXPECT_EQ(
      *base,
      "\"@method\": POST\n"
      "\"@target-uri\": https://cnp.partner.example/cnp/v1/alerts\n"
      "\"content-digest\": "
      "sha-256=:2m3504jiZzbzisofDq9UVxk0TOHrXCMp5j+uZvvbXyg=:\n"
      "\"gw-message-id\": 1c48fc5b-29bc-59f4-912a-1d9f44f64124\n"
      "\"@signature-params\": (\"@method\" \"@target-uri\" "
      "\"content-digest\" \"gw-message-id\");created=1773455405;keyid="
      "\"06e3fd8fda29bb60ab59557de61edb0aecdb231134be30e75b455f8e1b792fa9\";"
      "alg=\"ed25519\"");
  EXPECT_EQ(base->size(), 385u);
}

TEST_F(HttpSignatureTest, ResponseSignatureBaseIsTheOneOfSection63) {
  const HttpResponse response = ExampleResponse("KH-CNP/ack-202-inbound.http");
  SignatureParams params;
  params.components = ResponseComponents(true);
  params.created = 1773455406;
  params.keyid = gw::testing::kRfc8032Test2KeyId;
  ComponentValues values;
  values.status = response.status;
  values.content_digest = Header(response.headers, "content-digest");
  values.message_id = Header(response.headers, "gw-message-id");
  absl::StatusOr<std::string> base = SignatureBase(params, values);
  ASSERT_TRUE(base.ok()) << base.status();
  EXPECT_EQ(
      *base,
      "\"@status\": 202\n"
      "\"content-digest\": "
      "sha-256=:DCM2cCh6H6WiFLY6Gtk/d7ngJJnQf9zxFtQAE7b0B0E=:\n"
      "\"gw-message-id\": 1c48fc5b-29bc-59f4-912a-1d9f44f64124\n"
      "\"@signature-params\": (\"@status\" \"content-digest\" "
      "\"gw-message-id\");created=1773455406;keyid="
      "\"deb2ded39dc26fce0e6085b6fc34bf6b5941913bbfe2ea614113cff9e004c170\";"
      "alg=\"ed25519\"");
}

TEST_F(HttpSignatureTest, SigningReproducesTheExampleSignatures) {
  const HttpRequest request = ExampleRequest("KH-CNP/alert-outbound.http");
  absl::StatusOr<HeaderList> signed_request = SignedRequestHeaders(
      *gateway_signer_, "POST", "https://cnp.partner.example/cnp/v1/alerts",
      "application/json", request.body, "1c48fc5b-29bc-59f4-912a-1d9f44f64124",
      kAlertCreated);
  ASSERT_TRUE(signed_request.ok()) << signed_request.status();
  for (const char* name :
       {"content-digest", "gw-message-id", "signature-input", "signature"}) {
    EXPECT_EQ(Header(*signed_request, name), Header(request.headers, name))
        << name;
  }

  const HttpResponse response = ExampleResponse("KH-CNP/ack-202-inbound.http");
  absl::StatusOr<HeaderList> signed_response = SignedResponseHeaders(
      *partner_signer_, 202, "application/json", response.body,
      std::string("1c48fc5b-29bc-59f4-912a-1d9f44f64124"), 1773455406);
  ASSERT_TRUE(signed_response.ok()) << signed_response.status();
  for (const char* name : {"content-type", "content-digest", "gw-message-id",
                           "signature-input", "signature"}) {
    EXPECT_EQ(Header(*signed_response, name), Header(response.headers, name))
        << name;
  }
}

TEST_F(HttpSignatureTest, EveryExampleOfBothIcdsVerifies) {
  const std::vector<const crypto::Verifier*> both = {gateway_key_.get(),
                                                     partner_key_.get()};
  int checked = 0;
  for (const char* partner : {"KH-CNP", "VN-MPS"}) {
    const std::string dir = absl::StrCat(GW_PARTNER_EXAMPLES_DIR, "/", partner);
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (!absl::EndsWith(name, ".http")) continue;
      const std::string file = absl::StrCat(partner, "/", name);
      const bool inbound = absl::StrContains(name, "-inbound");
      const std::string text = Example(file);
      std::variant<VerifiedMessage, Refusal> verified;
      bool request = absl::StartsWith(text, "POST ");
      if (request) {
        const HttpRequest parsed = ExampleRequest(file);
        const std::string base = inbound
                                     ? "https://gateway.mekong.example"
                                     : (std::string(partner) == "KH-CNP"
                                            ? "https://cnp.partner.example"
                                            : "https://tip.partner.example");
        verified = VerifyRequestSignature(parsed, base + parsed.target,
                                          At(CreatedOf(parsed.headers), both));
      } else {
        const HttpResponse parsed = ExampleResponse(file);
        verified = VerifyResponseSignature(
            parsed, Header(parsed.headers, "gw-message-id"),
            At(CreatedOf(parsed.headers), both));
      }
      ASSERT_EQ(CodeOf(verified), "OK") << file;
      // Inbound requests and the partner's answers ("-inbound" files)
      // carry the partner key (TEST 2); the gateway's messages TEST 1.
      EXPECT_EQ(std::get<VerifiedMessage>(verified).key_id,
                inbound ? gw::testing::kRfc8032Test2KeyId
                        : gw::testing::kRfc8032Test1KeyId)
          << file;
      ++checked;
    }
  }
  EXPECT_GE(checked, 12);
}

TEST_F(HttpSignatureTest, ContentDigestIsSha256OfTheBody) {
  const HttpRequest request = ExampleRequest("KH-CNP/alert-outbound.http");
  EXPECT_EQ(request.body.size(), 1181u);
  EXPECT_EQ(ContentDigestValue(request.body),
            "sha-256=:2m3504jiZzbzisofDq9UVxk0TOHrXCMp5j+uZvvbXyg=:");
  EXPECT_TRUE(ParseContentDigestValue(ContentDigestValue("x")).has_value());
  for (const char* bad :
       {"sha-512=:2m3504jiZzbzisofDq9UVxk0TOHrXCMp5j+uZvvbXyg=:",
        "sha-256=:2m3504jiZzbzisofDq9UVxk0TOHrXCMp5j+uZvvbXyg=",
        "sha-256=:2m3504jiZzbzisofDq9UVxk0TOHrXCMp5j+uZvvbXyh=:",
        "sha-256=:AAAA:",
        "sha-256=:2m3504jiZzbzisofDq9UVxk0TOHrXCMp5j+uZvvbXyg=:,"
        " sha-512=:AAAA:"}) {
    EXPECT_FALSE(ParseContentDigestValue(bad).has_value()) << bad;
  }
}

TEST_F(HttpSignatureTest, Base64DecodesOnlyTheCanonicalForm) {
  EXPECT_EQ(Base64DecodeStrict("aGk="), "hi");
  EXPECT_FALSE(Base64DecodeStrict("aGk").has_value());
  EXPECT_FALSE(Base64DecodeStrict("aGl=").has_value());  // spare bits set
  EXPECT_FALSE(Base64DecodeStrict("aG k=").has_value());
  EXPECT_FALSE(Base64DecodeStrict("aGk-").has_value());
}

TEST_F(HttpSignatureTest, StructuredFieldWhiteSpaceIsAccepted) {
  HttpRequest request = ExampleRequest("KH-CNP/alert-outbound.http");
  const std::string input = Header(request.headers, "signature-input");
  SetHeader(
      &request.headers, "Signature-Input",
      " " +
          absl::StrReplaceAll(
              input, {{"(\"", "(  \""}, {"\" \"", "\"   \""}, {";", "; "}}) +
          "  ");
  EXPECT_EQ(CodeOf(VerifyAlert(request)), "OK");
}

TEST_F(HttpSignatureTest, Step5RefusesWhatIsNotTheProfile) {
  const HttpRequest good = ExampleRequest("KH-CNP/alert-outbound.http");
  const std::string input = Header(good.headers, "signature-input");
  const std::string signature = Header(good.headers, "signature");
  struct Case {
    const char* what;
    std::optional<std::string> input;
    std::optional<std::string> signature;
    const char* expected;
  };
  const std::string sig_b64 = signature.substr(6, signature.size() - 7);
  const Case cases[] = {
      {"no Signature-Input", std::nullopt, signature, "401 SIGNATURE_MISSING"},
      {"no Signature", input, std::nullopt, "401 SIGNATURE_MISSING"},
      {"label sig2", absl::StrReplaceAll(input, {{"sig1=", "sig2="}}),
       signature, "401 SIGNATURE_MISSING"},
      {"two labels", input + ", sig2=();created=1", signature,
       "401 SIGNATURE_MISSING"},
      {"components reordered",
       absl::StrReplaceAll(input, {{"\"@method\" \"@target-uri\"",
                                    "\"@target-uri\" \"@method\""}}),
       signature, "401 SIGNATURE_MISSING"},
      {"component missing",
       absl::StrReplaceAll(input, {{" \"gw-message-id\"", ""}}), signature,
       "401 SIGNATURE_MISSING"},
      {"expires added",
       absl::StrReplaceAll(input, {{";alg=", ";expires=1773455705;alg="}}),
       signature, "401 SIGNATURE_MISSING"},
      {"parameters reordered",
       absl::StrReplaceAll(input, {{";created=1773455405;keyid=", ";keyid="},
                                   {"\";alg=\"ed25519\"",
                                    "\";created=1773455405;alg=\"ed25519\""}}),
       signature, "401 SIGNATURE_MISSING"},
      {"alg rsa", absl::StrReplaceAll(input, {{"ed25519", "rsa-pss-sha512"}}),
       signature, "401 SIGNATURE_MISSING"},
      {"created as a string",
       absl::StrReplaceAll(input, {{"created=1773455405", "created=\"x\""}}),
       signature, "401 SIGNATURE_MISSING"},
      {"signature label sig2", input,
       absl::StrReplaceAll(signature, {{"sig1=", "sig2="}}),
       "401 SIGNATURE_INVALID"},
      {"63-byte signature", input,
       "sig1=:" + Base64Encode(std::string(63, 'x')) + ":",
       "401 SIGNATURE_INVALID"},
      {"signature not a byte sequence", input, "sig1=\"" + sig_b64 + "\"",
       "401 SIGNATURE_INVALID"},
  };
  for (const Case& c : cases) {
    HttpRequest request = good;
    SetHeader(&request.headers, "Signature-Input", c.input);
    SetHeader(&request.headers, "Signature", c.signature);
    EXPECT_EQ(CodeOf(VerifyAlert(request)), c.expected) << c.what;
  }
  HttpRequest twice = good;
  twice.headers.emplace_back("Signature-Input", input);
  EXPECT_EQ(CodeOf(VerifyAlert(twice)), "401 SIGNATURE_MISSING");
}

TEST_F(HttpSignatureTest, Steps6To10RefuseInOrder) {
  const HttpRequest good = ExampleRequest("KH-CNP/alert-outbound.http");
  EXPECT_EQ(CodeOf(VerifyAlert(good)), "OK");

  HttpRequest two_digests = good;
  two_digests.headers.emplace_back("Content-Digest",
                                   Header(good.headers, "content-digest"));
  EXPECT_EQ(CodeOf(VerifyAlert(two_digests)), "400 HEADER_MISMATCH");

  HttpRequest no_id = good;
  SetHeader(&no_id.headers, "Gw-Message-Id", std::nullopt);
  EXPECT_EQ(CodeOf(VerifyAlert(no_id)), "400 HEADER_MISMATCH");

  // Step 7 before 8 and 9: an unknown key wins over a stale time and a bad
  // digest.
  HttpRequest everything_wrong = good;
  everything_wrong.body += " ";
  EXPECT_EQ(CodeOf(VerifyRequestSignature(
                everything_wrong, "https://cnp.partner.example/cnp/v1/alerts",
                At(kAlertCreated + 1000, {partner_key_.get()}))),
            "401 UNKNOWN_KEY");
  EXPECT_EQ(CodeOf(VerifyRequestSignature(
                good, "https://cnp.partner.example/cnp/v1/alerts",
                At(kAlertCreated, {}))),
            "401 UNKNOWN_KEY");

  EXPECT_EQ(CodeOf(VerifyAlert(good, kAlertCreated + 300)), "OK");
  EXPECT_EQ(CodeOf(VerifyAlert(good, kAlertCreated - 300)), "OK");
  EXPECT_EQ(CodeOf(VerifyAlert(good, kAlertCreated + 301)),
            "401 SIGNATURE_EXPIRED");
  EXPECT_EQ(CodeOf(VerifyAlert(good, kAlertCreated - 301)),
            "401 SIGNATURE_EXPIRED");
  // Step 8 before 9.
  EXPECT_EQ(CodeOf(VerifyAlert(everything_wrong, kAlertCreated + 301)),
            "401 SIGNATURE_EXPIRED");

  HttpRequest other_algorithm = good;
  SetHeader(&other_algorithm.headers, "Content-Digest",
            absl::StrReplaceAll(Header(good.headers, "content-digest"),
                                {{"sha-256", "sha-512"}}));
  EXPECT_EQ(CodeOf(VerifyAlert(other_algorithm)), "400 HEADER_MISMATCH");

  EXPECT_EQ(CodeOf(VerifyAlert(everything_wrong)), "401 DIGEST_MISMATCH");

  HttpRequest other_id = good;
  SetHeader(&other_id.headers, "Gw-Message-Id",
            "2c48fc5b-29bc-59f4-912a-1d9f44f64124");
  EXPECT_EQ(CodeOf(VerifyAlert(other_id)), "401 SIGNATURE_INVALID");

  EXPECT_EQ(CodeOf(VerifyRequestSignature(
                good, "https://cnp.partner.example:8443/cnp/v1/alerts",
                At(kAlertCreated, {gateway_key_.get()}))),
            "401 SIGNATURE_INVALID");
  HttpRequest put = good;
  put.method = "PUT";
  EXPECT_EQ(CodeOf(VerifyAlert(put)), "401 SIGNATURE_INVALID");
}

TEST_F(HttpSignatureTest, ResponsesWithoutMessageIdUseTheShortProfile) {
  const std::string body = "{\"x\":1}";
  absl::StatusOr<HeaderList> headers = SignedResponseHeaders(
      *partner_signer_, 404, "application/json", body, std::nullopt, 1000);
  ASSERT_TRUE(headers.ok()) << headers.status();
  EXPECT_TRUE(HeaderValues(*headers, "gw-message-id").empty());
  EXPECT_THAT(Header(*headers, "signature-input"),
              HasSubstr("sig1=(\"@status\" \"content-digest\");created=1000"));
  HttpResponse response{404, "Not Found", *headers, body};
  EXPECT_EQ(CodeOf(VerifyResponseSignature(response, std::nullopt,
                                           At(1000, {partner_key_.get()}))),
            "OK");
  // The client sent an id: the short profile does not do.
  EXPECT_EQ(CodeOf(VerifyResponseSignature(response, std::string("a"),
                                           At(1000, {partner_key_.get()}))),
            "401 SIGNATURE_MISSING");
}

TEST_F(HttpSignatureTest, ResponseMustEchoTheRequestsMessageId) {
  const HttpResponse response = ExampleResponse("KH-CNP/ack-202-inbound.http");
  EXPECT_EQ(CodeOf(VerifyResponseSignature(
                response, std::string("0aa68b7a-eede-5f6f-a6af-68a3a94b7403"),
                At(1773455406, {partner_key_.get()}))),
            "400 HEADER_MISMATCH");
  HttpResponse other_status = response;
  other_status.status = 200;
  EXPECT_EQ(
      CodeOf(VerifyResponseSignature(
          other_status, std::string("1c48fc5b-29bc-59f4-912a-1d9f44f64124"),
          At(1773455406, {partner_key_.get()}))),
      "401 SIGNATURE_INVALID");
}

TEST_F(HttpSignatureTest, ComponentsOutsideTheProfileAreRefused) {
  SignatureParams params;
  params.components = {"@method", "@query"};
  ComponentValues values;
  EXPECT_FALSE(SignatureBase(params, values).ok());
  EXPECT_FALSE(SignComponents(*gateway_signer_, params, values).ok());
}

}  // namespace
}  // namespace gw::http_mock
