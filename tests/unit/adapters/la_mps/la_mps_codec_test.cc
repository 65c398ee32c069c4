// tests/unit/adapters/la_mps/la_mps_codec_test.cc
//
// The LA-MPS codec against shared/partners/examples/LA-MPS/: the gateway's
// outbound files and receipt are reproduced byte for byte from canonical
// messages; the partner's files decode and, encoded back by a codec in the
// partner's place (LA-MPS with RFC 8032 TEST 2), give the same bytes. Then
// every Decode refusal of LA-MPS.md §7.2/§8 with its error_field, NFC, the
// answers the gateway writes, and every ReadAnswer / InspectAck verdict.
#include "adapters/la_mps/la_mps_codec.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "adapters/la_mps/csv.h"
#include "adapters/la_mps/la_files.h"
#include "adapters/la_mps/la_refusal.h"
#include "gateway/crypto/sha256.h"
#include "gateway/ingest/error_reason.h"
#include "gateway/util/proto_time.h"
#include "gmock/gmock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/repatriation.pb.h"
#include "la_examples.h"
#include "tests/support/rfc8032_keys.h"

namespace gw::la_mps {
namespace {

using adapters::DeliveryOutcome;
using adapters::InboundAnswer;
using adapters::InboundMessage;
using adapters::OutboundMessage;
using adapters::PartnerAnswer;
using adapters::PartnerMessage;
using google::protobuf::util::MessageDifferencer;
using testing::Example;
using ::testing::HasSubstr;
using testing::kAlertId;
using testing::kRequestId;
using testing::kStatusId;
using AckKind = adapters::FileDropProtocol::AckKind;
using OwnAckKind = adapters::FileDropProtocol::OwnAckKind;
using Kind = DeliveryOutcome::Kind;

constexpr char kAlertType[] = "application/vnd.gw.v1.CaseAlert+proto";
constexpr char kStatusType[] = "application/vnd.gw.v1.CaseStatus+proto";
constexpr char kRequestType[] =
    "application/vnd.gw.v1.RepatriationRequest+proto";

absl::Time Utc(int y, int mo, int d, int h, int mi, int s) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s),
                         absl::UTCTimeZone());
}

std::string Deterministic(const google::protobuf::Message& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

const std::string* Meta(const PartnerMessage& message, const char* key) {
  for (const auto& [k, v] : message.metadata) {
    if (k == key) return &v;
  }
  return nullptr;
}

// The three files of an example message as the transport hands them over.
PartnerMessage ExampleMessage(const std::string& dir, const std::string& id) {
  PartnerMessage message;
  message.message_id = id;
  message.content_type = kCsvContentType;
  message.bytes = Example(dir, absl::StrCat(id, ".csv"));
  message.metadata = {{"sig", Example(dir, absl::StrCat(id, ".sig"))},
                      {"done", Example(dir, absl::StrCat(id, ".done"))}};
  return message;
}

// `csv` as message `id`, signed by `key` (RFC 8032 test key), with a
// matching .done.
PartnerMessage Signed(const std::string& csv,
                      const std::string& id = kRequestId, int key = 2) {
  PartnerMessage message;
  message.message_id = id;
  message.content_type = kCsvContentType;
  message.bytes = csv;
  auto signature = gw::testing::Rfc8032Signer(key)->Sign(csv);
  EXPECT_TRUE(signature.ok());
  const std::string sig = MakeSigFile(*signature);
  message.metadata = {{"sig", sig}, {"done", MakeDoneFile(id, csv, sig)}};
  return message;
}

OutboundMessage Outbound(const std::string& id, const std::string& recipient,
                         const std::string& payload_type,
                         const google::protobuf::Message& payload) {
  OutboundMessage message;
  message.message_id = id;
  message.recipient = recipient;
  message.envelope.set_payload_type(payload_type);
  message.envelope.set_payload(Deterministic(payload));
  message.payload_sha256 = crypto::Sha256Hex(message.envelope.payload());
  return message;
}

void AddName(gw::v1::Person* person, const char* script, const char* family,
             const char* given, const char* full) {
  gw::v1::PersonName* name = person->add_names();
  name->set_script(script);
  name->set_family(family);
  name->set_given(given);
  name->set_full(full);
}

// The canonical alert behind outbox/c000a73d-....csv (LA-MPS.md §10).
gw::v1::CaseAlert ExampleAlert() {
  gw::v1::CaseAlert alert;
  alert.set_alert_id("CNMPS-ALERT-2026-000734");
  alert.set_case_ref("CN-YN-XSBN-2026-0042");
  alert.set_kind(gw::v1::CaseAlert::MISSING_PERSON);
  alert.set_priority(gw::v1::CaseAlert::URGENT);
  alert.set_handling_code(gw::v1::CaseAlert::H2);
  alert.set_origin_agency("CN-MPS");
  alert.set_originator("yn-xsbn-inv-0107");
  alert.add_recipients("LA-MPS");
  gw::v1::Subject* subject = alert.add_subjects();
  subject->set_role(gw::v1::Subject::VICTIM);
  gw::v1::Person* person = subject->mutable_person();
  AddName(person, "Laoo", "ທົດລອງ", "ມະລິ", "ມະລິ ທົດລອງ");
  AddName(person, "Latn", "THOTLONG", "Mali", "Mali THOTLONG");
  person->set_sex(gw::v1::Person::FEMALE);
  person->set_date_of_birth("2011-08-05");
  person->set_age_estimate(14);
  person->set_nationality("LAO");
  gw::v1::LastSeen* seen = alert.mutable_last_seen();
  *seen->mutable_at() = util::ToTimestamp(Utc(2026, 3, 10, 9, 15, 0));
  seen->set_place("Jinghong long-distance bus station, Xishuangbanna, Yunnan");
  seen->set_country("CHN");
  gw::v1::LanguageText* en = alert.add_narrative();
  en->set_lang("en");
  en->set_text(
      "FICTIONAL TEST RECORD. Girl aged 14 left Jinghong by bus with an adult "
      "male on 10 March 2026; believed to be heading south towards the "
      "border.");
  gw::v1::LanguageText* zh = alert.add_narrative();
  zh->set_lang("zh");
  zh->set_text(
      "虚构测试记录。14岁女孩于2026年3月10日随一名成年男子乘大巴离开景洪，"
      "可能向南前往边境。");
  *alert.mutable_created_at() = util::ToTimestamp(Utc(2026, 3, 14, 2, 30, 0));
  return alert;
}

// The canonical status behind outbox/03d1e44d-....csv.
gw::v1::CaseStatus ExampleStatus() {
  gw::v1::CaseStatus status;
  status.set_case_ref("CN-YN-XSBN-2026-0099");
  status.set_owner_agency("CN-MPS");
  status.set_state(gw::v1::CaseStatus::VICTIM_LOCATED);
  *status.mutable_updated_at() = util::ToTimestamp(Utc(2026, 3, 16, 1, 0, 0));
  status.add_shared_with("LA-MPS");
  return status;
}

class LaMpsCodecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gateway_signer_ = gw::testing::Rfc8032Signer(1);
    partner_signer_ = gw::testing::Rfc8032Signer(2);
    gateway_key_ = gw::testing::Rfc8032Verifier(1);
    partner_key_ = gw::testing::Rfc8032Verifier(2);
    auto clock = [this] { return now_; };
    codec_ = std::make_unique<LaMpsCodec>(
        "CN-MPS", "LA-MPS", gateway_signer_.get(),
        std::vector<const crypto::Verifier*>{partner_key_.get()}, clock);
    // The partner's side of the link, to encode the partner's examples.
    partner_ = std::make_unique<LaMpsCodec>(
        "LA-MPS", "CN-MPS", partner_signer_.get(),
        std::vector<const crypto::Verifier*>{gateway_key_.get()}, clock);
    request_csv_ = Example("inbox", absl::StrCat(kRequestId, ".csv"));
  }

  // Decode of a modified inbound request, expecting a refusal.
  Refusal Refused(const PartnerMessage& message,
                  absl::StatusCode code = absl::StatusCode::kInvalidArgument) {
    auto decoded = codec_->Decode("LA-MPS", message);
    EXPECT_FALSE(decoded.ok());
    if (decoded.ok()) return {};
    EXPECT_EQ(decoded.status().code(), code) << decoded.status();
    std::optional<Refusal> refusal = RefusalOf(decoded.status());
    EXPECT_TRUE(refusal.has_value()) << decoded.status();
    return refusal.value_or(Refusal{});
  }

  Refusal RefusedCsv(
      const std::string& csv,
      absl::StatusCode code = absl::StatusCode::kInvalidArgument) {
    return Refused(Signed(csv), code);
  }

  std::string RequestCsv(
      std::vector<std::pair<std::string, std::string>> replacements) {
    std::string csv = request_csv_;
    for (const auto& [from, to] : replacements) {
      EXPECT_NE(csv.find(from), std::string::npos) << from;
      csv = absl::StrReplaceAll(csv, {{from, to}});
    }
    return csv;
  }

  std::unique_ptr<crypto::Signer> gateway_signer_;
  std::unique_ptr<crypto::Signer> partner_signer_;
  std::unique_ptr<crypto::Verifier> gateway_key_;
  std::unique_ptr<crypto::Verifier> partner_key_;
  absl::Time now_ = Utc(2026, 3, 16, 7, 45, 0);
  std::unique_ptr<LaMpsCodec> codec_;
  std::unique_ptr<LaMpsCodec> partner_;
  std::string request_csv_;
};

