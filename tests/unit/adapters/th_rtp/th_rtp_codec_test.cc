// tests/unit/adapters/th_rtp/th_rtp_codec_test.cc
//
// The TH-RTP codec end to end: every example of
// shared/partners/examples/TH-RTP/ reproduced byte for byte from its
// canonical message (or answer) and decoded to the documented values; the
// verdicts of ReadAnswer (README §2.3, TH-RTP.md §7); the gateway's NK for
// each refusal the pipeline can give; the attachment inclusion rule (§9);
// and the FrameProtocol the transport uses.
#include "adapters/th_rtp/th_rtp_codec.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gateway/crypto/sha256.h"
#include "gateway/ingest/error_reason.h"
#include "gateway/util/proto_time.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/support/rfc8032_keys.h"
#include "tests/unit/adapters/th_rtp/th_rtp_examples.h"

namespace gw::th_rtp {
namespace {

using adapters::DeliveryOutcome;
using adapters::FrameInfo;
using adapters::InboundAnswer;
using adapters::InboundMessage;
using adapters::OutboundMessage;
using adapters::PartnerAnswer;
using adapters::PartnerMessage;
using google::protobuf::util::MessageDifferencer;
using testing::BodyOf;
using testing::ExampleAlert;
using testing::ExampleRequest;
using testing::ExampleStatus;
using testing::kAlertMessageId;
using testing::kRequestMessageId;
using testing::kStatusMessageId;
using testing::Link;
using testing::Outbound;
using testing::ReadExample;
using testing::StdBodyOf;
using testing::Utc;
using Kind = DeliveryOutcome::Kind;

constexpr char kAlertBodySha256[] =
    "162adfa2b61acd0c043eacbadc9c29f3cc726d48980d3c828ac11924787c043f";

PartnerMessage Frame(std::string bytes) {
  PartnerMessage m;
  m.bytes = std::move(bytes);
  return m;
}

PartnerAnswer Answer(std::string bytes) {
  PartnerAnswer a;
  a.bytes = std::move(bytes);
  return a;
}

gw::v1::Receipt ReceiptAt(absl::string_view rfc3339) {
  gw::v1::Receipt r;
  *r.mutable_received_at() = util::ToTimestamp(Utc(rfc3339));
  return r;
}

template <typename T>
T Payload(const InboundMessage& in) {
  T message;
  EXPECT_TRUE(message.ParseFromString(in.envelope.payload()));
  return message;
}

std::string Str(absl::string_view v) { return std::string(v); }

class ThRtpCodecTest : public ::testing::Test {
 protected:
  ThRtpCodecTest()
      : gateway_(link_.Gateway()),
        partner_(link_.Partner()),
        alert_frame_(ReadExample("alert-outbound.bin")),
        status_frame_(ReadExample("case-status-outbound.bin")),
        request_frame_(ReadExample("repatriation-request-inbound.bin")) {}

  OutboundMessage AlertMessage() const {
    return Outbound(kAlertMessageId, kCaseAlertPayloadType, ExampleAlert());
  }
  OutboundMessage StatusMessage() const {
    return Outbound(kStatusMessageId, kCaseStatusPayloadType, ExampleStatus());
  }

  // The NK the gateway answers the example RQ with, for `status`; its
  // parsed NK record is left in *nk (views into *frame).
  void GatewayNak(const absl::Status& status, std::string* frame,
                  ParsedFrame* nk) const {
    absl::StatusOr<std::optional<PartnerMessage>> answer =
        link_.Gateway(Utc("2026-03-14T03:05:01Z"))
            ->EncodeAnswer("TH-RTP", Frame(request_frame_),
                           InboundAnswer{status, std::nullopt, false});
    ASSERT_TRUE(answer.ok()) << answer.status();
    ASSERT_TRUE(answer->has_value());
    *frame = (*answer)->bytes;
    ASSERT_FALSE(ParseBody(BodyOf(*frame), nk).has_value());
    ASSERT_EQ(nk->header().type(), RecordType::kNK);
    // Every NK the gateway sends is one TH-RTP accepts as an answer.
    const std::optional<ThRtpRefusal> fault = ValidateFields(*nk, "TH-RTP");
    ASSERT_FALSE(fault.has_value()) << fault->text;
  }

  Link link_;
  std::unique_ptr<ThRtpCodec> gateway_;
  std::unique_ptr<ThRtpCodec> partner_;
  const std::string alert_frame_;
  const std::string status_frame_;
  const std::string request_frame_;
};

// ---- The examples, byte for byte ----------------------------------------

TEST_F(ThRtpCodecTest, AlertEncodesToTheExampleBytes) {
  absl::StatusOr<PartnerMessage> sent = gateway_->Encode(AlertMessage());
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->bytes, alert_frame_);
  EXPECT_EQ(sent->message_id, kAlertMessageId);
  EXPECT_EQ(sent->content_type, "application/vnd.th-rtp.frame");
  // Deterministic: a retry is the same bytes.
  EXPECT_EQ(gateway_->Encode(AlertMessage())->bytes, alert_frame_);
}

TEST_F(ThRtpCodecTest, AlertDecodesToTheDocumentedValues) {
  absl::StatusOr<InboundMessage> in =
      partner_->Decode("CN-MPS", Frame(alert_frame_));
  ASSERT_TRUE(in.ok()) << in.status();
  // What TH-RTP receives: the Hani name and the Chinese narrative were not
  // sent.
  gw::v1::CaseAlert want = ExampleAlert();
  want.mutable_subjects(1)->mutable_person()->mutable_names()->DeleteSubrange(
      0, 1);
  want.mutable_narrative()->DeleteSubrange(1, 1);
  const gw::v1::CaseAlert got = Payload<gw::v1::CaseAlert>(*in);
  std::string diff;
  MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(want, got)) << diff;

