// tests/unit/adapters/th_rtp/th_rtp_examples.cc
//
// See th_rtp_examples.h. The canonical messages transcribe the
// field-by-field decodings in the examples' .hex.txt files.
#include "tests/unit/adapters/th_rtp/th_rtp_examples.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/th_rtp/frame.h"
#include "gateway/util/proto_time.h"
#include "gtest/gtest.h"
#include "tests/support/rfc8032_keys.h"

namespace gw::th_rtp::testing {

std::string ReadExample(absl::string_view name) {
  const std::string path =
      absl::StrCat(GW_PARTNER_EXAMPLES_DIR, "/TH-RTP/", name);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

absl::string_view BodyOf(absl::string_view frame) { return frame.substr(4); }

std::string_view StdBodyOf(absl::string_view frame) {
  return std::string_view(frame.data() + 4, frame.size() - 4);
}

absl::Time Utc(absl::string_view rfc3339) {
  absl::Time t;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error))
      << error;
  return t;
}

namespace {

google::protobuf::Timestamp Ts(absl::string_view rfc3339) {
  return util::ToTimestamp(Utc(rfc3339));
}

void Name(gw::v1::Person* person, absl::string_view script,
          absl::string_view family, absl::string_view given,
          absl::string_view full) {
  gw::v1::PersonName* name = person->add_names();
  name->set_script(std::string(script));
  name->set_family(std::string(family));
  name->set_given(std::string(given));
  name->set_full(std::string(full));
}

void Text(google::protobuf::RepeatedPtrField<gw::v1::LanguageText>* texts,
          absl::string_view lang, absl::string_view text) {
  gw::v1::LanguageText* t = texts->Add();
  t->set_lang(std::string(lang));
  t->set_text(std::string(text));
}

}  // namespace

gw::v1::CaseAlert ExampleAlert() {
  gw::v1::CaseAlert alert;
  alert.set_alert_id("CNMPS-ALERT-2026-000731");
  alert.set_case_ref("CN-YN-XSBN-2026-0042");
  alert.set_kind(gw::v1::CaseAlert::MISSING_PERSON);
  alert.set_priority(gw::v1::CaseAlert::URGENT);
  alert.set_handling_code(gw::v1::CaseAlert::H2);
  alert.set_origin_agency("CN-MPS");
  alert.set_originator("yn-xsbn-inv-0107");
  alert.add_recipients("TH-RTP");
  *alert.mutable_created_at() = Ts("2026-03-14T02:30:00Z");
  gw::v1::LastSeen* seen = alert.mutable_last_seen();
  *seen->mutable_at() = Ts("2026-03-10T09:15:00Z");
  seen->set_place("Jinghong long-distance bus station, Xishuangbanna, Yunnan");
  seen->set_country("CHN");

  gw::v1::Subject* victim = alert.add_subjects();
  victim->set_role(gw::v1::Subject::VICTIM);
  gw::v1::Person* girl = victim->mutable_person();
  Name(girl, "Thai", "ทดสอบ", "มาลี", "มาลี ทดสอบ");
  Name(girl, "Latn", "THOTSOP", "Malee", "Malee THOTSOP");
  girl->set_sex(gw::v1::Person::FEMALE);
  girl->set_date_of_birth("2011-08-05");
  girl->set_age_estimate(14);
  girl->set_nationality("THA");
  gw::v1::IdentityDocument* passport = girl->add_documents();
  passport->set_type("PASSPORT");
  passport->set_number("AA0000001");
  passport->set_issuing_state("THA");
  passport->set_expiry("2029-07-31");
  passport->add_mrz("P<THATHOTSOP<<MALEE<<<<<<<<<<<<<<<<<<<<<<<<<");
  passport->add_mrz("AA00000011THA1108051F2907310<<<<<<<<<<<<<<00");

  gw::v1::Subject* suspect = alert.add_subjects();
  suspect->set_role(gw::v1::Subject::SUSPECT);
  gw::v1::Person* man = suspect->mutable_person();
  Name(man, "Hani", "测试", "强", "测试强");
  Name(man, "Latn", "CESHI", "Qiang", "CESHI Qiang");
  man->set_sex(gw::v1::Person::MALE);
  man->set_date_of_birth("1986");
  man->set_age_estimate(40);
  man->set_nationality("CHN");

  Text(alert.mutable_narrative(), "en",
       "FICTIONAL TEST RECORD. Girl aged 14 left Jinghong by bus with an "
       "adult male on 10 March 2026; believed to be heading south towards "
       "the border.");
  Text(alert.mutable_narrative(), "zh",
       "虚构测试记录。14岁女孩于2026年3月10日与一名成年男子乘大巴离开景洪，"
       "据信正向南前往边境。");
  return alert;
}

gw::v1::CaseStatus ExampleStatus() {
  gw::v1::CaseStatus status;
  status.set_case_ref("CN-YN-XSBN-2026-0099");
  status.set_owner_agency("CN-MPS");
  status.set_state(gw::v1::CaseStatus::VICTIM_LOCATED);
  *status.mutable_updated_at() = Ts("2026-03-15T01:00:00Z");
  status.add_shared_with("TH-RTP");
  Text(status.mutable_note(), "en",
       "FICTIONAL TEST RECORD. Victim located in Mengla county.");
  return status;
}

