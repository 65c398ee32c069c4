// tests/unit/adapters/kh_cnp/kh_cnp_encode_test.cc
//
// Encode: varied canonical messages of all four kinds (minors, Khmer-only
// names, documents, attachments beyond the 8 MiB inclusion rule) give
// bodies that validate against KH-CNP.schema.json, loaded by the test
// itself, and come back through KH-CNP's Decode (the mirror codec) as the
// same canonical message where the mapping is lossless; the generated
// Latin names of §5.2; NFC and zero-width removal; the inclusion rule of
// §9; and refusals naming the canonical field.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/kh_cnp/kh_cnp_codec.h"
#include "gateway/crypto/sha256.h"
#include "gateway/ingest/error_reason.h"
#include "gateway/util/proto_time.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "gw/v1/case.pb.h"
#include "tests/unit/adapters/kh_cnp/kh_cnp_test_util.h"

namespace gw::kh_cnp {
namespace {

using adapters::InboundMessage;
using adapters::OutboundMessage;
using adapters::PartnerMessage;
using google::protobuf::util::MessageDifferencer;
using testing::ExampleAlert;
using testing::ExampleRequest;
using testing::Header;
using testing::Link;
using testing::Outbound;
using testing::SetHeader;
using testing::Unix;
using testing::Utc;
using Json = nlohmann::json;

constexpr int64_t kNow = testing::kAlertCreated;
constexpr char kMessageId[] = "5b1d0f0e-8f3c-4d7e-9a2b-6c1e0d9f8a7b";
constexpr char kZwsp[] = "\xE2\x80\x8B";

google::protobuf::Timestamp Ts(absl::string_view rfc3339) {
  return util::ToTimestamp(Utc(rfc3339));
}

gw::v1::PersonName* AddName(gw::v1::Person* person, const char* script,
                            const char* family, const char* given,
                            const char* full) {
  gw::v1::PersonName* name = person->add_names();
  name->set_script(script);
  name->set_family(family);
  name->set_given(given);
  name->set_full(full);
  return name;
}

void AddText(google::protobuf::RepeatedPtrField<gw::v1::LanguageText>* texts,
             const char* lang, const char* text) {
  gw::v1::LanguageText* item = texts->Add();
  item->set_lang(lang);
  item->set_text(text);
}

gw::v1::Attachment Attachment(const char* name, std::string content) {
  gw::v1::Attachment attachment;
  attachment.set_name(name);
  attachment.set_media_type("image/jpeg");
  attachment.set_sha256(crypto::Sha256Hex(content));
  attachment.set_content(std::move(content));
  return attachment;
}

// A victim-identified alert from CN-MPS: two minors, a suspect, documents,
// every optional member, a small attachment.
gw::v1::CaseAlert RichAlert() {
  gw::v1::CaseAlert alert;
  alert.set_alert_id("CNMPS-ALERT-2026-000900");
  alert.set_case_ref("CN-YN-XSBN-2026-0042");
  alert.set_kind(gw::v1::CaseAlert::VICTIM_IDENTIFIED);
  alert.set_priority(gw::v1::CaseAlert::HIGH);
  alert.set_handling_code(gw::v1::CaseAlert::H1);
  alert.set_origin_agency("CN-MPS");
  alert.set_originator("yn-xsbn-inv-0107");
  alert.add_recipients("KH-CNP");
  alert.add_recipients("TH-RTP");
  gw::v1::Subject* child = alert.add_subjects();
  child->set_role(gw::v1::Subject::VICTIM);
  gw::v1::Person* p = child->mutable_person();
  AddName(p, "Khmr", "សាកល្បង", "ស្រីពៅ", "សាកល្បង ស្រីពៅ");
  AddName(p, "Latn", "SAKALBANG", "Srey Pov", "SAKALBANG Srey Pov");
  p->set_sex(gw::v1::Person::FEMALE);
  p->set_date_of_birth("2012-02");
  p->set_nationality("KHM");
  gw::v1::IdentityDocument* id = p->add_documents();
  id->set_type("BIRTH_CERT");
  id->set_number("KH 0012/2012");
  id->set_issuing_state("KHM");
  gw::v1::Subject* boy = alert.add_subjects();
  boy->set_role(gw::v1::Subject::VICTIM);
  gw::v1::Person* b = boy->mutable_person();
  AddName(b, "Hani", "", "", "测试明");
  b->set_sex(gw::v1::Person::MALE);
  b->set_age_estimate(9);
  gw::v1::Subject* suspect = alert.add_subjects();
  suspect->set_role(gw::v1::Subject::SUSPECT);
  gw::v1::Person* s = suspect->mutable_person();
  AddName(s, "Latn", "TESTER", "John", "");
  s->set_sex(gw::v1::Person::UNKNOWN);
  s->set_date_of_birth("1980");
  gw::v1::IdentityDocument* passport = s->add_documents();
  passport->set_type("PASSPORT");
  passport->set_number("X1234567");
  passport->set_issuing_state("THA");
  passport->set_expiry("2028-02-29");
  passport->add_mrz("P<THATESTER<<JOHN<<<<<<<<<<<<<<<<<<<<<<<<<<<");
  passport->add_mrz("X1234567<0THA8001019M2802292<<<<<<<<<<<<<<02");
  alert.mutable_last_seen()->set_country("KHM");
  AddText(alert.mutable_narrative(), "km", "កុមារ\xE2\x80\x8Bពីរនាក់");
  AddText(alert.mutable_narrative(), "en", "Two children found in a raid.");
  *alert.add_attachments() = Attachment("photo 1.jpg", "FICTIONAL JPEG");
  *alert.mutable_created_at() = Ts("2026-03-15T11:00:00Z");
  return alert;
}

gw::v1::RepatriationRequest RichRequest() {
  gw::v1::RepatriationRequest request = ExampleRequest();
  request.set_requesting_agency("CN-MPS");
  request.set_receiving_agency("KH-CNP");
  gw::v1::Guardian* guardian = request.mutable_guardian();
  guardian->set_tracing_result(gw::v1::Guardian::FAMILY_FOUND);
  gw::v1::Person* mother = guardian->mutable_person();
  AddName(mother, "Hani", "测试", "丽", "测试丽");
  mother->set_sex(gw::v1::Person::FEMALE);
  mother->set_age_estimate(38);
  request.mutable_best_interests_assessment()->set_outcome(
      gw::v1::BestInterestsAssessment::DO_NOT_RETURN);
  return request;
}

gw::v1::RepatriationRecord Decision() {
  gw::v1::RepatriationRecord record;
  record.mutable_request()->set_request_id("CNP-RQ-2026-0031");
  record.mutable_request()->set_case_ref("KH-CNP-2026-0311");
  record.mutable_request()->mutable_proposed_handover()->set_border_point(
      "Phnom Penh International Airport (PNH)");
  record.mutable_request()->mutable_proposed_handover()->set_date("2026-04-09");
  record.set_state(gw::v1::RepatriationRecord::HANDOVER_SCHEDULED);
  gw::v1::RepatriationEvent* event = record.add_history();
  event->set_to_state(gw::v1::RepatriationRecord::HANDOVER_SCHEDULED);
  event->set_actor_agency("CN-MPS");
  *event->mutable_at() = Ts("2026-03-20T06:00:00Z");
  AddText(event->mutable_reason(), "zh", "同意遣返。");
  return record;
}

gw::v1::CaseStatus Status() {
  gw::v1::CaseStatus status;
  status.set_case_ref("CN-YN-XSBN-2026-0042");
  status.set_owner_agency("CN-MPS");
  status.set_state(gw::v1::CaseStatus::VICTIM_LOCATED);
  *status.mutable_updated_at() = Ts("2026-03-21T08:00:00Z");
  status.add_shared_with("KH-CNP");
  status.add_shared_with("TH-RTP");
  AddText(status.mutable_note(), "en", "Victim located in Phnom Penh.");
  return status;
}

class KhCnpEncodeTest : public ::testing::Test {
 protected:
  KhCnpEncodeTest()
      : gateway_(link_.Gateway(Unix(kNow))),
        partner_(link_.Partner(Unix(kNow))) {}