  EXPECT_EQ(in->envelope.payload_type(), kCaseAlertPayloadType);
  EXPECT_EQ(in->envelope.signatures_size(), 0);
  EXPECT_EQ(in->message_id, kAlertMessageId);
  EXPECT_EQ(in->sender_agency, "CN-MPS");
  EXPECT_EQ(in->received_sha256, kAlertBodySha256);
  EXPECT_EQ(in->evidence, alert_frame_);
  EXPECT_EQ(in->link_key_id, gw::testing::kRfc8032Test1KeyId);
  ASSERT_EQ(in->warnings.size(), 2u);
  EXPECT_EQ(in->warnings[0].code(), "NAME_INCOMPLETE");  // NAME_FLAG R
  EXPECT_EQ(in->warnings[0].field(), "subjects[1].person.names");
  EXPECT_EQ(in->warnings[1].code(), "TEXT_SUBSTITUTED");  // NARR_OMITTED 01
  EXPECT_EQ(in->warnings[1].field(), "narrative");
}

TEST_F(ThRtpCodecTest, CaseStatusEncodesAndDecodesToTheExample) {
  absl::StatusOr<PartnerMessage> sent = gateway_->Encode(StatusMessage());
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->bytes, status_frame_);

  absl::StatusOr<InboundMessage> in =
      partner_->Decode("CN-MPS", Frame(status_frame_));
  ASSERT_TRUE(in.ok()) << in.status();
  const auto got = Payload<gw::v1::CaseStatus>(*in);
  EXPECT_TRUE(MessageDifferencer::Equals(ExampleStatus(), got))
      << got.DebugString();
  EXPECT_TRUE(in->warnings.empty());
  EXPECT_EQ(in->envelope.payload_type(), kCaseStatusPayloadType);
}

TEST_F(ThRtpCodecTest, RepatriationRequestDecodesAndReencodes) {
  absl::StatusOr<InboundMessage> in =
      gateway_->Decode("TH-RTP", Frame(request_frame_));
  ASSERT_TRUE(in.ok()) << in.status();
  const auto got = Payload<gw::v1::RepatriationRequest>(*in);
  std::string diff;
  MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(ExampleRequest(), got)) << diff;
  EXPECT_EQ(in->envelope.payload_type(), kRepatriationRequestPayloadType);
  EXPECT_EQ(in->message_id, kRequestMessageId);
  EXPECT_EQ(in->link_key_id, gw::testing::kRfc8032Test2KeyId);
  EXPECT_EQ(in->received_sha256,
            "20b5e52110ec96328bc8fbcf501325feb86f7bf01182c00aec568dc05ad4fb09");
  EXPECT_TRUE(in->warnings.empty());

  // TH-RTP's side encodes the same request to the same bytes.
  absl::StatusOr<PartnerMessage> again = partner_->Encode(Outbound(
      kRequestMessageId, kRepatriationRequestPayloadType, got, "CN-MPS"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->bytes, request_frame_);
}

TEST_F(ThRtpCodecTest, AckOutboundIsTheGatewaysAnswerToTheRequest) {
  auto gateway = link_.Gateway(Utc("2026-03-14T03:05:01Z"),
                               "e548fd3a-10bf-5c47-a46b-5a6c02b5f976");
  absl::StatusOr<std::optional<PartnerMessage>> ack = gateway->EncodeAnswer(
      "TH-RTP", Frame(request_frame_),
      InboundAnswer{absl::OkStatus(), ReceiptAt("2026-03-14T03:05:01Z"),
                    false});
  ASSERT_TRUE(ack.ok()) << ack.status();
  ASSERT_TRUE(ack->has_value());
  EXPECT_EQ((*ack)->bytes, ReadExample("ack-outbound.bin"));
  EXPECT_EQ((*ack)->message_id, "e548fd3a-10bf-5c47-a46b-5a6c02b5f976");

  // And TH-RTP reads it as the delivery of its request.
  const DeliveryOutcome outcome = partner_->ReadAnswer(
      Outbound(kRequestMessageId, kRepatriationRequestPayloadType,
               ExampleRequest(), "CN-MPS"),
      Frame(request_frame_), Answer((*ack)->bytes));
  ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  EXPECT_EQ(outcome.receipt->recipient(), "CN-MPS");
  EXPECT_EQ(util::FromTimestamp(outcome.receipt->received_at()),
            Utc("2026-03-14T03:05:01Z"));
}

