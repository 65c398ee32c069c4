// tests/unit/adapters/vn_mps/vn_mps_codec_test.cc
//
// The VN-MPS codec against every example of shared/partners/examples/
// VN-MPS/: the outbound alert and its request signature reproduced byte for
// byte, VN-MPS's acknowledgement and rejection judged (README §2.3, §2.4,
// VN-MPS.md §7), the inbound repatriation requests (NFC and NFD) decoded to
// the canonical request, and the gateway's acknowledgements reproduced byte
// for byte; then tampered answers, refusals and duplicates.
#include "adapters/vn_mps/vn_mps_codec.h"

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "adapters/signed_http/http_refusal.h"
#include "adapters/text/normalize.h"
#include "adapters/vn_mps/vn_http.h"
#include "adapters/vn_mps/vn_text.h"
#include "gateway/crypto/sha256.h"
#include "gateway/ingest/error_reason.h"
#include "gateway/util/proto_time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/repatriation.pb.h"
#include "tests/support/rfc8032_keys.h"
#include "tests/unit/adapters/vn_mps/vn_examples.h"

namespace gw::vn_mps {
namespace {

using adapters::DeliveryOutcome;
using adapters::InboundAnswer;
using adapters::InboundMessage;
using adapters::OutboundMessage;
using adapters::PartnerAnswer;
using adapters::PartnerMessage;
using google::protobuf::util::MessageDifferencer;
using testing::ExampleAlert;
using testing::ExampleRequest;
using ::testing::HasSubstr;
using testing::InboundRequest;
using testing::kAlertMessageId;
using testing::kDecisionMessageId;
using testing::kNfdRequestMessageId;
using testing::kRequestMessageId;
using testing::Link;
using testing::Outbound;
using testing::ParseHttp;
using testing::ReadExample;
using testing::ResponseAnswer;
using testing::Utc;
using Kind = DeliveryOutcome::Kind;

absl::Time Unix(int64_t seconds) { return absl::FromUnixSeconds(seconds); }

std::string Header(const adapters::Metadata& metadata, absl::string_view name) {
  for (const auto& [key, value] : metadata) {
    if (key == name) return value;
  }
  return "";
}

int Count(const adapters::Metadata& metadata, absl::string_view name) {
  int n = 0;
  for (const auto& entry : metadata) n += entry.first == name ? 1 : 0;
  return n;
}

// The encoded example alert and the codec that encoded it.
class AlertExample : public ::testing::Test {
 protected:
  void SetUp() override {
    codec_ = link_.Gateway(Unix(1773455405));
    auto sent = codec_->Encode(message_);
    ASSERT_TRUE(sent.ok()) << sent.status();
    sent_ = *sent;
  }

