// tests/unit/adapters/kh_cnp/kh_cnp_answer_test.cc
//
// ReadAnswer: KH-CNP's answers to an outbound alert judged as KH-CNP.md §7
// and partners/README.md §2.3/§2.4 say: delivered only on a validly signed
// ack for this message id and these bytes; tampered, unsigned or
// mis-addressed answers retried; ACK_DIGEST_MISMATCH and the permanent
// refusals dead-lettered with code, field and detail; the transient codes,
// 429 and 5xx retried after Retry-After. KH-CNP's error bodies are made by
// the mirror codec's EncodeAnswer, so the gateway's own error bodies are
// checked to be readable as well.
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/json/jcs.h"
#include "adapters/kh_cnp/kh_cnp_codec.h"
#include "adapters/signed_http/http_refusal.h"
#include "gateway/crypto/sha256.h"
#include "gtest/gtest.h"
#include "tests/support/rfc8032_keys.h"
#include "tests/unit/adapters/kh_cnp/kh_cnp_test_util.h"

namespace gw::kh_cnp {
namespace {

using adapters::DeliveryOutcome;
using adapters::InboundAnswer;
using adapters::PartnerAnswer;
using adapters::PartnerMessage;
using signed_http::HttpRefusal;
using testing::AsAnswer;
using testing::ExampleAlert;
using testing::Header;
using testing::Link;
using testing::Outbound;
using testing::ParseHttp;
using testing::ReadExample;
using testing::RemoveHeader;
using testing::SetHeader;
using testing::Unix;
using Kind = DeliveryOutcome::Kind;
using Json = nlohmann::json;

constexpr int64_t kNow = testing::kAckInboundCreated;

class KhCnpAnswerTest : public ::testing::Test {
 protected:
  KhCnpAnswerTest()
      : codec_(link_.Gateway(Unix(kNow))),
        message_(Outbound(testing::kAlertMessageId, kCaseAlertPayloadType,
                          ExampleAlert())) {
    absl::StatusOr<PartnerMessage> sent = codec_->Encode(message_);
    EXPECT_TRUE(sent.ok()) << sent.status();
    if (sent.ok()) sent_ = *std::move(sent);
    ack_ = testing::ExampleJson("ack-202-inbound.json");
  }

  DeliveryOutcome Read(const PartnerAnswer& answer) const {
    return codec_->ReadAnswer(message_, sent_, answer);
  }

  // KH-CNP's signed ack `body` with `status`.
  PartnerAnswer Ack(const Json& body, int status = 202) const {
    return link_.SignedResponse(status, json::Canonical(body),
                                testing::kAlertMessageId, Unix(kNow));
  }

  // KH-CNP's signed refusal of the alert, as its own codec writes it.
  PartnerAnswer Refusal(int status, const char* code, std::string field = "",
                        int retry_after = 0) const {
    HttpRefusal refusal{status,
                        code,
                        std::move(field),
                        "why it was refused",
                        testing::kAlertMessageId,
                        retry_after};
    auto answer =
        link_.Partner(Unix(kNow))
            ->EncodeAnswer("CN-MPS", sent_,
                           InboundAnswer{signed_http::RefusalStatus(refusal),
                                         std::nullopt, false});
    EXPECT_TRUE(answer.ok()) << answer.status();
    PartnerAnswer out;
    if (answer.ok() && answer->has_value()) {
      out.metadata = (*answer)->metadata;
      out.bytes = (*answer)->bytes;
    }
    return out;
  }

