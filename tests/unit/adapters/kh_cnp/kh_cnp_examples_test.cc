// tests/unit/adapters/kh_cnp/kh_cnp_examples_test.cc
//
// The KH-CNP codec against every example of shared/partners/examples/
// KH-CNP/ (KH-CNP.md §6.2, §6.3, §10): the outbound alert byte for byte
// with its digest and RFC 9421 signature, KH-CNP's 202 and 400 answers
// read as the ICD says, the inbound repatriation request decoded field by
// field, and the gateway's 202 for it reproduced byte for byte.
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "adapters/json/jcs.h"
#include "adapters/kh_cnp/kh_cnp_codec.h"
#include "adapters/signed_http/http_refusal.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/proto_time.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/support/rfc8032_keys.h"
#include "tests/unit/adapters/kh_cnp/kh_cnp_test_util.h"

namespace gw::kh_cnp {
namespace {

using adapters::DeliveryOutcome;
using adapters::InboundAnswer;
using adapters::InboundMessage;
using adapters::PartnerMessage;
using google::protobuf::util::MessageDifferencer;
using testing::AsAnswer;
using testing::AsInboundRequest;
using testing::ExampleAlert;
using testing::ExampleRequest;
using testing::Header;
using testing::HttpMessage;
using testing::Link;
using testing::Outbound;
using testing::ParseHttp;
using testing::ReadExample;
using testing::Unix;
using testing::Utc;
using Kind = DeliveryOutcome::Kind;

class KhCnpExamplesTest : public ::testing::Test {
 protected:
  KhCnpExamplesTest()
      : alert_http_(ParseHttp(ReadExample("alert-outbound.http"))),
        ack_in_http_(ParseHttp(ReadExample("ack-202-inbound.http"))),
        rejection_http_(ParseHttp(ReadExample("rejection-400-inbound.http"))),
        request_http_(
            ParseHttp(ReadExample("repatriation-request-inbound.http"))),
        ack_out_http_(ParseHttp(ReadExample("ack-202-outbound.http"))) {}

  adapters::OutboundMessage AlertMessage() const {
    return Outbound(testing::kAlertMessageId, kCaseAlertPayloadType,
                    ExampleAlert());
  }

  Link link_;
  const HttpMessage alert_http_;
  const HttpMessage ack_in_http_;
  const HttpMessage rejection_http_;
  const HttpMessage request_http_;
  const HttpMessage ack_out_http_;
};

// ---- alert-outbound (§6.2) ------------------------------------------------

TEST_F(KhCnpExamplesTest, AlertEncodesToTheExampleBody) {
  auto codec = link_.Gateway(Unix(testing::kAlertCreated));
  absl::StatusOr<PartnerMessage> sent = codec->Encode(AlertMessage());
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->bytes, alert_http_.body);
  EXPECT_EQ(sent->bytes.size(), 1181u);
  EXPECT_EQ(sent->message_id, testing::kAlertMessageId);
  EXPECT_EQ(sent->content_type, "application/json");
  EXPECT_EQ(Header(sent->metadata, ":path"), "/cnp/v1/alerts");
  EXPECT_EQ(Header(sent->metadata, "content-type"), "application/json");
  EXPECT_EQ(Header(sent->metadata, "content-digest"),
            Header(alert_http_.headers, "content-digest"));
  EXPECT_EQ(Header(sent->metadata, "gw-message-id"), testing::kAlertMessageId);
  // Deterministic, whatever the clock says: a retry is the same bytes.
  auto later = link_.Gateway(Unix(testing::kAlertCreated + 86400));
  absl::StatusOr<PartnerMessage> again = later->Encode(AlertMessage());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->bytes, sent->bytes);
  EXPECT_EQ(again->metadata, sent->metadata);
}

TEST_F(KhCnpExamplesTest, AlertSignatureIsTheExamples) {
  auto codec = link_.Gateway(Unix(testing::kAlertCreated));
  absl::StatusOr<PartnerMessage> sent = codec->Encode(AlertMessage());
  ASSERT_TRUE(sent.ok()) << sent.status();
  absl::StatusOr<adapters::Metadata> signature =
      codec->SignRequest("https://cnp.partner.example/cnp/v1/alerts", *sent);
  ASSERT_TRUE(signature.ok()) << signature.status();
  ASSERT_EQ(signature->size(), 2u);
  EXPECT_EQ(Header(*signature, "signature-input"),
            Header(alert_http_.headers, "signature-input"));
  EXPECT_EQ(Header(*signature, "signature"),
            Header(alert_http_.headers, "signature"));
}