  Link link_;
  std::unique_ptr<VnMpsCodec> codec_;
  OutboundMessage message_ =
      Outbound(kAlertMessageId, kCaseAlertPayloadType, ExampleAlert());
  PartnerMessage sent_;
};

TEST_F(AlertExample, EncodesTheExampleBodyByteForByte) {
  const testing::HttpFile http = ParseHttp(ReadExample("alert-outbound.http"));
  EXPECT_EQ(sent_.bytes, ReadExample("alert-outbound.xml"));
  EXPECT_EQ(sent_.bytes, http.body);
  EXPECT_EQ(sent_.message_id, kAlertMessageId);
  EXPECT_EQ(sent_.content_type, "application/xml");
  EXPECT_EQ(Header(sent_.metadata, ":path"), "/tip/v1/alerts");
  EXPECT_EQ(Header(sent_.metadata, "content-type"),
            Header(http.headers, "content-type"));
  EXPECT_EQ(Header(sent_.metadata, "content-digest"),
            Header(http.headers, "content-digest"));
  EXPECT_EQ(Header(sent_.metadata, "gw-message-id"), kAlertMessageId);
  // The transport adds Host, Content-Length and the signature.
  EXPECT_EQ(Count(sent_.metadata, "signature"), 0);
}

TEST_F(AlertExample, SignsTheRequestAsTheExample) {
  const testing::HttpFile http = ParseHttp(ReadExample("alert-outbound.http"));
  auto headers = codec_->SignRequest(
      absl::StrCat(testing::kPartnerBase, "/tip/v1/alerts"), sent_);
  ASSERT_TRUE(headers.ok()) << headers.status();
  EXPECT_EQ(Header(*headers, "signature-input"),
            Header(http.headers, "signature-input"));
  EXPECT_EQ(Header(*headers, "signature"), Header(http.headers, "signature"));
  // A retry one minute later: same body, fresh created.
  auto later =
      link_.Gateway(Unix(1773455465))
          ->SignRequest("https://tip.partner.example/tip/v1/alerts", sent_);
  ASSERT_TRUE(later.ok());
  EXPECT_THAT(Header(*later, "signature-input"),
              HasSubstr("created=1773455465"));
}

TEST_F(AlertExample, EncodingIgnoresTheClock) {
  auto again = link_.Gateway(Unix(1900000000))->Encode(message_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->bytes, sent_.bytes);
  EXPECT_EQ(again->metadata, sent_.metadata);
}

TEST_F(AlertExample, TheExampleAcknowledgementDelivers) {
  const std::string http = ReadExample("ack-202-inbound.http");
  auto codec = link_.Gateway(Unix(1773455407));
  const DeliveryOutcome outcome =
      codec->ReadAnswer(message_, sent_, ResponseAnswer(http));
  ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  ASSERT_TRUE(outcome.receipt.has_value());
  EXPECT_EQ(outcome.receipt->message_id(), kAlertMessageId);
  EXPECT_EQ(outcome.receipt->payload_sha256(), crypto::Sha256Hex(sent_.bytes));
  EXPECT_EQ(outcome.receipt->recipient(), "VN-MPS");
  EXPECT_EQ(outcome.receipt->status(), gw::v1::Receipt::ACCEPTED);
  EXPECT_EQ(util::FromTimestamp(outcome.receipt->received_at()),
            Utc("2026-03-14T02:30:07Z"));
  EXPECT_TRUE(outcome.warnings.empty());
  // The evidence is the example response itself.
  EXPECT_EQ(outcome.evidence, http);
}

TEST_F(AlertExample, ADuplicateAcknowledgementDeliversToo) {
  const std::string body = ReadExample("ack-202-inbound.xml");
  const DeliveryOutcome outcome = codec_->ReadAnswer(
      message_, sent_,
      link_.SignedResponse(200, body, kAlertMessageId, Unix(1773455405)));
  EXPECT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
}

TEST_F(AlertExample, AcknowledgementWarningsReachTheReceipt) {
  std::string body = ReadExample("ack-202-inbound.xml");
  body = absl::StrReplaceAll(
      body, {{"</tip:PartnerReference>\n",
              "</tip:PartnerReference>\n  <tip:Warning>\n    "
              "<tip:WarningCode>NORMALIZED_NFC</tip:WarningCode>\n    "
              "<tip:WarningLocation>/tip:CaseAlertMessage/tip:CaseAlert/"
              "tip:OriginatorID</tip:WarningLocation>\n  </tip:Warning>\n"}});
  const DeliveryOutcome outcome = codec_->ReadAnswer(
      message_, sent_,
      link_.SignedResponse(202, body, kAlertMessageId, Unix(1773455405)));
  ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  ASSERT_EQ(outcome.receipt->warnings_size(), 1);
  EXPECT_EQ(outcome.receipt->warnings(0).code(), "NORMALIZED_NFC");
  EXPECT_EQ(outcome.receipt->warnings(0).field(),
            "/tip:CaseAlertMessage/tip:CaseAlert/tip:OriginatorID");
  ASSERT_EQ(outcome.warnings.size(), 1u);
}

TEST_F(AlertExample, TamperedAcknowledgementsAreNotDeliveries) {
  const std::string http = ReadExample("ack-202-inbound.http");
  const std::string body = ReadExample("ack-202-inbound.xml");
  auto codec = link_.Gateway(Unix(1773455407));

  // A byte of the body changed after signing: digest mismatch, retried.
  PartnerAnswer changed = ResponseAnswer(http);
  changed.bytes[changed.bytes.find("VN-MPS-IN")] = 'X';
  EXPECT_EQ(codec->ReadAnswer(message_, sent_, changed).kind,
            Kind::kTransientFailure);

  // No signature at all.
  PartnerAnswer unsigned_answer = ResponseAnswer(http);
  unsigned_answer.metadata.erase(unsigned_answer.metadata.end() - 2,
                                 unsigned_answer.metadata.end());
  EXPECT_EQ(codec->ReadAnswer(message_, sent_, unsigned_answer).kind,
            Kind::kTransientFailure);

  // Signed with the gateway's own key, which is not VN-MPS's.
  EXPECT_EQ(codec
                ->ReadAnswer(message_, sent_,
                             link_.SignedResponse(202, body, kAlertMessageId,
                                                  Unix(1773455407),
                                                  &link_.gateway_key()))
                .kind,
            Kind::kTransientFailure);

  // Too old a signature.
  EXPECT_EQ(link_.Gateway(Unix(1773455407 + 3600))
                ->ReadAnswer(message_, sent_, ResponseAnswer(http))
                .kind,
            Kind::kTransientFailure);

  // Gw-Message-Id of another request.
  EXPECT_EQ(
      codec
          ->ReadAnswer(message_, sent_,
                       link_.SignedResponse(
                           202, body, "00000000-0000-4000-8000-000000000000",
                           Unix(1773455407)))
          .kind,
      Kind::kTransientFailure);

  // Validly signed, but acknowledging another message id.
  const std::string other_id = absl::StrReplaceAll(
      body, {{kAlertMessageId, "00000000-0000-4000-8000-000000000000"}});
  EXPECT_EQ(
      codec
          ->ReadAnswer(message_, sent_,
                       link_.SignedResponse(202, other_id, kAlertMessageId,
                                            Unix(1773455407)))
          .kind,
      Kind::kTransientFailure);

  // Validly signed, but not an acknowledgement.
  const DeliveryOutcome garbage = codec->ReadAnswer(
      message_, sent_,
      link_.SignedResponse(202, "not xml", kAlertMessageId, Unix(1773455407)));
  EXPECT_EQ(garbage.kind, Kind::kTransientFailure);

  // Validly signed, acknowledging other bytes: dead-lettered.
  const std::string other_digest = absl::StrReplaceAll(
      body, {{crypto::Sha256Hex(sent_.bytes), std::string(64, 'a')}});
  const DeliveryOutcome mismatch =
      codec->ReadAnswer(message_, sent_,
                        link_.SignedResponse(202, other_digest, kAlertMessageId,
                                             Unix(1773455407)));
  EXPECT_EQ(mismatch.kind, Kind::kPermanentFailure);
  EXPECT_THAT(mismatch.reason, ::testing::StartsWith("ACK_DIGEST_MISMATCH"));
  EXPECT_FALSE(mismatch.evidence.empty());
}

TEST_F(AlertExample, TransportFailuresAreRetried) {
  PartnerAnswer down;
  down.status = absl::UnavailableError("connection refused");
  const DeliveryOutcome outcome = codec_->ReadAnswer(message_, sent_, down);
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_THAT(outcome.reason, HasSubstr("UNAVAILABLE"));
}

TEST_F(AlertExample, OneCodecServesManyThreads) {
  // libxml2 state is per call (parser, validation context); the schema is
  // shared read-only. Every thread must see the single-threaded results.
  const std::string ack = ReadExample("ack-202-inbound.http");
  auto codec = link_.Gateway(Unix(1773455407));
  std::vector<std::thread> threads;
  std::vector<int> good(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        auto encoded = codec->Encode(message_);
        const DeliveryOutcome outcome =
            codec->ReadAnswer(message_, sent_, ResponseAnswer(ack));
        if (encoded.ok() && encoded->bytes == sent_.bytes &&
            outcome.kind == Kind::kDelivered) {
          ++good[static_cast<size_t>(t)];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(good, ::testing::Each(10));
}

std::string Rejection(absl::string_view code, absl::string_view id,
                      absl::string_view text = "refused") {
  return absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<tip:Rejection xmlns:tip=\"urn:vn:mps:tip:1.0\">\n",
      id.empty() ? ""
                 : absl::StrCat("  <tip:RejectedMessageID>", id,
                                "</tip:RejectedMessageID>\n"),
      "  <tip:SenderAgencyCode>VN-MPS</tip:SenderAgencyCode>\n"
      "  <tip:RecipientAgencyCode>CN-MPS</tip:RecipientAgencyCode>\n"
      "  <tip:ErrorCode>",
      code,
      "</tip:ErrorCode>\n"
      "  <tip:ErrorText>",
      text,
      "</tip:ErrorText>\n"
      "  <tip:RejectedDateTime>2026-03-14T02:30:06Z</tip:RejectedDateTime>\n"
      "</tip:Rejection>\n");
}

// Whether `reason` can be stored: gw.v1.Delivery.reason is a proto3 string,
// which does not parse back unless it is valid UTF-8.
void ExpectStorableReason(const std::string& reason) {
  EXPECT_TRUE(text::IsValidUtf8(reason));
  gw::v1::Delivery delivery;
  delivery.set_reason(reason);
  std::string bytes;
  ASSERT_TRUE(delivery.SerializeToString(&bytes));
  gw::v1::Delivery back;
  ASSERT_TRUE(back.ParseFromString(bytes));
  EXPECT_EQ(back.reason(), reason);
}

TEST_F(AlertExample, AVietnameseErrorTextGivesAStorableReason) {
  // 200 characters (the most ErrorText holds) of 2 and 3 bytes: byte 300
  // falls inside a character.
  std::string text = "\xC6\xB0";                                         // ư
  for (int i = 1; i < 200; ++i) absl::StrAppend(&text, "\xE1\xBB\xAF");  // ữ
  ASSERT_EQ(CodePoints(text), 200u);
  ASSERT_EQ(static_cast<unsigned char>(text[300]) & 0xC0, 0x80);
  const absl::Time now = Unix(1773455406);
  const DeliveryOutcome outcome = link_.Gateway(now)->ReadAnswer(
      message_, sent_,
      link_.SignedResponse(400,
                           Rejection("SCHEMA_VIOLATION", kAlertMessageId, text),
                           kAlertMessageId, now));
  EXPECT_EQ(outcome.kind, Kind::kPermanentFailure);
  // 200 characters are within what a reason keeps of a text.
  EXPECT_EQ(outcome.reason,
            absl::StrCat("VN-MPS 400 SCHEMA_VIOLATION: ", text));
  ExpectStorableReason(outcome.reason);
}

TEST_F(AlertExample, ReasonsAreCutByCharactersAndValidUtf8) {
  // A transport's message is not ours: 400 three-byte characters are cut
  // to 300 characters, and bytes that are not UTF-8 are replaced.
  std::string long_text;
  for (int i = 0; i < 400; ++i) absl::StrAppend(&long_text, "\xE1\xBB\xAF");
  PartnerAnswer down;
  down.status = absl::UnavailableError(absl::StrCat("x", long_text));
  DeliveryOutcome outcome = codec_->ReadAnswer(message_, sent_, down);
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  ExpectStorableReason(outcome.reason);
  std::string kept = "x";
  for (int i = 0; i < 299; ++i) absl::StrAppend(&kept, "\xE1\xBB\xAF");
  EXPECT_EQ(outcome.reason, absl::StrCat("transport: UNAVAILABLE ", kept));

  down.status = absl::UnavailableError("bad \xFF\xE1\xBB byte\nnext");
  outcome = codec_->ReadAnswer(message_, sent_, down);
  ExpectStorableReason(outcome.reason);
  EXPECT_THAT(outcome.reason,
              ::testing::StartsWith("transport: UNAVAILABLE bad \xEF\xBF\xBD"));
  EXPECT_THAT(outcome.reason, ::testing::EndsWith(" byte next"));
}

TEST_F(AlertExample, AcknowledgementDatesAreReadAsTheSchemaCollapsesThem) {
  const std::string body = absl::StrReplaceAll(
      ReadExample("ack-202-inbound.xml"),
      {{"<tip:ReceivedDateTime>2026-03-14T02:30:07Z<",
        "<tip:ReceivedDateTime>\n  2026-03-14T02:30:07Z\t<"}});
  ASSERT_NE(body, ReadExample("ack-202-inbound.xml"));
  const DeliveryOutcome outcome = codec_->ReadAnswer(
      message_, sent_,
      link_.SignedResponse(202, body, kAlertMessageId, Unix(1773455405)));
  ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  EXPECT_EQ(util::FromTimestamp(outcome.receipt->received_at()),
            Utc("2026-03-14T02:30:07Z"));
}

TEST_F(AlertExample, RefusalsAreJudgedByStatusAndCode) {
  const absl::Time now = Unix(1773455406);
  auto codec = link_.Gateway(now);
  auto judge = [&](int status, absl::string_view code,
                   absl::string_view id = kAlertMessageId) {
    return codec->ReadAnswer(message_, sent_,
                             link_.SignedResponse(status, Rejection(code, id),
                                                  kAlertMessageId, now));
  };
  EXPECT_EQ(judge(400, "SCHEMA_VIOLATION").kind, Kind::kPermanentFailure);
  EXPECT_EQ(judge(403, "NOT_A_RECIPIENT").kind, Kind::kPermanentFailure);
  EXPECT_EQ(judge(409, "DUPLICATE_ID_CONFLICT").kind, Kind::kPermanentFailure);
  EXPECT_EQ(judge(422, "UNKNOWN_REFERENCE").kind, Kind::kPermanentFailure);
  EXPECT_EQ(judge(401, "SIGNATURE_INVALID").kind, Kind::kPermanentFailure);
  EXPECT_EQ(judge(401, "SIGNATURE_EXPIRED").kind, Kind::kTransientFailure);
  EXPECT_EQ(judge(401, "UNKNOWN_KEY").kind, Kind::kTransientFailure);
  EXPECT_EQ(judge(429, "RATE_LIMITED").kind, Kind::kTransientFailure);
  EXPECT_EQ(judge(500, "INTERNAL_ERROR").kind, Kind::kTransientFailure);
  EXPECT_EQ(judge(503, "UNAVAILABLE").kind, Kind::kTransientFailure);
  // Without RejectedMessageID (a refusal before the body was read).
  EXPECT_EQ(judge(415, "UNSUPPORTED_MEDIA_TYPE", "").kind,
            Kind::kPermanentFailure);
  // A refusal of another message is no verdict on this one.
  EXPECT_EQ(
      judge(400, "SCHEMA_VIOLATION", "00000000-0000-4000-8000-000000000000")
          .kind,
      Kind::kTransientFailure);

  const DeliveryOutcome permanent = judge(400, "SCHEMA_VIOLATION");
  EXPECT_EQ(permanent.reason, "VN-MPS 400 SCHEMA_VIOLATION: refused");
  EXPECT_FALSE(permanent.evidence.empty());

  // Retry-After on 429 and 503.
  PartnerAnswer limited = link_.SignedResponse(
      429, Rejection("RATE_LIMITED", kAlertMessageId), kAlertMessageId, now);
  limited.metadata.emplace_back("retry-after", "120");
  const DeliveryOutcome later = codec->ReadAnswer(message_, sent_, limited);
  EXPECT_EQ(later.kind, Kind::kTransientFailure);
  ASSERT_TRUE(later.retry_after.has_value());
  EXPECT_EQ(*later.retry_after, now + absl::Seconds(120));

  // A signed 4xx whose body is no rejection tells nothing: retried.
  EXPECT_EQ(
      codec
          ->ReadAnswer(message_, sent_,
                       link_.SignedResponse(400, "oops", kAlertMessageId, now))
          .kind,
      Kind::kTransientFailure);
  // Other statuses are not the ICD's.
  EXPECT_EQ(
      codec
          ->ReadAnswer(message_, sent_,
                       link_.SignedResponse(302, "", kAlertMessageId, now))
          .kind,
      Kind::kTransientFailure);
}

TEST(VnMpsCodecTest, TheExampleRejectionDeadLettersWithItsCodeLocationText) {
  Link link;
  auto codec = link.Gateway(absl::FromUnixSeconds(1773464401));
  PartnerMessage sent;
  sent.message_id = kDecisionMessageId;
  sent.bytes = "(the decision that lacked tip:DecidingAgencyCode)";
  OutboundMessage message;
  message.message_id = kDecisionMessageId;
  const std::string http = ReadExample("rejection-400-inbound.http");
  const DeliveryOutcome outcome =
      codec->ReadAnswer(message, sent, ResponseAnswer(http));
  EXPECT_EQ(outcome.kind, Kind::kPermanentFailure);
  EXPECT_EQ(outcome.reason,
            "VN-MPS 400 SCHEMA_VIOLATION "
            "/tip:RepatriationDecisionMessage/tip:RepatriationDecision/"
            "tip:DecisionDateTime: Element 'tip:DecisionDateTime': This "
            "element is not expected. Expected is ( tip:DecidingAgencyCode ).");
  EXPECT_EQ(outcome.evidence, http);
}

// The inbound repatriation requests.
class RequestExample : public ::testing::Test {
 protected:
  Link link_;
};

TEST_F(RequestExample, DecodesTheExampleRequest) {
  const std::string http = ReadExample("repatriation-request-inbound.http");
  auto codec = link_.Gateway(absl::FromUnixSeconds(1773458401));
  auto inbound = codec->Decode("VN-MPS", InboundRequest(http));
  ASSERT_TRUE(inbound.ok()) << inbound.status();
  EXPECT_EQ(inbound->sender_agency, "VN-MPS");
  EXPECT_EQ(inbound->message_id, kRequestMessageId);
  EXPECT_EQ(inbound->envelope.payload_type(), kRepatriationRequestPayloadType);
  EXPECT_EQ(inbound->envelope.signatures_size(), 0);
  gw::v1::RepatriationRequest request;
  ASSERT_TRUE(request.ParseFromString(inbound->envelope.payload()));
  EXPECT_TRUE(MessageDifferencer::Equals(request, ExampleRequest()))
      << request.DebugString();
  EXPECT_EQ(inbound->received_sha256,
            crypto::Sha256Hex(ReadExample("repatriation-request-inbound.xml")));
  EXPECT_TRUE(inbound->warnings.empty());
  EXPECT_EQ(inbound->evidence, http);
  EXPECT_EQ(inbound->link_key_id, gw::testing::kRfc8032Test2KeyId);
  EXPECT_FALSE(inbound->converted_payload.has_value());
}

TEST_F(RequestExample, DecodesTheNfdRequestToNfcWithWarnings) {
  const std::string http = ReadExample("repatriation-request-inbound-nfd.http");
  auto codec = link_.Gateway(absl::FromUnixSeconds(1773459601));
  auto inbound = codec->Decode("VN-MPS", InboundRequest(http));
  ASSERT_TRUE(inbound.ok()) << inbound.status();
  EXPECT_EQ(inbound->message_id, kNfdRequestMessageId);
  gw::v1::RepatriationRequest request;
  ASSERT_TRUE(request.ParseFromString(inbound->envelope.payload()));
  gw::v1::RepatriationRequest expected = ExampleRequest();
  *expected.mutable_created_at() = testing::Ts("2026-03-14T03:40:00Z");
  EXPECT_TRUE(MessageDifferencer::Equals(request, expected))
      << request.DebugString();
  // The duplicate check and the evidence use the bytes as received.
  const std::string received =
      ReadExample("repatriation-request-inbound-nfd.xml");
  EXPECT_EQ(inbound->received_sha256, crypto::Sha256Hex(received));
  EXPECT_EQ(inbound->evidence, http);
  ASSERT_EQ(inbound->warnings.size(), 2u);
  EXPECT_EQ(inbound->warnings[0].code(), "NORMALIZED_NFC");
  EXPECT_EQ(inbound->warnings[0].field(),
            "/tip:RepatriationRequestMessage/tip:RepatriationRequest/"
            "tip:BestInterestsAssessment/tip:AssessmentSummary[1]");
  EXPECT_EQ(inbound->warnings[1].code(), "NORMALIZED_NFC");
  EXPECT_EQ(inbound->warnings[1].field(),
            "/tip:RepatriationRequestMessage/tip:RepatriationRequest/"
            "tip:ProposedHandover/tip:BorderPointName");
}

// The receipt the pipeline would give for a request of the examples.
gw::v1::Receipt ReceiptFor(const InboundMessage& inbound,
                           absl::string_view received_at) {
  gw::v1::Receipt receipt;
  receipt.set_message_id(inbound.message_id);
  receipt.set_payload_sha256(crypto::Sha256Hex(inbound.envelope.payload()));
  receipt.set_recipient("CN-MPS");
  receipt.set_status(gw::v1::Receipt::ACCEPTED);
  *receipt.mutable_received_at() = testing::Ts(received_at);
  for (const auto& warning : inbound.warnings)
    *receipt.add_warnings() = warning;
  return receipt;
}

void ExpectAnswerIsExample(const PartnerMessage& answer,
                           absl::string_view http_name,
                           absl::string_view xml_name) {
  const std::string http = ReadExample(http_name);
  EXPECT_EQ(answer.bytes, ReadExample(xml_name));
  EXPECT_EQ(Header(answer.metadata, ":status"), "202");
  // Status line, headers and body exactly as the example (the transport
  // adds Content-Length).
  EXPECT_EQ(ResponseEvidence(202, answer.metadata, answer.bytes), http);
}

TEST_F(RequestExample, AnswersTheRequestAsTheExampleAcknowledgement) {
  const PartnerMessage request =
      InboundRequest(ReadExample("repatriation-request-inbound.http"));
  auto inbound = link_.Gateway(absl::FromUnixSeconds(1773458401))
                     ->Decode("VN-MPS", request);
  ASSERT_TRUE(inbound.ok()) << inbound.status();
  InboundAnswer answer;
  answer.receipt = ReceiptFor(*inbound, "2026-03-14T03:20:02Z");
  auto out = link_.Gateway(absl::FromUnixSeconds(1773458402))
                 ->EncodeAnswer("VN-MPS", request, answer);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_TRUE(out->has_value());
  ExpectAnswerIsExample(**out, "ack-202-outbound.http", "ack-202-outbound.xml");
  EXPECT_EQ((*out)->message_id, kRequestMessageId);
}

TEST_F(RequestExample, AnswersTheNfdRequestAsTheExampleAcknowledgement) {
  const PartnerMessage request =
      InboundRequest(ReadExample("repatriation-request-inbound-nfd.http"));
  auto inbound = link_.Gateway(absl::FromUnixSeconds(1773459601))
                     ->Decode("VN-MPS", request);
  ASSERT_TRUE(inbound.ok()) << inbound.status();
  InboundAnswer answer;
  answer.receipt = ReceiptFor(*inbound, "2026-03-14T03:40:02Z");
  auto out = link_.Gateway(absl::FromUnixSeconds(1773459602))
                 ->EncodeAnswer("VN-MPS", request, answer);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_TRUE(out->has_value());
  ExpectAnswerIsExample(**out, "ack-202-outbound-nfd.http",
                        "ack-202-outbound-nfd.xml");
}

TEST_F(RequestExample, ADuplicateIsAnsweredWithTheFirstBodyAnd200) {
  const PartnerMessage request =
      InboundRequest(ReadExample("repatriation-request-inbound.http"));
  auto inbound = link_.Gateway(absl::FromUnixSeconds(1773458401))
                     ->Decode("VN-MPS", request);
  ASSERT_TRUE(inbound.ok()) << inbound.status();
  InboundAnswer answer;
  answer.receipt = ReceiptFor(*inbound, "2026-03-14T03:20:02Z");
  answer.duplicate = true;
  // Days later: the answer's body does not depend on the clock.
  auto out = link_.Gateway(absl::FromUnixSeconds(1773458402 + 5 * 86400))
                 ->EncodeAnswer("VN-MPS", request, answer);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(Header((*out)->metadata, ":status"), "200");
  EXPECT_EQ((*out)->bytes, ReadExample("ack-202-outbound.xml"));
}

TEST_F(RequestExample, PartnerReferenceNamesTheAuditLeaf) {
  const PartnerMessage request =
      InboundRequest(ReadExample("repatriation-request-inbound.http"));
  InboundAnswer answer;
  answer.receipt.emplace();
  answer.receipt->set_message_id(kRequestMessageId);
  *answer.receipt->mutable_received_at() = testing::Ts("2026-03-14T03:20:02Z");
  answer.receipt->set_leaf_index(4711);
  answer.receipt->mutable_checkpoint()->set_tree_size(4712);
  auto out = link_.Gateway(absl::FromUnixSeconds(1773458402))
                 ->EncodeAnswer("VN-MPS", request, answer);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(
      (*out)->bytes,
      HasSubstr("<tip:PartnerReference>CNMPS-4711</tip:PartnerReference>"
                "\n"));
}

TEST_F(RequestExample, RefusalsAreSignedRejections) {
  const absl::Time now = absl::FromUnixSeconds(1773458401);
  auto codec = link_.Gateway(now);
  PartnerMessage request =
      InboundRequest(ReadExample("repatriation-request-inbound.http"));
  // The pipeline refuses (no HttpRefusal on the status).
  InboundAnswer answer;
  answer.status = ingest::WithReason(
      absl::FailedPreconditionError("request: workflow state"),
      "WORKFLOW_STATE");
  auto out = codec->EncodeAnswer("VN-MPS", request, answer);
  ASSERT_TRUE(out.ok()) << out.status();
  const PartnerMessage& rejection = **out;
  EXPECT_EQ(Header(rejection.metadata, ":status"), "422");
  EXPECT_EQ(Header(rejection.metadata, "gw-message-id"), kRequestMessageId);
  EXPECT_EQ(rejection.bytes,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<tip:Rejection xmlns:tip=\"urn:vn:mps:tip:1.0\">\n"
            "  <tip:RejectedMessageID>67a082c3-13e2-5640-9cd4-7b934aec4b9e"
            "</tip:RejectedMessageID>\n"
            "  <tip:SenderAgencyCode>CN-MPS</tip:SenderAgencyCode>\n"
            "  <tip:RecipientAgencyCode>VN-MPS</tip:RecipientAgencyCode>\n"
            "  <tip:ErrorCode>WORKFLOW_STATE</tip:ErrorCode>\n"
            "  <tip:ErrorText>request: workflow state</tip:ErrorText>\n"
            "  <tip:RejectedDateTime>2026-03-14T03:20:01Z"
            "</tip:RejectedDateTime>\n"
            "</tip:Rejection>\n");
  // VN-MPS can verify it.
  auto verified = link_.PartnerProfile(now)->VerifyResponse(
      422, rejection.metadata, rejection.bytes, kRequestMessageId);
  EXPECT_TRUE(verified.ok()) << verified.status();

  // A Decode refusal keeps its code and location; 503 carries Retry-After.
  InboundAnswer busy;
  busy.status = absl::UnavailableError("overloaded");
  auto unavailable = codec->EncodeAnswer("VN-MPS", request, busy);
  ASSERT_TRUE(unavailable.ok()) << unavailable.status();
  EXPECT_EQ(Header((*unavailable)->metadata, ":status"), "503");
  EXPECT_EQ(Header((*unavailable)->metadata, "retry-after"), "30");

  // A request without Gw-Message-Id gets a response without one, signed
  // over ("@status" "content-digest").
  PartnerMessage anonymous = request;
  anonymous.metadata.erase(
      std::remove_if(anonymous.metadata.begin(), anonymous.metadata.end(),
                     [](const auto& h) { return h.first == "gw-message-id"; }),
      anonymous.metadata.end());
  auto refused = codec->Decode("VN-MPS", anonymous);
  ASSERT_FALSE(refused.ok());
  InboundAnswer header_mismatch;
  header_mismatch.status = refused.status();
  auto no_id = codec->EncodeAnswer("VN-MPS", anonymous, header_mismatch);
  ASSERT_TRUE(no_id.ok()) << no_id.status();
  EXPECT_EQ(Count((*no_id)->metadata, "gw-message-id"), 0);
  EXPECT_THAT(Header((*no_id)->metadata, "signature-input"),
              HasSubstr("(\"@status\" \"content-digest\");"));
  EXPECT_THAT((*no_id)->bytes,
              HasSubstr("<tip:ErrorCode>HEADER_MISMATCH</tip:ErrorCode>"));
  EXPECT_THAT((*no_id)->bytes, ::testing::Not(HasSubstr("RejectedMessageID")));
  auto verified_no_id = link_.PartnerProfile(now)->VerifyResponse(
      400, (*no_id)->metadata, (*no_id)->bytes, "");
  EXPECT_TRUE(verified_no_id.ok()) << verified_no_id.status();
}

TEST(VnMpsCodecTest, EncodeRefusesWhatTheLinkCannotCarry) {
  Link link;
  auto codec = link.Gateway(absl::FromUnixSeconds(1773455405));
  gw::v1::CaseAlert alert = ExampleAlert();
  alert.set_case_ref("CN YN 2026");  // a space: not README §2.8
  auto encoded =
      codec->Encode(Outbound(kAlertMessageId, kCaseAlertPayloadType, alert));
  ASSERT_FALSE(encoded.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(encoded.status()));
  EXPECT_THAT(std::string(encoded.status().message()),
              HasSubstr("ID_NOT_REPRESENTABLE alert.case_ref"));
  EXPECT_EQ(ingest::ReasonOf(encoded.status()), "ID_NOT_REPRESENTABLE");

  // Anything else the XSD refuses is named by its canonical field, never
  // quoted.
  alert = ExampleAlert();
  alert.mutable_subjects(0)
      ->mutable_person()
      ->mutable_documents()
      ->Add()
      ->set_type("EMERGENCY_TRAVEL_CERTIFICATE");
  encoded =
      codec->Encode(Outbound(kAlertMessageId, kCaseAlertPayloadType, alert));
  ASSERT_FALSE(encoded.ok());
  EXPECT_THAT(std::string(encoded.status().message()),
              ::testing::StartsWith("alert.subjects[0].person.documents[0]."
                                    "type: not representable in VN-MPS"));
  EXPECT_THAT(std::string(encoded.status().message()),
              ::testing::Not(HasSubstr("EMERGENCY")));

  alert = ExampleAlert();
  alert.mutable_subjects(0)->mutable_person()->set_age_estimate(131);
  encoded =
      codec->Encode(Outbound(kAlertMessageId, kCaseAlertPayloadType, alert));
  ASSERT_FALSE(encoded.ok());
  EXPECT_THAT(std::string(encoded.status().message()),
              ::testing::StartsWith("alert.subjects[0].person.age_estimate:"));

  alert = ExampleAlert();
  alert.mutable_subjects(0)->mutable_person()->set_date_of_birth("2011-02-30");
  encoded =
      codec->Encode(Outbound(kAlertMessageId, kCaseAlertPayloadType, alert));
  ASSERT_FALSE(encoded.ok());
  EXPECT_THAT(std::string(encoded.status().message()),
              ::testing::StartsWith("alert.subjects[0].person.date_of_birth:"));
  EXPECT_THAT(std::string(encoded.status().message()),
              ::testing::Not(HasSubstr("2011")));

  // Not a lowercase UUID; not this partner; not a link message.
  EXPECT_FALSE(codec
                   ->Encode(Outbound("37C8E64B-0095-5398-8717-4B2F2A27A274",
                                     kCaseAlertPayloadType, ExampleAlert()))
                   .ok());
  EXPECT_FALSE(codec
                   ->Encode(Outbound(kAlertMessageId, kCaseAlertPayloadType,
                                     ExampleAlert(), "KH-CNP"))
                   .ok());
  EXPECT_FALSE(codec
                   ->Encode(Outbound(kAlertMessageId,
                                     "application/vnd.gw.v1.Receipt+proto",
                                     ExampleAlert()))
                   .ok());
}

TEST(VnMpsCodecTest, TextsAreShapedAndNfcOnTheWayOut) {
  Link link;
  auto codec = link.Gateway(absl::FromUnixSeconds(1773455405));
  gw::v1::CaseAlert alert = ExampleAlert();
  gw::v1::Person* person = alert.mutable_subjects(0)->mutable_person();
  // NFD "Kiểm" with a TAB and trailing spaces; a CR LF in a narrative.
  person->mutable_names(0)->set_family("Ki\x65\xCC\x82\xCC\x89m\t ");
  person->mutable_names(0)->set_given("Thị\tThử");
  alert.mutable_narrative(0)->set_text(" line one\r\nline two\t.\n");
  auto encoded =
      codec->Encode(Outbound(kAlertMessageId, kCaseAlertPayloadType, alert));
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_THAT(encoded->bytes,
              HasSubstr("<tip:PersonSurName>Kiểm</tip:PersonSurName>"));
  // The TAB became a space, so the VNM split applies.
  EXPECT_THAT(encoded->bytes,
              HasSubstr("<tip:PersonMiddleName>Thị</tip:PersonMiddleName>\n"
                        "          <tip:PersonGivenName>Thử"
                        "</tip:PersonGivenName>"));
  EXPECT_THAT(encoded->bytes,
              HasSubstr(">line one\nline two .</tip:Narrative>"));
  EXPECT_THAT(encoded->bytes, ::testing::Not(HasSubstr("\r")));
  EXPECT_THAT(encoded->bytes, ::testing::Not(HasSubstr("\t")));
}

}  // namespace
}  // namespace gw::vn_mps