  absl::StatusOr<PartnerMessage> Encode(const char* payload_type,
                                        const google::protobuf::Message& m) {
    return gateway_->Encode(Outbound(kMessageId, payload_type, m));
  }

  // The body validates against the $defs entry of its kind.
  static void ExpectValid(const PartnerMessage& sent, const char* defs) {
    const Json body = Json::parse(sent.bytes);
    auto violation = testing::Schema().ValidateAt(body, defs);
    ASSERT_TRUE(violation.ok()) << violation.status();
    EXPECT_FALSE(violation->has_value())
        << (*violation)->pointer << ": " << (*violation)->message;
    // The whole schema (root oneOf) accepts it too.
    EXPECT_FALSE(testing::Schema().Validate(body).has_value());
  }

  // What KH-CNP decodes from `sent`, posted to its endpoint `path` (the
  // mirror codec serves the /gw/kh/v1 paths; the body is the same).
  absl::StatusOr<InboundMessage> PartnerDecodes(PartnerMessage sent,
                                                const char* inbound_path) {
    const std::string target =
        absl::StrCat(testing::kGatewayBaseUri, inbound_path);
    SetHeader(&sent.metadata, ":path", inbound_path);
    sent.metadata.emplace_back(":method", "POST");
    sent.metadata.emplace_back(":target-uri", target);
    auto signature = gateway_->SignRequest(target, sent);
    EXPECT_TRUE(signature.ok()) << signature.status();
    if (signature.ok()) {
      for (auto& header : *signature) sent.metadata.push_back(header);
    }
    return partner_->Decode("CN-MPS", sent);
  }