// --- The examples, byte for byte. ------------------------------------------

TEST_F(LaMpsCodecTest, EncodesTheOutboundAlertExampleByteForByte) {
  auto encoded =
      codec_->Encode(Outbound(kAlertId, "LA-MPS", kAlertType, ExampleAlert()));
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  const PartnerMessage expected = ExampleMessage("outbox", kAlertId);
  EXPECT_EQ(encoded->message_id, kAlertId);
  EXPECT_EQ(encoded->content_type, "text/csv");
  EXPECT_EQ(encoded->bytes, expected.bytes);
  ASSERT_NE(Meta(*encoded, "sig"), nullptr);
  ASSERT_NE(Meta(*encoded, "done"), nullptr);
  EXPECT_EQ(*Meta(*encoded, "sig"), *Meta(expected, "sig"));
  EXPECT_EQ(*Meta(*encoded, "done"), *Meta(expected, "done"));
  // A retry gives the same bytes.
  auto again =
      codec_->Encode(Outbound(kAlertId, "LA-MPS", kAlertType, ExampleAlert()));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->bytes, encoded->bytes);
}

TEST_F(LaMpsCodecTest, EncodesTheOutboundCaseStatusExampleByteForByte) {
  auto encoded = codec_->Encode(
      Outbound(kStatusId, "LA-MPS", kStatusType, ExampleStatus()));
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  const PartnerMessage expected = ExampleMessage("outbox", kStatusId);
  EXPECT_EQ(encoded->bytes, expected.bytes);
  EXPECT_EQ(*Meta(*encoded, "sig"), *Meta(expected, "sig"));
  EXPECT_EQ(*Meta(*encoded, "done"), *Meta(expected, "done"));
}

TEST_F(LaMpsCodecTest, OutboundExamplesDecodeOnThePartnerSideAndReencode) {
  for (const auto& [id, type, canonical] :
       std::vector<std::tuple<std::string, std::string,
                              std::shared_ptr<google::protobuf::Message>>>{
           {kAlertId, kAlertType,
            std::make_shared<gw::v1::CaseAlert>(ExampleAlert())},
           {kStatusId, kStatusType,
            std::make_shared<gw::v1::CaseStatus>(ExampleStatus())}}) {
    const PartnerMessage files = ExampleMessage("outbox", id);
    auto decoded = partner_->Decode("CN-MPS", files);
    ASSERT_TRUE(decoded.ok()) << id << ": " << decoded.status();
    EXPECT_EQ(decoded->envelope.payload_type(), type);
    EXPECT_EQ(decoded->envelope.payload(), Deterministic(*canonical)) << id;
    EXPECT_EQ(decoded->link_key_id, gw::testing::kRfc8032Test1KeyId);
    EXPECT_TRUE(decoded->warnings.empty());
    std::unique_ptr<google::protobuf::Message> payload(canonical->New());
    ASSERT_TRUE(payload->ParseFromString(decoded->envelope.payload()));
    auto encoded = codec_->Encode(Outbound(id, "LA-MPS", type, *payload));
    ASSERT_TRUE(encoded.ok()) << encoded.status();
    EXPECT_EQ(encoded->bytes, files.bytes) << id;
    EXPECT_EQ(*Meta(*encoded, "sig"), *Meta(files, "sig")) << id;
    EXPECT_EQ(*Meta(*encoded, "done"), *Meta(files, "done")) << id;
  }
}