TEST_F(KhCnpExamplesTest, SignRequestUsesAFreshCreatedOnEveryAttempt) {
  auto codec = link_.Gateway(Unix(testing::kAlertCreated + 60));
  absl::StatusOr<PartnerMessage> sent = codec->Encode(AlertMessage());
  ASSERT_TRUE(sent.ok());
  auto signature =
      codec->SignRequest("https://cnp.partner.example/cnp/v1/alerts", *sent);
  ASSERT_TRUE(signature.ok());
  EXPECT_TRUE(absl::StrContains(Header(*signature, "signature-input"),
                                ";created=1773455465;"));
  EXPECT_NE(Header(*signature, "signature"),
            Header(alert_http_.headers, "signature"));
}

TEST_F(KhCnpExamplesTest, SignRequestNeedsTheEncodedHeaders) {
  auto codec = link_.Gateway(Unix(testing::kAlertCreated));
  PartnerMessage bare;
  bare.bytes = "{}";
  auto signature =
      codec->SignRequest("https://cnp.partner.example/cnp/v1/alerts", bare);
  EXPECT_EQ(signature.status().code(), absl::StatusCode::kFailedPrecondition);
}

// ---- ack-202-inbound (§6.3, §7) ---------------------------------------------

TEST_F(KhCnpExamplesTest, Ack202InboundDeliversTheAlert) {
  auto codec = link_.Gateway(Unix(testing::kAckInboundCreated));
  absl::StatusOr<PartnerMessage> sent = codec->Encode(AlertMessage());
  ASSERT_TRUE(sent.ok());
  const DeliveryOutcome outcome =
      codec->ReadAnswer(AlertMessage(), *sent, AsAnswer(ack_in_http_));
  ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  ASSERT_TRUE(outcome.receipt.has_value());
  const gw::v1::Receipt& receipt = *outcome.receipt;
  EXPECT_EQ(receipt.message_id(), testing::kAlertMessageId);
  EXPECT_EQ(receipt.payload_sha256(),
            "da6df9d388e26736f38aca1f0eaf545719344ce1eb5c2329e63fae66fbdb5f28");
  EXPECT_EQ(receipt.payload_sha256(), crypto::Sha256Hex(sent->bytes));
  EXPECT_EQ(receipt.recipient(), "KH-CNP");
  EXPECT_EQ(receipt.status(), gw::v1::Receipt::ACCEPTED);
  EXPECT_EQ(util::FromTimestamp(receipt.received_at()),
            Utc("2026-03-14T02:30:06Z"));
  EXPECT_EQ(receipt.warnings_size(), 0);
  // The evidence is the response as the example writes it, which an
  // auditor verifies with KH-CNP's key.
  EXPECT_EQ(outcome.evidence, ReadExample("ack-202-inbound.http"));
}

// ---- rejection-400-inbound (§8) --------------------------------------------

TEST_F(KhCnpExamplesTest, Rejection400InboundIsPermanentWithCodeFieldDetail) {
  // The alert that was refused: another message id, other bytes.
  adapters::OutboundMessage refused = Outbound(
      testing::kRejectedMessageId, kCaseAlertPayloadType, ExampleAlert());
  auto codec = link_.Gateway(Unix(testing::kRejectionCreated));
  PartnerMessage sent;
  sent.message_id = testing::kRejectedMessageId;
  sent.bytes = "(the refused body)";
  const DeliveryOutcome outcome =
      codec->ReadAnswer(refused, sent, AsAnswer(rejection_http_));
  EXPECT_EQ(outcome.kind, Kind::kPermanentFailure);
  EXPECT_EQ(outcome.reason,
            "KH-CNP 400 SCHEMA_VIOLATION "
            "/alert/subjects/0/person/date_of_birth: value \"2011-13-05\" "
            "does not match the partial date pattern");
  EXPECT_EQ(outcome.evidence, ReadExample("rejection-400-inbound.http"));
  EXPECT_FALSE(outcome.receipt.has_value());
  EXPECT_FALSE(outcome.retry_after.has_value());
}

