// tests/unit/adapters/signed_http/http_signature_test.cc
//
// The signed-HTTP profile (adapters/signed_http/http_signature.h) against
// the ICDs: the worked examples of KH-CNP.md §6.2/§6.3 byte for byte, every
// .http example of KH-CNP and VN-MPS verified with the RFC 8032 test keys,
// each refusal of KH-CNP.md §6.4 steps 5 to 10 alone and the order between
// them, stale and replayed signatures, and responses.
#include "adapters/signed_http/http_signature.h"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "adapters/signed_http/http_refusal.h"
#include "gateway/crypto/openssl_handles.h"
#include "gateway/crypto/sha256.h"
#include "gateway/ingest/error_reason.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/rfc8032_keys.h"
#include "tests/unit/adapters/signed_http/http_examples.h"

namespace gw::signed_http {
namespace {

using ::gw::testing::kRfc8032Test1KeyId;
using ::gw::testing::kRfc8032Test2KeyId;
using ::gw::testing::Rfc8032Signer;
using ::gw::testing::Rfc8032Verifier;
using ::testing::HasSubstr;
using testing::HttpExample;

// KH-CNP.md §6.2 and §6.3, as printed.
constexpr char kIcdRequestBase[] =
    "\"@method\": POST\n"
    "\"@target-uri\": https://cnp.partner.example/cnp/v1/alerts\n"
    "\"content-digest\": "
    "sha-256=:2m3504jiZzbzisofDq9UVxk0TOHrXCMp5j+uZvvbXyg=:\n"
    "\"gw-message-id\": 1c48fc5b-29bc-59f4-912a-1d9f44f64124\n"
    "\"@signature-params\": (\"@method\" \"@target-uri\" \"content-digest\" "
    "\"gw-message-id\");created=1773455405;keyid="
    "\"06e3fd8fda29bb60ab59557de61edb0aecdb231134be30e75b455f8e1b792fa9\";"
    "alg=\"ed25519\"";
constexpr char kIcdResponseBase[] =
    "\"@status\": 202\n"
    "\"content-digest\": "
    "sha-256=:DCM2cCh6H6WiFLY6Gtk/d7ngJJnQf9zxFtQAE7b0B0E=:\n"
    "\"gw-message-id\": 1c48fc5b-29bc-59f4-912a-1d9f44f64124\n"
    "\"@signature-params\": (\"@status\" \"content-digest\" "
    "\"gw-message-id\");created=1773455406;keyid="
    "\"deb2ded39dc26fce0e6085b6fc34bf6b5941913bbfe2ea614113cff9e004c170\";"
    "alg=\"ed25519\"";

constexpr int64_t kT = 1773455405;  // created of the ICD's request example
constexpr char kInboundTarget[] =
    "https://gateway.mekong.example/gw/kh/v1/alerts";
constexpr char kMessageId[] = "0aa68b7a-eede-5f6f-a6af-68a3a94b7403";

HttpExample Example(const std::string& file) {
  absl::StatusOr<HttpExample> parsed =
      testing::ParseHttpExample(testing::ReadExampleFile(file));
  EXPECT_TRUE(parsed.ok()) << file << ": " << parsed.status();
  if (!parsed.ok()) return HttpExample();
  parsed->file = file;
  return *std::move(parsed);
}

std::string Header(const Headers& headers, std::string_view name) {
  return testing::HeaderOf(headers, name).value_or("<absent or repeated>");
}

HttpSignatureProfile::Clock FixedClock(int64_t unix_seconds) {
  return [unix_seconds] { return absl::FromUnixSeconds(unix_seconds); };
}

// The refusal a failed verification carries; fails the test if there is
// none.
HttpRefusal RefusalOf(const absl::Status& status) {
  EXPECT_FALSE(status.ok());
  std::optional<HttpRefusal> refusal = HttpRefusalOf(status);
  EXPECT_TRUE(refusal.has_value()) << status;
  return refusal.value_or(HttpRefusal{0, "<none>", "", "", "", 0});
}

template <typename T>
HttpRefusal RefusalOf(const absl::StatusOr<T>& result) {
  return RefusalOf(result.status());
}

// ---------------------------------------------------------------------------
// Content-Digest (RFC 9530).

TEST(ContentDigestTest, IsSha256InPaddedBase64BetweenColons) {
  EXPECT_EQ(ContentDigest(""),
            "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:");
  // RFC 9530 §B.1.
  EXPECT_EQ(ContentDigest("{\"hello\": \"world\"}"),
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
}

TEST(ContentDigestTest, ParsesWhatItWrites) {
  const std::string body = "any \0 bytes";
  absl::StatusOr<std::string> digest = ParseContentDigest(ContentDigest(body));
  ASSERT_TRUE(digest.ok()) << digest.status();
  EXPECT_EQ(*digest, crypto::Sha256(body));
}

TEST(ContentDigestTest, RefusesEverythingButTheExactForm) {
  const std::string good = ContentDigest("");
  ASSERT_TRUE(ParseContentDigest(good).ok());
  for (const std::string& bad : std::vector<std::string>{
           "",
           "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
           "sha-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:",
           "SHA-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:",
           "sha-512=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:",
           // unpadded, padding bits set, URL-safe alphabet, white space
           "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU:",
           "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=:",
           "sha-256=:47DEQpj8HBSa-_TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:",
           "sha-256=: 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:",
           "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRk m5NMpJWZG3hSuFU=:",
           // 31 and 33 bytes
           "sha-256=:" + absl::Base64Escape(std::string(31, 'x')) + ":",
           "sha-256=:" + absl::Base64Escape(std::string(33, 'x')) + ":",
           // a second member, a parameter
           good + ", sha-512=:" + absl::Base64Escape(std::string(64, 'x')) +
               ":",
           good + ";x=1",
       }) {
    absl::StatusOr<std::string> parsed = ParseContentDigest(bad);
    EXPECT_TRUE(absl::IsInvalidArgument(parsed.status())) << "[" << bad << "]";
  }
}

// ---------------------------------------------------------------------------
// Signature base (RFC 9421 §2.5) and the ICD's worked examples.

std::vector<Component> IcdRequestComponents() {
  return {{"@method", "POST"},
          {"@target-uri", "https://cnp.partner.example/cnp/v1/alerts"},
          {"content-digest",
           "sha-256=:2m3504jiZzbzisofDq9UVxk0TOHrXCMp5j+uZvvbXyg=:"},
          {"gw-message-id", "1c48fc5b-29bc-59f4-912a-1d9f44f64124"}};
}

TEST(SignatureBaseTest, ReproducesTheIcdRequestBase) {
  const std::vector<Component> components = IcdRequestComponents();
  const std::string params =
      SignatureParams(components, 1773455405, kRfc8032Test1KeyId);
  const std::string base = SignatureBase(components, params);
  EXPECT_EQ(base, kIcdRequestBase);
  EXPECT_EQ(base.size(), 385u);
  EXPECT_NE(base.back(), '\n');
}

TEST(SignatureBaseTest, ReproducesTheIcdResponseBase) {
  const std::vector<Component> components = {
      {"@status", "202"},
      {"content-digest",
       "sha-256=:DCM2cCh6H6WiFLY6Gtk/d7ngJJnQf9zxFtQAE7b0B0E=:"},
      {"gw-message-id", "1c48fc5b-29bc-59f4-912a-1d9f44f64124"}};
  EXPECT_EQ(SignatureBase(components, SignatureParams(components, 1773455406,
                                                      kRfc8032Test2KeyId)),
            kIcdResponseBase);
}

TEST(SignatureBaseTest, TakesHeaderValuesWithoutSurroundingWhiteSpace) {
  std::vector<Component> padded = IcdRequestComponents();
  padded[2].second = " \t" + padded[2].second + "\t ";
  padded[3].second = "  " + padded[3].second;
  const std::string params =
      SignatureParams(padded, 1773455405, kRfc8032Test1KeyId);
  EXPECT_EQ(SignatureBase(padded, params), kIcdRequestBase);
}

TEST(SignatureBaseTest, RebuiltFromTheExampleRequestEqualsTheIcdText) {
  const HttpExample request = Example("KH-CNP/alert-outbound.http");
  const std::vector<Component> components = {
      {"@method", request.method},
      {"@target-uri", testing::TargetUriOf(request)},
      {"content-digest", Header(request.headers, "content-digest")},
      {"gw-message-id", Header(request.headers, "gw-message-id")}};
  const std::string input = Header(request.headers, "signature-input");
  ASSERT_TRUE(absl::StartsWith(input, "sig1="));
  EXPECT_EQ(SignatureBase(components, input.substr(5)), kIcdRequestBase);
  EXPECT_EQ(SignatureParams(components, 1773455405, kRfc8032Test1KeyId),
            input.substr(5));
}

TEST(SignatureBaseTest, RebuiltFromTheExampleResponseEqualsTheIcdText) {
  const HttpExample response = Example("KH-CNP/ack-202-inbound.http");
  const std::vector<Component> components = {
      {"@status", absl::StrCat(response.status)},
      {"content-digest", Header(response.headers, "content-digest")},
      {"gw-message-id", Header(response.headers, "gw-message-id")}};
  const std::string input = Header(response.headers, "signature-input");
  ASSERT_TRUE(absl::StartsWith(input, "sig1="));
  EXPECT_EQ(SignatureBase(components, input.substr(5)), kIcdResponseBase);
}

// ---------------------------------------------------------------------------
// Every example of both partners.

// The key that signed a file, by its name: the gateway (TEST 1) signs what
// goes out, the partner (TEST 2) what comes in.
int ExpectedTestKey(const std::string& file) {
  return absl::StrContains(file, "-outbound") ? 1 : 2;
}

void CheckExample(const std::string& file) {
  SCOPED_TRACE(file);
  const HttpExample example = Example(file);
  // Digest of the body after the blank line, as the header says.
  EXPECT_EQ(Header(example.headers, "content-digest"),
            ContentDigest(example.body));

  const int key = ExpectedTestKey(file);
  ASSERT_EQ(testing::SigningTestKeyOf(example), key);
  const auto signer = Rfc8032Signer(key == 1 ? 2 : 1);  // the receiver's
  const auto verifier = Rfc8032Verifier(key);
  const std::string input = Header(example.headers, "signature-input");
  const size_t created_at = input.find(";created=");
  ASSERT_NE(created_at, std::string::npos);
  const int64_t created = std::stoll(input.substr(created_at + 9));
  HttpSignatureProfile receiver(signer.get(), {verifier.get()},
                                FixedClock(created));

  absl::StatusOr<VerifiedSignature> verified;
  if (example.is_request) {
    verified =
        receiver.VerifyRequest(example.method, testing::TargetUriOf(example),
                               example.headers, example.body);
  } else {
    verified =
        receiver.VerifyResponse(example.status, example.headers, example.body,
                                Header(example.headers, "gw-message-id"));
  }
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->key_id, verifier->key_id_hex());
  EXPECT_EQ(verified->created, created);

  // The same message with one body byte changed is refused.
  std::string tampered = example.body;
  tampered[tampered.size() / 2] ^= 0x01;
  HttpSignatureProfile fresh(signer.get(), {verifier.get()},
                             FixedClock(created));
  const absl::Status refused =
      example.is_request
          ? fresh
                .VerifyRequest(example.method, testing::TargetUriOf(example),
                               example.headers, tampered)
                .status()
          : fresh
                .VerifyResponse(example.status, example.headers, tampered,
                                Header(example.headers, "gw-message-id"))
                .status();
  EXPECT_EQ(RefusalOf(refused).code, "DIGEST_MISMATCH");

  // Only the right key verifies it: with the other key only, step 7.
  const auto other = Rfc8032Verifier(key == 1 ? 2 : 1);
  HttpSignatureProfile wrong_key(signer.get(), {other.get()},
                                 FixedClock(created));
  const absl::Status unknown =
      example.is_request
          ? wrong_key
                .VerifyRequest(example.method, testing::TargetUriOf(example),
                               example.headers, example.body)
                .status()
          : wrong_key
                .VerifyResponse(example.status, example.headers, example.body,
                                Header(example.headers, "gw-message-id"))
                .status();
  EXPECT_EQ(RefusalOf(unknown).code, "UNKNOWN_KEY");
}

TEST(ExamplesTest, EveryKhCnpExampleHasItsDigestAndVerifies) {
  const std::vector<std::string> files = testing::HttpExampleFiles("KH-CNP");
  EXPECT_EQ(files.size(), 5u);
  for (const std::string& file : files) CheckExample(file);
}

TEST(ExamplesTest, EveryVnMpsExampleHasItsDigestAndVerifies) {
  const std::vector<std::string> files = testing::HttpExampleFiles("VN-MPS");
  EXPECT_EQ(files.size(), 7u);
  for (const std::string& file : files) CheckExample(file);
}

TEST(ExamplesTest, SigningTheKhAlertReproducesItsSignatureHeaders) {
  const HttpExample request = Example("KH-CNP/alert-outbound.http");
  const auto gateway_key = Rfc8032Signer(1);
  const auto partner_key = Rfc8032Verifier(2);
  HttpSignatureProfile profile(gateway_key.get(), {partner_key.get()},
                               FixedClock(1773455405));
  absl::StatusOr<SignatureHeaders> headers = profile.SignRequest(
      "POST", "https://cnp.partner.example/cnp/v1/alerts",
      ContentDigest(request.body), Header(request.headers, "gw-message-id"));
  ASSERT_TRUE(headers.ok()) << headers.status();
  EXPECT_EQ(headers->signature_input,
            Header(request.headers, "signature-input"));
  EXPECT_EQ(headers->signature, Header(request.headers, "signature"));
}

TEST(ExamplesTest, SigningTheVnAlertReproducesItsSignatureHeaders) {
  const HttpExample request = Example("VN-MPS/alert-outbound.http");
  const auto gateway_key = Rfc8032Signer(1);
  const auto partner_key = Rfc8032Verifier(2);
  HttpSignatureProfile profile(gateway_key.get(), {partner_key.get()},
                               FixedClock(1773455405));
  absl::StatusOr<SignatureHeaders> headers = profile.SignRequest(
      "POST", "https://tip.partner.example/tip/v1/alerts",
      ContentDigest(request.body), Header(request.headers, "gw-message-id"));
  ASSERT_TRUE(headers.ok()) << headers.status();
  EXPECT_EQ(headers->signature_input,
            Header(request.headers, "signature-input"));
  EXPECT_EQ(headers->signature, Header(request.headers, "signature"));
}

TEST(ExamplesTest, SigningTheGatewaysAckReproducesItsSignatureHeaders) {
  const HttpExample response = Example("KH-CNP/ack-202-outbound.http");
  const auto gateway_key = Rfc8032Signer(1);
  const auto partner_key = Rfc8032Verifier(2);
  HttpSignatureProfile profile(gateway_key.get(), {partner_key.get()},
                               FixedClock(1773457802));
  absl::StatusOr<SignatureHeaders> headers =
      profile.SignResponse(202, ContentDigest(response.body),
                           Header(response.headers, "gw-message-id"));
  ASSERT_TRUE(headers.ok()) << headers.status();
  EXPECT_EQ(headers->signature_input,
            Header(response.headers, "signature-input"));
  EXPECT_EQ(headers->signature, Header(response.headers, "signature"));
}

// ---------------------------------------------------------------------------
// Signing.

// A P-256 key in a self-signed certificate (the project's other algorithm).
std::unique_ptr<crypto::Signer> P256Signer() {
  crypto::EvpPkeyPtr key(EVP_EC_gen("P-256"));
  EXPECT_NE(key, nullptr);
  crypto::X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 7);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("p256"), -1,
                             -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509_set_pubkey(cert.get(), key.get());
  EXPECT_GT(X509_sign(cert.get(), key.get(), EVP_sha256()), 0);
  crypto::BioPtr key_bio(BIO_new(BIO_s_mem()));
  crypto::BioPtr cert_bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0,
                           nullptr, nullptr);
  PEM_write_bio_X509(cert_bio.get(), cert.get());
  char* data = nullptr;
  const long key_len = BIO_get_mem_data(key_bio.get(), &data);
  const std::string key_pem(data, static_cast<size_t>(key_len));
  const long cert_len = BIO_get_mem_data(cert_bio.get(), &data);
  const std::string cert_pem(data, static_cast<size_t>(cert_len));
  auto signer = crypto::Signer::FromPem(key_pem, cert_pem);
  EXPECT_TRUE(signer.ok()) << signer.status();
  return signer.ok() ? *std::move(signer) : nullptr;
}

