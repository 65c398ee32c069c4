// tests/unit/tools/partners/http_mock/receiver_test.cc
//
// The shared receiving side of the signed-HTTPS mocks without the network,
// with a toy body format: the order of KH-CNP.md §6.4 (404, 405, 413, 415
// before any signature check), signed responses (both profiles), duplicates
// (200 with the first ack byte for byte, 409 for another body) also after a
// restart, the business refusal and --refuse-case-prefix after the
// duplicate check, --fail-first, what is stored and logged, and a store
// failure answered 500, never an ack.
#include "tools/partners/http_mock/receiver.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/rfc8032_keys.h"
#include "tests/support/scoped_temp_dir.h"
#include "tools/partners/http_mock/http_signature.h"

namespace gw::http_mock {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kId[] = "1c48fc5b-29bc-59f4-912a-1d9f44f64124";
constexpr char kBaseUri[] = "https://p.partner.example";

// Bodies "id=<id>;case=<ref>[;deny]"; "bad" fails step 11 with no
// readable id.
class ToyFormat : public PartnerFormat {
 public:
  std::string agency() const override { return "XX-TEST"; }
  std::vector<std::string> accepted_media_types() const override {
    return {"text/plain", "text/plain; charset=utf-8"};
  }
  std::string media_type() const override { return "text/plain"; }
  std::vector<Endpoint> partner_endpoints() const override {
    return {{"/p/v1/alerts", "alert"}, {"/p/v1/case-status", "case_status"}};
  }
  std::vector<Endpoint> gateway_endpoints() const override {
    return {{"/gw/p/v1/alerts", "alert"}};
  }
  std::string file_extension() const override { return "txt"; }

  std::variant<Accepted, Refusal> CheckBody(
      const Endpoint& endpoint, std::string_view body,
      std::string_view header_message_id, std::string_view peer_agency,
      std::string_view own_agency) const override {
    if (body == "bad") {
      Refusal refusal;
      refusal.code = "SCHEMA_VIOLATION";
      refusal.location = "/x";
      refusal.detail = "bad";
      return refusal;
    }
    Accepted accepted;
    accepted.kind = endpoint.kind;
    for (absl::string_view part :
         absl::StrSplit(absl::string_view(body.data(), body.size()), ';')) {
      if (absl::StartsWith(part, "id=")) {
        accepted.message_id = std::string(part.substr(3));
      } else if (absl::StartsWith(part, "case=")) {
        accepted.case_ref = std::string(part.substr(5));
        accepted.case_ref_location = "/case";
      } else if (part == "deny") {
        Refusal refusal;
        refusal.http_status = 403;
        refusal.code = "NOT_A_RECIPIENT";
        refusal.location = "/recipients";
        refusal.detail = "not for us";
        accepted.business_refusal = refusal;
      }
    }
    if (accepted.message_id != header_message_id) {
      Refusal refusal;
      refusal.code = "HEADER_MISMATCH";
      refusal.location = "/id";
      refusal.detail = "id";
      refusal.message_id = accepted.message_id;
      return refusal;
    }
    accepted.summary = {{"peer", std::string(peer_agency)},
                        {"own", std::string(own_agency)}};
    return accepted;
  }
  std::string MakeAck(const AckFields& ack) const override {
    return absl::StrCat("ack id=", ack.message_id, " from=", ack.sender,
                        " to=", ack.recipient, " sha=", ack.payload_sha256,
                        " at=", ack.received_at, " ref=", ack.partner_ref);
  }
  std::string MakeError(const Refusal& refusal, std::string_view sender,
                        std::string_view recipient,
                        std::string_view received_at) const override {
    return absl::StrCat(
        "error code=", refusal.code, " id=", refusal.message_id,
        " loc=", refusal.location, " from=", std::string(sender),
        " to=", std::string(recipient), " at=", std::string(received_at));
  }
  absl::StatusOr<AnswerSummary> ReadAnswer(int,
                                           std::string_view) const override {
    return AnswerSummary{};
  }
  absl::StatusOr<std::string> MakeSample(const Sample& s) const override {
    return absl::StrCat("id=", s.message_id);
  }
};

class ReceiverTest : public ::testing::Test {
 protected:
  ReceiverTest()
      : gateway_signer_(gw::testing::Rfc8032Signer(1)),
        partner_signer_(gw::testing::Rfc8032Signer(2)),
        gateway_key_(gw::testing::Rfc8032Verifier(1)),
        partner_key_(gw::testing::Rfc8032Verifier(2)) {}