gw::v1::RepatriationRequest ExampleRequest() {
  gw::v1::RepatriationRequest request;
  request.set_request_id("RTP-RQ-2569-000058");
  request.set_case_ref("RTP-CASE-2569-0113");
  request.set_requesting_agency("TH-RTP");
  request.set_receiving_agency("CN-MPS");
  request.set_identity_verified(true);
  request.set_nationality_verified(false);
  *request.mutable_created_at() = Ts("2026-03-14T03:05:00Z");
  gw::v1::Person* victim = request.mutable_victim();
  Name(victim, "Latn", "CESHI", "Hua", "CESHI Hua");
  victim->set_sex(gw::v1::Person::FEMALE);
  victim->set_date_of_birth("2010-11-20");
  victim->set_age_estimate(15);
  victim->set_nationality("CHN");
  gw::v1::IdentityDocument* travel = request.mutable_travel_document();
  travel->set_type("PASSPORT");
  travel->set_number("E00000001");
  travel->set_issuing_state("CHN");
  travel->set_expiry("2030-05-31");
  travel->add_mrz("P<CHNCESHI<<HUA<<<<<<<<<<<<<<<<<<<<<<<<<<<<<");
  travel->add_mrz("E000000019CHN1011201F3005316<<<<<<<<<<<<<<08");
  gw::v1::Guardian* guardian = request.mutable_guardian();
  guardian->set_tracing_result(gw::v1::Guardian::IN_PROGRESS);
  Text(guardian->mutable_notes(), "en",
       "Mother reported to live in Yunnan; family tracing requested from "
       "CN-MPS.");
  gw::v1::BestInterestsAssessment* bia =
      request.mutable_best_interests_assessment();
  bia->set_outcome(gw::v1::BestInterestsAssessment::RETURN);
  bia->set_completed_on("2026-03-12");
  Text(bia->mutable_summary(), "th", "เด็กประสงค์จะกลับไปหาครอบครัว");
  Text(bia->mutable_summary(), "en",
       "The child wishes to return to her family.");
  request.mutable_proposed_handover()->set_border_point(
      "Suvarnabhumi Airport (BKK)");
  request.mutable_proposed_handover()->set_date("2026-04-02");
  return request;
}

adapters::OutboundMessage Outbound(absl::string_view message_id,
                                   absl::string_view payload_type,
                                   const google::protobuf::Message& payload,
                                   absl::string_view recipient) {
  adapters::OutboundMessage out;
  out.message_id = std::string(message_id);
  out.recipient = std::string(recipient);
  out.envelope.set_payload_type(std::string(payload_type));
  out.envelope.set_payload(payload.SerializeAsString());
  return out;
}

namespace {
// The id of control frames when a test does not care.
constexpr char kAnyId[] = "00000000-0000-4000-8000-000000000001";
}  // namespace

Link::Link()
    : gateway_key_(gw::testing::Rfc8032Signer(1)),
      partner_key_(gw::testing::Rfc8032Signer(2)),
      gateway_verifier_(gw::testing::Rfc8032Verifier(1)),
      partner_verifier_(gw::testing::Rfc8032Verifier(2)) {}

Link::~Link() = default;

std::unique_ptr<ThRtpCodec> Link::Gateway(absl::Time now,
                                          std::string id) const {
  return std::make_unique<ThRtpCodec>(
      "CN-MPS", "TH-RTP", gateway_key_.get(),
      std::vector<const crypto::Verifier*>{partner_verifier_.get()},
      [now] { return now; }, [id] { return id.empty() ? kAnyId : id; });
}

std::unique_ptr<ThRtpCodec> Link::Partner(
    absl::Time now, std::string id, ThRtpCodec::PartnerRef partner_ref) const {
  return std::make_unique<ThRtpCodec>(
      "TH-RTP", "CN-MPS", partner_key_.get(),
      std::vector<const crypto::Verifier*>{gateway_verifier_.get()},
      [now] { return now; }, [id] { return id.empty() ? kAnyId : id; },
      std::move(partner_ref));
}

std::vector<std::string> RecordsOf(absl::string_view frame) {
  ParsedFrame parsed;
  const absl::string_view body = frame.substr(4);
  EXPECT_FALSE(ParseBody(body, &parsed).has_value());
  std::vector<std::string> out;
  for (size_t i = 0; i + 1 < parsed.records.size(); ++i) {
    out.emplace_back(parsed.records[i].bytes());
  }
  return out;
}

void Patch(std::string* record, RecordType type, absl::string_view field,
           absl::string_view raw) {
  const FieldSpec* f = Spec(type).Find(field);
  ASSERT_NE(f, nullptr) << field;
  ASSERT_LE(raw.size(), f->length) << field;
  std::string value(raw);
  value.resize(f->length, ' ');
  record->replace(f->offset, f->length, value);
}

std::string Seal(const std::vector<std::string>& records,
                 const crypto::Signer& key) {
  absl::StatusOr<std::string> frame = SealFrame(records, key);
  EXPECT_TRUE(frame.ok()) << frame.status();
  return frame.ok() ? *frame : std::string();
}

std::string Resign(std::string frame, const crypto::Signer& key) {
  const size_t signed_end = frame.size() - kSignatureBytes;
  absl::StatusOr<std::string> sig =
      key.Sign(absl::string_view(frame).substr(4, signed_end - 4));
  EXPECT_TRUE(sig.ok()) << sig.status();
  frame.replace(signed_end, kSignatureBytes, *sig);
  return frame;
}

}  // namespace gw::th_rtp::testing