TEST(SignTest, NeedsAnEd25519Key) {
  const auto p256 = P256Signer();
  ASSERT_NE(p256, nullptr);
  ASSERT_EQ(p256->algorithm(), crypto::KeyAlgorithm::kEcdsaP256);
  HttpSignatureProfile profile(p256.get(), {}, FixedClock(kT));
  EXPECT_TRUE(absl::IsFailedPrecondition(
      profile
          .SignRequest("POST", kInboundTarget, ContentDigest("x"), kMessageId)
          .status()));
  EXPECT_TRUE(absl::IsFailedPrecondition(
      profile.SignResponse(202, ContentDigest("x"), kMessageId).status()));
}

TEST(SignTest, CreatedIsTheClockInWholeSecondsAndKeyIdTheOwnKey) {
  const auto key = Rfc8032Signer(2);
  HttpSignatureProfile profile(
      key.get(), {}, [] { return absl::FromUnixMillis(kT * 1000 + 999); });
  absl::StatusOr<SignatureHeaders> headers = profile.SignRequest(
      "POST", kInboundTarget, ContentDigest("x"), kMessageId);
  ASSERT_TRUE(headers.ok()) << headers.status();
  EXPECT_EQ(
      headers->signature_input,
      absl::StrCat("sig1=(\"@method\" \"@target-uri\" \"content-digest\" "
                   "\"gw-message-id\");created=",
                   kT, ";keyid=\"", kRfc8032Test2KeyId, "\";alg=\"ed25519\""));
  EXPECT_TRUE(absl::StartsWith(headers->signature, "sig1=:"));
}