  std::unique_ptr<Receiver> Open(int fail_first = 0,
                                 const std::string& refuse = "") {
    ReceiverOptions options;
    options.base_uri = kBaseUri;
    options.store_dir = store_dir();
    options.refuse_case_prefix = refuse;
    options.partner_ref_prefix = "XT-IN";
    options.peer_keys = {gateway_key_.get()};
    options.signer = partner_signer_.get();
    options.fail_first = fail_first;
    options.now = [this] { return now_; };
    absl::StatusOr<std::unique_ptr<Receiver>> receiver =
        Receiver::Open(format_, std::move(options));
    EXPECT_TRUE(receiver.ok()) << receiver.status();
    return receiver.ok() ? *std::move(receiver) : nullptr;
  }

  std::string store_dir() const { return dir_.path() + "/store"; }

  // A request signed as the gateway signs it, now.
  ReceivedRequest Signed(const std::string& body,
                         const std::string& message_id = kId,
                         const std::string& path = "/p/v1/alerts") {
    absl::StatusOr<HeaderList> headers = SignedRequestHeaders(
        *gateway_signer_, "POST", absl::StrCat(kBaseUri, path), "text/plain",
        body, message_id, absl::ToUnixSeconds(now_));
    EXPECT_TRUE(headers.ok()) << headers.status();
    ReceivedRequest received;
    received.request = {"POST", path, headers.ok() ? *headers : HeaderList{},
                        body};
    received.peer_agency = "CN-MPS";
    return received;
  }

  // Checks the response signature as the gateway does; returns the status
  // and error code, e.g. "202" or "404 WRONG_ENDPOINT".
  std::string Judge(const Reply& reply, std::optional<std::string> sent_id) {
    VerifyOptions verify;
    verify.keys = {partner_key_.get()};
    verify.now = now_;
    std::variant<VerifiedMessage, Refusal> verified =
        VerifyResponseSignature(reply.response, sent_id, verify);
    EXPECT_TRUE(std::holds_alternative<VerifiedMessage>(verified))
        << std::get<Refusal>(verified).code << ": "
        << std::get<Refusal>(verified).detail;
    return reply.report.code.empty()
               ? absl::StrCat(reply.response.status)
               : absl::StrCat(reply.response.status, " ", reply.report.code);
  }

  std::vector<nlohmann::json> LogLines() {
    std::vector<nlohmann::json> lines;
    std::ifstream in(store_dir() + "/received.jsonl");
    std::string line;
    while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
    return lines;
  }

  static void SetHeader(ReceivedRequest* received, const std::string& name,
                        std::optional<std::string> value) {
    HeaderList out;
    for (auto& [n, v] : received->request.headers) {
      if (!absl::EqualsIgnoreCase(n, name)) out.emplace_back(n, v);
    }
    if (value.has_value()) out.emplace_back(name, *value);
    received->request.headers = std::move(out);
  }