// ---- repatriation-request-inbound ------------------------------------------

TEST_F(KhCnpExamplesTest, RepatriationRequestDecodesToTheCanonicalRequest) {
  auto codec = link_.Gateway(Unix(testing::kRequestCreated));
  const PartnerMessage received =
      AsInboundRequest(request_http_, testing::kGatewayBaseUri);
  absl::StatusOr<InboundMessage> in = codec->Decode("KH-CNP", received);
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(in->sender_agency, "KH-CNP");
  EXPECT_EQ(in->message_id, testing::kRequestMessageId);
  EXPECT_EQ(in->envelope.payload_type(), kRepatriationRequestPayloadType);
  EXPECT_EQ(in->envelope.signatures_size(), 0);
  EXPECT_EQ(in->received_sha256,
            "ee9c727b7c9602ba4ef23d1a91adff63e50d7e3603b48bab4a8f9d529371b6bb");
  EXPECT_EQ(in->link_key_id, gw::testing::kRfc8032Test2KeyId);
  EXPECT_TRUE(in->warnings.empty());
  EXPECT_FALSE(in->converted_payload.has_value());
  // The evidence is the request as the example writes it.
  EXPECT_EQ(in->evidence, ReadExample("repatriation-request-inbound.http"));

  gw::v1::RepatriationRequest got;
  ASSERT_TRUE(got.ParseFromString(in->envelope.payload()));
  std::string diff;
  MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(ExampleRequest(), got)) << diff;
  // Field by field, the values the example carries.
  EXPECT_EQ(got.request_id(), "CNP-RQ-2026-0031");
  EXPECT_EQ(got.case_ref(), "KH-CNP-2026-0311");
  ASSERT_EQ(got.victim().names_size(), 2);
  EXPECT_EQ(got.victim().names(0).script(), "Hani");
  EXPECT_EQ(got.victim().names(0).full(), "测试花");
  EXPECT_EQ(got.victim().names(1).full(), "CESHI Hua");
  EXPECT_EQ(got.victim().sex(), gw::v1::Person::FEMALE);
  EXPECT_EQ(got.victim().date_of_birth(), "2010-11-20");
  EXPECT_EQ(got.victim().age_estimate(), 15u);
  EXPECT_EQ(got.victim().nationality(), "CHN");
  EXPECT_EQ(got.requesting_agency(), "KH-CNP");
  EXPECT_EQ(got.receiving_agency(), "CN-MPS");
  EXPECT_TRUE(got.identity_verified());
  EXPECT_FALSE(got.nationality_verified());
  EXPECT_EQ(got.travel_document().type(), "PASSPORT");
  EXPECT_EQ(got.travel_document().number(), "E00000001");
  EXPECT_EQ(got.travel_document().issuing_state(), "CHN");
  EXPECT_EQ(got.travel_document().expiry(), "2030-05-31");
  ASSERT_EQ(got.travel_document().mrz_size(), 2);
  EXPECT_EQ(got.guardian().tracing_result(), gw::v1::Guardian::IN_PROGRESS);
  ASSERT_EQ(got.guardian().notes_size(), 1);
  EXPECT_EQ(got.guardian().notes(0).lang(), "en");
  EXPECT_EQ(got.best_interests_assessment().outcome(),
            gw::v1::BestInterestsAssessment::RETURN);
  EXPECT_EQ(got.best_interests_assessment().completed_on(), "2026-03-12");
  ASSERT_EQ(got.best_interests_assessment().summary_size(), 2);
  EXPECT_EQ(got.best_interests_assessment().summary(0).lang(), "km");
  EXPECT_EQ(got.proposed_handover().border_point(),
            "Phnom Penh International Airport (PNH)");
  EXPECT_EQ(got.proposed_handover().date(), "2026-04-09");
  EXPECT_FALSE(got.has_created_at());  // KH-CNP carries none
}