TEST_F(ThRtpCodecTest, AckInboundIsTheirAnswerAndDeliversTheAlert) {
  auto partner = link_.Partner(
      Utc("2026-03-14T02:30:02Z"), "47c67bef-759b-56ce-8a3a-7ea556bda3c4",
      [](const gw::v1::Receipt&) { return std::string("RTP-IN-2569-000457"); });
  absl::StatusOr<std::optional<PartnerMessage>> ack = partner->EncodeAnswer(
      "CN-MPS", Frame(alert_frame_),
      InboundAnswer{absl::OkStatus(), ReceiptAt("2026-03-14T02:30:02Z"),
                    false});
  ASSERT_TRUE(ack.ok()) << ack.status();
  const std::string example = ReadExample("ack-inbound.bin");
  EXPECT_EQ((*ack)->bytes, example);

  const DeliveryOutcome outcome = gateway_->ReadAnswer(
      AlertMessage(), Frame(alert_frame_), Answer(example));
  ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  ASSERT_TRUE(outcome.receipt.has_value());
  EXPECT_EQ(outcome.receipt->message_id(), kAlertMessageId);
  EXPECT_EQ(outcome.receipt->payload_sha256(), kAlertBodySha256);
  EXPECT_EQ(outcome.receipt->recipient(), "TH-RTP");
  EXPECT_EQ(outcome.receipt->status(), gw::v1::Receipt::ACCEPTED);
  EXPECT_EQ(util::FromTimestamp(outcome.receipt->received_at()),
            Utc("2026-03-14T02:30:02Z"));
  EXPECT_EQ(outcome.evidence, example);
}

TEST_F(ThRtpCodecTest, NakInboundIsTheirRefusalAndDeadLettersTheStatus) {
  auto partner = link_.Partner(Utc("2026-03-15T01:00:01Z"),
                               "d74e3cfa-b647-5068-945c-b16d1b8369b7");
  const absl::Status refusal = RefusalStatus(ThRtpRefusal{
      302, 1, "CS.CASE_REF", "ไม่พบเลขอ้างอิงคดีนี้ / case reference not known"});
  absl::StatusOr<std::optional<PartnerMessage>> nak =
      partner->EncodeAnswer("CN-MPS", Frame(status_frame_),
                            InboundAnswer{refusal, std::nullopt, false});
  ASSERT_TRUE(nak.ok()) << nak.status();
  const std::string example = ReadExample("nak-inbound.bin");
  EXPECT_EQ((*nak)->bytes, example);

  const DeliveryOutcome outcome = gateway_->ReadAnswer(
      StatusMessage(), Frame(status_frame_), Answer(example));
  EXPECT_EQ(outcome.kind, Kind::kPermanentFailure);
  EXPECT_EQ(outcome.reason,
            "TH-RTP NK 302 CS.CASE_REF: ไม่พบเลขอ้างอิงคดีนี้ / case reference "
            "not known");
  EXPECT_EQ(outcome.evidence, example);
}

TEST_F(ThRtpCodecTest, HeartbeatIsTheExample) {
  auto gateway = link_.Gateway(Utc("2026-03-14T02:31:00Z"),
                               "d0cda719-9292-54f5-828f-f856d0d7cfe1");
  absl::StatusOr<std::string> hb = gateway->MakeHeartbeat("TH-RTP");
  ASSERT_TRUE(hb.ok()) << hb.status();
  const std::string example = ReadExample("heartbeat.bin");
  EXPECT_EQ(*hb, example);
  EXPECT_EQ(example.size(), 224u);

  absl::StatusOr<FrameInfo> info =
      partner_->Inspect(StdBodyOf(example), "CN-MPS");
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->kind, FrameInfo::Kind::kHeartbeat);
  EXPECT_EQ(info->sender_agency, "CN-MPS");
  // Our own key is not TH-RTP's: a heartbeat signed with it breaks the
  // connection.
  EXPECT_FALSE(gateway_->Inspect(StdBodyOf(example), "TH-RTP").ok());
}

// ---- ReadAnswer ----------------------------------------------------------

class ReadAnswerTest : public ThRtpCodecTest {
 protected:
  DeliveryOutcome Read(const std::string& answer) const {
    return gateway_->ReadAnswer(AlertMessage(), Frame(alert_frame_),
                                Answer(answer));
  }
  // ack-inbound with ACK field `field` (body offset) overwritten and signed
  // again by `key`.
  std::string PatchedAck(size_t body_offset, absl::string_view value,
                         const crypto::Signer& key) const {
    std::string ack = ReadExample("ack-inbound.bin");
    ack.replace(4 + body_offset, value.size(), Str(value));
    return testing::Resign(ack, key);
  }
  // TH-RTP's NK for the alert, for `refusal`.
  std::string PartnerNak(const ThRtpRefusal& refusal) const {
    auto nak = partner_->EncodeAnswer(
        "CN-MPS", Frame(alert_frame_),
        InboundAnswer{RefusalStatus(refusal), std::nullopt, false});
    EXPECT_TRUE(nak.ok()) << nak.status();
    return (*nak)->bytes;
  }
};

TEST_F(ReadAnswerTest, AkWithAnotherDigestIsAPermanentMismatch) {
  const std::string ack =
      PatchedAck(110, std::string(64, 'a'), link_.partner_key());
  const DeliveryOutcome outcome = Read(ack);
  EXPECT_EQ(outcome.kind, Kind::kPermanentFailure);
  EXPECT_TRUE(absl::StartsWith(outcome.reason, "ACK_DIGEST_MISMATCH"))
      << outcome.reason;
  EXPECT_EQ(outcome.evidence, ack);
  EXPECT_FALSE(outcome.receipt.has_value());
}