TEST(SignTest, ResponseToARequestWithoutMessageIdCoversStatusAndDigestOnly) {
  const auto key = Rfc8032Signer(1);
  HttpSignatureProfile profile(key.get(), {}, FixedClock(kT));
  absl::StatusOr<SignatureHeaders> headers =
      profile.SignResponse(400, ContentDigest("x"), "");
  ASSERT_TRUE(headers.ok()) << headers.status();
  EXPECT_TRUE(absl::StartsWith(headers->signature_input,
                               "sig1=(\"@status\" \"content-digest\");"))
      << headers->signature_input;
}

// ---------------------------------------------------------------------------
// Verification of requests: each step of KH-CNP.md §6.4 5..10, its order,
// time and replays. The partner (TEST 2) signs; the gateway verifies.

struct Request {
  std::string method = "POST";
  std::string target_uri = kInboundTarget;
  Headers headers;
  std::string body;
};

Request SignedRequest(int64_t created, std::string body = "{\"a\":1}",
                      int key = 2) {
  const auto signer = Rfc8032Signer(key);
  HttpSignatureProfile partner(signer.get(), {}, FixedClock(created));
  Request request;
  request.body = std::move(body);
  const std::string digest = ContentDigest(request.body);
  absl::StatusOr<SignatureHeaders> signature =
      partner.SignRequest("POST", kInboundTarget, digest, kMessageId);
  EXPECT_TRUE(signature.ok()) << signature.status();
  request.headers = {{"host", "gateway.mekong.example"},
                     {"content-type", "application/json"},
                     {"content-digest", digest},
                     {"gw-message-id", kMessageId},
                     {"signature-input", signature->signature_input},
                     {"signature", signature->signature}};
  return request;
}