  template <typename T>
  void ExpectRoundTrip(const char* payload_type, const char* defs,
                       const char* inbound_path, const T& message,
                       const T& want) {
    absl::StatusOr<PartnerMessage> sent = Encode(payload_type, message);
    ASSERT_TRUE(sent.ok()) << sent.status();
    ExpectValid(*sent, defs);
    absl::StatusOr<InboundMessage> in = PartnerDecodes(*sent, inbound_path);
    ASSERT_TRUE(in.ok()) << in.status();
    EXPECT_EQ(in->envelope.payload_type(), payload_type);
    EXPECT_TRUE(in->warnings.empty());
    T got;
    ASSERT_TRUE(got.ParseFromString(in->envelope.payload()));
    std::string diff;
    MessageDifferencer differ;
    differ.ReportDifferencesToString(&diff);
    EXPECT_TRUE(differ.Compare(want, got)) << diff;
  }

  Link link_;
  std::unique_ptr<KhCnpCodec> gateway_;
  std::unique_ptr<KhCnpCodec> partner_;
};

// ---- Lossless round trips --------------------------------------------------

TEST_F(KhCnpEncodeTest, AlertsRoundTrip) {
  ExpectRoundTrip(kCaseAlertPayloadType, "/$defs/alert_message",
                  "/gw/kh/v1/alerts", ExampleAlert(), ExampleAlert());
  ExpectRoundTrip(kCaseAlertPayloadType, "/$defs/alert_message",
                  "/gw/kh/v1/alerts", RichAlert(), RichAlert());
}

TEST_F(KhCnpEncodeTest, RepatriationRequestsRoundTrip) {
  ExpectRoundTrip(
      kRepatriationRequestPayloadType, "/$defs/repatriation_request_message",
      "/gw/kh/v1/repatriation-requests", ExampleRequest(), ExampleRequest());
  ExpectRoundTrip(
      kRepatriationRequestPayloadType, "/$defs/repatriation_request_message",
      "/gw/kh/v1/repatriation-requests", RichRequest(), RichRequest());
  // The least a request can be.
  gw::v1::RepatriationRequest bare;
  bare.set_request_id("CN-RQ-1");
  bare.set_case_ref("CN-1");
  AddName(bare.mutable_victim(), "Latn", "", "", "Unknown Girl");
  bare.mutable_victim()->set_sex(gw::v1::Person::UNKNOWN);
  bare.set_requesting_agency("CN-MPS");
  bare.set_receiving_agency("KH-CNP");
  ExpectRoundTrip(kRepatriationRequestPayloadType,
                  "/$defs/repatriation_request_message",
                  "/gw/kh/v1/repatriation-requests", bare, bare);
}

TEST_F(KhCnpEncodeTest, DecisionsRoundTrip) {
  ExpectRoundTrip(kRepatriationRecordPayloadType,
                  "/$defs/repatriation_decision_message",
                  "/gw/kh/v1/repatriation-decisions", Decision(), Decision());
  gw::v1::RepatriationRecord rejected = Decision();
  rejected.set_state(gw::v1::RepatriationRecord::REJECTED);
  rejected.mutable_history(0)->set_to_state(
      gw::v1::RepatriationRecord::REJECTED);
  // No handover goes with another state (§4.4)...
  absl::StatusOr<PartnerMessage> sent =
      Encode(kRepatriationRecordPayloadType, rejected);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_FALSE(absl::StrContains(sent->bytes, "handover"));
  // ...so it comes back without the proposed handover.
  gw::v1::RepatriationRecord want = rejected;
  want.mutable_request()->clear_proposed_handover();
  ExpectRoundTrip(kRepatriationRecordPayloadType,
                  "/$defs/repatriation_decision_message",
                  "/gw/kh/v1/repatriation-decisions", rejected, want);
}

TEST_F(KhCnpEncodeTest, CaseStatusRoundTrips) {
  ExpectRoundTrip(kCaseStatusPayloadType, "/$defs/case_status_message",
                  "/gw/kh/v1/case-status", Status(), Status());
}

TEST_F(KhCnpEncodeTest, DecisionTakesTheLatestHistoryEntry) {
  gw::v1::RepatriationRecord record = Decision();
  gw::v1::RepatriationEvent older = record.history(0);
  older.set_actor_agency("CN-MFA");
  const gw::v1::RepatriationEvent latest = record.history(0);
  record.clear_history();
  *record.add_history() = older;
  *record.add_history() = latest;
  absl::StatusOr<PartnerMessage> sent =
      Encode(kRepatriationRecordPayloadType, record);
  ASSERT_TRUE(sent.ok()) << sent.status();
  const Json body = Json::parse(sent->bytes);
  EXPECT_EQ(body["repatriation_decision"]["decided_by"], "CN-MPS");
  EXPECT_EQ(body["repatriation_decision"]["decided_at"],
            "2026-03-20T06:00:00Z");
  EXPECT_EQ(body["repatriation_decision"]["handover"]["date"], "2026-04-09");
}

TEST_F(KhCnpEncodeTest, CaseStatusNoteFallsBackToTheLatestHistoryEntry) {
  gw::v1::CaseStatus status = Status();
  status.clear_note();
  AddText(status.add_history()->mutable_note(), "en", "older");
  AddText(status.add_history()->mutable_note(), "en", "latest");
  absl::StatusOr<PartnerMessage> sent = Encode(kCaseStatusPayloadType, status);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(Json::parse(sent->bytes)["case_status"]["note"],
            Json::parse(R"([{"lang":"en","text":"latest"}])"));
}

// ---- Names (§5.2) and text (§5.1) ------------------------------------------

TEST_F(KhCnpEncodeTest, KhmerOnlyPersonGetsAGeneratedLatinEntry) {
  gw::v1::CaseAlert alert = ExampleAlert();
  gw::v1::Person* person = alert.mutable_subjects(0)->mutable_person();
  person->mutable_names()->DeleteSubrange(1, 1);  // the Latn entry
  absl::StatusOr<PartnerMessage> sent = Encode(kCaseAlertPayloadType, alert);
  ASSERT_TRUE(sent.ok()) << sent.status();
  ExpectValid(*sent, "/$defs/alert_message");
  const Json names =
      Json::parse(sent->bytes)["alert"]["subjects"][0]["person"]["names"];
  EXPECT_EQ(names, Json::parse(R"([
      {"script":"Khmr","family":"សាកល្បង","given":"ស្រីពៅ",
       "full":"សាកល្បង ស្រីពៅ"},
      {"script":"Latn","family":"SAKALBANG","given":"Sreipou",
       "full":"SAKALBANG Sreipou"}])"));
  // KH-CNP reads both entries.
  gw::v1::CaseAlert want = alert;
  AddName(want.mutable_subjects(0)->mutable_person(), "Latn", "SAKALBANG",
          "Sreipou", "SAKALBANG Sreipou");
  ExpectRoundTrip(kCaseAlertPayloadType, "/$defs/alert_message",
                  "/gw/kh/v1/alerts", alert, want);
}

TEST_F(KhCnpEncodeTest, KhmerFullNameOnlyIsRomanizedFamilyFirst) {
  gw::v1::CaseAlert alert = ExampleAlert();
  gw::v1::Person* person = alert.mutable_subjects(0)->mutable_person();
  person->clear_names();
  AddName(person, "Khmr", "", "", "សុខ ដារា");
  absl::StatusOr<PartnerMessage> sent = Encode(kCaseAlertPayloadType, alert);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(
      Json::parse(sent->bytes)["alert"]["subjects"][0]["person"]["names"][1],
      Json::parse(R"({"script":"Latn","full":"SOKH Darea"})"));
}

TEST_F(KhCnpEncodeTest, NoLatinEntryIsGeneratedWhenNotWanted) {
  // Already a Latn entry (in another position): nothing added.
  gw::v1::CaseAlert alert = ExampleAlert();
  gw::v1::Person* person = alert.mutable_subjects(0)->mutable_person();
  person->mutable_names()->SwapElements(0, 1);
  absl::StatusOr<PartnerMessage> sent = Encode(kCaseAlertPayloadType, alert);
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(Json::parse(sent->bytes)["alert"]["subjects"][0]["person"]["names"]
                .size(),
            2u);
  // Ten entries already (§9): nothing added, the body stays valid.
  person->clear_names();
  AddName(person, "Khmr", "សុខ", "ដារា", "");
  for (int i = 0; i < 9; ++i) AddName(person, "Hani", "", "", "测试");
  sent = Encode(kCaseAlertPayloadType, alert);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(Json::parse(sent->bytes)["alert"]["subjects"][0]["person"]["names"]
                .size(),
            10u);
  // A Khmer entry with a Latin letter in it cannot be romanized: sent as
  // it is.
  person->clear_names();
  AddName(person, "Khmr", "សុខA", "", "");
  sent = Encode(kCaseAlertPayloadType, alert);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(Json::parse(sent->bytes)["alert"]["subjects"][0]["person"]["names"]
                .size(),
            1u);
}

TEST_F(KhCnpEncodeTest, OutboundTextIsNfcAndNamesLoseZeroWidthMarks) {
  gw::v1::CaseAlert alert = ExampleAlert();
  gw::v1::Person* person = alert.mutable_subjects(0)->mutable_person();
  person->mutable_names(0)->set_family(absl::StrCat("សាក", kZwsp, "ល្បង"));
  person->mutable_names(1)->set_given("Sre\xCC\x81y Pov");  // NFD é
  alert.mutable_narrative(0)->set_text("Cafe\xCC\x81.");
  absl::StatusOr<PartnerMessage> sent = Encode(kCaseAlertPayloadType, alert);
  ASSERT_TRUE(sent.ok()) << sent.status();
  const Json body = Json::parse(sent->bytes);
  const Json& names = body["alert"]["subjects"][0]["person"]["names"];
  EXPECT_EQ(names[0]["family"], "សាកល្បង");
  EXPECT_EQ(names[1]["given"], "Sr\xC3\xA9y Pov");
  EXPECT_EQ(body["alert"]["narrative"][0]["text"], "Caf\xC3\xA9.");
  // KH-CNP finds nothing to normalize.
  absl::StatusOr<InboundMessage> in = PartnerDecodes(*sent, "/gw/kh/v1/alerts");
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_TRUE(in->warnings.empty());
}

TEST_F(KhCnpEncodeTest, TimestampsAreUtcWholeSeconds) {
  gw::v1::CaseAlert alert = ExampleAlert();
  alert.mutable_created_at()->set_nanos(999999999);
  absl::StatusOr<PartnerMessage> sent = Encode(kCaseAlertPayloadType, alert);
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(Json::parse(sent->bytes)["alert"]["created_at"],
            "2026-03-14T02:30:00Z");
}

// ---- Attachments (§4.1, §9) ------------------------------------------------

TEST_F(KhCnpEncodeTest, AttachmentsFollowTheInclusionRule) {
  gw::v1::CaseAlert alert = ExampleAlert();
  const std::string a(3 * 1024 * 1024, 'a');  // base64: 4 MiB
  const std::string b(5 * 1024 * 1024, 'b');  // base64: 6.7 MiB, no room
  const std::string c(1024 * 1024, 'c');      // base64: 1.3 MiB, fits
  *alert.add_attachments() = Attachment("a.jpg", a);
  *alert.add_attachments() = Attachment("b.jpg", b);
  *alert.add_attachments() = Attachment("c.jpg", c);
  absl::StatusOr<PartnerMessage> sent = Encode(kCaseAlertPayloadType, alert);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_LE(sent->bytes.size(), 8u * 1024 * 1024);
  ExpectValid(*sent, "/$defs/alert_message");
  const Json attachments = Json::parse(sent->bytes)["alert"]["attachments"];
  ASSERT_EQ(attachments.size(), 3u);
  EXPECT_TRUE(attachments[0].contains("content"));
  EXPECT_FALSE(attachments[1].contains("content"));
  EXPECT_TRUE(attachments[2].contains("content"));
  EXPECT_EQ(attachments[1]["size"], b.size());
  EXPECT_EQ(attachments[1]["sha256"], crypto::Sha256Hex(b));

  // KH-CNP gets the included ones; the other is described only (gw.v1 has
  // no size to carry it).
  gw::v1::CaseAlert want = alert;
  want.mutable_attachments(1)->clear_content();
  ExpectRoundTrip(kCaseAlertPayloadType, "/$defs/alert_message",
                  "/gw/kh/v1/alerts", alert, want);
}

TEST_F(KhCnpEncodeTest, InclusionRuleIsExactAtTheLimit) {
  constexpr size_t kLimit = 8 * 1024 * 1024;
  // Content whose base64 leaves about 10,000 bytes for the rest.
  const std::string content(3 * ((kLimit - 11000) / 4), 'x');
  const size_t base64 = 4 * content.size() / 3;
  gw::v1::CaseAlert alert = ExampleAlert();
  *alert.add_attachments() = Attachment("x.bin", content);
  absl::StatusOr<PartnerMessage> sent = Encode(kCaseAlertPayloadType, alert);
  ASSERT_TRUE(sent.ok()) << sent.status();
  const bool had =
      Json::parse(sent->bytes)["alert"]["attachments"][0].contains("content");
  const size_t described = sent->bytes.size() - (had ? base64 + 13 : 0);
  // `"content":"<base64>",` is 13 bytes more than the base64.
  const size_t room = kLimit - base64 - 13;
  ASSERT_LT(described, room);
  ASSERT_LT(room - described, 19000u);
  // Lengthen a narrative text until the content fits exactly.
  alert.mutable_narrative(0)->mutable_text()->append(room - described, '.');
  sent = Encode(kCaseAlertPayloadType, alert);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->bytes.size(), kLimit);
  EXPECT_TRUE(
      Json::parse(sent->bytes)["alert"]["attachments"][0].contains("content"));
  // One byte more and it is described only.
  alert.mutable_narrative(0)->mutable_text()->append(".");
  sent = Encode(kCaseAlertPayloadType, alert);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->bytes.size(), room + 1);
  EXPECT_FALSE(
      Json::parse(sent->bytes)["alert"]["attachments"][0].contains("content"));
}