TEST_F(ReadAnswerTest, DuplicateAkIsDelivered) {
  const DeliveryOutcome outcome =
      Read(PatchedAck(188, "Y", link_.partner_key()));
  EXPECT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
}

TEST_F(ReadAnswerTest, AkForAnotherMessageIsTransient) {
  const DeliveryOutcome outcome = gateway_->ReadAnswer(
      Outbound("00000000-0000-4000-8000-000000000000", kCaseAlertPayloadType,
               ExampleAlert()),
      Frame(alert_frame_), Answer(ReadExample("ack-inbound.bin")));
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
}

TEST_F(ReadAnswerTest, NkPermanentIsDeadLettered) {
  const std::string nak =
      PartnerNak({120, 2, "SB.BIRTH_DATE", "SB.BIRTH_DATE: not a date"});
  const DeliveryOutcome outcome = Read(nak);
  EXPECT_EQ(outcome.kind, Kind::kPermanentFailure);
  EXPECT_EQ(outcome.reason,
            "TH-RTP NK 120 SB.BIRTH_DATE: SB.BIRTH_DATE: not a date");
  EXPECT_EQ(outcome.evidence, nak);
}

TEST_F(ReadAnswerTest, NkTransientIsRetried) {
  const std::string nak =
      PartnerNak({202, 6, "TR.KEY_ID", "key not registered yet"});
  const DeliveryOutcome outcome = Read(nak);
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_EQ(outcome.reason, "TH-RTP NK 202 TR.KEY_ID: key not registered yet");
  // Without a field, the reason has none either.
  const DeliveryOutcome busy = Read(PartnerNak({900, 0, "", "maintenance"}));
  EXPECT_EQ(busy.kind, Kind::kTransientFailure);
  EXPECT_EQ(busy.reason, "TH-RTP NK 900: maintenance");
}

TEST_F(ReadAnswerTest, WindowRefusalIsRetried) {
  absl::StatusOr<std::string> nak =
      partner_->MakeWindowRefusal(StdBodyOf(alert_frame_), "CN-MPS");
  ASSERT_TRUE(nak.ok()) << nak.status();
  const DeliveryOutcome outcome = Read(*nak);
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_TRUE(absl::StartsWith(outcome.reason, "TH-RTP NK 902: "))
      << outcome.reason;
}

TEST_F(ReadAnswerTest, BadSignatureIsTransient) {
  std::string ack = ReadExample("ack-inbound.bin");
  ack[ack.size() - 5] ^= 0x20;
  EXPECT_EQ(Read(ack).kind, Kind::kTransientFailure);
  // A validly signed NK whose body was changed afterwards proves nothing.
  std::string nak = PartnerNak({120, 1, "AL.KIND", "x"});
  nak[4 + 230] = 'Y';
  EXPECT_EQ(Read(nak).kind, Kind::kTransientFailure);
}

TEST_F(ReadAnswerTest, UnknownKeyIsTransient) {
  // Signed with the gateway's own key, named correctly: not TH-RTP's key.
  const std::string ack =
      PatchedAck(229, gw::testing::kRfc8032Test1KeyId, link_.gateway_key());
  const DeliveryOutcome outcome = Read(ack);
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_TRUE(absl::StrContains(outcome.reason, "202")) << outcome.reason;
}

TEST_F(ReadAnswerTest, TransportFailuresAndNonAnswersAreTransient) {
  PartnerAnswer failed;
  failed.status = absl::DeadlineExceededError("no answer in 60 s");
  EXPECT_EQ(
      gateway_->ReadAnswer(AlertMessage(), Frame(alert_frame_), failed).kind,
      Kind::kTransientFailure);
  EXPECT_EQ(Read("").kind, Kind::kTransientFailure);
  EXPECT_EQ(Read(ReadExample("heartbeat.bin")).kind, Kind::kTransientFailure);
}

// ---- The gateway's NK for each kind of refusal --------------------------

struct NakCase {
  std::string name;
  absl::Status status;
  int code;
  char retryable;
  int record_no;
  std::string field;
};

// Test names and ctest output show the case's name, not its bytes.
void PrintTo(const NakCase& c, std::ostream* os) { *os << c.name; }

class GatewayNakTest : public ThRtpCodecTest,
                       public ::testing::WithParamInterface<NakCase> {};