void SetHeader(Request* request, const std::string& name, std::string value) {
  for (auto& [key, v] : request->headers) {
    if (key == name) v = value;
  }
}

void RemoveHeader(Request* request, const std::string& name) {
  Headers kept;
  for (auto& entry : request->headers) {
    if (entry.first != name) kept.push_back(entry);
  }
  request->headers = std::move(kept);
}

std::string HeaderValue(const Request& request, const std::string& name) {
  return Header(request.headers, name);
}

class VerifyRequestTest : public ::testing::Test {
 protected:
  VerifyRequestTest()
      : own_(Rfc8032Signer(1)),
        partner_(Rfc8032Verifier(2)),
        profile_(own_.get(), {partner_.get()}, [this] { return now_; }) {}

  absl::StatusOr<VerifiedSignature> Verify(const Request& request) {
    return profile_.VerifyRequest(request.method, request.target_uri,
                                  request.headers, request.body);
  }

  std::unique_ptr<crypto::Signer> own_;
  std::unique_ptr<crypto::Verifier> partner_;
  absl::Time now_ = absl::FromUnixSeconds(kT);
  HttpSignatureProfile profile_;
};

TEST_F(VerifyRequestTest, AcceptsTheProfile) {
  absl::StatusOr<VerifiedSignature> verified = Verify(SignedRequest(kT));
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->key_id, kRfc8032Test2KeyId);
  EXPECT_EQ(verified->created, kT);
}

TEST_F(VerifyRequestTest, AcceptsHeaderValuesWithSurroundingWhiteSpace) {
  Request request = SignedRequest(kT);
  for (auto& entry : request.headers) entry.second = " " + entry.second + "\t";
  EXPECT_TRUE(Verify(request).ok());
}

struct RefusalCase {
  std::string name;
  std::function<void(Request*)> mutate;
  int http_status;
  std::string code;
};