  Link link_;
  std::unique_ptr<KhCnpCodec> codec_;
  adapters::OutboundMessage message_;
  PartnerMessage sent_;
  Json ack_;
};

// ---- Acknowledgements ----------------------------------------------------

TEST_F(KhCnpAnswerTest, DuplicateAck200IsDeliveredToo) {
  const DeliveryOutcome outcome = Read(Ack(ack_, 200));
  ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  EXPECT_EQ(outcome.receipt->payload_sha256(), crypto::Sha256Hex(sent_.bytes));
  EXPECT_TRUE(absl::StartsWith(outcome.evidence, "HTTP/1.1 200 OK\r\n"));
}

TEST_F(KhCnpAnswerTest, AckWarningsBecomeReceiptWarnings) {
  ack_["warnings"] =
      Json::array({{{"code", "NORMALIZED_NFC"},
                    {"field", "/alert/subjects/0/person/names/0/family"}}});
  const DeliveryOutcome outcome = Read(Ack(ack_));
  ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  ASSERT_EQ(outcome.receipt->warnings_size(), 1);
  EXPECT_EQ(outcome.receipt->warnings(0).code(), "NORMALIZED_NFC");
  EXPECT_EQ(outcome.receipt->warnings(0).field(),
            "/alert/subjects/0/person/names/0/family");
}

TEST_F(KhCnpAnswerTest, AckWithAnOffsetIsReadInUtc) {
  ack_["received_at"] = "2026-03-14T09:30:06+07:00";
  const DeliveryOutcome outcome = Read(Ack(ack_));
  ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  EXPECT_EQ(outcome.receipt->received_at().seconds(),
            absl::ToUnixSeconds(testing::Utc("2026-03-14T02:30:06Z")));
}

TEST_F(KhCnpAnswerTest, TamperedBodyIsATransportFailure) {
  PartnerAnswer answer =
      AsAnswer(ParseHttp(ReadExample("ack-202-inbound.http")));
  answer.bytes[answer.bytes.find("CNP-INT") + 4] = 'X';
  const DeliveryOutcome outcome = Read(answer);
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_TRUE(
      absl::StartsWith(outcome.reason, "unsigned or badly signed response:"))
      << outcome.reason;
  EXPECT_TRUE(absl::StrContains(outcome.reason, "DIGEST_MISMATCH"))
      << outcome.reason;
}

TEST_F(KhCnpAnswerTest, BadSignatureIsATransportFailure) {
  PartnerAnswer answer =
      AsAnswer(ParseHttp(ReadExample("ack-202-inbound.http")));
  // The signature of another response by the same key.
  SetHeader(&answer.metadata, "signature",
            Header(ParseHttp(ReadExample("rejection-400-inbound.http")).headers,
                   "signature"));
  const DeliveryOutcome outcome = Read(answer);
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_TRUE(absl::StrContains(outcome.reason, "SIGNATURE_INVALID"))
      << outcome.reason;
}

TEST_F(KhCnpAnswerTest, UnsignedResponseIsATransportFailure) {
  PartnerAnswer answer =
      AsAnswer(ParseHttp(ReadExample("ack-202-inbound.http")));
  RemoveHeader(&answer.metadata, "signature-input");
  RemoveHeader(&answer.metadata, "signature");
  const DeliveryOutcome outcome = Read(answer);
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_TRUE(absl::StrContains(outcome.reason, "SIGNATURE_MISSING"))
      << outcome.reason;
  EXPECT_TRUE(outcome.evidence.empty());
}

TEST_F(KhCnpAnswerTest, AckSignedByAnUnregisteredKeyIsATransportFailure) {
  // Signed with the gateway's own test key, which is not KH-CNP's.
  const std::string body = json::Canonical(ack_);
  const signed_http::HttpSignatureProfile profile(&link_.gateway_key(), {},
                                                  [] { return Unix(kNow); });
  const std::string digest = signed_http::ContentDigest(body);
  auto signature = profile.SignResponse(202, digest, testing::kAlertMessageId);
  ASSERT_TRUE(signature.ok());
  PartnerAnswer answer;
  answer.metadata = {{":status", "202"},
                     {"content-type", "application/json"},
                     {"content-digest", digest},
                     {"gw-message-id", testing::kAlertMessageId},
                     {"signature-input", signature->signature_input},
                     {"signature", signature->signature}};
  answer.bytes = body;
  const DeliveryOutcome outcome = Read(answer);
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_TRUE(absl::StrContains(outcome.reason, "UNKNOWN_KEY"))
      << outcome.reason;
}

TEST_F(KhCnpAnswerTest, StaleResponseSignatureIsATransportFailure) {
  const PartnerAnswer answer = link_.SignedResponse(
      202, json::Canonical(ack_), testing::kAlertMessageId, Unix(kNow - 301));
  const DeliveryOutcome outcome = Read(answer);
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_TRUE(absl::StrContains(outcome.reason, "SIGNATURE_EXPIRED"))
      << outcome.reason;
}

TEST_F(KhCnpAnswerTest, ResponseEchoingAnotherMessageIdIsATransportFailure) {
  ack_["message_id"] = testing::kRejectedMessageId;
  const PartnerAnswer answer = link_.SignedResponse(
      202, json::Canonical(ack_), testing::kRejectedMessageId, Unix(kNow));
  const DeliveryOutcome outcome = Read(answer);
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_TRUE(absl::StrContains(outcome.reason, "HEADER_MISMATCH"))
      << outcome.reason;
}

TEST_F(KhCnpAnswerTest, AckNamingAnotherMessageIsATransportFailure) {
  // Gw-Message-Id echoes ours, the body acknowledges another message.
  ack_["message_id"] = testing::kRejectedMessageId;
  const DeliveryOutcome outcome = Read(Ack(ack_));
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_TRUE(absl::StrContains(outcome.reason, "/message_id"))
      << outcome.reason;
  EXPECT_FALSE(outcome.receipt.has_value());
}

TEST_F(KhCnpAnswerTest, AckOfOtherBytesIsAckDigestMismatch) {
  ack_["payload_sha256"] = crypto::Sha256Hex("other bytes");
  const PartnerAnswer answer = Ack(ack_);
  const DeliveryOutcome outcome = Read(answer);
  EXPECT_EQ(outcome.kind, Kind::kPermanentFailure);
  EXPECT_TRUE(
      absl::StartsWith(outcome.reason, "ACK_DIGEST_MISMATCH /payload_sha256:"))
      << outcome.reason;
  EXPECT_TRUE(absl::StrContains(outcome.evidence, answer.bytes));
  EXPECT_FALSE(outcome.receipt.has_value());
}

TEST_F(KhCnpAnswerTest, InvalidAckIsATransportFailure) {
  Json wrong_status = ack_;
  wrong_status["status"] = "REJECTED";
  Json wrong_sender = ack_;
  wrong_sender["sender"] = "VN-MPS";
  Json wrong_recipient = ack_;
  wrong_recipient["recipient"] = "TH-RTP";
  Json no_digest = ack_;
  no_digest.erase("payload_sha256");
  Json impossible_time = ack_;
  impossible_time["received_at"] = "2026-02-30T02:30:06Z";
  for (const Json& body : {wrong_status, wrong_sender, wrong_recipient,
                           no_digest, impossible_time}) {
    const DeliveryOutcome outcome = Read(Ack(body));
    EXPECT_EQ(outcome.kind, Kind::kTransientFailure) << body.dump();
    EXPECT_TRUE(absl::StartsWith(outcome.reason, "ack not accepted:"))
        << outcome.reason;
  }
  PartnerAnswer not_json = link_.SignedResponse(
      202, "{\"status\":", testing::kAlertMessageId, Unix(kNow));
  EXPECT_EQ(Read(not_json).kind, Kind::kTransientFailure);
}

TEST_F(KhCnpAnswerTest, TransportFailureIsTransientWithItsMessage) {
  PartnerAnswer answer;
  answer.status = absl::UnavailableError("connect: connection refused");
  const DeliveryOutcome outcome = Read(answer);
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_EQ(outcome.reason,
            "transport: UNAVAILABLE connect: connection refused");
}

// ---- Refusals (§7, §8) -----------------------------------------------------

TEST_F(KhCnpAnswerTest, ConflictIsPermanent) {
  const DeliveryOutcome outcome = Read(Refusal(409, "DUPLICATE_ID_CONFLICT"));
  EXPECT_EQ(outcome.kind, Kind::kPermanentFailure);
  EXPECT_EQ(outcome.reason,
            "KH-CNP 409 DUPLICATE_ID_CONFLICT: why it was refused");
  EXPECT_TRUE(absl::StartsWith(outcome.evidence, "HTTP/1.1 409 Conflict\r\n"));
}

TEST_F(KhCnpAnswerTest, SchemaViolationIsPermanentWithItsField) {
  const DeliveryOutcome outcome =
      Read(Refusal(400, "SCHEMA_VIOLATION", "/alert/last_seen/at"));
  EXPECT_EQ(outcome.kind, Kind::kPermanentFailure);
  EXPECT_EQ(outcome.reason,
            "KH-CNP 400 SCHEMA_VIOLATION /alert/last_seen/at: why it was "
            "refused");
}

TEST_F(KhCnpAnswerTest, TransientCodesOf401AreRetried) {
  for (const char* code : {"SIGNATURE_EXPIRED", "UNKNOWN_KEY"}) {
    const DeliveryOutcome outcome = Read(Refusal(401, code));
    EXPECT_EQ(outcome.kind, Kind::kTransientFailure) << code;
    EXPECT_EQ(outcome.reason,
              absl::StrCat("KH-CNP 401 ", code, ": why it was refused"));
    EXPECT_FALSE(outcome.evidence.empty());
  }
  for (const char* code :
       {"SIGNATURE_INVALID", "SIGNATURE_MISSING", "DIGEST_MISMATCH"}) {
    EXPECT_EQ(Read(Refusal(401, code)).kind, Kind::kPermanentFailure) << code;
  }
}

TEST_F(KhCnpAnswerTest, OtherClientErrorsArePermanent) {
  EXPECT_EQ(Read(Refusal(403, "NOT_A_RECIPIENT")).kind,
            Kind::kPermanentFailure);
  EXPECT_EQ(Read(Refusal(403, "AGENCY_MISMATCH", "/sender")).kind,
            Kind::kPermanentFailure);
  EXPECT_EQ(Read(Refusal(422, "UNKNOWN_REFERENCE", "/alert/case_ref")).kind,
            Kind::kPermanentFailure);
  EXPECT_EQ(Read(Refusal(413, "PAYLOAD_TOO_LARGE")).kind,
            Kind::kPermanentFailure);
}

TEST_F(KhCnpAnswerTest, RateLimitedIsRetriedAfterRetryAfterSeconds) {
  const PartnerAnswer answer = Refusal(429, "RATE_LIMITED", "", 120);
  EXPECT_EQ(Header(answer.metadata, "retry-after"), "120");
  const DeliveryOutcome outcome = Read(answer);
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_EQ(outcome.reason, "KH-CNP 429 RATE_LIMITED: why it was refused");
  ASSERT_TRUE(outcome.retry_after.has_value());
  EXPECT_EQ(*outcome.retry_after, Unix(kNow + 120));
}

TEST_F(KhCnpAnswerTest, UnavailableIsRetriedAfterAnHttpDate) {
  PartnerAnswer answer = Refusal(503, "UNAVAILABLE");
  SetHeader(&answer.metadata, "retry-after", "Sat, 14 Mar 2026 03:00:00 GMT");
  const DeliveryOutcome outcome = Read(answer);
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  ASSERT_TRUE(outcome.retry_after.has_value());
  EXPECT_EQ(*outcome.retry_after, testing::Utc("2026-03-14T03:00:00Z"));
}

TEST_F(KhCnpAnswerTest, ServerErrorIsRetried) {
  const DeliveryOutcome outcome = Read(Refusal(500, "INTERNAL_ERROR"));
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_EQ(outcome.reason, "KH-CNP 500 INTERNAL_ERROR: why it was refused");
  EXPECT_FALSE(outcome.retry_after.has_value());
}

TEST_F(KhCnpAnswerTest, UnreadableErrorBodies) {
  // A 400 is a refusal even when its body cannot be read...
  DeliveryOutcome outcome = Read(link_.SignedResponse(
      400, "not json", testing::kAlertMessageId, Unix(kNow)));
  EXPECT_EQ(outcome.kind, Kind::kPermanentFailure);
  EXPECT_TRUE(
      absl::StartsWith(outcome.reason, "KH-CNP 400 (no readable error body:"))
      << outcome.reason;
  // ...but a 401 might be SIGNATURE_EXPIRED or UNKNOWN_KEY.
  outcome = Read(
      link_.SignedResponse(401, "{}", testing::kAlertMessageId, Unix(kNow)));
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
}

TEST_F(KhCnpAnswerTest, ErrorBodyNamingAnotherMessageIsRetried) {
  HttpRefusal refusal{400,   "SCHEMA_VIOLATION",          "/alert",
                      "why", testing::kRejectedMessageId, 0};
  auto answer =
      link_.Partner(Unix(kNow))
          ->EncodeAnswer("CN-MPS", sent_,
                         InboundAnswer{signed_http::RefusalStatus(refusal),
                                       std::nullopt, false});
  ASSERT_TRUE(answer.ok() && answer->has_value());
  PartnerAnswer response;
  response.metadata = (*answer)->metadata;
  response.bytes = (*answer)->bytes;
  const DeliveryOutcome outcome = Read(response);
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_TRUE(absl::StrContains(outcome.reason, "another message"))
      << outcome.reason;
}

TEST_F(KhCnpAnswerTest, UnexpectedStatusIsRetried) {
  const DeliveryOutcome outcome =
      Read(link_.SignedResponse(204, "", testing::kAlertMessageId, Unix(kNow)));
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_TRUE(absl::StrContains(outcome.reason, "KH-CNP 204"))
      << outcome.reason;
}

}  // namespace
}  // namespace gw::kh_cnp
