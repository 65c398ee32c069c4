// tests/unit/adapters/mm_mpf/zawgyi_fields_test.cc
//
// MM-MPF.md §5.3-§5.7 on whole messages: the §10 inbound examples must come
// out exactly as the stored *.converted.json (text and text_conversions)
// with the receipt warnings of receipt-outbound.json; Unicode is never
// touched; the context rule, the uncertain flag, the canonical paths of
// every examined field and the outbound warnings.
#include "adapters/mm_mpf/zawgyi_fields.h"

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/text/zawgyi.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/file.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/repatriation.pb.h"
#include "nlohmann/json.hpp"

namespace gw::mm_mpf {
namespace {

using google::protobuf::util::MessageDifferencer;

// Zawgyi strings of the examples and their Unicode (§10 table).
constexpr char kZawgyiSentence[] = "ကေလးသည္ မိသားစုထံ ျပန္လိုသည္။";
constexpr char kUnicodeSentence[] = "ကလေးသည် မိသားစုထံ ပြန်လိုသည်။";
constexpr char kZawgyiName[] = "ေမစမ္းသပ္";
constexpr char kUnicodeName[] = "မေစမ်းသပ်";
constexpr char kZawgyiBorder[] = "မူဆယ္-ေရႊလီ";
constexpr char kUnicodeBorder[] = "မူဆယ်-ရွှေလီ";
// "Human trafficking" in Zawgyi and Unicode: a string the detector cannot
// decide alone (checked where used), for the context rule.
constexpr char kZawgyiUndecided[] = "လူကုန္ကူးမႈ";
constexpr char kUnicodeUndecided[] = "လူကုန်ကူးမှု";

std::string ExamplePath(absl::string_view name) {
  return absl::StrCat(GW_PARTNER_EXAMPLES_DIR, "/MM-MPF/", name);
}

nlohmann::json ReadJson(absl::string_view name) {
  const absl::StatusOr<std::string> text = util::ReadFile(ExamplePath(name));
  EXPECT_TRUE(text.ok()) << text.status();
  if (!text.ok()) return nlohmann::json();
  return nlohmann::json::parse(*text);
}

// `payload_decoded` of an example: the proto3 JSON mapping with the
// original field names. Every name in the examples exists in gw.v1, so
// unknown fields are an error, not silently dropped.
template <typename T>
T ReadPayload(absl::string_view name) {
  const nlohmann::json example = ReadJson(name);
  T message;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      example.at("payload_decoded").dump(), &message, options);
  EXPECT_TRUE(status.ok()) << name << ": " << status.ToString();
  return message;
}

std::string Diff(const google::protobuf::Message& got,
                 const google::protobuf::Message& want) {
  std::string report;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&report);
  differencer.Compare(got, want);
  return report;
}

std::vector<std::string> Describe(
    const std::vector<gw::v1::ReceiptWarning>& warnings) {
  std::vector<std::string> out;
  for (const auto& w : warnings) out.push_back(w.code() + " " + w.field());
  return out;
}

std::string Bytes(const google::protobuf::Message& message) {
  std::string out;
  EXPECT_TRUE(message.SerializeToString(&out));
  return out;
}

double Round6(double p) { return std::round(p * 1e6) / 1e6; }

double P(const std::string& text) {
  return text::ZawgyiDetector::Default().Probability(text);
}

void AddName(gw::v1::Person* person, const std::string& script,
             const std::string& name) {
  gw::v1::PersonName* entry = person->add_names();
  entry->set_script(script);
  entry->set_given(name);  // §5.9: Burmese names have no family name
  entry->set_full(name);
}

TEST(ZawgyiExamplesTest, JsonExamplesParseWithTheProtoFieldNames) {
  // The as-received and converted examples use only gw.v1 field names.
  ReadPayload<gw::v1::CaseAlert>("alert-inbound.as-received.json");
  ReadPayload<gw::v1::CaseAlert>("alert-inbound.converted.json");
  ReadPayload<gw::v1::CaseAlert>("alert-outbound.json");
  ReadPayload<gw::v1::RepatriationRequest>(
      "repatriation-request-inbound.as-received.json");
  ReadPayload<gw::v1::RepatriationRequest>(
      "repatriation-request-inbound.converted.json");
}