// Each one breaks one rule of steps 5, 6, 9 or 10.
std::vector<RefusalCase> HeaderRefusalCases() {
  auto input_with = [](std::string from, std::string to) {
    return [from, to](Request* r) {
      SetHeader(r, "signature-input",
                absl::StrReplaceAll(HeaderValue(*r, "signature-input"),
                                    {{from, to}}));
    };
  };
  auto add = [](std::string name, std::string value) {
    return [name, value](Request* r) { r->headers.emplace_back(name, value); };
  };
  return {
      {"no Signature-Input",
       [](Request* r) { RemoveHeader(r, "signature-input"); }, 401,
       "SIGNATURE_MISSING"},
      {"no Signature", [](Request* r) { RemoveHeader(r, "signature"); }, 401,
       "SIGNATURE_MISSING"},
      {"two Signature-Input",
       [](Request* r) {
         r->headers.emplace_back("signature-input",
                                 HeaderValue(*r, "signature-input"));
       },
       401, "SIGNATURE_MISSING"},
      {"two Signature",
       [](Request* r) {
         r->headers.emplace_back("signature", HeaderValue(*r, "signature"));
       },
       401, "SIGNATURE_MISSING"},
      {"label sig2", input_with("sig1=", "sig2="), 401, "SIGNATURE_MISSING"},
      {"second label", add("signature-input", "sig2=();created=1"), 401,
       "SIGNATURE_MISSING"},
      {"components reordered",
       input_with("\"content-digest\" \"gw-message-id\"",
                  "\"gw-message-id\" \"content-digest\""),
       401, "SIGNATURE_MISSING"},
      {"component missing", input_with(" \"gw-message-id\"", ""), 401,
       "SIGNATURE_MISSING"},
      {"extra component", input_with("(", "(\"@authority\" "), 401,
       "SIGNATURE_MISSING"},
      {"unquoted component", input_with("\"@method\"", "@method"), 401,
       "SIGNATURE_MISSING"},
      {"two spaces", input_with("\"@method\" ", "\"@method\"  "), 401,
       "SIGNATURE_MISSING"},
      {"expires", input_with(";alg=", ";expires=1773455705;alg="), 401,
       "SIGNATURE_MISSING"},
      {"nonce", input_with(";alg=\"ed25519\"", ";alg=\"ed25519\";nonce=\"x\""),
       401, "SIGNATURE_MISSING"},
      {"tag", input_with(";alg=\"ed25519\"", ";alg=\"ed25519\";tag=\"gw\""),
       401, "SIGNATURE_MISSING"},
      {"params reordered",
       [](Request* r) {
         const std::string v = HeaderValue(*r, "signature-input");
         const size_t c = v.find(";created=");
         const size_t k = v.find(";keyid=");
         SetHeader(r, "signature-input",
                   v.substr(0, c) + v.substr(k) + v.substr(c, k - c));
       },
       401, "SIGNATURE_MISSING"},
      {"alg missing", input_with(";alg=\"ed25519\"", ""), 401,
       "SIGNATURE_MISSING"},
      {"alg ecdsa", input_with("\"ed25519\"", "\"ecdsa-p256-sha256\""), 401,
       "SIGNATURE_MISSING"},
      {"alg a token", input_with("\"ed25519\"", "ed25519"), 401,
       "SIGNATURE_MISSING"},
      {"created a string",
       input_with(absl::StrCat("created=", kT),
                  absl::StrCat("created=\"", kT, "\"")),
       401, "SIGNATURE_MISSING"},
      {"created decimal",
       input_with(absl::StrCat("created=", kT),
                  absl::StrCat("created=", kT, ".0")),
       401, "SIGNATURE_MISSING"},
      {"created leading zero",
       input_with(absl::StrCat("created=", kT), absl::StrCat("created=0", kT)),
       401, "SIGNATURE_MISSING"},
      {"keyid a token", input_with("keyid=\"", "keyid=x\""), 401,
       "SIGNATURE_MISSING"},
      {"space after ;", input_with(";keyid", "; keyid"), 401,
       "SIGNATURE_MISSING"},
      {"Signature not base64",
       [](Request* r) { SetHeader(r, "signature", "sig1=:not base64!:"); }, 401,
       "SIGNATURE_INVALID"},
      {"Signature of 63 bytes",
       [](Request* r) {
         SetHeader(r, "signature",
                   "sig1=:" + absl::Base64Escape(std::string(63, 'x')) + ":");
       },
       401, "SIGNATURE_INVALID"},
      {"Signature unpadded",
       [](Request* r) {
         std::string v = HeaderValue(*r, "signature");
         SetHeader(r, "signature", absl::StrReplaceAll(v, {{"==:", ":"}}));
       },
       401, "SIGNATURE_INVALID"},
      {"Signature label sig2",
       [](Request* r) {
         std::string v = HeaderValue(*r, "signature");
         SetHeader(r, "signature", "sig2" + v.substr(4));
       },
       401, "SIGNATURE_INVALID"},
      {"Signature without colons",
       [](Request* r) {
         std::string v = HeaderValue(*r, "signature");
         SetHeader(r, "signature", "sig1=" + v.substr(6, v.size() - 7));
       },
       401, "SIGNATURE_INVALID"},
      {"no Content-Digest",
       [](Request* r) { RemoveHeader(r, "content-digest"); }, 400,
       "HEADER_MISMATCH"},
      {"two Content-Digest",
       [](Request* r) {
         r->headers.emplace_back("content-digest",
                                 HeaderValue(*r, "content-digest"));
       },
       400, "HEADER_MISMATCH"},
      {"no Gw-Message-Id", [](Request* r) { RemoveHeader(r, "gw-message-id"); },
       400, "HEADER_MISMATCH"},
      {"two Gw-Message-Id", add("gw-message-id", kMessageId), 400,
       "HEADER_MISMATCH"},
      {"Content-Digest sha-512",
       [](Request* r) {
         SetHeader(
             r, "content-digest",
             "sha-512=:" + absl::Base64Escape(std::string(64, 'x')) + ":");
       },
       400, "HEADER_MISMATCH"},
      {"Content-Digest with a second member",
       [](Request* r) {
         SetHeader(r, "content-digest",
                   HeaderValue(*r, "content-digest") + ", sha-512=:" +
                       absl::Base64Escape(std::string(64, 'x')) + ":");
       },
       400, "HEADER_MISMATCH"},
      {"body changed", [](Request* r) { r->body += " "; }, 401,
       "DIGEST_MISMATCH"},
      {"body and digest changed",
       [](Request* r) {
         r->body = "{\"a\":2}";
         SetHeader(r, "content-digest", ContentDigest(r->body));
       },
       401, "SIGNATURE_INVALID"},
      {"message id changed",
       [](Request* r) {
         SetHeader(r, "gw-message-id", "0aa68b7a-eede-5f6f-a6af-68a3a94b7404");
       },
       401, "SIGNATURE_INVALID"},
      {"target URI changed",
       [](Request* r) {
         r->target_uri = "https://gateway.mekong.example/gw/kh/v1/case-status";
       },
       401, "SIGNATURE_INVALID"},
      {"method changed", [](Request* r) { r->method = "PUT"; }, 401,
       "SIGNATURE_INVALID"},
      {"created changed",
       input_with(absl::StrCat("created=", kT),
                  absl::StrCat("created=", kT + 1)),
       401, "SIGNATURE_INVALID"},
      {"signature bytes changed",
       [](Request* r) {
         std::string v = HeaderValue(*r, "signature");
         std::string raw;
         ASSERT_TRUE(absl::Base64Unescape(v.substr(6, v.size() - 7), &raw));
         raw[10] ^= 0x40;
         SetHeader(r, "signature", "sig1=:" + absl::Base64Escape(raw) + ":");
       },
       401, "SIGNATURE_INVALID"},
  };
}

