// tests/unit/adapters/signed_http/received_request_test.cc
//
// CheckReceivedRequest (adapters/signed_http/received_request.h): KH-CNP.md
// §6.4 steps 2 to 10 on a request as the HTTPS transport hands it over
// (adapters/transport/https_link.h, "Inbound request"): each step alone,
// their order, and the inbound examples of both partners accepted.
#include "adapters/signed_http/received_request.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "adapters/signed_http/http_refusal.h"
#include "gtest/gtest.h"
#include "tests/support/rfc8032_keys.h"
#include "tests/unit/adapters/signed_http/http_examples.h"

namespace gw::signed_http {
namespace {

using ::gw::testing::kRfc8032Test2KeyId;
using ::gw::testing::Rfc8032Signer;
using ::gw::testing::Rfc8032Verifier;

constexpr int64_t kT = 1773457801;
constexpr char kBase[] = "https://gateway.mekong.example";
constexpr char kMessageId[] = "0aa68b7a-eede-5f6f-a6af-68a3a94b7403";

const std::vector<Endpoint>& KhEndpoints() {
  static const auto* endpoints = new std::vector<Endpoint>{
      {"/gw/kh/v1/alerts", "alert"},
      {"/gw/kh/v1/repatriation-requests", "repatriation_request"},
      {"/gw/kh/v1/repatriation-decisions", "repatriation_decision"},
      {"/gw/kh/v1/case-status", "case_status"}};
  return *endpoints;
}

const std::vector<std::string>& KhMediaTypes() {
  static const auto* types = new std::vector<std::string>{
      "application/json", "application/json; charset=utf-8"};
  return *types;
}

// What the transport hands over for a request the partner (TEST 2) signed
// at `created` for `path`.
adapters::PartnerMessage Received(const std::string& path,
                                  std::string body = "{\"a\":1}",
                                  int64_t created = kT) {
  const auto signer = Rfc8032Signer(2);
  HttpSignatureProfile partner(
      signer.get(), {}, [created] { return absl::FromUnixSeconds(created); });
  const std::string target = kBase + path;
  const std::string digest = ContentDigest(body);
  auto signature = partner.SignRequest("POST", target, digest, kMessageId);
  EXPECT_TRUE(signature.ok()) << signature.status();
  adapters::PartnerMessage received;
  received.message_id = kMessageId;
  received.content_type = "application/json";
  received.bytes = std::move(body);
  received.metadata = {{":method", "POST"},
                       {":path", path},
                       {":target-uri", target},
                       {"host", "gateway.mekong.example"},
                       {"content-type", "application/json"},
                       {"content-length", absl::StrCat(received.bytes.size())},
                       {"content-digest", digest},
                       {"gw-message-id", kMessageId},
                       {"signature-input", signature->signature_input},
                       {"signature", signature->signature}};
  return received;
}

void Set(adapters::PartnerMessage* m, const std::string& name,
         const std::string& value) {
  bool found = false;
  for (auto& [key, v] : m->metadata) {
    if (key == name) {
      v = value;
      found = true;
    }
  }
  if (!found) m->metadata.emplace_back(name, value);
}

void Remove(adapters::PartnerMessage* m, const std::string& name) {
  Headers kept;
  for (auto& entry : m->metadata) {
    if (entry.first != name) kept.push_back(entry);
  }
  m->metadata = std::move(kept);
}

class CheckReceivedRequestTest : public ::testing::Test {
 protected:
  CheckReceivedRequestTest()
      : own_(Rfc8032Signer(1)),
        partner_(Rfc8032Verifier(2)),
        profile_(own_.get(), {partner_.get()},
                 [] { return absl::FromUnixSeconds(kT); }) {}

  absl::StatusOr<CheckedRequest> Check(const adapters::PartnerMessage& m) {
    return CheckReceivedRequest(m, KhEndpoints(), KhMediaTypes(), profile_);
  }

  HttpRefusal Refusal(const adapters::PartnerMessage& m) {
    absl::StatusOr<CheckedRequest> checked = Check(m);
    EXPECT_FALSE(checked.ok());
    return HttpRefusalOf(checked.status())
        .value_or(HttpRefusal{0, "<none>", "", "", "", 0});
  }