TEST(ZawgyiExamplesTest, AlertComesOutAsTheStoredConvertedAlert) {
  gw::v1::CaseAlert alert =
      ReadPayload<gw::v1::CaseAlert>("alert-inbound.as-received.json");
  const gw::v1::CaseAlert want =
      ReadPayload<gw::v1::CaseAlert>("alert-inbound.converted.json");
  ASSERT_EQ(want.text_conversions_size(), 6);
  const gw::v1::PersonName witness = alert.subjects(2).person().names(0);

  const absl::StatusOr<ZawgyiReport> report = ConvertInboundZawgyi(&alert);
  ASSERT_TRUE(report.ok()) << report.status();

  EXPECT_TRUE(MessageDifferencer::Equals(alert, want)) << Diff(alert, want);
  ASSERT_EQ(report->conversions.size(), 6u);
  for (int i = 0; i < 6; ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(report->conversions[i],
                                           want.text_conversions(i)))
        << Diff(report->conversions[i], want.text_conversions(i));
  }
  // The Unicode witness name (p = 8.8e-08 in §10) is left as typed.
  EXPECT_TRUE(
      MessageDifferencer::Equals(alert.subjects(2).person().names(0), witness));
  EXPECT_LE(P(witness.given()), text::kZawgyiUnicodeAt);
  EXPECT_EQ(Describe(report->warnings),
            (std::vector<std::string>{
                "ZAWGYI_CONVERTED subjects[0].person.names[0].given",
                "ZAWGYI_CONVERTED subjects[0].person.names[0].full",
                "ZAWGYI_CONVERTED subjects[1].person.names[0].given",
                "ZAWGYI_CONVERTED subjects[1].person.names[0].full",
                "ZAWGYI_CONVERTED last_seen.place",
                "ZAWGYI_CONVERTED narrative[0].text",
            }));
  EXPECT_EQ(Round6(report->message_probability), 1.0);
}

TEST(ZawgyiExamplesTest, RequestComesOutAsStoredWithTheReceiptWarnings) {
  gw::v1::RepatriationRequest request =
      ReadPayload<gw::v1::RepatriationRequest>(
          "repatriation-request-inbound.as-received.json");
  const gw::v1::RepatriationRequest want =
      ReadPayload<gw::v1::RepatriationRequest>(
          "repatriation-request-inbound.converted.json");

  const absl::StatusOr<ZawgyiReport> report = ConvertInboundZawgyi(&request);
  ASSERT_TRUE(report.ok()) << report.status();

  EXPECT_TRUE(MessageDifferencer::Equals(request, want)) << Diff(request, want);
  ASSERT_EQ(report->conversions.size(),
            static_cast<size_t>(want.text_conversions_size()));
  for (size_t i = 0; i < report->conversions.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(report->conversions[i],
                                           want.text_conversions(i)));
  }
  // receipt-outbound.json is CN-MPS's receipt for this very request.
  const nlohmann::json receipt = ReadJson("receipt-outbound.json");
  std::vector<std::string> want_warnings;
  for (const auto& w : receipt.at("receipt").at("warnings")) {
    want_warnings.push_back(w.at("code").get<std::string>() + " " +
                            w.at("field").get<std::string>());
  }
  ASSERT_EQ(want_warnings.size(), 2u);
  EXPECT_EQ(Describe(report->warnings), want_warnings);
}