TEST_F(KhCnpEncodeTest, AttachmentDigestMustMatchItsContent) {
  gw::v1::CaseAlert alert = ExampleAlert();
  *alert.add_attachments() = Attachment("a.jpg", "content");
  alert.mutable_attachments(0)->set_sha256(crypto::Sha256Hex("other"));
  absl::StatusOr<PartnerMessage> sent = Encode(kCaseAlertPayloadType, alert);
  EXPECT_EQ(sent.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      absl::StartsWith(sent.status().message(), "alert.attachments[0].sha256:"))
      << sent.status();
}

// ---- Refusals name the canonical field --------------------------------------

TEST_F(KhCnpEncodeTest, IdentifierOutsideTheCommonRuleIsNotRepresentable) {
  gw::v1::CaseAlert alert = ExampleAlert();
  alert.set_alert_id("ALERT 732");
  absl::StatusOr<PartnerMessage> sent = Encode(kCaseAlertPayloadType, alert);
  EXPECT_EQ(sent.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(sent.status().message(),
                               "ID_NOT_REPRESENTABLE alert.alert_id:"))
      << sent.status();
  EXPECT_EQ(ingest::ReasonOf(sent.status()), "ID_NOT_REPRESENTABLE");
  gw::v1::RepatriationRecord record = Decision();
  record.mutable_request()->set_request_id(std::string(65, 'A'));
  sent = Encode(kRepatriationRecordPayloadType, record);
  EXPECT_TRUE(
      absl::StartsWith(sent.status().message(),
                       "ID_NOT_REPRESENTABLE record.request.request_id"))
      << sent.status();
}