TEST_F(VerifyRequestTest, RefusesEachBrokenRuleWithItsStatusAndCode) {
  for (const RefusalCase& c : HeaderRefusalCases()) {
    SCOPED_TRACE(c.name);
    Request request = SignedRequest(kT);
    c.mutate(&request);
    const HttpRefusal refusal = RefusalOf(Verify(request));
    EXPECT_EQ(refusal.http_status, c.http_status);
    EXPECT_EQ(refusal.code, c.code);
    EXPECT_EQ(refusal.field, "");
    EXPECT_EQ(refusal.message_id, "");
  }
}

TEST_F(VerifyRequestTest, RefusalStatusesCarryTheirClassAndReason) {
  Request request = SignedRequest(kT);
  RemoveHeader(&request, "signature");
  const absl::Status missing = Verify(request).status();
  EXPECT_TRUE(absl::IsUnauthenticated(missing)) << missing;
  EXPECT_EQ(ingest::ReasonOf(missing), "SIGNATURE_MISSING");

  request = SignedRequest(kT);
  RemoveHeader(&request, "content-digest");
  const absl::Status header = Verify(request).status();
  EXPECT_TRUE(absl::IsInvalidArgument(header)) << header;
  EXPECT_EQ(ingest::ReasonOf(header), "HEADER_MISMATCH");
}

TEST_F(VerifyRequestTest, UnknownKeyIsATransientRefusal) {
  // Signed by the gateway's key (TEST 1), which is not the partner's.
  const absl::Status status = Verify(SignedRequest(kT, "{}", 1)).status();
  EXPECT_TRUE(absl::IsUnavailable(status)) << status;
  EXPECT_EQ(ingest::ReasonOf(status), "UNKNOWN_KEY");
  const HttpRefusal refusal = RefusalOf(status);
  EXPECT_EQ(refusal.http_status, 401);
  EXPECT_EQ(refusal.code, "UNKNOWN_KEY");
  EXPECT_TRUE(IsRetriedRefusal(refusal.http_status, refusal.code));
}

TEST_F(VerifyRequestTest, NoRegisteredKeyAtAllIsUnknownKey) {
  HttpSignatureProfile no_keys(own_.get(), {}, [this] { return now_; });
  const Request request = SignedRequest(kT);
  const HttpRefusal refusal = RefusalOf(no_keys.VerifyRequest(
      request.method, request.target_uri, request.headers, request.body));
  EXPECT_EQ(refusal.code, "UNKNOWN_KEY");
}

TEST_F(VerifyRequestTest, CreatedMayBeUpTo300SecondsFromTheClock) {
  for (int64_t offset : {-300, -1, 0, 1, 300}) {
    SCOPED_TRACE(offset);
    // A different body each time: a separate signature, no replay.
    absl::StatusOr<VerifiedSignature> verified = Verify(
        SignedRequest(kT + offset, absl::StrCat("{\"o\":", offset, "}")));
    EXPECT_TRUE(verified.ok()) << verified.status();
  }
  for (int64_t offset : {-301, 301, -86400, 86400}) {
    SCOPED_TRACE(offset);
    const absl::Status status = Verify(SignedRequest(kT + offset)).status();
    EXPECT_TRUE(absl::IsUnavailable(status)) << status;
    const HttpRefusal refusal = RefusalOf(status);
    EXPECT_EQ(refusal.http_status, 401);
    EXPECT_EQ(refusal.code, "SIGNATURE_EXPIRED");
  }
}

TEST_F(VerifyRequestTest, HonoursTheConfiguredSkew) {
  HttpSignatureProfile strict(
      own_.get(), {partner_.get()}, [this] { return now_; }, absl::Seconds(10));
  const Request ok = SignedRequest(kT - 10);
  EXPECT_TRUE(
      strict.VerifyRequest(ok.method, ok.target_uri, ok.headers, ok.body).ok());
  const Request stale = SignedRequest(kT - 11);
  EXPECT_EQ(RefusalOf(strict.VerifyRequest(stale.method, stale.target_uri,
                                           stale.headers, stale.body))
                .code,
            "SIGNATURE_EXPIRED");
}