// A message whose every examined string is Unicode Burmese (the Unicode
// side of each §5.8 pair, mixed Latin and Burmese, a Unicode name) comes
// out byte for byte as it went in.
TEST(ZawgyiUnicodeTest, UnicodeTextIsNeverChanged) {
  const std::vector<std::string> unicode = {
      "အပြည်ပြည်ဆိုင်ရာ လူ့အခွင့်အရေး ကြေညာစာတမ်း",
      "မြန်မာ ",
      "မောင်မောင်ဝ",
      kUnicodeName,
      kUnicodeSentence,
      kUnicodeBorder,
      "Muse (မူဆယ်), Shan State",
      "Bus ticket 12 မတ်လ 2026 / ရန်ကုန် → မူဆယ်",
      "ခင်စမ်းသပ်",
  };
  gw::v1::CaseAlert alert;
  for (const std::string& s : unicode) {
    AddName(alert.add_subjects()->mutable_person(), "Mymr", s);
    alert.add_narrative()->set_text(s);
    alert.add_attachments()->set_name(s);
  }
  alert.mutable_last_seen()->set_place(unicode[6]);
  gw::v1::RepatriationRequest request;
  for (const std::string& s : unicode) {
    AddName(request.mutable_victim(), "Mymr", s);
    AddName(request.mutable_guardian()->mutable_person(), "Mymr", s);
    request.mutable_guardian()->add_notes()->set_text(s);
    request.mutable_best_interests_assessment()->add_summary()->set_text(s);
  }
  request.mutable_proposed_handover()->set_border_point(unicode[5]);

  for (google::protobuf::Message* message :
       std::vector<google::protobuf::Message*>{&alert, &request}) {
    SCOPED_TRACE(message->GetTypeName());
    const std::string before = Bytes(*message);
    const absl::StatusOr<ZawgyiReport> report = ConvertInboundZawgyi(message);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_EQ(Bytes(*message), before);
    EXPECT_TRUE(report->conversions.empty());
    EXPECT_TRUE(report->warnings.empty()) << Describe(report->warnings)[0];
    EXPECT_LE(report->message_probability, text::kZawgyiUnicodeAt);
  }
}

TEST(ZawgyiUnicodeTest, OutboundExampleIsUnicodeAndUnchanged) {
  gw::v1::CaseAlert alert =
      ReadPayload<gw::v1::CaseAlert>("alert-outbound.json");
  const std::string before = Bytes(alert);
  const absl::StatusOr<ZawgyiReport> inbound = ConvertInboundZawgyi(&alert);
  ASSERT_TRUE(inbound.ok()) << inbound.status();
  EXPECT_EQ(Bytes(alert), before);
  EXPECT_TRUE(inbound->warnings.empty());
  const absl::StatusOr<ZawgyiReport> outbound = DetectOutboundZawgyi(alert);
  ASSERT_TRUE(outbound.ok()) << outbound.status();
  EXPECT_TRUE(outbound->warnings.empty());
}

TEST(ZawgyiUnicodeTest, AbsentSubMessagesAreNotCreated) {
  gw::v1::CaseAlert alert;
  alert.set_alert_id("MPF-ALERT-1");
  alert.add_subjects()->set_role(gw::v1::Subject::VICTIM);  // no person
  const std::string before = Bytes(alert);
  const absl::StatusOr<ZawgyiReport> report = ConvertInboundZawgyi(&alert);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(Bytes(alert), before);
  EXPECT_FALSE(alert.has_last_seen());
  EXPECT_FALSE(alert.subjects(0).has_person());
  EXPECT_EQ(report->message_probability, 0);
}

// §5.4 row 2: a string the detector cannot decide takes the verdict of its
// message.
TEST(ZawgyiDecisionTest, UndecidedFieldIsConvertedWhenTheMessageIsZawgyi) {
  const double p_f = P(kZawgyiUndecided);
  ASSERT_GT(p_f, text::kZawgyiUnicodeAt) << "test premise: model changed";
  ASSERT_LT(p_f, text::kZawgyiConvertAt) << "test premise: model changed";

  gw::v1::CaseAlert alert;
  AddName(alert.add_subjects()->mutable_person(), "Mymr", kZawgyiName);
  alert.mutable_last_seen()->set_place(kZawgyiUndecided);
  alert.add_narrative()->set_text(kZawgyiSentence);
  const double p_m = P(absl::StrCat(kZawgyiName, " ", kZawgyiName, " ",
                                    kZawgyiUndecided, " ", kZawgyiSentence));
  ASSERT_GE(p_m, text::kZawgyiConvertAt);

  const absl::StatusOr<ZawgyiReport> report = ConvertInboundZawgyi(&alert);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_DOUBLE_EQ(report->message_probability, p_m);
  EXPECT_EQ(alert.last_seen().place(), kUnicodeUndecided);
  ASSERT_EQ(alert.text_conversions_size(), 4);
  const gw::v1::TextConversion& place = alert.text_conversions(2);
  EXPECT_EQ(place.field(), "last_seen.place");
  EXPECT_EQ(place.from_encoding(), "Zawgyi");
  EXPECT_EQ(place.transform(), "Zawgyi-my");
  EXPECT_EQ(place.field_probability(), Round6(p_f));
  EXPECT_EQ(place.message_probability(), Round6(p_m));
  EXPECT_EQ(place.original_utf8_sha256(), crypto::Sha256Hex(kZawgyiUndecided));
  EXPECT_EQ(Describe(report->warnings)[2], "ZAWGYI_CONVERTED last_seen.place");
}