  std::unique_ptr<crypto::Signer> own_;
  std::unique_ptr<crypto::Verifier> partner_;
  HttpSignatureProfile profile_;
};

TEST_F(CheckReceivedRequestTest, AcceptsASignedRequestToAnEndpoint) {
  absl::StatusOr<CheckedRequest> checked =
      Check(Received("/gw/kh/v1/repatriation-requests"));
  ASSERT_TRUE(checked.ok()) << checked.status();
  ASSERT_NE(checked->endpoint, nullptr);
  EXPECT_EQ(checked->endpoint, &KhEndpoints()[1]);
  EXPECT_EQ(checked->endpoint->message_kind, "repatriation_request");
  EXPECT_EQ(checked->message_id, kMessageId);
  EXPECT_EQ(checked->signature.key_id, kRfc8032Test2KeyId);
  EXPECT_EQ(checked->signature.created, kT);
}

TEST_F(CheckReceivedRequestTest, AcceptsTheListedMediaTypesInAnyCase) {
  int n = 0;
  for (const char* type :
       {"application/json", "APPLICATION/JSON",
        "Application/Json; Charset=UTF-8", "application/json; charset=utf-8"}) {
    SCOPED_TRACE(type);
    adapters::PartnerMessage m =
        Received("/gw/kh/v1/alerts", absl::StrCat("{\"n\":", n++, "}"));
    Set(&m, "content-type", type);
    EXPECT_TRUE(Check(m).ok()) << Check(m).status();
  }
}

struct StepCase {
  const char* name;
  std::function<void(adapters::PartnerMessage*)> mutate;
  int http_status;
  const char* code;
};

std::vector<StepCase> StepCases() {
  return {
      {"unknown path",
       [](adapters::PartnerMessage* m) { Set(m, ":path", "/gw/kh/v1/other"); },
       404, "WRONG_ENDPOINT"},
      {"another partner's path",
       [](adapters::PartnerMessage* m) { Set(m, ":path", "/gw/vn/v1/alerts"); },
       404, "WRONG_ENDPOINT"},
      {"query string",
       [](adapters::PartnerMessage* m) {
         Set(m, ":path", "/gw/kh/v1/alerts?x=1");
       },
       404, "WRONG_ENDPOINT"},
      {"trailing slash",
       [](adapters::PartnerMessage* m) {
         Set(m, ":path", "/gw/kh/v1/alerts/");
       },
       404, "WRONG_ENDPOINT"},
      {"no path", [](adapters::PartnerMessage* m) { Remove(m, ":path"); }, 404,
       "WRONG_ENDPOINT"},
      {"GET", [](adapters::PartnerMessage* m) { Set(m, ":method", "GET"); },
       405, "WRONG_ENDPOINT"},
      {"lowercase post",
       [](adapters::PartnerMessage* m) { Set(m, ":method", "post"); }, 405,
       "WRONG_ENDPOINT"},
      {"too large",
       [](adapters::PartnerMessage* m) {
         m->bytes.clear();
         m->metadata.emplace_back(":body-too-large", "1");
       },
       413, "PAYLOAD_TOO_LARGE"},
      {"no content type",
       [](adapters::PartnerMessage* m) { Remove(m, "content-type"); }, 415,
       "UNSUPPORTED_MEDIA_TYPE"},
      {"text/json",
       [](adapters::PartnerMessage* m) { Set(m, "content-type", "text/json"); },
       415, "UNSUPPORTED_MEDIA_TYPE"},
      {"charset without space",
       [](adapters::PartnerMessage* m) {
         Set(m, "content-type", "application/json;charset=utf-8");
       },
       415, "UNSUPPORTED_MEDIA_TYPE"},
      {"other charset",
       [](adapters::PartnerMessage* m) {
         Set(m, "content-type", "application/json; charset=latin1");
       },
       415, "UNSUPPORTED_MEDIA_TYPE"},
      {"two content types",
       [](adapters::PartnerMessage* m) {
         m->metadata.emplace_back("content-type", "application/json");
       },
       415, "UNSUPPORTED_MEDIA_TYPE"},
      {"content encoding",
       [](adapters::PartnerMessage* m) {
         m->metadata.emplace_back("content-encoding", "identity");
       },
       415, "UNSUPPORTED_MEDIA_TYPE"},
      {"no signature",
       [](adapters::PartnerMessage* m) { Remove(m, "signature"); }, 401,
       "SIGNATURE_MISSING"},
      {"no message id",
       [](adapters::PartnerMessage* m) { Remove(m, "gw-message-id"); }, 400,
       "HEADER_MISMATCH"},
      {"tampered body", [](adapters::PartnerMessage* m) { m->bytes += " "; },
       401, "DIGEST_MISMATCH"},
      {"signed for another endpoint",
       [](adapters::PartnerMessage* m) {
         Set(m, ":target-uri", std::string(kBase) + "/gw/kh/v1/case-status");
       },
       401, "SIGNATURE_INVALID"},
  };
}

TEST_F(CheckReceivedRequestTest, RefusesEachStepWithItsStatusAndCode) {
  for (const StepCase& c : StepCases()) {
    SCOPED_TRACE(c.name);
    adapters::PartnerMessage m = Received("/gw/kh/v1/alerts");
    c.mutate(&m);
    const HttpRefusal refusal = Refusal(m);
    EXPECT_EQ(refusal.http_status, c.http_status);
    EXPECT_EQ(refusal.code, c.code);
    EXPECT_EQ(refusal.field, "");
    EXPECT_EQ(refusal.message_id, "");
  }
}

TEST_F(CheckReceivedRequestTest, TheEarlierStepsRefusalWins) {
  // One breach per step, 2 (path), 2 (method), 3, 4, 5, 6, 9: each pair
  // gets the earlier one's status.
  const std::vector<StepCase> cases = StepCases();
  auto find = [&](const std::string& name) {
    for (const StepCase& c : cases) {
      if (name == c.name) return c;
    }
    ADD_FAILURE() << name;
    return cases[0];
  };
  const std::vector<StepCase> ordered = {
      find("unknown path"), find("GET"),          find("too large"),
      find("text/json"),    find("no signature"), find("no message id"),
      find("tampered body")};
  for (size_t i = 0; i < ordered.size(); ++i) {
    for (size_t j = i + 1; j < ordered.size(); ++j) {
      SCOPED_TRACE(absl::StrCat(ordered[i].name, " + ", ordered[j].name));
      adapters::PartnerMessage m = Received("/gw/kh/v1/alerts");
      ordered[j].mutate(&m);
      ordered[i].mutate(&m);
      const HttpRefusal refusal = Refusal(m);
      EXPECT_EQ(refusal.http_status, ordered[i].http_status);
      EXPECT_EQ(refusal.code, ordered[i].code);
    }
  }
}

TEST_F(CheckReceivedRequestTest, AReplayedRequestIsRefusedAsExpired) {
  const adapters::PartnerMessage m = Received("/gw/kh/v1/alerts");
  ASSERT_TRUE(Check(m).ok());
  const HttpRefusal refusal = Refusal(m);
  EXPECT_EQ(refusal.http_status, 401);
  EXPECT_EQ(refusal.code, "SIGNATURE_EXPIRED");
}

TEST_F(CheckReceivedRequestTest, NoTargetUriIsOurOwnFault) {
  adapters::PartnerMessage m = Received("/gw/kh/v1/alerts");
  Remove(&m, ":target-uri");
  const HttpRefusal refusal = Refusal(m);
  EXPECT_EQ(refusal.http_status, 500);
  EXPECT_EQ(refusal.code, "INTERNAL_ERROR");
}

TEST(SingleHeaderTest, OnlyWhenItOccursExactlyOnce) {
  const Headers headers = {{"a", " one\t"}, {"b", "x"}, {"b", "y"}};
  EXPECT_EQ(SingleHeader(headers, "a"), "one");
  EXPECT_EQ(SingleHeader(headers, "b"), std::nullopt);
  EXPECT_EQ(SingleHeader(headers, "c"), std::nullopt);
}

// The inbound request examples, handed over as the transport would.
void CheckInboundExample(const std::string& file,
                         const std::vector<Endpoint>& endpoints,
                         const std::vector<std::string>& media_types,
                         const std::string& kind) {
  SCOPED_TRACE(file);
  absl::StatusOr<testing::HttpExample> example =
      testing::ParseHttpExample(testing::ReadExampleFile(file));
  ASSERT_TRUE(example.ok()) << example.status();
  ASSERT_TRUE(example->is_request);
  adapters::PartnerMessage m;
  m.bytes = example->body;
  m.metadata = {{":method", example->method},
                {":path", example->path},
                {":target-uri", testing::TargetUriOf(*example)}};
  for (const auto& header : example->headers) m.metadata.push_back(header);
  const std::string input =
      testing::HeaderOf(example->headers, "signature-input").value_or("");
  const int64_t created = std::stoll(input.substr(input.find(";created=") + 9));
  const auto own = Rfc8032Signer(1);
  const auto partner = Rfc8032Verifier(2);
  HttpSignatureProfile profile(own.get(), {partner.get()}, [created] {
    return absl::FromUnixSeconds(created + 120);
  });
  absl::StatusOr<CheckedRequest> checked =
      CheckReceivedRequest(m, endpoints, media_types, profile);
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(checked->endpoint->message_kind, kind);
  EXPECT_EQ(checked->message_id,
            testing::HeaderOf(example->headers, "gw-message-id"));
}

TEST(InboundExamplesTest, PassStepsTwoToTen) {
  CheckInboundExample("KH-CNP/repatriation-request-inbound.http", KhEndpoints(),
                      KhMediaTypes(), "repatriation_request");
  const std::vector<Endpoint> vn = {
      {"/gw/vn/v1/alerts", "tip:CaseAlertMessage"},
      {"/gw/vn/v1/repatriation-requests", "tip:RepatriationRequestMessage"}};
  const std::vector<std::string> xml = {"application/xml",
                                        "application/xml; charset=utf-8",
                                        "text/xml; charset=utf-8"};
  CheckInboundExample("VN-MPS/repatriation-request-inbound.http", vn, xml,
                      "tip:RepatriationRequestMessage");
  CheckInboundExample("VN-MPS/repatriation-request-inbound-nfd.http", vn, xml,
                      "tip:RepatriationRequestMessage");
}

}  // namespace
}  // namespace gw::signed_http