TEST_F(KhCnpEncodeTest, SchemaBreachesNameTheCanonicalField) {
  struct Case {
    const char* what;
    std::function<void(gw::v1::CaseAlert*)> change;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"impossible month",
       [](gw::v1::CaseAlert* a) {
         a->mutable_subjects(0)->mutable_person()->set_date_of_birth(
             "2011-13-05");
       },
       "alert.subjects[0].person.date_of_birth: "},
      {"impossible day",
       [](gw::v1::CaseAlert* a) {
         a->mutable_subjects(0)->mutable_person()->set_date_of_birth(
             "2026-02-30");
       },
       "alert.subjects[0].person.date_of_birth: "},
      {"name with a leading space",
       [](gw::v1::CaseAlert* a) {
         a->mutable_subjects(0)->mutable_person()->mutable_names(1)->set_given(
             " Srey");
       },
       "alert.subjects[0].person.names[1].given: "},
      {"no kind",
       [](gw::v1::CaseAlert* a) {
         a->set_kind(gw::v1::CaseAlert::KIND_UNSPECIFIED);
       },
       "alert.kind: "},
      {"bad recipient", [](gw::v1::CaseAlert* a) { a->add_recipients("kh"); },
       "alert.recipients[1]: "},
      {"person without names",
       [](gw::v1::CaseAlert* a) {
         a->mutable_subjects(0)->mutable_person()->clear_names();
       },
       "alert.subjects[0].person.names: "},
      {"attachment without a media type",
       [](gw::v1::CaseAlert* a) {
         *a->add_attachments() = Attachment("x.bin", "x");
         a->mutable_attachments(0)->clear_media_type();
       },
       "alert.attachments[0].media_type: "},
      {"no created_at", [](gw::v1::CaseAlert* a) { a->clear_created_at(); },
       "alert.created_at: "},
  };
  for (const Case& c : cases) {
    gw::v1::CaseAlert alert = ExampleAlert();
    c.change(&alert);
    absl::StatusOr<PartnerMessage> sent = Encode(kCaseAlertPayloadType, alert);
    EXPECT_EQ(sent.status().code(), absl::StatusCode::kInvalidArgument)
        << c.what;
    EXPECT_TRUE(absl::StartsWith(sent.status().message(), c.field))
        << c.what << ": " << sent.status();
    // Never the value.
    EXPECT_FALSE(absl::StrContains(sent.status().message(), "2011-13-05"));
  }
}