// Codes found after decoding (step 7 and the gateway's own state), each
// from the refusal the ingest pipeline gives, answering the example RQ.
TEST_P(GatewayNakTest, RefusalMapsToItsNkCode) {
  const NakCase& c = GetParam();
  std::string frame;
  ParsedFrame nk;
  GatewayNak(c.status, &frame, &nk);
  const RecordView& h = nk.header();
  EXPECT_EQ(h.Raw("REASON_CODE"), absl::StrCat(c.code));
  EXPECT_EQ(h.Raw("RETRYABLE"), std::string(1, c.retryable));
  EXPECT_EQ(std::stoi(Str(h.Raw("RECORD_NO"))), c.record_no);
  EXPECT_EQ(h.Value("FIELD_NAME"), c.field);
  EXPECT_EQ(h.Value("NAK_MESSAGE_ID"), kRequestMessageId);
  EXPECT_EQ(h.Value("NAK_BODY_SHA256"),
            crypto::Sha256Hex(BodyOf(request_frame_)));
  EXPECT_EQ(h.Value("RECIPIENT"), "TH-RTP");
  EXPECT_EQ(h.Raw("CREATED_AT"), "25690314100501");
  EXPECT_EQ(h.Raw("RECEIVED_AT"), "25690314100501");
  EXPECT_EQ(h.Value("REASON_TEXT"), c.status.message());
}

INSTANTIATE_TEST_SUITE_P(
    Codes, GatewayNakTest,
    ::testing::Values(
        NakCase{
            "Nk301DuplicateConflict",
            ingest::WithReason(absl::AlreadyExistsError("message id reused"),
                               "DUPLICATE_ID_CONFLICT"),
            301, 'N', 1, "RQ.MESSAGE_ID"},
        NakCase{"Nk131NotPermitted",
                ingest::WithReason(absl::PermissionDeniedError("not a party"),
                                   "NOT_A_RECIPIENT"),
                131, 'N', 1, "RQ.RECEIVING_AGENCY"},
        NakCase{
            "Nk131AuthorAgency",
            ingest::WithReason(absl::PermissionDeniedError("not the sender"),
                               "AUTHOR_AGENCY_MISMATCH"),
            131, 'N', 1, "RQ.REQUESTING_AGENCY"},
        NakCase{"Nk201SignatureInvalid",
                ingest::WithReason(absl::UnauthenticatedError("signature"),
                                   "SIGNATURE_INVALID"),
                201, 'N', 7, "TR.SIGNATURE"},
        NakCase{"Nk202KeyWithdrawn",
                ingest::WithReason(absl::UnauthenticatedError("key withdrawn"),
                                   "UNKNOWN_KEY"),
                202, 'Y', 7, "TR.KEY_ID"},
        NakCase{"Nk120FieldInvalid",
                ingest::WithReason(absl::InvalidArgumentError("victim: bad"),
                                   "FIELD_INVALID"),
                120, 'N', 0, ""},
        NakCase{"Nk302UnknownReference",
                absl::NotFoundError("request_id: unknown"), 302, 'N', 0, ""},
        NakCase{"Nk303WorkflowState",
                absl::FailedPreconditionError("state: not now"), 303, 'N', 0,
                ""},
        NakCase{"Nk900Busy", absl::ResourceExhaustedError("storage full"), 900,
                'Y', 0, ""},
        NakCase{"Nk901NotSupportedYet",
                ingest::WithReason(absl::UnavailableError("not yet"),
                                   "NOT_SUPPORTED_YET"),
                901, 'Y', 0, ""},
        NakCase{"Nk901Internal",
                ingest::WithReason(absl::InternalError("store"), "INTERNAL"),
                901, 'Y', 0, ""}),
    [](const ::testing::TestParamInfo<NakCase>& info) {
      return info.param.name;
    });

TEST_F(ThRtpCodecTest, DecodeRefusalsCarryTheirNkToTheAnswer) {
  // A 101 cannot name the frame: blank id and digest (§3.11).
  std::vector<std::string> records = testing::RecordsOf(request_frame_);
  records[1].replace(510, 2, "  ");
  const std::string bad = testing::Seal(records, link_.partner_key());
  absl::StatusOr<InboundMessage> decoded =
      gateway_->Decode("TH-RTP", Frame(bad));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(ingest::ReasonOf(decoded.status()), "RECORD_STRUCTURE");
  auto answer = gateway_->EncodeAnswer(
      "TH-RTP", Frame(bad),
      InboundAnswer{decoded.status(), std::nullopt, false});
  ASSERT_TRUE(answer.ok());
  ParsedFrame nk;
  ASSERT_FALSE(ParseBody(BodyOf((*answer)->bytes), &nk).has_value());
  EXPECT_EQ(nk.header().Raw("REASON_CODE"), "101");
  EXPECT_EQ(nk.header().Raw("RECORD_NO"), "000002");
  EXPECT_EQ(nk.header().Value("FIELD_NAME"), "SB.EOL");
  EXPECT_EQ(nk.header().Value("NAK_MESSAGE_ID"), "");
  EXPECT_EQ(nk.header().Value("NAK_BODY_SHA256"), "");
}

TEST_F(ThRtpCodecTest, ReasonTextIsConvertedAndCutTo200Bytes) {
  std::string frame;
  ParsedFrame nk;
  GatewayNak(absl::InvalidArgumentError(
                 absl::StrCat("victim.names: “", std::string(300, 'x'), "”")),
             &frame, &nk);
  const absl::string_view text = nk.header().Raw("REASON_TEXT");
  EXPECT_EQ(text.size(), 200u);
  EXPECT_TRUE(absl::StartsWith(text, "victim.names: \"xxx"));
}