  ToyFormat format_;
  gw::testing::ScopedTempDir dir_;
  absl::Time now_ = absl::FromUnixSeconds(1773455405);  // 2026-03-14T02:30:05Z
  std::unique_ptr<crypto::Signer> gateway_signer_;
  std::unique_ptr<crypto::Signer> partner_signer_;
  std::unique_ptr<crypto::Verifier> gateway_key_;
  std::unique_ptr<crypto::Verifier> partner_key_;
};

TEST_F(ReceiverTest, AcceptsStoresLogsAndAcknowledges) {
  std::unique_ptr<Receiver> receiver = Open();
  ASSERT_NE(receiver, nullptr);
  const std::string body = absl::StrCat("id=", kId, ";case=C-1");
  const Reply reply = receiver->Handle(Signed(body));
  EXPECT_EQ(Judge(reply, std::string(kId)), "202");
  EXPECT_EQ(reply.response.body,
            absl::StrCat("ack id=", kId, " from=XX-TEST to=CN-MPS sha=",
                         crypto::Sha256Hex(body),
                         " at=2026-03-14T02:30:05Z ref=XT-IN-2026-0001"));
  EXPECT_EQ(HeaderValues(reply.response.headers, "content-type"),
            std::vector<std::string>{"text/plain"});
  EXPECT_FALSE(reply.close_connection);

  absl::StatusOr<std::string> stored =
      util::ReadFile(absl::StrCat(store_dir(), "/received/", kId, ".txt"));
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(*stored, body);
  const std::vector<nlohmann::json> lines = LogLines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["status"], 202);
  EXPECT_EQ(lines[0]["message_id"], kId);
  EXPECT_EQ(lines[0]["kind"], "alert");
  EXPECT_EQ(lines[0]["case_ref"], "C-1");
  EXPECT_EQ(lines[0]["body_sha256"], crypto::Sha256Hex(body));
  EXPECT_EQ(lines[0]["duplicate"], false);
  EXPECT_EQ(lines[0]["partner_ref"], "XT-IN-2026-0001");
  EXPECT_EQ(lines[0]["key_id"], gw::testing::kRfc8032Test1KeyId);
  EXPECT_EQ(lines[0]["summary"]["own"], "XX-TEST");
  EXPECT_EQ(receiver->accepted_count(), 1);
}

TEST_F(ReceiverTest, DuplicatesGetTheFirstAckAndConflictsA409AlsoAfterRestart) {
  const std::string body = absl::StrCat("id=", kId);
  std::string first_ack;
  {
    std::unique_ptr<Receiver> receiver = Open();
    const Reply first = receiver->Handle(Signed(body));
    ASSERT_EQ(Judge(first, std::string(kId)), "202");
    first_ack = first.response.body;
    now_ += absl::Seconds(90);
    const Reply again = receiver->Handle(Signed(body));
    EXPECT_EQ(Judge(again, std::string(kId)), "200");
    EXPECT_EQ(again.response.body, first_ack);
    EXPECT_TRUE(again.report.duplicate);
    // Freshly signed: a later `created`.
    EXPECT_NE(HeaderValues(again.response.headers, "signature-input"),
              HeaderValues(first.response.headers, "signature-input"));
    const Reply conflict = receiver->Handle(Signed(body + ";case=other"));
    EXPECT_EQ(Judge(conflict, std::string(kId)), "409 DUPLICATE_ID_CONFLICT");
    EXPECT_THAT(conflict.response.body, HasSubstr(absl::StrCat("id=", kId)));
  }
  now_ += absl::Hours(24);
  std::unique_ptr<Receiver> restarted = Open();
  ASSERT_NE(restarted, nullptr);
  const Reply after = restarted->Handle(Signed(body));
  EXPECT_EQ(Judge(after, std::string(kId)), "200");
  EXPECT_EQ(after.response.body, first_ack);
  EXPECT_EQ(Judge(restarted->Handle(Signed(body + ";x")), std::string(kId)),
            "409 DUPLICATE_ID_CONFLICT");
  EXPECT_EQ(restarted->accepted_count(), 1);
}