TEST_F(LaMpsCodecTest, DecodesTheInboundRequestExample) {
  const PartnerMessage files = ExampleMessage("inbox", kRequestId);
  auto decoded = codec_->Decode("LA-MPS", files);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->sender_agency, "LA-MPS");
  EXPECT_EQ(decoded->message_id, kRequestId);
  EXPECT_EQ(decoded->envelope.payload_type(), kRequestType);
  EXPECT_EQ(decoded->envelope.signatures_size(), 0);
  EXPECT_EQ(decoded->received_sha256,
            "09c2956d93517448c39ed3fce44ef57d9a8ae8635ef506f97bb992580318b832");
  EXPECT_EQ(decoded->link_key_id, gw::testing::kRfc8032Test2KeyId);
  EXPECT_TRUE(decoded->warnings.empty());
  EXPECT_FALSE(decoded->converted_payload.has_value());
  auto evidence = ParseEvidence(kRequestId, decoded->evidence);
  ASSERT_TRUE(evidence.ok()) << evidence.status();
  EXPECT_EQ(evidence->csv, files.bytes);
  EXPECT_EQ(evidence->sig, *Meta(files, "sig"));
  EXPECT_EQ(evidence->done, *Meta(files, "done"));

  gw::v1::RepatriationRequest request;
  ASSERT_TRUE(request.ParseFromString(decoded->envelope.payload()));
  EXPECT_EQ(decoded->envelope.payload(), Deterministic(request));
  EXPECT_EQ(request.request_id(), "LA-MPS-RQ-2026-0009");
  EXPECT_EQ(request.case_ref(), "LA-MPS-CASE-2026-0021");
  ASSERT_EQ(request.victim().names_size(), 2);
  EXPECT_EQ(request.victim().names(0).script(), "Hani");
  EXPECT_EQ(request.victim().names(0).full(), "测试花");
  EXPECT_EQ(request.victim().names(1).full(), "CESHI Hua");
  EXPECT_EQ(request.victim().sex(), gw::v1::Person::FEMALE);
  EXPECT_EQ(request.victim().date_of_birth(), "2010-11-20");
  EXPECT_EQ(request.victim().age_estimate(), 15u);
  EXPECT_EQ(request.requesting_agency(), "LA-MPS");
  EXPECT_EQ(request.receiving_agency(), "CN-MPS");
  EXPECT_TRUE(request.identity_verified());
  EXPECT_FALSE(request.nationality_verified());
  EXPECT_EQ(request.travel_document().expiry(), "2030-05-31");
  EXPECT_EQ(request.travel_document().mrz_size(), 2);
  EXPECT_EQ(request.guardian().tracing_result(), gw::v1::Guardian::IN_PROGRESS);
  EXPECT_FALSE(request.guardian().has_person());
  EXPECT_EQ(request.best_interests_assessment().outcome(),
            gw::v1::BestInterestsAssessment::RETURN);
  EXPECT_EQ(request.best_interests_assessment().completed_on(), "2026-03-12");
  ASSERT_EQ(request.best_interests_assessment().summary_size(), 2);
  EXPECT_EQ(request.best_interests_assessment().summary(0).lang(), "lo");
  EXPECT_EQ(request.proposed_handover().border_point(),
            "Boten - Mohan international border checkpoint");
  EXPECT_EQ(request.proposed_handover().date(), "2026-04-16");
  // message_created_at 14/03/2026 13:00:00+07:00.
  EXPECT_EQ(util::FromTimestamp(request.created_at()),
            Utc(2026, 3, 14, 6, 0, 0));

  // The partner's side encodes it back to the same three files.
  auto encoded =
      partner_->Encode(Outbound(kRequestId, "CN-MPS", kRequestType, request));
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(encoded->bytes, files.bytes);
  EXPECT_EQ(*Meta(*encoded, "sig"), *Meta(files, "sig"));
  EXPECT_EQ(*Meta(*encoded, "done"), *Meta(files, "done"));
}

TEST_F(LaMpsCodecTest, WritesTheExampleReceiptByteForByte) {
  gw::v1::Receipt receipt;
  receipt.set_message_id(kRequestId);
  receipt.set_recipient("CN-MPS");
  receipt.set_status(gw::v1::Receipt::ACCEPTED);
  receipt.set_leaf_index(41);
  // Sub-seconds do not reach the file (whole seconds, §5.3).
  *receipt.mutable_received_at() =
      util::ToTimestamp(Utc(2026, 3, 14, 9, 1, 15) + absl::Milliseconds(730));
  auto answer =
      codec_->EncodeAnswer("LA-MPS", ExampleMessage("inbox", kRequestId),
                           InboundAnswer{absl::OkStatus(), receipt, false});
  ASSERT_TRUE(answer.ok()) << answer.status();
  ASSERT_TRUE(answer->has_value());
  EXPECT_EQ((*answer)->message_id, kRequestId);
  EXPECT_EQ((*answer)->bytes,
            Example("outbox", absl::StrCat(kRequestId, ".ack")));
  // An exact duplicate, answered with the first receipt, gets the same file.
  auto duplicate =
      codec_->EncodeAnswer("LA-MPS", ExampleMessage("inbox", kRequestId),
                           InboundAnswer{absl::OkStatus(), receipt, true});
  ASSERT_TRUE(duplicate.ok() && duplicate->has_value());
  EXPECT_EQ((*duplicate)->bytes, (*answer)->bytes);

  // The partner reads it as the delivery of its request.
  gw::v1::RepatriationRequest request;
  auto decoded = codec_->Decode("LA-MPS", ExampleMessage("inbox", kRequestId));
  ASSERT_TRUE(decoded.ok());
  ASSERT_TRUE(request.ParseFromString(decoded->envelope.payload()));
  const OutboundMessage sent_message =
      Outbound(kRequestId, "CN-MPS", kRequestType, request);
  const DeliveryOutcome outcome = partner_->ReadAnswer(
      sent_message, ExampleMessage("inbox", kRequestId),
      PartnerAnswer{absl::OkStatus(), (*answer)->bytes, {}});
  EXPECT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
}

TEST_F(LaMpsCodecTest, PartnerRejectionExampleIsWhatEncodeAnswerWrites) {
  // The partner's REJECTED receipt for the case status, written by the
  // partner-side codec from its refusal at 16/03/2026 14:45:00+07:00.
  auto example = ParseAck(Example("inbox", absl::StrCat(kStatusId, ".ack")));
  ASSERT_TRUE(example.ok()) << example.status();
  now_ = Utc(2026, 3, 16, 7, 45, 0);
  const absl::Status refusal = RefusalStatus(
      absl::StatusCode::kNotFound,
      Refusal{"UNKNOWN_REFERENCE", "case_ref", example->error_text});
  auto answer =
      partner_->EncodeAnswer("CN-MPS", ExampleMessage("outbox", kStatusId),
                             InboundAnswer{refusal, std::nullopt, false});
  ASSERT_TRUE(answer.ok()) << answer.status();
  ASSERT_TRUE(answer->has_value());
  EXPECT_EQ((*answer)->bytes,
            Example("inbox", absl::StrCat(kStatusId, ".ack")));
}

// --- ReadAnswer and InspectAck. ---------------------------------------------

class LaMpsAnswerTest : public LaMpsCodecTest {
 protected:
  void SetUp() override {
    LaMpsCodecTest::SetUp();
    alert_ = Outbound(kAlertId, "LA-MPS", kAlertType, ExampleAlert());
    auto sent = codec_->Encode(alert_);
    ASSERT_TRUE(sent.ok()) << sent.status();
    sent_ = *sent;
  }

  DeliveryOutcome Read(const std::string& ack_bytes) {
    return codec_->ReadAnswer(alert_, sent_,
                              PartnerAnswer{absl::OkStatus(), ack_bytes, {}});
  }

  // An .ack for the alert with `ack` changed by `edit`, signed by `key`.
  std::string AlertAck(const std::function<void(Ack*)>& edit, int key = 2) {
    Ack ack;
    ack.message_id = kAlertId;
    ack.sender = "LA-MPS";
    ack.recipient = "CN-MPS";
    ack.status = AckStatus::kAccepted;
    ack.payload_sha256 = crypto::Sha256Hex(sent_.bytes);
    ack.received_at = Utc(2026, 3, 14, 8, 12, 40);
    edit(&ack);
    auto bytes = BuildAck(ack, *gw::testing::Rfc8032Signer(key));
    EXPECT_TRUE(bytes.ok()) << bytes.status();
    return bytes.value_or("");
  }

  OutboundMessage alert_;
  PartnerMessage sent_;
};

TEST_F(LaMpsAnswerTest, ExampleAcceptedAckIsADelivery) {
  const std::string ack = Example("inbox", absl::StrCat(kAlertId, ".ack"));
  EXPECT_EQ(codec_->InspectAck(kAlertId, ack), AckKind::kFinal);
  const DeliveryOutcome outcome = Read(ack);
  ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  ASSERT_TRUE(outcome.receipt.has_value());
  EXPECT_EQ(outcome.receipt->message_id(), kAlertId);
  EXPECT_EQ(outcome.receipt->recipient(), "LA-MPS");
  EXPECT_EQ(outcome.receipt->status(), gw::v1::Receipt::ACCEPTED);
  EXPECT_EQ(outcome.receipt->payload_sha256(), crypto::Sha256Hex(sent_.bytes));
  EXPECT_EQ(util::FromTimestamp(outcome.receipt->received_at()),
            Utc(2026, 3, 14, 8, 12, 40));
  EXPECT_EQ(outcome.evidence, ack);
}