// §5.4 row 4: undecided field, undecided or Unicode message.
TEST(ZawgyiDecisionTest, UndecidedFieldIsFlaggedAndKept) {
  gw::v1::CaseAlert alone;
  alone.mutable_last_seen()->set_place(kZawgyiUndecided);
  gw::v1::CaseAlert with_unicode;
  with_unicode.mutable_last_seen()->set_place(kZawgyiUndecided);
  with_unicode.add_narrative()->set_text(kUnicodeSentence);
  ASSERT_LT(P(absl::StrCat(kZawgyiUndecided, " ", kUnicodeSentence)),
            text::kZawgyiConvertAt);

  for (gw::v1::CaseAlert* alert : {&alone, &with_unicode}) {
    const std::string before = Bytes(*alert);
    const absl::StatusOr<ZawgyiReport> report = ConvertInboundZawgyi(alert);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_EQ(Bytes(*alert), before);
    EXPECT_TRUE(report->conversions.empty());
    EXPECT_EQ(Describe(report->warnings),
              std::vector<std::string>{"ZAWGYI_UNCERTAIN last_seen.place"});
  }
}

TEST(ZawgyiPathsTest, EveryRequestFieldHasItsCanonicalPathInPayloadOrder) {
  gw::v1::RepatriationRequest request;
  AddName(request.mutable_victim(), "Latn", "May San Thap");
  AddName(request.mutable_victim(), "Mymr", kZawgyiName);
  gw::v1::Guardian* guardian = request.mutable_guardian();
  guardian->set_relationship("mother");
  AddName(guardian->mutable_person(), "Mymr", "ေက်ာ္စမ္းသပ္");
  // Not a Burmese name's shape (§5.9), but family is examined wherever set.
  guardian->mutable_person()->mutable_names(0)->set_family("ေက်ာ္စမ္းသပ္");
  guardian->add_notes()->set_text("Found in Muse.");
  guardian->add_notes()->set_text(kZawgyiSentence);
  request.mutable_best_interests_assessment()->add_summary()->set_text(
      kZawgyiSentence);
  request.mutable_proposed_handover()->set_border_point(kZawgyiBorder);

  const absl::StatusOr<ZawgyiReport> report = ConvertInboundZawgyi(&request);
  ASSERT_TRUE(report.ok()) << report.status();
  std::vector<std::string> paths;
  for (const auto& w : report->warnings) paths.push_back(w.field());
  EXPECT_EQ(paths, (std::vector<std::string>{
                       "victim.names[1].given",
                       "victim.names[1].full",
                       "guardian.person.names[0].family",
                       "guardian.person.names[0].given",
                       "guardian.person.names[0].full",
                       "guardian.notes[1].text",
                       "best_interests_assessment.summary[0].text",
                       "proposed_handover.border_point",
                   }));
  EXPECT_EQ(request.text_conversions_size(), 8);
  EXPECT_EQ(request.victim().names(1).given(), kUnicodeName);
  EXPECT_EQ(request.victim().names(0).given(), "May San Thap");
  EXPECT_EQ(request.guardian().notes(1).text(), kUnicodeSentence);
  EXPECT_EQ(request.proposed_handover().border_point(), kUnicodeBorder);
}

TEST(ZawgyiPathsTest, AlertAttachmentNamesAreExamined) {
  gw::v1::CaseAlert alert;
  alert.add_attachments()->set_name("photo.jpg");
  alert.add_attachments()->set_name(absl::StrCat(kZawgyiName, ".jpg"));
  const absl::StatusOr<ZawgyiReport> report = ConvertInboundZawgyi(&alert);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(Describe(report->warnings),
            std::vector<std::string>{"ZAWGYI_CONVERTED attachments[1].name"});
  EXPECT_EQ(alert.attachments(1).name(), absl::StrCat(kUnicodeName, ".jpg"));
}