TEST_F(VerifyRequestTest, ASignatureIsAcceptedOnce) {
  const Request request = SignedRequest(kT);
  ASSERT_TRUE(Verify(request).ok());
  const absl::Status replay = Verify(request).status();
  EXPECT_TRUE(absl::IsUnavailable(replay)) << replay;  // transient
  const HttpRefusal refusal = RefusalOf(replay);
  EXPECT_EQ(refusal.http_status, 401);
  EXPECT_EQ(refusal.code, "SIGNATURE_EXPIRED");
  EXPECT_THAT(refusal.detail, HasSubstr("already used"));

  // Still refused later in the window.
  now_ += absl::Seconds(299);
  EXPECT_EQ(RefusalOf(Verify(request)).code, "SIGNATURE_EXPIRED");
}

TEST_F(VerifyRequestTest, ASignatureMadeAgainIsAcceptedWhenItIsFresh) {
  ASSERT_TRUE(Verify(SignedRequest(kT)).ok());
  // Ed25519 is deterministic: the same request signed in the same second
  // is the same signature, a replay.
  EXPECT_EQ(RefusalOf(Verify(SignedRequest(kT))).code, "SIGNATURE_EXPIRED");
  // Signed again a second later: a new signature, accepted.
  now_ += absl::Seconds(1);
  absl::StatusOr<VerifiedSignature> again = Verify(SignedRequest(kT + 1));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->created, kT + 1);
}

TEST_F(VerifyRequestTest, ARefusedRequestDoesNotUseUpItsSignature) {
  const Request request = SignedRequest(kT);
  Request tampered = request;
  tampered.body += "x";
  EXPECT_EQ(RefusalOf(Verify(tampered)).code, "DIGEST_MISMATCH");
  EXPECT_TRUE(Verify(request).ok());
}

TEST_F(VerifyRequestTest, ConcurrentCopiesOfOneRequestAreAcceptedOnce) {
  const Request request = SignedRequest(kT);
  constexpr int kThreads = 8;
  std::atomic<int> accepted{0};
  std::atomic<int> replays{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      absl::StatusOr<VerifiedSignature> verified = Verify(request);
      if (verified.ok()) {
        ++accepted;
      } else if (HttpRefusalOf(verified.status())
                     .value_or(HttpRefusal{})
                     .code == "SIGNATURE_EXPIRED") {
        ++replays;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 1);
  EXPECT_EQ(replays.load(), kThreads - 1);
}

TEST_F(VerifyRequestTest, ReplayMemoryIsPerProfile) {
  const Request request = SignedRequest(kT);
  ASSERT_TRUE(Verify(request).ok());
  HttpSignatureProfile other(own_.get(), {partner_.get()},
                             [this] { return now_; });
  EXPECT_TRUE(other
                  .VerifyRequest(request.method, request.target_uri,
                                 request.headers, request.body)
                  .ok());
}

// One breach per step, in the order of KH-CNP.md §6.4. A request with two
// breaches gets the earlier step's refusal, exactly.
struct StepBreach {
  std::string name;
  std::function<void(Request*, absl::Time*)> apply;
};

std::vector<StepBreach> StepBreaches() {
  return {
      {"5 Signature-Input missing",
       [](Request* r, absl::Time*) { RemoveHeader(r, "signature-input"); }},
      {"5 Signature malformed",
       [](Request* r, absl::Time*) {
         SetHeader(r, "signature", "sig1=:AAAA:");
       }},
      {"6 Content-Digest repeated",
       [](Request* r, absl::Time*) {
         r->headers.emplace_back("content-digest", ContentDigest("other"));
       }},
      {"6 Gw-Message-Id missing",
       [](Request* r, absl::Time*) { RemoveHeader(r, "gw-message-id"); }},
      {"7 unknown keyid",
       [](Request* r, absl::Time*) {
         SetHeader(
             r, "signature-input",
             absl::StrReplaceAll(HeaderValue(*r, "signature-input"),
                                 {{kRfc8032Test2KeyId, kRfc8032Test1KeyId}}));
       }},
      {"8 stale",
       [](Request*, absl::Time* now) { *now += absl::Seconds(301); }},
      {"9 Content-Digest malformed",
       [](Request* r, absl::Time*) {
         std::string v = HeaderValue(*r, "content-digest");
         SetHeader(r, "content-digest", v.substr(0, v.size() - 1));
       }},
      {"9 body changed", [](Request* r, absl::Time*) { r->body += "\n"; }},
      {"10 signature does not verify",
       [](Request* r, absl::Time*) { r->target_uri += "x"; }},
  };
}

TEST(VerificationOrderTest, TheEarlierStepsRefusalWins) {
  const auto own = Rfc8032Signer(1);
  const auto partner = Rfc8032Verifier(2);
  const std::vector<StepBreach> breaches = StepBreaches();
  auto verify = [&](const std::vector<const StepBreach*>& applied) {
    Request request = SignedRequest(kT);
    absl::Time now = absl::FromUnixSeconds(kT);
    // Later steps first, so an earlier breach is not undone by a later one.
    for (auto it = applied.rbegin(); it != applied.rend(); ++it) {
      (*it)->apply(&request, &now);
    }
    HttpSignatureProfile profile(own.get(), {partner.get()},
                                 [now] { return now; });
    return profile
        .VerifyRequest(request.method, request.target_uri, request.headers,
                       request.body)
        .status();
  };
  std::vector<HttpRefusal> alone;
  for (const StepBreach& breach : breaches) {
    alone.push_back(RefusalOf(verify({&breach})));
  }
  // Each alone is refused, and differently from the breach before it
  // (else the pairs below would prove nothing).
  for (size_t i = 1; i < alone.size(); ++i) {
    EXPECT_TRUE(alone[i].code != alone[i - 1].code ||
                alone[i].detail != alone[i - 1].detail)
        << breaches[i].name;
  }
  for (size_t i = 0; i < breaches.size(); ++i) {
    for (size_t j = i + 1; j < breaches.size(); ++j) {
      SCOPED_TRACE(breaches[i].name + " + " + breaches[j].name);
      const HttpRefusal both = RefusalOf(verify({&breaches[i], &breaches[j]}));
      EXPECT_EQ(both.http_status, alone[i].http_status);
      EXPECT_EQ(both.code, alone[i].code);
      EXPECT_EQ(both.detail, alone[i].detail);
    }
  }
}

// ---------------------------------------------------------------------------
// Verification of responses. The partner (TEST 2) answers the gateway.

struct Response {
  int status = 202;
  Headers headers;
  std::string body = "{\"message_type\":\"ack\"}";
};

Response SignedResponse(int status, const std::string& message_id,
                        int64_t created = kT) {
  const auto signer = Rfc8032Signer(2);
  HttpSignatureProfile partner(signer.get(), {}, FixedClock(created));
  Response response;
  response.status = status;
  const std::string digest = ContentDigest(response.body);
  absl::StatusOr<SignatureHeaders> signature =
      partner.SignResponse(status, digest, message_id);
  EXPECT_TRUE(signature.ok()) << signature.status();
  response.headers = {{"content-type", "application/json"},
                      {"content-digest", digest}};
  if (!message_id.empty())
    response.headers.emplace_back("gw-message-id", message_id);
  response.headers.emplace_back("signature-input", signature->signature_input);
  response.headers.emplace_back("signature", signature->signature);
  return response;
}

class VerifyResponseTest : public ::testing::Test {
 protected:
  VerifyResponseTest()
      : own_(Rfc8032Signer(1)),
        partner_(Rfc8032Verifier(2)),
        profile_(own_.get(), {partner_.get()}, FixedClock(kT)) {}

  absl::StatusOr<VerifiedSignature> Verify(const Response& response,
                                           std::string_view request_id) {
    return profile_.VerifyResponse(response.status, response.headers,
                                   response.body, request_id);
  }

  std::unique_ptr<crypto::Signer> own_;
  std::unique_ptr<crypto::Verifier> partner_;
  HttpSignatureProfile profile_;
};

TEST_F(VerifyResponseTest, AcceptsAnEchoingResponse) {
  const Response response = SignedResponse(202, kMessageId);
  absl::StatusOr<VerifiedSignature> verified = Verify(response, kMessageId);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->key_id, kRfc8032Test2KeyId);
  // Responses are not replay-checked: the same one verifies again.
  EXPECT_TRUE(Verify(response, kMessageId).ok());
}