TEST_F(LaMpsAnswerTest, AcceptedAckWarningsReachTheReceipt) {
  const DeliveryOutcome outcome = Read(AlertAck([](Ack* ack) {
    ack->warnings = {{"NORMALIZED_NFC", "subjects.1.person.names.1.full"}};
  }));
  ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  ASSERT_EQ(outcome.receipt->warnings_size(), 1);
  EXPECT_EQ(outcome.receipt->warnings(0).code(), "NORMALIZED_NFC");
  EXPECT_EQ(outcome.receipt->warnings(0).field(),
            "subjects.1.person.names.1.full");
}

TEST_F(LaMpsAnswerTest, ExampleRejectionIsPermanent) {
  const OutboundMessage status =
      Outbound(kStatusId, "LA-MPS", kStatusType, ExampleStatus());
  auto sent = codec_->Encode(status);
  ASSERT_TRUE(sent.ok());
  const std::string ack = Example("inbox", absl::StrCat(kStatusId, ".ack"));
  EXPECT_EQ(codec_->InspectAck(kStatusId, ack), AckKind::kFinal);
  const DeliveryOutcome outcome = codec_->ReadAnswer(
      status, *sent, PartnerAnswer{absl::OkStatus(), ack, {}});
  EXPECT_EQ(outcome.kind, Kind::kPermanentFailure);
  EXPECT_THAT(outcome.reason,
              HasSubstr("LA-MPS REJECTED UNKNOWN_REFERENCE case_ref: "));
  EXPECT_THAT(outcome.reason, HasSubstr("case reference not known"));
  EXPECT_EQ(outcome.evidence, ack);
}

TEST_F(LaMpsAnswerTest, DigestMismatchIsPermanent) {
  for (AckStatus status : {AckStatus::kAccepted, AckStatus::kRejected}) {
    const std::string ack = AlertAck([status](Ack* a) {
      a->status = status;
      a->payload_sha256 = crypto::Sha256Hex("other bytes");
      a->error_code = "SCHEMA_VIOLATION";
      a->error_text = "x";
    });
    const DeliveryOutcome outcome = Read(ack);
    EXPECT_EQ(outcome.kind, Kind::kPermanentFailure);
    EXPECT_THAT(outcome.reason, HasSubstr("ACK_DIGEST_MISMATCH"));
    EXPECT_EQ(outcome.evidence, ack);
  }
}

TEST_F(LaMpsAnswerTest, CorruptAckIsTransientAndAsksForARewrite) {
  auto corrupt = partner_->MakeIncompleteAck(
      kAlertId, sent_.bytes.substr(0, 100), ".csv truncated");
  ASSERT_TRUE(corrupt.ok()) << corrupt.status();
  EXPECT_EQ(codec_->InspectAck(kAlertId, *corrupt), AckKind::kCorrupt);
  const DeliveryOutcome outcome = Read(*corrupt);
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_THAT(outcome.reason, HasSubstr("CORRUPT INCOMPLETE: .csv truncated"));
}

TEST_F(LaMpsAnswerTest, InvalidAcksAreIgnoredAndTransient) {
  const std::string good = Example("inbox", absl::StrCat(kAlertId, ".ack"));
  struct Case {
    const char* name;
    std::string ack;
  };
  const std::vector<Case> cases = {
      {"partly copied", good.substr(0, good.size() - 30)},
      {"empty", ""},
      {"altered", absl::StrReplaceAll(good, {{"0188", "0189"}})},
      {"signed by a key not registered to LA-MPS",
       AlertAck([](Ack*) {}, /*key=*/1)},
      {"other message id", AlertAck([](Ack* a) { a->message_id = kStatusId; })},
      {"other recipient", AlertAck([](Ack* a) { a->recipient = "TH-RTP"; })},
      {"other sender", AlertAck([](Ack* a) { a->sender = "TH-RTP"; })},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(codec_->InspectAck(kAlertId, c.ack), AckKind::kIgnore) << c.name;
    const DeliveryOutcome outcome = Read(c.ack);
    EXPECT_EQ(outcome.kind, Kind::kTransientFailure) << c.name;
    EXPECT_FALSE(outcome.receipt.has_value()) << c.name;
  }
  // The example receipt is for another message.
  EXPECT_EQ(codec_->InspectAck(kStatusId, good), AckKind::kIgnore);
}

TEST_F(LaMpsAnswerTest, TransportFailureIsTransient) {
  const DeliveryOutcome outcome = codec_->ReadAnswer(
      alert_, sent_,
      PartnerAnswer{absl::UnavailableError("outbox not writable"), "", {}});
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_THAT(outcome.reason, HasSubstr("outbox not writable"));
}

TEST_F(LaMpsCodecTest, IncompleteAckIsASignedCorruptReceipt) {
  now_ = Utc(2026, 3, 15, 0, 0, 0);
  auto bytes = codec_->MakeIncompleteAck(kRequestId, "", ".csv missing");
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  auto ack = ParseAck(*bytes);
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_TRUE(VerifyAck(*ack, *bytes, *gateway_key_).ok());
  EXPECT_EQ(ack->status, AckStatus::kCorrupt);
  EXPECT_EQ(ack->message_id, kRequestId);
  EXPECT_EQ(ack->sender, "CN-MPS");
  EXPECT_EQ(ack->recipient, "LA-MPS");
  EXPECT_EQ(ack->error_code, "INCOMPLETE");
  EXPECT_EQ(ack->error_text, ".csv missing");
  // SHA-256 of zero bytes for a missing file (§3.7).
  EXPECT_EQ(ack->payload_sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ack->received_at, now_);
  EXPECT_EQ(partner_->InspectAck(kRequestId, *bytes), AckKind::kCorrupt);
  EXPECT_FALSE(codec_->MakeIncompleteAck("not-a-uuid", "", "x").ok());
}

// --- InspectOwnAck: our final receipts in outbox/ (§7.2 step 4). ----------

TEST_F(LaMpsCodecTest, OurExampleReceiptIsFinalForItsDigestOnly) {
  const std::string ack = Example("outbox", absl::StrCat(kRequestId, ".ack"));
  const std::string csv_sha256 =
      crypto::Sha256Hex(Example("inbox", absl::StrCat(kRequestId, ".csv")));
  EXPECT_EQ(codec_->InspectOwnAck(kRequestId, ack, csv_sha256),
            OwnAckKind::kSameMessage);
  EXPECT_EQ(codec_->InspectOwnAck(kRequestId, ack,
                                  crypto::Sha256Hex("other .csv bytes")),
            OwnAckKind::kConflict);
}