TEST_F(KhCnpEncodeTest, DecisionAndStatusBreachesNameTheCanonicalField) {
  gw::v1::RepatriationRecord record = Decision();
  record.mutable_request()->clear_proposed_handover();
  auto sent = Encode(kRepatriationRecordPayloadType, record);
  EXPECT_TRUE(absl::StartsWith(sent.status().message(),
                               "record.request.proposed_handover: "))
      << sent.status();
  record = Decision();
  record.mutable_history(0)->set_actor_agency("kh");
  sent = Encode(kRepatriationRecordPayloadType, record);
  EXPECT_TRUE(absl::StartsWith(sent.status().message(),
                               "record.history[0].actor_agency: "))
      << sent.status();
  record = Decision();
  record.clear_history();
  sent = Encode(kRepatriationRecordPayloadType, record);
  EXPECT_TRUE(absl::StartsWith(sent.status().message(), "record.history: "))
      << sent.status();
  gw::v1::CaseStatus status = Status();
  status.add_shared_with("KH-CNP");  // twice
  sent = Encode(kCaseStatusPayloadType, status);
  EXPECT_TRUE(
      absl::StartsWith(sent.status().message(), "case_status.shared_with"))
      << sent.status();
  status = Status();
  status.clear_note();
  AddText(status.add_history()->mutable_note(), "", "no language");
  sent = Encode(kCaseStatusPayloadType, status);
  EXPECT_TRUE(absl::StartsWith(sent.status().message(),
                               "case_status.history[0].note[0]"))
      << sent.status();
}