TEST_F(ReceiverTest, RouteSizeAndMediaTypeComeBeforeTheSignature) {
  std::unique_ptr<Receiver> receiver = Open();
  const std::string body = absl::StrCat("id=", kId);
  // An unsigned request: only steps 2-4 can answer it.
  ReceivedRequest unsigned_request;
  unsigned_request.request = {"POST", "/p/v1/nothing", {}, body};
  unsigned_request.peer_agency = "CN-MPS";
  EXPECT_EQ(Judge(receiver->Handle(unsigned_request), std::nullopt),
            "404 WRONG_ENDPOINT");

  ReceivedRequest query = Signed(body);
  query.request.target = "/p/v1/alerts?x=1";
  EXPECT_EQ(Judge(receiver->Handle(query), std::string(kId)),
            "404 WRONG_ENDPOINT");

  ReceivedRequest get = Signed(body);
  get.request.method = "GET";
  const Reply not_allowed = receiver->Handle(get);
  EXPECT_EQ(Judge(not_allowed, std::string(kId)), "405 WRONG_ENDPOINT");
  EXPECT_EQ(HeaderValues(not_allowed.response.headers, "allow"),
            std::vector<std::string>{"POST"});
  // Error bodies of steps 2-10 name no message id; the header is echoed.
  EXPECT_THAT(not_allowed.response.body, HasSubstr("id= loc= "));
  EXPECT_EQ(HeaderValues(not_allowed.response.headers, "gw-message-id"),
            std::vector<std::string>{kId});

  ReceivedRequest large = Signed(body);
  large.request.body.clear();
  large.body_too_large = true;
  const Reply too_large = receiver->Handle(large);
  EXPECT_EQ(Judge(too_large, std::string(kId)), "413 PAYLOAD_TOO_LARGE");
  EXPECT_TRUE(too_large.close_connection);
  // A wrong path is answered before the size.
  large.request.target = "/elsewhere";
  EXPECT_EQ(Judge(receiver->Handle(large), std::string(kId)),
            "404 WRONG_ENDPOINT");

  ReceivedRequest no_type = Signed(body);
  SetHeader(&no_type, "Content-Type", std::nullopt);
  EXPECT_EQ(Judge(receiver->Handle(no_type), std::string(kId)),
            "415 UNSUPPORTED_MEDIA_TYPE");
  ReceivedRequest other_type = Signed(body);
  SetHeader(&other_type, "Content-Type", "text/plain; charset=latin1");
  EXPECT_EQ(Judge(receiver->Handle(other_type), std::string(kId)),
            "415 UNSUPPORTED_MEDIA_TYPE");
  ReceivedRequest two_types = Signed(body);
  two_types.request.headers.emplace_back("Content-Type", "text/plain");
  EXPECT_EQ(Judge(receiver->Handle(two_types), std::string(kId)),
            "415 UNSUPPORTED_MEDIA_TYPE");
  ReceivedRequest encoded = Signed(body);
  encoded.request.headers.emplace_back("Content-Encoding", "identity");
  EXPECT_EQ(Judge(receiver->Handle(encoded), std::string(kId)),
            "415 UNSUPPORTED_MEDIA_TYPE");

  ReceivedRequest upper = Signed(body);
  SetHeader(&upper, "Content-Type", "TEXT/PLAIN; CHARSET=UTF-8");
  EXPECT_EQ(Judge(receiver->Handle(upper), std::string(kId)), "202");
  EXPECT_EQ(receiver->accepted_count(), 1);
}

TEST_F(ReceiverTest, SignatureRefusalsAndTheShortResponseProfile) {
  std::unique_ptr<Receiver> receiver = Open();
  const std::string body = absl::StrCat("id=", kId);

  ReceivedRequest no_id = Signed(body);
  SetHeader(&no_id, "Gw-Message-Id", std::nullopt);
  const Reply mismatch = receiver->Handle(no_id);
  EXPECT_EQ(Judge(mismatch, std::nullopt), "400 HEADER_MISMATCH");
  EXPECT_TRUE(HeaderValues(mismatch.response.headers, "gw-message-id").empty());

  ReceivedRequest tampered = Signed(body);
  tampered.request.body = absl::StrCat("id=", kId, ";");
  EXPECT_EQ(Judge(receiver->Handle(tampered), std::string(kId)),
            "401 DIGEST_MISMATCH");

  // The keys are registered to the peer agency only.
  ReceivedRequest other_agency = Signed(body);
  other_agency.peer_agency = "TH-RTP";
  EXPECT_EQ(Judge(receiver->Handle(other_agency), std::string(kId)),
            "401 UNKNOWN_KEY");

  ReceivedRequest stale = Signed(body);
  now_ += absl::Seconds(301);
  EXPECT_EQ(Judge(receiver->Handle(stale), std::string(kId)),
            "401 SIGNATURE_EXPIRED");
  EXPECT_EQ(receiver->accepted_count(), 0);
  for (const nlohmann::json& line : LogLines()) {
    EXPECT_NE(line["status"], 202) << line.dump();
  }
}