TEST_F(LaMpsCodecTest, OurRejectedReceiptIsFinalToo) {
  const PartnerMessage message = ExampleMessage("inbox", kRequestId);
  const absl::Status refusal =
      RefusalStatus(absl::StatusCode::kInvalidArgument,
                    Refusal{"SCHEMA_VIOLATION", "victim.sex", "not a code"});
  auto answer = codec_->EncodeAnswer(
      "LA-MPS", message, InboundAnswer{refusal, std::nullopt, false});
  ASSERT_TRUE(answer.ok() && answer->has_value()) << answer.status();
  EXPECT_EQ(codec_->InspectOwnAck(kRequestId, (*answer)->bytes,
                                  crypto::Sha256Hex(message.bytes)),
            OwnAckKind::kSameMessage);
  EXPECT_EQ(codec_->InspectOwnAck(kRequestId, (*answer)->bytes,
                                  crypto::Sha256Hex("other .csv bytes")),
            OwnAckKind::kConflict);
}

TEST_F(LaMpsCodecTest, WhatIsNotOurFinalReceiptIsNone) {
  const std::string csv = Example("inbox", absl::StrCat(kRequestId, ".csv"));
  const std::string csv_sha256 = crypto::Sha256Hex(csv);
  const std::string good = Example("outbox", absl::StrCat(kRequestId, ".ack"));
  // Our fields, but signed with the partner's key.
  Ack forged;
  forged.message_id = kRequestId;
  forged.sender = "CN-MPS";
  forged.recipient = "LA-MPS";
  forged.status = AckStatus::kAccepted;
  forged.payload_sha256 = csv_sha256;
  forged.received_at = Utc(2026, 3, 14, 9, 1, 15);
  auto partner_signed = BuildAck(forged, *partner_signer_);
  ASSERT_TRUE(partner_signed.ok()) << partner_signed.status();
  auto corrupt = codec_->MakeIncompleteAck(kRequestId, csv, ".sig missing");
  ASSERT_TRUE(corrupt.ok()) << corrupt.status();

  struct Case {
    const char* name;
    std::string id;
    std::string ack;
    std::string sha256;
  };
  const std::vector<Case> cases = {
      {"one byte changed", kRequestId,
       absl::StrReplaceAll(good, {{"16:01:15", "16:01:16"}}), csv_sha256},
      {"partly written", kRequestId, good.substr(0, good.size() - 30),
       csv_sha256},
      {"empty", kRequestId, "", csv_sha256},
      {"for another message id", kAlertId, good, csv_sha256},
      {"partner's ACCEPTED receipt (TEST 2)", kAlertId,
       Example("inbox", absl::StrCat(kAlertId, ".ack")),
       crypto::Sha256Hex(Example("outbox", absl::StrCat(kAlertId, ".csv")))},
      {"partner's REJECTED receipt (TEST 2)", kStatusId,
       Example("inbox", absl::StrCat(kStatusId, ".ack")),
       crypto::Sha256Hex(Example("outbox", absl::StrCat(kStatusId, ".csv")))},
      {"our fields signed with the partner's key", kRequestId, *partner_signed,
       csv_sha256},
      {"our CORRUPT receipt, never final", kRequestId, *corrupt, csv_sha256},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(codec_->InspectOwnAck(c.id, c.ack, c.sha256), OwnAckKind::kNone)
        << c.name;
  }
  // The partner's codec does not take our receipt for one of its own.
  EXPECT_EQ(partner_->InspectOwnAck(kRequestId, good, csv_sha256),
            OwnAckKind::kNone);
  // Without a link key nothing is ours.
  const LaMpsCodec keyless("CN-MPS", "LA-MPS", nullptr, {partner_key_.get()},
                           [this] { return now_; });
  EXPECT_EQ(keyless.InspectOwnAck(kRequestId, good, csv_sha256),
            OwnAckKind::kNone);
}

// --- Decode: the order and codes of §7.2 and §8. ----------------------------

TEST_F(LaMpsCodecTest, UnnecessaryQuotingIsNotAnError) {
  std::string quoted = "field,value\r\n";
  auto records = ReadCsv(request_csv_);
  ASSERT_TRUE(records.ok());
  for (const CsvRecord& record : *records) {
    absl::StrAppend(&quoted, "\"", record.path, "\",\"",
                    absl::StrReplaceAll(record.value, {{"\"", "\"\""}}),
                    "\"\r\n");
  }
  ASSERT_NE(quoted, request_csv_);
  auto decoded = codec_->Decode("LA-MPS", Signed(quoted));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  auto plain = codec_->Decode("LA-MPS", ExampleMessage("inbox", kRequestId));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(decoded->envelope.payload(), plain->envelope.payload());
  EXPECT_EQ(decoded->received_sha256, crypto::Sha256Hex(quoted));
}

TEST_F(LaMpsCodecTest, PayloadTooLarge) {
  std::string big = request_csv_;
  big.resize(kMaxCsvBytes + 1, 'x');
  Refusal refusal = RefusedCsv(big);
  EXPECT_EQ(refusal.error_code, "PAYLOAD_TOO_LARGE");
  EXPECT_EQ(refusal.error_field, "");

  // Records: 100,000 after the header record are allowed, 100,001 are not.
  const size_t header_end = request_csv_.find("request_id,");
  std::string many = request_csv_.substr(0, header_end);
  for (int i = 1; i <= 100000 - 7; ++i)
    absl::StrAppend(&many, "z", i, ",v\r\n");
  refusal = RefusedCsv(many);
  EXPECT_EQ(refusal.error_code, "SCHEMA_VIOLATION");
  EXPECT_EQ(refusal.error_field, "z1");
  absl::StrAppend(&many, "y,v\r\n");
  refusal = RefusedCsv(many);
  EXPECT_EQ(refusal.error_code, "PAYLOAD_TOO_LARGE");
}

TEST_F(LaMpsCodecTest, MalformedCsv) {
  for (const std::string& csv : {
           absl::StrCat("\"field\",value", request_csv_.substr(11)),
           absl::StrCat("\xEF\xBB\xBF", request_csv_),
           RequestCsv({{"victim.sex,FEMALE\r\n", "victim.sex,FEMALE\r"}}),
           RequestCsv({{"victim.sex,FEMALE\r\n", "victim.sex,FEMALE\n"}}),
           RequestCsv({{"CESHI Hua", "CESHI \xFF Hua"}}),
           RequestCsv({{"victim.sex,FEMALE", "victim.sex,FEM\"ALE"}}),
           RequestCsv({{"victim.sex,FEMALE", "victim.sex,FEMALE,X"}}),
           RequestCsv({{"victim.sex,FEMALE", "Victim.Sex,FEMALE"}}),
           absl::StrCat(request_csv_, "victim.sex,MALE\r\n"),  // duplicate
           request_csv_.substr(0, request_csv_.size() - 2),    // no final CR LF
       }) {
    const Refusal refusal = RefusedCsv(csv);
    EXPECT_EQ(refusal.error_code, "MALFORMED_CSV") << refusal.error_text;
    EXPECT_EQ(refusal.error_field, "");
  }
}