// RepatriationRecord has no text_conversions of its own: they go to the
// request it carries, with paths rooted at the record.
TEST(ZawgyiPathsTest, RecordConversionsGoToItsRequest) {
  gw::v1::RepatriationRecord record;
  record.mutable_request()->mutable_proposed_handover()->set_border_point(
      kZawgyiBorder);
  record.add_history()->add_reason()->set_text("approved");
  record.add_history()->add_reason()->set_text(kZawgyiSentence);

  const absl::StatusOr<ZawgyiReport> report = ConvertInboundZawgyi(&record);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(record.request().proposed_handover().border_point(),
            kUnicodeBorder);
  EXPECT_EQ(record.history(1).reason(0).text(), kUnicodeSentence);
  ASSERT_EQ(record.request().text_conversions_size(), 2);
  EXPECT_EQ(record.request().text_conversions(0).field(),
            "request.proposed_handover.border_point");
  EXPECT_EQ(record.request().text_conversions(1).field(),
            "history[1].reason[0].text");
  EXPECT_EQ(report->conversions.size(), 2u);
}

TEST(ZawgyiPathsTest, RecordWithoutRequestIsConvertedButGainsNoRequest) {
  gw::v1::RepatriationRecord record;
  record.add_history()->add_reason()->set_text(kZawgyiSentence);
  const absl::StatusOr<ZawgyiReport> report = ConvertInboundZawgyi(&record);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(record.has_request());
  EXPECT_EQ(record.history(0).reason(0).text(), kUnicodeSentence);
  ASSERT_EQ(report->conversions.size(), 1u);
  EXPECT_EQ(report->conversions[0].field(), "history[0].reason[0].text");
}

// CaseStatus has no text_conversions: the report is the only record.
TEST(ZawgyiPathsTest, CaseStatusNotesAreConverted) {
  gw::v1::CaseStatus status;
  status.add_history()->add_note()->set_text(kZawgyiSentence);
  status.add_note()->set_text("FICTIONAL TEST RECORD");
  status.add_note()->set_text(kZawgyiBorder);
  const absl::StatusOr<ZawgyiReport> report = ConvertInboundZawgyi(&status);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(status.history(0).note(0).text(), kUnicodeSentence);
  EXPECT_EQ(status.note(1).text(), kUnicodeBorder);
  EXPECT_EQ(
      Describe(report->warnings),
      (std::vector<std::string>{"ZAWGYI_CONVERTED history[0].note[0].text",
                                "ZAWGYI_CONVERTED note[1].text"}));
  ASSERT_EQ(report->conversions.size(), 2u);
  EXPECT_EQ(report->conversions[1].original_utf8_sha256(),
            crypto::Sha256Hex(kZawgyiBorder));
}

TEST(ZawgyiErrorsTest, UnsupportedOrMissingPayloadIsInvalidArgument) {
  gw::v1::Receipt receipt;
  EXPECT_EQ(ConvertInboundZawgyi(&receipt).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DetectOutboundZawgyi(receipt).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ConvertInboundZawgyi(nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ZawgyiOutboundTest, ZawgyiIsReportedButNeverChanged) {
  gw::v1::CaseAlert alert;
  AddName(alert.add_subjects()->mutable_person(), "Mymr", kZawgyiName);
  alert.mutable_last_seen()->set_place(kZawgyiUndecided);
  alert.add_narrative()->set_text(kUnicodeSentence);
  const std::string before = Bytes(alert);
  const absl::StatusOr<ZawgyiReport> report = DetectOutboundZawgyi(alert);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(Bytes(alert), before);
  EXPECT_TRUE(report->conversions.empty());
  // Only p_f >= 0.95 is reported (§5.7); there is no context rule outbound.
  EXPECT_EQ(Describe(report->warnings),
            (std::vector<std::string>{
                "ZAWGYI_SUSPECTED subjects[0].person.names[0].given",
                "ZAWGYI_SUSPECTED subjects[0].person.names[0].full"}));
}

}  // namespace
}  // namespace gw::mm_mpf