TEST_F(ThRtpCodecTest, LengthAndWindowRefusals) {
  absl::StatusOr<std::string> length = gateway_->MakeLengthRefusal("TH-RTP");
  ASSERT_TRUE(length.ok()) << length.status();
  ParsedFrame nk;
  ASSERT_FALSE(ParseBody(BodyOf(*length), &nk).has_value());
  EXPECT_EQ(nk.header().Raw("REASON_CODE"), "100");
  EXPECT_EQ(nk.header().Raw("RETRYABLE"), "N");
  EXPECT_EQ(nk.header().Value("NAK_MESSAGE_ID"), "");
  EXPECT_EQ(nk.header().Value("NAK_BODY_SHA256"), "");

  const std::string body(BodyOf(request_frame_));
  absl::StatusOr<std::string> window =
      gateway_->MakeWindowRefusal(body, "TH-RTP");
  ASSERT_TRUE(window.ok()) << window.status();
  ASSERT_FALSE(ParseBody(BodyOf(*window), &nk).has_value());
  EXPECT_EQ(nk.header().Raw("REASON_CODE"), "902");
  EXPECT_EQ(nk.header().Raw("RETRYABLE"), "Y");
  EXPECT_EQ(nk.header().Value("NAK_MESSAGE_ID"), kRequestMessageId);
  EXPECT_EQ(nk.header().Value("NAK_BODY_SHA256"), crypto::Sha256Hex(body));
}

TEST_F(ThRtpCodecTest, DefaultPartnerRefNamesTheAuditLeaf) {
  gw::v1::Receipt receipt = ReceiptAt("2026-03-14T03:05:01Z");
  receipt.set_leaf_index(4711);
  receipt.mutable_checkpoint();
  auto answer = gateway_->EncodeAnswer(
      "TH-RTP", Frame(request_frame_),
      InboundAnswer{absl::OkStatus(), receipt, /*duplicate=*/true});
  ASSERT_TRUE(answer.ok()) << answer.status();
  ParsedFrame ak;
  ASSERT_FALSE(ParseBody(BodyOf((*answer)->bytes), &ak).has_value());
  EXPECT_EQ(ak.header().Value("PARTNER_REF"), "CNMPS-4711");
  EXPECT_EQ(ak.header().Raw("DUPLICATE"), "Y");
  EXPECT_EQ(ak.header().Value("ACK_MESSAGE_ID"), kRequestMessageId);
}

// ---- Encode --------------------------------------------------------------

TEST_F(ThRtpCodecTest, IdentifiersOutsideReadme28AreNotRepresentable) {
  gw::v1::CaseAlert alert = ExampleAlert();
  alert.set_alert_id("CNMPS ALERT 731");
  absl::StatusOr<PartnerMessage> sent =
      gateway_->Encode(Outbound(kAlertMessageId, kCaseAlertPayloadType, alert));
  ASSERT_EQ(sent.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      absl::StrContains(sent.status().message(), "ID_NOT_REPRESENTABLE"));
  EXPECT_TRUE(absl::StrContains(sent.status().message(), "alert.alert_id"));
  EXPECT_EQ(ingest::ReasonOf(sent.status()), "ID_NOT_REPRESENTABLE");

  gw::v1::CaseStatus status = ExampleStatus();
  status.set_case_ref(std::string(65, 'A'));
  sent = gateway_->Encode(
      Outbound(kStatusMessageId, kCaseStatusPayloadType, status));
  EXPECT_EQ(ingest::ReasonOf(sent.status()), "ID_NOT_REPRESENTABLE");
}