TEST_F(LaMpsCodecTest, HeaderMismatchNamesTheExpectedField) {
  struct Case {
    const char* name;
    std::string csv;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"sender and recipient swapped",
       RequestCsv({{"sender,LA-MPS\r\nrecipient,CN-MPS\r\n",
                    "recipient,CN-MPS\r\nsender,LA-MPS\r\n"}}),
       "sender"},
      {"key_id missing",
       RequestCsv(
           {{absl::StrCat("key_id,", gw::testing::kRfc8032Test2KeyId, "\r\n"),
             ""}}),
       "key_id"},
      {"body first",
       RequestCsv({{"field,value\r\n",
                    "field,value\r\nrequest_id,LA-MPS-RQ-2026-0009\r\n"},
                   {"key_id,deb2ded39dc26fce0e6085b6fc34bf6b5941913bbfe2ea6141"
                    "13cff9e004c170\r\nrequest_id,LA-MPS-RQ-2026-0009\r\n",
                    "key_id,deb2ded39dc26fce0e6085b6fc34bf6b5941913bbfe2ea6141"
                    "13cff9e004c170\r\n"}}),
       "format"},
      {"header only", "field,value\r\n", "format"},
      {"other format", RequestCsv({{"MKG-LA-CSV/1", "MKG-LA-CSV/2"}}),
       "format"},
      {"message_id not the file name",
       RequestCsv({{absl::StrCat("message_id,", kRequestId),
                    absl::StrCat("message_id,", kAlertId)}}),
       "message_id"},
  };
  for (const Case& c : cases) {
    const Refusal refusal = RefusedCsv(c.csv);
    EXPECT_EQ(refusal.error_code, "HEADER_MISMATCH") << c.name;
    EXPECT_EQ(refusal.error_field, c.field) << c.name;
  }
}

TEST_F(LaMpsCodecTest, AgencyMismatch) {
  Refusal refusal =
      RefusedCsv(RequestCsv({{"sender,LA-MPS", "sender,TH-RTP"}}));
  EXPECT_EQ(refusal.error_code, "AGENCY_MISMATCH");
  EXPECT_EQ(refusal.error_field, "sender");
  refusal = RefusedCsv(RequestCsv({{"recipient,CN-MPS", "recipient,VN-MPS"}}));
  EXPECT_EQ(refusal.error_code, "AGENCY_MISMATCH");
  EXPECT_EQ(refusal.error_field, "recipient");
  // The files came from another agency's link.
  auto decoded = codec_->Decode("TH-RTP", ExampleMessage("inbox", kRequestId));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(RefusalOf(decoded.status())->error_code, "AGENCY_MISMATCH");
}