TEST_F(VerifyResponseTest, RefusesAResponseThatDoesNotEchoTheMessageId) {
  const Response response =
      SignedResponse(202, "0aa68b7a-eede-5f6f-a6af-68a3a94b7404");
  const HttpRefusal refusal = RefusalOf(Verify(response, kMessageId));
  EXPECT_EQ(refusal.http_status, 400);
  EXPECT_EQ(refusal.code, "HEADER_MISMATCH");
}

TEST_F(VerifyResponseTest, RefusesAnotherStatusThanSigned) {
  Response response = SignedResponse(400, kMessageId);
  response.status = 202;
  EXPECT_EQ(RefusalOf(Verify(response, kMessageId)).code, "SIGNATURE_INVALID");
}

TEST_F(VerifyResponseTest, WithoutRequestIdCoversStatusAndDigestOnly) {
  const Response response = SignedResponse(404, "");
  absl::StatusOr<VerifiedSignature> verified = Verify(response, "");
  ASSERT_TRUE(verified.ok()) << verified.status();

  // The full component list is not the profile for such a response...
  const Response full = SignedResponse(404, kMessageId);
  EXPECT_EQ(RefusalOf(Verify(full, "")).code, "SIGNATURE_MISSING");
  // ...nor the short one when the request had an id.
  EXPECT_EQ(RefusalOf(Verify(response, kMessageId)).code, "SIGNATURE_MISSING");
  // And a Gw-Message-Id on it is refused.
  Response with_id = response;
  with_id.headers.emplace_back("gw-message-id", kMessageId);
  const HttpRefusal refusal = RefusalOf(Verify(with_id, ""));
  EXPECT_EQ(refusal.http_status, 400);
  EXPECT_EQ(refusal.code, "HEADER_MISMATCH");
}

TEST_F(VerifyResponseTest, RunsTheSameStepsAsRequests) {
  Response unsigned_response = SignedResponse(202, kMessageId);
  Headers kept;
  for (auto& h : unsigned_response.headers) {
    if (h.first != "signature" && h.first != "signature-input")
      kept.push_back(h);
  }
  unsigned_response.headers = kept;
  EXPECT_EQ(RefusalOf(Verify(unsigned_response, kMessageId)).code,
            "SIGNATURE_MISSING");

  EXPECT_EQ(
      RefusalOf(Verify(SignedResponse(202, kMessageId, kT - 301), kMessageId))
          .code,
      "SIGNATURE_EXPIRED");

  Response tampered = SignedResponse(202, kMessageId);
  tampered.body += " ";
  EXPECT_EQ(RefusalOf(Verify(tampered, kMessageId)).code, "DIGEST_MISMATCH");
}

}  // namespace
}  // namespace gw::signed_http