TEST_F(KhCnpExamplesTest, Ack202OutboundIsReproducedByteForByte) {
  auto codec = link_.Gateway(Unix(testing::kAckOutboundCreated));
  const PartnerMessage received =
      AsInboundRequest(request_http_, testing::kGatewayBaseUri);
  gw::v1::Receipt receipt;
  receipt.set_message_id(testing::kRequestMessageId);
  receipt.set_status(gw::v1::Receipt::ACCEPTED);
  *receipt.mutable_received_at() =
      util::ToTimestamp(Utc("2026-03-14T03:10:02Z"));
  absl::StatusOr<std::optional<PartnerMessage>> answer = codec->EncodeAnswer(
      "KH-CNP", received, InboundAnswer{absl::OkStatus(), receipt, false});
  ASSERT_TRUE(answer.ok()) << answer.status();
  ASSERT_TRUE(answer->has_value());
  const PartnerMessage& response = **answer;
  EXPECT_EQ(Header(response.metadata, ":status"), "202");
  EXPECT_EQ(response.bytes, ack_out_http_.body);
  // Every header of the example, in its order (Content-Length is the
  // transport's).
  adapters::Metadata want;
  for (const auto& header : ack_out_http_.headers) {
    if (header.first != "content-length") want.push_back(header);
  }
  adapters::Metadata got = response.metadata;
  got.erase(got.begin());  // ":status"
  EXPECT_EQ(got, want);
}

TEST_F(KhCnpExamplesTest, DuplicateGets200WithTheSameBody) {
  const PartnerMessage received =
      AsInboundRequest(request_http_, testing::kGatewayBaseUri);
  gw::v1::Receipt receipt;
  receipt.set_message_id(testing::kRequestMessageId);
  *receipt.mutable_received_at() =
      util::ToTimestamp(Utc("2026-03-14T03:10:02Z"));
  auto first =
      link_.Gateway(Unix(testing::kAckOutboundCreated))
          ->EncodeAnswer("KH-CNP", received,
                         InboundAnswer{absl::OkStatus(), receipt, false});
  // A day later, the partner resends; the store answers with the first
  // receipt.
  auto again =
      link_.Gateway(Unix(testing::kAckOutboundCreated + 86400))
          ->EncodeAnswer("KH-CNP", received,
                         InboundAnswer{absl::OkStatus(), receipt, true});
  ASSERT_TRUE(first.ok() && again.ok());
  ASSERT_TRUE(first->has_value() && again->has_value());
  EXPECT_EQ(Header((*again)->metadata, ":status"), "200");
  EXPECT_EQ((*again)->bytes, (*first)->bytes);
  // Freshly signed.
  EXPECT_NE(Header((*again)->metadata, "signature"),
            Header((*first)->metadata, "signature"));
  EXPECT_TRUE(absl::StrContains(Header((*again)->metadata, "signature-input"),
                                ";created=1773544202;"));
}

// KH-CNP's side reads the gateway's 202 as its delivery (what the mock
// partner will check independently).
TEST_F(KhCnpExamplesTest, PartnerReadsTheGatewayAckAsDelivered) {
  auto partner = link_.Partner(Unix(testing::kAckOutboundCreated));
  adapters::OutboundMessage request_message =
      Outbound(testing::kRequestMessageId, kRepatriationRequestPayloadType,
               ExampleRequest(), "CN-MPS");
  PartnerMessage sent;
  sent.message_id = testing::kRequestMessageId;
  sent.bytes = request_http_.body;
  const DeliveryOutcome outcome =
      partner->ReadAnswer(request_message, sent, AsAnswer(ack_out_http_));
  ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  EXPECT_EQ(outcome.receipt->recipient(), "CN-MPS");
  EXPECT_EQ(outcome.evidence, ReadExample("ack-202-outbound.http"));
}

// The mirror encodes the example request to the example's bytes, so the
// request mapping is the same in both directions.
TEST_F(KhCnpExamplesTest, PartnerEncodesTheExampleRequestBody) {
  auto partner = link_.Partner(Unix(testing::kRequestCreated));
  absl::StatusOr<PartnerMessage> sent = partner->Encode(
      Outbound(testing::kRequestMessageId, kRepatriationRequestPayloadType,
               ExampleRequest(), "CN-MPS"));
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->bytes, request_http_.body);
  EXPECT_EQ(Header(sent->metadata, ":path"), "/cnp/v1/repatriation-requests");
}

}  // namespace
}  // namespace gw::kh_cnp