TEST_F(LaMpsCodecTest, SignatureInvalid) {
  // A .sig over other bytes.
  PartnerMessage message = ExampleMessage("inbox", kRequestId);
  const std::string wrong_sig =
      MakeSigFile(*partner_signer_->Sign("other bytes"));
  message.metadata = {
      {"sig", wrong_sig},
      {"done", MakeDoneFile(kRequestId, message.bytes, wrong_sig)}};
  Refusal refusal = Refused(message, absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(refusal.error_code, "SIGNATURE_INVALID");

  // Signed with the gateway's key, but naming LA-MPS's key id.
  refusal = Refused(Signed(request_csv_, kRequestId, /*key=*/1),
                    absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(refusal.error_code, "SIGNATURE_INVALID");

  // A .sig that is not 89 bytes of base64.
  const std::string bad_sig = "not a signature\n";
  message.metadata = {
      {"sig", bad_sig},
      {"done", MakeDoneFile(kRequestId, message.bytes, bad_sig)}};
  refusal = Refused(message, absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(refusal.error_code, "SIGNATURE_INVALID");

  // A key_id that can never be a key.
  refusal = RefusedCsv(RequestCsv({{gw::testing::kRfc8032Test2KeyId, "XYZ"}}),
                       absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(refusal.error_code, "SIGNATURE_INVALID");
  EXPECT_EQ(refusal.error_field, "key_id");
}

TEST_F(LaMpsCodecTest, UnknownKeyIsHeldWithoutAnAck) {
  // Well-formed key id of a key not registered to LA-MPS.
  const PartnerMessage message = Signed(
      RequestCsv(
          {{gw::testing::kRfc8032Test2KeyId, gw::testing::kRfc8032Test1KeyId}}),
      kRequestId, /*key=*/1);
  auto decoded = codec_->Decode("LA-MPS", message);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ingest::ReasonOf(decoded.status()), "UNKNOWN_KEY");
  EXPECT_FALSE(RefusalOf(decoded.status()).has_value());
  auto answer = codec_->EncodeAnswer(
      "LA-MPS", message, InboundAnswer{decoded.status(), std::nullopt, false});
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_FALSE(answer->has_value());
}

TEST_F(LaMpsCodecTest, IncompleteFilesAreHeld) {
  PartnerMessage message = ExampleMessage("inbox", kRequestId);
  message.bytes.pop_back();
  auto decoded = codec_->Decode("LA-MPS", message);
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ingest::ReasonOf(decoded.status()), "INCOMPLETE");
  message = ExampleMessage("inbox", kRequestId);
  message.metadata.pop_back();  // no .done
  decoded = codec_->Decode("LA-MPS", message);
  EXPECT_EQ(ingest::ReasonOf(decoded.status()), "INCOMPLETE");
  auto answer = codec_->EncodeAnswer(
      "LA-MPS", message, InboundAnswer{decoded.status(), std::nullopt, false});
  ASSERT_TRUE(answer.ok());
  EXPECT_FALSE(answer->has_value());
}

TEST_F(LaMpsCodecTest, SchemaViolationNamesTheField) {
  struct Case {
    const char* name;
    std::string csv;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"unknown message type",
       RequestCsv({{"REPATRIATION_REQUEST", "REPATRIATION_PLEA"}}),
       "message_type"},
      {"ACK is not a message type",
       RequestCsv({{"REPATRIATION_REQUEST", "ACK"}}), "message_type"},
      {"message_created_at in UTC",
       RequestCsv({{"14/03/2026 13:00:00+07:00", "2026-03-14T06:00:00Z"}}),
       "message_created_at"},
      {"unknown sex code", RequestCsv({{"victim.sex,FEMALE", "victim.sex,F"}}),
       "victim.sex"},
      {"31/02", RequestCsv({{"16/04/2026", "31/02/2026"}}),
       "proposed_handover.date"},
      {"DD/00/YYYY", RequestCsv({{"20/11/2010", "20/00/2010"}}),
       "victim.date_of_birth"},
      {"unknown field",
       absl::StrCat(request_csv_, "victim.eye_colour,brown\r\n"),
       "victim.eye_colour"},
      {"out of order",
       RequestCsv(
           {{"victim.sex,FEMALE\r\nvictim.date_of_birth,20/11/2010\r\n",
             "victim.date_of_birth,20/11/2010\r\nvictim.sex,FEMALE\r\n"}}),
       "victim.sex"},
      {"missing mandatory", RequestCsv({{"identity_verified,Y\r\n", ""}}),
       "identity_verified"},
      {"Y/N", RequestCsv({{"identity_verified,Y", "identity_verified,yes"}}),
       "identity_verified"},
      {"CR inside a quoted value",
       RequestCsv({{"The child wishes to return to her family.",
                    "\"The child wishes\r\nto return to her family.\""}}),
       "best_interests_assessment.summary.2.text"},
      {"MRZ lower case", RequestCsv({{"P<CHNCESHI<<HUA", "P<CHNceshi<<HUA"}}),
       "travel_document.mrz.1"},
  };
  for (const Case& c : cases) {
    const Refusal refusal = RefusedCsv(c.csv);
    EXPECT_EQ(refusal.error_code, "SCHEMA_VIOLATION") << c.name;
    EXPECT_EQ(refusal.error_field, c.field) << c.name;
  }
}

TEST_F(LaMpsCodecTest, NonNfcLaoTextIsNormalisedWithAWarning) {
  // ຜູ້ with its tone mark (ccc 122) before its vowel sign (ccc 118): not
  // NFC; NFC puts the vowel sign first.
  const std::string nfd_note = "ແມ່ຂອງຜ\u0EC9\u0EB9 ຢູ່ຢຸນນານ";
  const std::string nfc_note = "ແມ່ຂອງຜ\u0EB9\u0EC9 ຢູ່ຢຸນນານ";
  ASSERT_NE(nfd_note, nfc_note);
  const std::string csv = RequestCsv(
      {{"Mother reported to live in Yunnan; family tracing requested from "
        "CN-MPS.",
        nfd_note}});
  auto decoded = codec_->Decode("LA-MPS", Signed(csv));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  gw::v1::RepatriationRequest request;
  ASSERT_TRUE(request.ParseFromString(decoded->envelope.payload()));
  EXPECT_EQ(request.guardian().notes(0).text(), nfc_note);
  ASSERT_EQ(decoded->warnings.size(), 1u);
  EXPECT_EQ(decoded->warnings[0].code(), "NORMALIZED_NFC");
  EXPECT_EQ(decoded->warnings[0].field(), "guardian.notes.1.text");
  EXPECT_EQ(decoded->received_sha256, crypto::Sha256Hex(csv));

  // The .ack reports it.
  gw::v1::Receipt receipt;
  *receipt.mutable_received_at() = util::ToTimestamp(now_);
  *receipt.add_warnings() = decoded->warnings[0];
  // Warnings the format cannot carry never block the .ack.
  receipt.add_warnings()->set_code("not a code");
  gw::v1::ReceiptWarning* odd = receipt.add_warnings();
  odd->set_code("ZAWGYI_SUSPECTED");
  odd->set_field(" padded\n");
  auto answer = codec_->EncodeAnswer(
      "LA-MPS", Signed(csv), InboundAnswer{absl::OkStatus(), receipt, false});
  ASSERT_TRUE(answer.ok() && answer->has_value());
  EXPECT_THAT((*answer)->bytes,
              HasSubstr("received_at,16/03/2026 14:45:00+07:00\r\n"
                        "warning.1.code,NORMALIZED_NFC\r\n"
                        "warning.1.field,guardian.notes.1.text\r\n"
                        "warning.2.code,ZAWGYI_SUSPECTED\r\nkey_id,"));
}

TEST_F(LaMpsCodecTest, RefusalBecomesASignedRejectedAck) {
  const PartnerMessage message =
      Signed(RequestCsv({{"victim.sex,FEMALE", "victim.sex,F"}}));
  auto decoded = codec_->Decode("LA-MPS", message);
  ASSERT_FALSE(decoded.ok());
  auto answer = codec_->EncodeAnswer(
      "LA-MPS", message, InboundAnswer{decoded.status(), std::nullopt, false});
  ASSERT_TRUE(answer.ok()) << answer.status();
  ASSERT_TRUE(answer->has_value());
  auto ack = ParseAck((*answer)->bytes);
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_TRUE(VerifyAck(*ack, (*answer)->bytes, *gateway_key_).ok());
  EXPECT_EQ(ack->status, AckStatus::kRejected);
  EXPECT_EQ(ack->sender, "CN-MPS");
  EXPECT_EQ(ack->recipient, "LA-MPS");
  EXPECT_EQ(ack->payload_sha256, crypto::Sha256Hex(message.bytes));
  EXPECT_EQ(ack->received_at, now_);
  EXPECT_EQ(ack->error_code, "SCHEMA_VIOLATION");
  EXPECT_EQ(ack->error_field, "victim.sex");
  EXPECT_THAT(ack->error_text, HasSubstr("FEMALE, MALE, UNKNOWN"));
  // The partner reads it as a permanent refusal.
  EXPECT_EQ(partner_->InspectAck(kRequestId, (*answer)->bytes),
            AckKind::kFinal);
}

TEST_F(LaMpsCodecTest, GatewayRefusalsMapToIcdCodes) {
  const PartnerMessage message = ExampleMessage("inbox", kRequestId);
  struct Case {
    const char* name;
    absl::Status status;
    const char* code;  // nullptr: no .ack
    const char* field;
  };
  const std::vector<Case> cases = {
      {"conflicting id",
       ingest::WithReason(absl::AlreadyExistsError("message_id: reused"),
                          "DUPLICATE_ID_CONFLICT"),
       nullptr, ""},
      {"unknown key",
       ingest::WithReason(absl::UnavailableError("key"), "UNKNOWN_KEY"),
       nullptr, ""},
      {"store down", absl::UnavailableError("store unavailable"), nullptr, ""},
      {"internal", absl::InternalError("bug"), nullptr, ""},
      {"overload", absl::ResourceExhaustedError("queue full"), nullptr, ""},
      {"not a recipient",
       ingest::WithReason(absl::PermissionDeniedError(
                              "payload.receiving_agency: CN-MPS is not a "
                              "party"),
                          "NOT_A_RECIPIENT"),
       "NOT_A_RECIPIENT", "receiving_agency"},
      {"signature",
       ingest::WithReason(
           absl::UnauthenticatedError("envelope.signatures[1]: bad"),
           "SIGNATURE_INVALID"),
       "SIGNATURE_INVALID", ""},
      {"field invalid",
       ingest::WithReason(absl::InvalidArgumentError(
                              "payload.victim.names[1].given: too long"),
                          "FIELD_INVALID"),
       "SCHEMA_VIOLATION", "victim.names.2.given"},
      {"unknown case", absl::NotFoundError("payload.case_ref: unknown case"),
       "UNKNOWN_REFERENCE", "case_ref"},
      {"workflow",
       absl::FailedPreconditionError("payload.request_id: already decided"),
       "WORKFLOW_STATE", "request_id"},
      {"no reason", absl::InvalidArgumentError("something: odd"),
       "SCHEMA_VIOLATION", ""},
  };
  for (const Case& c : cases) {
    auto answer = codec_->EncodeAnswer(
        "LA-MPS", message, InboundAnswer{c.status, std::nullopt, false});
    ASSERT_TRUE(answer.ok()) << c.name << ": " << answer.status();
    if (c.code == nullptr) {
      EXPECT_FALSE(answer->has_value()) << c.name;
      continue;
    }
    ASSERT_TRUE(answer->has_value()) << c.name;
    auto ack = ParseAck((*answer)->bytes);
    ASSERT_TRUE(ack.ok()) << c.name << ": " << ack.status();
    EXPECT_EQ(ack->status, AckStatus::kRejected) << c.name;
    EXPECT_EQ(ack->error_code, c.code) << c.name;
    EXPECT_EQ(ack->error_field, c.field) << c.name;
    EXPECT_EQ(ack->error_text, c.status.message()) << c.name;
  }
  // OK without a receipt is the caller's bug, not an answer.
  EXPECT_FALSE(
      codec_
          ->EncodeAnswer("LA-MPS", message,
                         InboundAnswer{absl::OkStatus(), std::nullopt, false})
          .ok());
}

// --- Encode: what cannot be sent. -------------------------------------------

TEST_F(LaMpsCodecTest, EncodeRefusesWhatLaMpsCannotCarry) {
  gw::v1::CaseAlert alert = ExampleAlert();
  alert.set_alert_id("CNMPS ALERT 734");
  auto encoded =
      codec_->Encode(Outbound(kAlertId, "LA-MPS", kAlertType, alert));
  EXPECT_EQ(encoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(encoded.status().message()),
              HasSubstr("alert_id: ID_NOT_REPRESENTABLE"));
  EXPECT_EQ(ingest::ReasonOf(encoded.status()), "ID_NOT_REPRESENTABLE");

  gw::v1::CaseStatus status = ExampleStatus();
  status.set_case_ref(std::string(65, 'C'));
  encoded = codec_->Encode(Outbound(kStatusId, "LA-MPS", kStatusType, status));
  EXPECT_THAT(std::string(encoded.status().message()),
              HasSubstr("case_ref: ID_NOT_REPRESENTABLE"));

  alert = ExampleAlert();
  alert.mutable_subjects(0)->mutable_person()->mutable_names(1)->set_given(
      std::string(101, 'M'));
  encoded = codec_->Encode(Outbound(kAlertId, "LA-MPS", kAlertType, alert));
  EXPECT_EQ(encoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(encoded.status().message()),
              HasSubstr("subjects.1.person.names.2.given: longer than 100"));

  alert = ExampleAlert();
  alert.mutable_subjects(0)->mutable_person()->set_date_of_birth("2011-02-30");
  encoded = codec_->Encode(Outbound(kAlertId, "LA-MPS", kAlertType, alert));
  EXPECT_THAT(std::string(encoded.status().message()),
              HasSubstr("subjects.1.person.date_of_birth"));

  alert = ExampleAlert();
  alert.clear_created_at();
  encoded = codec_->Encode(Outbound(kAlertId, "LA-MPS", kAlertType, alert));
  EXPECT_THAT(std::string(encoded.status().message()), HasSubstr("created_at"));

  const OutboundMessage good =
      Outbound(kAlertId, "LA-MPS", kAlertType, ExampleAlert());
  OutboundMessage bad = good;
  bad.message_id = "C000A73D-0A25-5904-BEDF-AD6B56692274";
  EXPECT_EQ(codec_->Encode(bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  bad = good;
  bad.recipient = "TH-RTP";
  EXPECT_EQ(codec_->Encode(bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  bad = good;
  bad.envelope.set_payload_type("application/vnd.gw.v1.Receipt+proto");
  EXPECT_EQ(codec_->Encode(bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  bad = good;
  bad.envelope.set_payload("\xFF\xFF\xFF");
  EXPECT_EQ(codec_->Encode(bad).status().code(),
            absl::StatusCode::kInvalidArgument);

  LaMpsCodec keyless("CN-MPS", "LA-MPS", nullptr, {partner_key_.get()},
                     [this] { return now_; });
  EXPECT_EQ(keyless.Encode(good).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(LaMpsCodecTest, EncodeWritesNfcAndLfLineBreaks) {
  gw::v1::CaseAlert alert = ExampleAlert();
  alert.mutable_subjects(0)->mutable_person()->mutable_names(0)->set_full(
      "ມະລິ ທົດລອງ ຜ\u0EC9\u0EB9");
  alert.mutable_narrative(0)->set_text("Line one.\r\nLine two.  ");
  auto encoded =
      codec_->Encode(Outbound(kAlertId, "LA-MPS", kAlertType, alert));
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_THAT(encoded->bytes,
              HasSubstr("subjects.1.person.names.1.full,ມະລິ ທົດລອງ "
                        "ຜ\u0EB9\u0EC9\r\n"));
  EXPECT_THAT(encoded->bytes,
              HasSubstr("narrative.1.text,\"Line one.\nLine two.\"\r\n"));
  auto decoded = partner_->Decode("CN-MPS", *encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_TRUE(decoded->warnings.empty());
}

TEST_F(LaMpsCodecTest, AttachmentsFillTheFileUpTo16MiB) {
  gw::v1::CaseAlert alert = ExampleAlert();
  for (char fill : {'a', 'b'}) {
    gw::v1::Attachment* attachment = alert.add_attachments();
    attachment->set_name(absl::StrCat("scan-", std::string(1, fill), ".pdf"));
    attachment->set_media_type("application/pdf");
    attachment->set_content(std::string(9 * 1024 * 1024, fill));
    attachment->set_sha256(crypto::Sha256Hex(attachment->content()));
  }
  auto encoded =
      codec_->Encode(Outbound(kAlertId, "LA-MPS", kAlertType, alert));
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_LE(encoded->bytes.size(), kMaxCsvBytes);
  EXPECT_THAT(encoded->bytes, HasSubstr("attachments.1.included,Y\r\n"
                                        "attachments.1.content,"));
  EXPECT_THAT(encoded->bytes, HasSubstr("attachments.2.size,9437184\r\n"
                                        "attachments.2.included,N\r\n"
                                        "created_at,"));
  auto decoded = partner_->Decode("CN-MPS", *encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  gw::v1::CaseAlert received;
  ASSERT_TRUE(received.ParseFromString(decoded->envelope.payload()));
  ASSERT_EQ(received.attachments_size(), 2);
  EXPECT_EQ(received.attachments(0).content(), alert.attachments(0).content());
  EXPECT_EQ(received.attachments(1).content(), "");
  EXPECT_EQ(received.attachments(1).sha256(), alert.attachments(1).sha256());
}

TEST_F(LaMpsCodecTest, DecisionRoundTripsBetweenTheTwoSides) {
  gw::v1::RepatriationRecord record;
  record.mutable_request()->set_request_id("LA-MPS-RQ-2026-0009");
  record.mutable_request()->set_case_ref("LA-MPS-CASE-2026-0021");
  record.set_state(gw::v1::RepatriationRecord::HANDOVER_SCHEDULED);
  gw::v1::RepatriationEvent* event = record.add_history();
  event->set_to_state(record.state());
  event->set_actor_agency("CN-MPS");
  *event->mutable_at() = util::ToTimestamp(Utc(2026, 3, 20, 3, 0, 0));
  gw::v1::LanguageText* reason = event->add_reason();
  reason->set_lang("lo");
  reason->set_text("ຕົກລົງມອບຕົວ");
  gw::v1::ProposedHandover* handover =
      record.mutable_request()->mutable_proposed_handover();
  handover->set_border_point("Boten - Mohan international border checkpoint");
  handover->set_date("2026-04-16");
  *record.mutable_updated_at() = util::ToTimestamp(Utc(2026, 3, 20, 3, 0, 0));
  const std::string id = "5d0c8c2e-6b1e-4f57-9a51-0c6c1c0f7e10";
  auto encoded = codec_->Encode(Outbound(
      id, "LA-MPS", "application/vnd.gw.v1.RepatriationRecord+proto", record));
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_THAT(encoded->bytes,
              HasSubstr("message_type,REPATRIATION_DECISION\r\n"));
  EXPECT_THAT(encoded->bytes,
              HasSubstr("decided_at,20/03/2026 10:00:00+07:00\r\n"));
  auto decoded = partner_->Decode("CN-MPS", *encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  gw::v1::RepatriationRecord back;
  ASSERT_TRUE(back.ParseFromString(decoded->envelope.payload()));
  EXPECT_TRUE(MessageDifferencer::Equals(back, record))
      << back.DebugString() << "\nvs\n"
      << record.DebugString();
}

}  // namespace
}  // namespace gw::la_mps