TEST_F(ReceiverTest, BodyRefusalsNameTheHeaderIdWhenTheBodyHasNone) {
  std::unique_ptr<Receiver> receiver = Open();
  const Reply bad = receiver->Handle(Signed("bad"));
  EXPECT_EQ(Judge(bad, std::string(kId)), "400 SCHEMA_VIOLATION");
  EXPECT_THAT(bad.response.body,
              HasSubstr(absl::StrCat("id=", kId, " loc=/x")));
  EXPECT_EQ(bad.report.location, "/x");
}

TEST_F(ReceiverTest, BusinessRefusalAndRefusedCasesComeAfterDuplicates) {
  std::unique_ptr<Receiver> receiver = Open(0, "REFUSE-");
  const std::string denied = absl::StrCat("id=", kId, ";deny");
  EXPECT_EQ(Judge(receiver->Handle(Signed(denied)), std::string(kId)),
            "403 NOT_A_RECIPIENT");
  // Not stored: the same bytes are refused again, not a duplicate.
  EXPECT_EQ(Judge(receiver->Handle(Signed(denied)), std::string(kId)),
            "403 NOT_A_RECIPIENT");

  const std::string id2 = "2c48fc5b-29bc-59f4-912a-1d9f44f64124";
  const Reply refused =
      receiver->Handle(Signed(absl::StrCat("id=", id2, ";case=REFUSE-7"), id2));
  EXPECT_EQ(Judge(refused, id2), "422 UNKNOWN_REFERENCE");
  EXPECT_THAT(refused.response.body,
              HasSubstr(absl::StrCat("id=", id2, " loc=/case")));

  const std::string id3 = "3c48fc5b-29bc-59f4-912a-1d9f44f64124";
  EXPECT_EQ(Judge(receiver->Handle(
                      Signed(absl::StrCat("id=", id3, ";case=OK-7"), id3)),
                  id3),
            "202");
  EXPECT_EQ(receiver->accepted_count(), 1);
  EXPECT_FALSE(std::filesystem::exists(
      absl::StrCat(store_dir(), "/received/", kId, ".txt")));
}

TEST_F(ReceiverTest, FailFirstAnswers503WithRetryAfterBeforeAnyCheck) {
  std::unique_ptr<Receiver> receiver = Open(/*fail_first=*/2);
  const std::string body = absl::StrCat("id=", kId);
  for (int i = 0; i < 2; ++i) {
    const Reply reply = receiver->Handle(Signed(body));
    EXPECT_EQ(Judge(reply, std::string(kId)), "503 UNAVAILABLE");
    EXPECT_EQ(HeaderValues(reply.response.headers, "retry-after"),
              std::vector<std::string>{"1"});
  }
  EXPECT_EQ(Judge(receiver->Handle(Signed(body)), std::string(kId)), "202");
}

TEST_F(ReceiverTest, PartnerReferencesCount) {
  std::unique_ptr<Receiver> receiver = Open();
  const std::string id2 = "2c48fc5b-29bc-59f4-912a-1d9f44f64124";
  EXPECT_EQ(
      receiver->Handle(Signed(absl::StrCat("id=", kId))).report.partner_ref,
      "XT-IN-2026-0001");
  EXPECT_EQ(receiver->Handle(Signed(absl::StrCat("id=", id2), id2))
                .report.partner_ref,
            "XT-IN-2026-0002");
}

TEST_F(ReceiverTest, AStoreFailureIsNeverAcknowledged) {
  std::unique_ptr<Receiver> receiver = Open();
  std::filesystem::remove_all(store_dir() + "/received");
  std::ofstream(store_dir() + "/received") << "not a directory";
  const Reply reply = receiver->Handle(Signed(absl::StrCat("id=", kId)));
  EXPECT_EQ(Judge(reply, std::string(kId)), "500 INTERNAL_ERROR");
  EXPECT_EQ(receiver->accepted_count(), 0);
  EXPECT_THAT(reply.response.body, Not(HasSubstr("ack")));
}

TEST_F(ReceiverTest, OpenNeedsASignerAndABaseUri) {
  ReceiverOptions options;
  options.store_dir = store_dir();
  options.base_uri = kBaseUri;
  EXPECT_FALSE(Receiver::Open(format_, options).ok());
  options.signer = partner_signer_.get();
  options.base_uri.clear();
  EXPECT_FALSE(Receiver::Open(format_, options).ok());
}

}  // namespace
}  // namespace gw::http_mock