TEST_F(KhCnpEncodeTest, MessagesThisLinkCannotCarry) {
  absl::StatusOr<PartnerMessage> sent = gateway_->Encode(
      Outbound(kMessageId, kCaseAlertPayloadType, ExampleAlert(), "VN-MPS"));
  EXPECT_TRUE(absl::StartsWith(sent.status().message(), "recipient:"));
  sent = gateway_->Encode(
      Outbound("not-a-uuid", kCaseAlertPayloadType, ExampleAlert()));
  EXPECT_TRUE(absl::StartsWith(sent.status().message(), "message_id:"));
  sent = gateway_->Encode(Outbound(
      kMessageId, "application/vnd.gw.v1.Receipt+proto", ExampleAlert()));
  EXPECT_TRUE(
      absl::StartsWith(sent.status().message(), "envelope.payload_type:"));
  OutboundMessage garbage =
      Outbound(kMessageId, kCaseAlertPayloadType, ExampleAlert());
  garbage.envelope.set_payload("\xFF\xFF\xFF");
  sent = gateway_->Encode(garbage);
  EXPECT_EQ(sent.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(sent.status().message(), "envelope.payload:"));
}

TEST_F(KhCnpEncodeTest, BodyOver8MiBWithoutAttachmentsIsRefused) {
  gw::v1::CaseAlert alert = ExampleAlert();
  // 100 and 200 characters of three bytes each, the longest names allow.
  std::string long_name, long_full;
  for (int i = 0; i < 100; ++i) long_name += "测";
  long_full = long_name + long_name;
  alert.clear_subjects();
  for (int i = 0; i < 999; ++i) {
    gw::v1::Subject* subject = alert.add_subjects();
    subject->set_role(gw::v1::Subject::WITNESS);
    gw::v1::Person* person = subject->mutable_person();
    person->set_sex(gw::v1::Person::UNKNOWN);
    for (int n = 0; n < 10; ++n) {
      AddName(person, "Latn", long_name.c_str(), long_name.c_str(),
              long_full.c_str());
    }
  }
  absl::StatusOr<PartnerMessage> sent = Encode(kCaseAlertPayloadType, alert);
  EXPECT_EQ(sent.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(sent.status().message(), "KH-CNP.md §9"))
      << sent.status();
}

}  // namespace
}  // namespace gw::kh_cnp