TEST_F(ThRtpCodecTest, EncodeRefusesWhatTheLinkCannotCarry) {
  EXPECT_EQ(gateway_
                ->Encode(Outbound("NOT-A-UUID", kCaseAlertPayloadType,
                                  ExampleAlert()))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(gateway_
                ->Encode(Outbound(kAlertMessageId,
                                  "application/vnd.gw.v1.ReviewDecision+proto",
                                  ExampleAlert()))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  gw::v1::CaseAlert alert = ExampleAlert();
  alert.clear_created_at();
  EXPECT_EQ(
      gateway_->Encode(Outbound(kAlertMessageId, kCaseAlertPayloadType, alert))
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
}

TEST_F(ThRtpCodecTest, AlteredTextSetsTextSubst) {
  gw::v1::CaseAlert alert = ExampleAlert();
  alert.mutable_narrative()->DeleteSubrange(1, 1);  // only English left
  absl::StatusOr<PartnerMessage> plain =
      gateway_->Encode(Outbound(kAlertMessageId, kCaseAlertPayloadType, alert));
  ASSERT_TRUE(plain.ok()) << plain.status();
  ParsedFrame frame;
  ASSERT_FALSE(ParseBody(BodyOf(plain->bytes), &frame).has_value());
  EXPECT_EQ(frame.header().Raw("TEXT_SUBST"), "N");
  EXPECT_EQ(frame.header().Raw("NARR_OMITTED"), "00");

  alert.mutable_last_seen()->set_place("Cảng Hải Phòng");
  absl::StatusOr<PartnerMessage> folded =
      gateway_->Encode(Outbound(kAlertMessageId, kCaseAlertPayloadType, alert));
  ASSERT_TRUE(folded.ok());
  ASSERT_FALSE(ParseBody(BodyOf(folded->bytes), &frame).has_value());
  EXPECT_EQ(frame.header().Raw("TEXT_SUBST"), "Y");
  EXPECT_EQ(frame.header().Value("LAST_SEEN_PLACE"), "Cang Hai Phong");
}

TEST_F(ThRtpCodecTest, UnrepresentableNamesTravelAsNameFlagU) {
  gw::v1::CaseAlert alert = ExampleAlert();
  gw::v1::Person* person = alert.mutable_subjects(1)->mutable_person();
  person->clear_names();
  gw::v1::PersonName* khmer = person->add_names();
  khmer->set_script("Khmr");
  khmer->set_family("សាកល្បង");
  absl::StatusOr<PartnerMessage> sent =
      gateway_->Encode(Outbound(kAlertMessageId, kCaseAlertPayloadType, alert));
  ASSERT_TRUE(sent.ok()) << sent.status();
  absl::StatusOr<InboundMessage> in =
      partner_->Decode("CN-MPS", Frame(sent->bytes));
  ASSERT_TRUE(in.ok()) << in.status();
  const auto got = Payload<gw::v1::CaseAlert>(*in);
  EXPECT_EQ(got.subjects(1).person().names_size(), 0);
  ASSERT_FALSE(in->warnings.empty());
  EXPECT_EQ(in->warnings[0].code(), "NAME_INCOMPLETE");
  EXPECT_EQ(in->warnings[0].field(), "subjects[1].person.names");
}

gw::v1::Attachment MakeAttachment(absl::string_view name, size_t size) {
  gw::v1::Attachment a;
  a.set_name(std::string(name));
  a.set_media_type("image/jpeg");
  std::string content(size, '\0');
  for (size_t i = 0; i < size; ++i) content[i] = static_cast<char>(i * 7);
  a.set_sha256(crypto::Sha256Hex(content));
  a.set_content(std::move(content));
  return a;
}

TEST_F(ThRtpCodecTest, AttachmentsIncludedWhileTheFrameStaysWithin1MiB) {
  // Frame without attachments: 2779 bytes of records + 144 of TR. With
  // three AT records: 3658. 5000 bytes -> 2 AD records (8220): 11878.
  // 1,040,000 bytes -> 254 AD records: 1,055,818 > 1 MiB, described only.
  // 100 bytes -> 1 AD record: 15988, included.
  gw::v1::CaseAlert alert = ExampleAlert();
  *alert.add_attachments() = MakeAttachment("photo-1.jpg", 5000);
  *alert.add_attachments() = MakeAttachment("video.mp4", 1040000);
  *alert.add_attachments() = MakeAttachment("ภาพ.jpg", 100);
  absl::StatusOr<PartnerMessage> sent =
      gateway_->Encode(Outbound(kAlertMessageId, kCaseAlertPayloadType, alert));
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->bytes.size(), 4u + 15988u);
  ParsedFrame frame;
  ASSERT_FALSE(ParseBody(BodyOf(sent->bytes), &frame).has_value());
  std::vector<std::string> included;
  for (const RecordView& r : frame.records) {
    if (r.type() == RecordType::kAT) {
      included.push_back(absl::StrCat(r.Raw("INCLUDED"), r.Raw("CHUNK_COUNT")));
    }
  }
  EXPECT_EQ(included, (std::vector<std::string>{"Y0002", "N0000", "Y0001"}));

  absl::StatusOr<InboundMessage> in =
      partner_->Decode("CN-MPS", Frame(sent->bytes));
  ASSERT_TRUE(in.ok()) << in.status();
  const auto got = Payload<gw::v1::CaseAlert>(*in);
  ASSERT_EQ(got.attachments_size(), 3);
  EXPECT_EQ(got.attachments(0).content(), alert.attachments(0).content());
  EXPECT_EQ(got.attachments(1).content(), "");
  EXPECT_EQ(got.attachments(1).sha256(), alert.attachments(1).sha256());
  EXPECT_EQ(got.attachments(2).content(), alert.attachments(2).content());
  EXPECT_EQ(got.attachments(2).name(), "ภาพ.jpg");
}

TEST_F(ThRtpCodecTest, AttachmentInclusionBoundary) {
  // One attachment: 2779 + 245 + 144 = 3168 bytes before AD records, so
  // 254 chunks (1,043,940 bytes) fit and 255 do not.
  for (const auto& [size, want] : std::vector<std::pair<size_t, std::string>>{
           {254 * 4096, "Y0254"}, {254 * 4096 + 1, "N0000"}}) {
    gw::v1::CaseAlert alert = ExampleAlert();
    *alert.add_attachments() = MakeAttachment("a.bin", size);
    absl::StatusOr<PartnerMessage> sent = gateway_->Encode(
        Outbound(kAlertMessageId, kCaseAlertPayloadType, alert));
    ASSERT_TRUE(sent.ok()) << sent.status();
    ParsedFrame frame;
    ASSERT_FALSE(ParseBody(BodyOf(sent->bytes), &frame).has_value());
    EXPECT_EQ(absl::StrCat(frame.records[5].Raw("INCLUDED"),
                           frame.records[5].Raw("CHUNK_COUNT")),
              want)
        << size;
    EXPECT_LE(sent->bytes.size() - 4, kMaxBodyLength);
  }
}

TEST_F(ThRtpCodecTest, RepatriationDecisionRoundTrip) {
  gw::v1::RepatriationRecord record;
  record.mutable_request()->set_request_id("RTP-RQ-2569-000058");
  record.mutable_request()->set_case_ref("RTP-CASE-2569-0113");
  record.mutable_request()->mutable_proposed_handover()->set_border_point(
      "Mohan-Boten border gate");
  record.mutable_request()->mutable_proposed_handover()->set_date("2026-04-02");
  record.set_state(gw::v1::RepatriationRecord::HANDOVER_SCHEDULED);
  *record.mutable_updated_at() = util::ToTimestamp(Utc("2026-03-20T04:00:00Z"));
  gw::v1::RepatriationEvent* event = record.add_history();
  event->set_to_state(gw::v1::RepatriationRecord::HANDOVER_SCHEDULED);
  event->set_actor_agency("CN-MPS");
  *event->mutable_at() = util::ToTimestamp(Utc("2026-03-20T03:59:00Z"));
  gw::v1::LanguageText* reason = event->add_reason();
  reason->set_lang("en");
  reason->set_text("Handover agreed with the receiving agency.");

  absl::StatusOr<PartnerMessage> sent =
      gateway_->Encode(Outbound("0b5e5a8e-2c1d-4f4e-9a77-1c0de0c0ffee",
                                kRepatriationRecordPayloadType, record));
  ASSERT_TRUE(sent.ok()) << sent.status();
  absl::StatusOr<InboundMessage> in =
      partner_->Decode("CN-MPS", Frame(sent->bytes));
  ASSERT_TRUE(in.ok()) << in.status();
  const auto got = Payload<gw::v1::RepatriationRecord>(*in);
  EXPECT_TRUE(MessageDifferencer::Equals(record, got)) << got.DebugString();

  // Any other state carries no handover.
  record.set_state(gw::v1::RepatriationRecord::APPROVED);
  sent = gateway_->Encode(Outbound("0b5e5a8e-2c1d-4f4e-9a77-1c0de0c0ffee",
                                   kRepatriationRecordPayloadType, record));
  ASSERT_TRUE(sent.ok()) << sent.status();
  ParsedFrame frame;
  ASSERT_FALSE(ParseBody(BodyOf(sent->bytes), &frame).has_value());
  EXPECT_EQ(frame.header().Value("HANDOVER_POINT"), "");
  EXPECT_EQ(frame.header().Raw("HANDOVER_DATE"), "00000000");
  const std::optional<ThRtpRefusal> fault = ValidateFields(frame, "TH-RTP");
  EXPECT_FALSE(fault.has_value()) << fault->text;
}

// ---- FrameProtocol -------------------------------------------------------

TEST_F(ThRtpCodecTest, InspectClassifiesFrames) {
  EXPECT_EQ(gateway_->min_body_length(), 220u);
  EXPECT_EQ(gateway_->max_body_length(), 1048576u);

  absl::StatusOr<FrameInfo> data =
      gateway_->Inspect(StdBodyOf(request_frame_), "TH-RTP");
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data->kind, FrameInfo::Kind::kData);
  EXPECT_EQ(data->message_id, kRequestMessageId);
  EXPECT_EQ(data->sender_agency, "TH-RTP");

  absl::StatusOr<FrameInfo> ack =
      gateway_->Inspect(StdBodyOf(ReadExample("ack-inbound.bin")), "TH-RTP");
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(ack->kind, FrameInfo::Kind::kAnswer);
  EXPECT_EQ(ack->message_id, kAlertMessageId);

  absl::StatusOr<FrameInfo> nak =
      gateway_->Inspect(StdBodyOf(ReadExample("nak-inbound.bin")), "TH-RTP");
  ASSERT_TRUE(nak.ok());
  EXPECT_EQ(nak->kind, FrameInfo::Kind::kAnswer);
  EXPECT_EQ(nak->message_id, kStatusMessageId);

  // A broken control frame breaks the connection; a broken would-be data
  // frame is still data (Decode answers it with an NK).
  std::string broken(BodyOf(ReadExample("ack-inbound.bin")));
  broken[219] = ' ';
  EXPECT_FALSE(gateway_->Inspect(broken, "TH-RTP").ok());
  // An answer whose signature does not verify, or that names another
  // sender, is never routed to an outstanding frame.
  std::string forged(BodyOf(ReadExample("ack-inbound.bin")));
  forged[forged.size() - 1] ^= 0x01;
  absl::StatusOr<FrameInfo> forged_info = gateway_->Inspect(forged, "TH-RTP");
  EXPECT_TRUE(absl::IsUnauthenticated(forged_info.status()))
      << forged_info.status();
  EXPECT_FALSE(
      gateway_->Inspect(StdBodyOf(ReadExample("ack-inbound.bin")), "VN-MPS")
          .ok());
  std::string junk(300, 'Z');
  absl::StatusOr<FrameInfo> would_be = gateway_->Inspect(junk, "TH-RTP");
  ASSERT_TRUE(would_be.ok());
  EXPECT_EQ(would_be->kind, FrameInfo::Kind::kData);
}

}  // namespace
}  // namespace gw::th_rtp
