// tests/unit/adapters/la_mps/la_fields_test.cc
//
// The body tables of LA-MPS.md §3.5 and their mapping to gw.v1 (§4):
// every SCHEMA_VIOLATION rule names its field; ordering and index rules;
// the code lists where gw.v1 and the ICD differ; attachment inclusion.
#include "adapters/la_mps/la_fields.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "adapters/la_mps/csv.h"
#include "adapters/la_mps/la_refusal.h"
#include "gateway/crypto/sha256.h"
#include "gateway/ingest/error_reason.h"
#include "gateway/util/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/repatriation.pb.h"

namespace gw::la_mps {
namespace {

using ::testing::HasSubstr;

const absl::Time kCreated = absl::FromUnixSeconds(1773464400);

std::vector<CsvRecord> Body(const std::string& body) {
  auto records = ReadCsv(absl::StrCat("field,value\r\n", body));
  EXPECT_TRUE(records.ok()) << records.status();
  return records.ok() ? *records : std::vector<CsvRecord>();
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> Decode(
    MessageType type, const std::string& body) {
  return DecodeBody(type, Body(body), kCreated);
}

// The SCHEMA_VIOLATION field of a failed decode ("" if it did not fail so).
std::string ViolationField(
    const absl::StatusOr<std::unique_ptr<google::protobuf::Message>>& result) {
  if (result.ok()) return "<decoded>";
  const auto refusal = RefusalOf(result.status());
  if (!refusal.has_value())
    return absl::StrCat("<", result.status().ToString(), ">");
  EXPECT_EQ(refusal->error_code, "SCHEMA_VIOLATION");
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  return refusal->error_field;
}

constexpr char kStatus[] =
    "case_ref,CN-YN-XSBN-2026-0099\r\n"
    "owner_agency,CN-MPS\r\n"
    "state,VICTIM_LOCATED\r\n"
    "updated_at,16/03/2026 08:00:00+07:00\r\n";

TEST(LaFieldsTest, CaseStatusDecodes) {
  auto decoded = Decode(
      MessageType::kCaseStatus,
      absl::StrCat(kStatus,
                   "shared_with.1,LA-MPS\r\nshared_with.2,TH-RTP\r\n"
                   "note.1.lang,lo\r\nnote.1.text,\"ພົບຜູ້ເຄາະຮ້າຍ\nແລ້ວ\"\r\n"));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  const auto& status = static_cast<const gw::v1::CaseStatus&>(**decoded);
  EXPECT_EQ(status.case_ref(), "CN-YN-XSBN-2026-0099");
  EXPECT_EQ(status.state(), gw::v1::CaseStatus::VICTIM_LOCATED);
  EXPECT_EQ(status.updated_at().seconds(), 1773622800);  // 01:00Z
  ASSERT_EQ(status.shared_with_size(), 2);
  EXPECT_EQ(status.shared_with(1), "TH-RTP");
  ASSERT_EQ(status.note_size(), 1);
  EXPECT_EQ(status.note(0).text(), "ພົບຜູ້ເຄາະຮ້າຍ\nແລ້ວ");
}

TEST(LaFieldsTest, SchemaViolationsNameTheField) {
  struct Case {
    const char* name;
    std::string body;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"unknown field", absl::StrCat(kStatus, "colour,red\r\n"), "colour"},
      {"unknown sub-field", absl::StrCat(kStatus, "note.1.colour,red\r\n"),
       "note.1.colour"},
      {"group path alone", absl::StrCat(kStatus, "note.1,x\r\n"), "note.1"},
      {"missing mandatory",
       "case_ref,C-1\r\nowner_agency,CN-MPS\r\n"
       "updated_at,16/03/2026 08:00:00+07:00\r\n",
       "state"},
      {"missing in a group", absl::StrCat(kStatus, "note.1.text,hello\r\n"),
       "note.1.lang"},
      {"out of order",
       "case_ref,C-1\r\nstate,OPEN\r\nowner_agency,CN-MPS\r\n"
       "updated_at,16/03/2026 08:00:00+07:00\r\n",
       "owner_agency"},
      {"indices descending",
       absl::StrCat(kStatus,
                    "shared_with.2,LA-MPS\r\nshared_with.1,TH-RTP\r\n"),
       "shared_with.2"},
      {"index gap",
       absl::StrCat(kStatus,
                    "shared_with.1,LA-MPS\r\nshared_with.3,TH-RTP\r\n"),
       "shared_with.3"},
      {"index zero", absl::StrCat(kStatus, "shared_with.0,LA-MPS\r\n"),
       "shared_with.0"},
      {"index leading zero", absl::StrCat(kStatus, "shared_with.01,LA-MPS\r\n"),
       "shared_with.01"},
      {"empty value", absl::StrCat(kStatus, "shared_with.1,\r\n"),
       "shared_with.1"},
      {"bad agency", absl::StrCat(kStatus, "shared_with.1,laos\r\n"),
       "shared_with.1"},
      {"unknown state code",
       "case_ref,C-1\r\nowner_agency,CN-MPS\r\nstate,SOLVED\r\n"
       "updated_at,16/03/2026 08:00:00+07:00\r\n",
       "state"},
      {"unspecified state code",
       "case_ref,C-1\r\nowner_agency,CN-MPS\r\nstate,STATE_UNSPECIFIED\r\n"
       "updated_at,16/03/2026 08:00:00+07:00\r\n",
       "state"},
      {"UTC timestamp",
       "case_ref,C-1\r\nowner_agency,CN-MPS\r\nstate,OPEN\r\n"
       "updated_at,2026-03-16T01:00:00Z\r\n",
       "updated_at"},
      {"identifier too long",
       absl::StrCat("case_ref,", std::string(65, 'C'),
                    "\r\nowner_agency,CN-MPS\r\nstate,OPEN\r\n"
                    "updated_at,16/03/2026 08:00:00+07:00\r\n"),
       "case_ref"},
      {"leading space in text",
       absl::StrCat(kStatus, "note.1.lang,en\r\nnote.1.text,\" x\"\r\n"),
       "note.1.text"},
      {"bad language tag",
       absl::StrCat(kStatus,
                    "note.1.lang,english language\r\n"
                    "note.1.text,x\r\n"),
       "note.1.lang"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ViolationField(Decode(MessageType::kCaseStatus, c.body)), c.field)
        << c.name;
  }
}

TEST(LaFieldsTest, CountLimits) {
  std::string body = kStatus;
  for (int i = 1; i <= 17; ++i)
    absl::StrAppend(&body, "shared_with.", i, ",LA-MPS\r\n");
  EXPECT_EQ(ViolationField(Decode(MessageType::kCaseStatus, body)),
            "shared_with.17");
  body = kStatus;
  for (int i = 1; i <= 21; ++i) {
    absl::StrAppend(&body, "note.", i, ".lang,en\r\nnote.", i, ".text,x\r\n");
  }
  EXPECT_EQ(ViolationField(Decode(MessageType::kCaseStatus, body)),
            "note.21.lang");
}

TEST(LaFieldsTest, TextLengthLimitsAreInCharacters) {
  std::string name;
  for (int i = 0; i < 100; ++i) name += "ມ";  // 3 bytes each
  const std::string head =
      "request_id,R-1\r\ncase_ref,C-1\r\nvictim.names.1.script,Laoo\r\n";
  const std::string tail =
      "victim.sex,FEMALE\r\nrequesting_agency,LA-MPS\r\n"
      "receiving_agency,CN-MPS\r\nidentity_verified,Y\r\n"
      "nationality_verified,N\r\n";
  EXPECT_TRUE(
      Decode(MessageType::kRepatriationRequest,
             absl::StrCat(head, "victim.names.1.given,", name, "\r\n", tail))
          .ok());
  EXPECT_EQ(ViolationField(Decode(MessageType::kRepatriationRequest,
                                  absl::StrCat(head, "victim.names.1.given,",
                                               name, "ມ\r\n", tail))),
            "victim.names.1.given");
}

constexpr char kAlertHead[] =
    "alert_id,A-1\r\ncase_ref,C-1\r\nkind,MISSING_PERSON\r\n"
    "priority,URGENT\r\nhandling_code,H2\r\norigin_agency,LA-MPS\r\n"
    "originator,officer-1\r\nrecipients.1,CN-MPS\r\n";
constexpr char kAlertTail[] = "created_at,14/03/2026 09:30:00+07:00\r\n";

std::string Alert(const std::string& middle) {
  return absl::StrCat(kAlertHead, middle, kAlertTail);
}

TEST(LaFieldsTest, AlertRules) {
  struct Case {
    const char* name;
    std::string middle;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"subject without person", "subjects.1.role,VICTIM\r\n",
       "subjects.1.person.sex"},
      {"depth-first order",
       "subjects.1.role,VICTIM\r\nsubjects.2.role,WITNESS\r\n"
       "subjects.1.person.sex,MALE\r\nsubjects.2.person.sex,MALE\r\n",
       "subjects.1.person.sex"},
      {"names before sex",
       "subjects.1.role,VICTIM\r\nsubjects.1.person.sex,MALE\r\n"
       "subjects.1.person.names.1.script,Latn\r\n"
       "subjects.1.person.names.1.full,A B\r\n",
       "subjects.1.person.names.1.script"},
      {"name without parts",
       "subjects.1.role,VICTIM\r\nsubjects.1.person.names.1.script,Latn\r\n"
       "subjects.1.person.sex,MALE\r\n",
       "subjects.1.person.names.1"},
      {"sex OTHER is not an ICD code",
       "subjects.1.role,VICTIM\r\nsubjects.1.person.sex,OTHER\r\n",
       "subjects.1.person.sex"},
      {"DD/00/YYYY",
       "subjects.1.role,VICTIM\r\nsubjects.1.person.sex,MALE\r\n"
       "subjects.1.person.date_of_birth,05/00/2011\r\n",
       "subjects.1.person.date_of_birth"},
      {"31/02",
       "subjects.1.role,VICTIM\r\nsubjects.1.person.sex,MALE\r\n"
       "subjects.1.person.date_of_birth,31/02/2011\r\n",
       "subjects.1.person.date_of_birth"},
      {"one MRZ line",
       "subjects.1.role,VICTIM\r\nsubjects.1.person.sex,MALE\r\n"
       "subjects.1.person.documents.1.type,PASSPORT\r\n"
       "subjects.1.person.documents.1.number,E1\r\n"
       "subjects.1.person.documents.1.mrz.1,"
       "P<LAOTHOTLONG<<MALI<<<<<<<<<<<<<<<<<<<<<<<<<\r\n",
       "subjects.1.person.documents.1.mrz.2"},
      {"lower-case document type",
       "subjects.1.role,VICTIM\r\nsubjects.1.person.sex,MALE\r\n"
       "subjects.1.person.documents.1.type,passport\r\n"
       "subjects.1.person.documents.1.number,E1\r\n",
       "subjects.1.person.documents.1.type"},
      {"age with leading zero",
       "subjects.1.role,VICTIM\r\nsubjects.1.person.sex,MALE\r\n"
       "subjects.1.person.age_estimate,014\r\n",
       "subjects.1.person.age_estimate"},
      {"included Y without content",
       "attachments.1.name,photo.jpg\r\nattachments.1.media_type,image/jpeg\r\n"
       "attachments.1.sha256,"
       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\r\n"
       "attachments.1.size,3\r\nattachments.1.included,Y\r\n",
       "attachments.1.content"},
      {"included N with content",
       "attachments.1.name,photo.jpg\r\nattachments.1.media_type,image/jpeg\r\n"
       "attachments.1.sha256,"
       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\r\n"
       "attachments.1.size,3\r\nattachments.1.included,N\r\n"
       "attachments.1.content,YWJj\r\n",
       "attachments.1.content"},
      {"content digest differs",
       "attachments.1.name,photo.jpg\r\nattachments.1.media_type,image/jpeg\r\n"
       "attachments.1.sha256,"
       "0000000000000000000000000000000000000000000000000000000000000000\r\n"
       "attachments.1.size,3\r\nattachments.1.included,Y\r\n"
       "attachments.1.content,YWJj\r\n",
       "attachments.1.sha256"},
      {"content size differs",
       "attachments.1.name,photo.jpg\r\nattachments.1.media_type,image/jpeg\r\n"
       "attachments.1.sha256,"
       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\r\n"
       "attachments.1.size,4\r\nattachments.1.included,Y\r\n"
       "attachments.1.content,YWJj\r\n",
       "attachments.1.size"},
      {"content not padded",
       "attachments.1.name,photo.jpg\r\nattachments.1.media_type,image/jpeg\r\n"
       "attachments.1.sha256,"
       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\r\n"
       "attachments.1.size,2\r\nattachments.1.included,Y\r\n"
       "attachments.1.content,YWI\r\n",
       "attachments.1.content"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ViolationField(Decode(MessageType::kAlert, Alert(c.middle))),
              c.field)
        << c.name;
  }
  EXPECT_EQ(ViolationField(Decode(MessageType::kAlert,
                                  "alert_id,A-1\r\ncase_ref,C-1\r\n"
                                  "kind,MISSING_PERSON\r\npriority,URGENT\r\n"
                                  "handling_code,H2\r\norigin_agency,LA-MPS\r\n"
                                  "originator,officer-1\r\n"
                                  "created_at,14/03/2026 09:30:00+07:00\r\n")),
            "recipients.1");
}

TEST(LaFieldsTest, AlertWithAttachmentDecodes) {
  auto decoded = Decode(
      MessageType::kAlert,
      Alert(
          "subjects.1.role,VICTIM\r\nsubjects.1.person.sex,UNKNOWN\r\n"
          "subjects.1.person.date_of_birth,00/08/2011\r\n"
          "attachments.1.name,photo.jpg\r\n"
          "attachments.1.media_type,image/jpeg\r\n"
          "attachments.1.sha256,"
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\r\n"
          "attachments.1.size,3\r\nattachments.1.included,Y\r\n"
          "attachments.1.content,YWJj\r\n"
          "attachments.2.name,video.mp4\r\n"
          "attachments.2.media_type,video/mp4\r\n"
          "attachments.2.sha256,"
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\r\n"
          "attachments.2.size,300000000\r\nattachments.2.included,N\r\n"));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  const auto& alert = static_cast<const gw::v1::CaseAlert&>(**decoded);
  EXPECT_EQ(alert.subjects(0).person().sex(), gw::v1::Person::UNKNOWN);
  EXPECT_EQ(alert.subjects(0).person().date_of_birth(), "2011-08");
  ASSERT_EQ(alert.attachments_size(), 2);
  EXPECT_EQ(alert.attachments(0).content(), "abc");
  EXPECT_EQ(alert.attachments(1).content(), "");
  EXPECT_EQ(alert.attachments(1).media_type(), "video/mp4");
}

gw::v1::CaseAlert AlertWithAttachments(std::vector<size_t> sizes) {
  gw::v1::CaseAlert alert;
  alert.set_alert_id("A-1");
  for (size_t i = 0; i < sizes.size(); ++i) {
    gw::v1::Attachment* attachment = alert.add_attachments();
    attachment->set_name(absl::StrCat("file", i + 1));
    attachment->set_media_type("application/octet-stream");
    attachment->set_content(std::string(sizes[i], 'x'));
    attachment->set_sha256(crypto::Sha256Hex(attachment->content()));
  }
  return alert;
}

std::string Value(const std::vector<CsvRecord>& records,
                  const std::string& path) {
  for (const CsvRecord& record : records) {
    if (record.path == path) return record.value;
  }
  return "<absent>";
}

TEST(LaFieldsTest, AttachmentsAreIncludedInOrderWhileTheyFit) {
  // "attachments.1.content," + 8 base64 characters + CR LF = 32 bytes.
  const gw::v1::CaseAlert alert = AlertWithAttachments({6, 6, 0, 6});
  auto all = EncodeBody(MessageType::kAlert, alert, 1000);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(Value(*all, "attachments.1.included"), "Y");
  EXPECT_EQ(Value(*all, "attachments.1.content"), "eHh4eHh4");
  EXPECT_EQ(Value(*all, "attachments.1.size"), "6");
  EXPECT_EQ(Value(*all, "attachments.2.included"), "Y");
  // No content to include: described only, and the inclusion goes on.
  EXPECT_EQ(Value(*all, "attachments.3.included"), "N");
  EXPECT_EQ(Value(*all, "attachments.3.size"), "0");
  EXPECT_EQ(Value(*all, "attachments.4.included"), "Y");

  auto one = EncodeBody(MessageType::kAlert, alert, 32 + 31);
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(Value(*one, "attachments.1.included"), "Y");
  EXPECT_EQ(Value(*one, "attachments.2.included"), "N");
  EXPECT_EQ(Value(*one, "attachments.2.content"), "<absent>");
  EXPECT_EQ(Value(*one, "attachments.4.included"), "N");

  // The first that does not fit ends the inclusion, even if a later one
  // would fit (§9: "while the .csv stays within 16 MiB").
  const gw::v1::CaseAlert big_first = AlertWithAttachments({600, 6});
  auto none = EncodeBody(MessageType::kAlert, big_first, 100);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(Value(*none, "attachments.1.included"), "N");
  EXPECT_EQ(Value(*none, "attachments.2.included"), "N");
}

gw::v1::RepatriationRequest MinimalRequest() {
  gw::v1::RepatriationRequest request;
  request.set_request_id("R-1");
  request.set_case_ref("C-1");
  request.set_requesting_agency("CN-MPS");
  request.set_receiving_agency("LA-MPS");
  *request.mutable_created_at() = util::ToTimestamp(kCreated);
  return request;
}

TEST(LaFieldsTest, CodesWhereGwV1AndTheIcdDiffer) {
  gw::v1::RepatriationRequest request = MinimalRequest();
  gw::v1::Person* victim = request.mutable_victim();
  victim->set_sex(gw::v1::Person::OTHER);
  request.mutable_guardian()->set_tracing_result(
      gw::v1::Guardian::FAMILY_NOT_FOUND);
  request.mutable_best_interests_assessment()->set_outcome(
      gw::v1::BestInterestsAssessment::DO_NOT_RETURN);
  auto records = EncodeBody(MessageType::kRepatriationRequest, request, 0);
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(Value(*records, "victim.sex"), "UNKNOWN");
  EXPECT_EQ(Value(*records, "guardian.tracing_result"), "NOT_FOUND");
  EXPECT_EQ(Value(*records, "best_interests_assessment.outcome"), "NO_RETURN");
  EXPECT_EQ(Value(*records, "identity_verified"), "N");

  auto back = DecodeBody(MessageType::kRepatriationRequest, *records, kCreated);
  ASSERT_TRUE(back.ok()) << back.status();
  const auto& decoded = static_cast<const gw::v1::RepatriationRequest&>(**back);
  EXPECT_EQ(decoded.victim().sex(), gw::v1::Person::UNKNOWN);
  EXPECT_EQ(decoded.guardian().tracing_result(),
            gw::v1::Guardian::FAMILY_NOT_FOUND);
  EXPECT_EQ(decoded.best_interests_assessment().outcome(),
            gw::v1::BestInterestsAssessment::DO_NOT_RETURN);
  EXPECT_EQ(decoded.created_at().seconds(), absl::ToUnixSeconds(kCreated));

  request.mutable_guardian()->set_tracing_result(
      gw::v1::Guardian::CARE_INSTITUTION);
  auto refused = EncodeBody(MessageType::kRepatriationRequest, request, 0);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("guardian.tracing_result"));
}

TEST(LaFieldsTest, OutcomeNotRequiredIsHeldWhileGwV1CannotHoldIt) {
  const std::string body =
      "request_id,R-1\r\ncase_ref,C-1\r\nrequesting_agency,LA-MPS\r\n"
      "receiving_agency,CN-MPS\r\nidentity_verified,Y\r\n"
      "nationality_verified,Y\r\nbest_interests_assessment.outcome,"
      "NOT_REQUIRED\r\n";
  auto decoded = Decode(MessageType::kRepatriationRequest, body);
  if (gw::v1::BestInterestsAssessment::Outcome_descriptor()->FindValueByName(
          "NOT_REQUIRED") == nullptr) {
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_EQ(ingest::ReasonOf(decoded.status()), "NOT_SUPPORTED_YET");
    EXPECT_FALSE(RefusalOf(decoded.status()).has_value());
  } else {
    EXPECT_TRUE(decoded.ok()) << decoded.status();
  }
  EXPECT_EQ(ViolationField(
                Decode(MessageType::kRepatriationRequest,
                       absl::StrCat(body.substr(0, body.rfind("NOT_REQUIRED")),
                                    "MAYBE\r\n"))),
            "best_interests_assessment.outcome");
}

gw::v1::RepatriationRecord Decision(gw::v1::RepatriationRecord::State state) {
  gw::v1::RepatriationRecord record;
  record.mutable_request()->set_request_id("R-1");
  record.mutable_request()->set_case_ref("C-1");
  record.set_state(state);
  gw::v1::RepatriationEvent* event = record.add_history();
  event->set_actor_agency("CN-MPS");
  *event->mutable_at() = util::ToTimestamp(kCreated);
  gw::v1::LanguageText* reason = event->add_reason();
  reason->set_lang("en");
  reason->set_text("Handover agreed, Boten checkpoint.");
  return record;
}

TEST(LaFieldsTest, DecisionHandoverOnlyWhenScheduled) {
  gw::v1::RepatriationRecord record =
      Decision(gw::v1::RepatriationRecord::HANDOVER_SCHEDULED);
  record.mutable_request()->mutable_proposed_handover()->set_border_point(
      "Boten - Mohan international border checkpoint");
  record.mutable_request()->mutable_proposed_handover()->set_date("2026-04-16");
  auto records = EncodeBody(MessageType::kRepatriationDecision, record, 0);
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(WriteCsv(*records),
            "field,value\r\nrequest_id,R-1\r\ncase_ref,C-1\r\n"
            "state,HANDOVER_SCHEDULED\r\ndecided_by,CN-MPS\r\n"
            "decided_at,14/03/2026 12:00:00+07:00\r\nreason.1.lang,en\r\n"
            "reason.1.text,\"Handover agreed, Boten checkpoint.\"\r\n"
            "handover.border_point,Boten - Mohan international border "
            "checkpoint\r\nhandover.date,16/04/2026\r\n");
  auto back =
      DecodeBody(MessageType::kRepatriationDecision, *records, kCreated);
  ASSERT_TRUE(back.ok()) << back.status();
  const auto& decoded = static_cast<const gw::v1::RepatriationRecord&>(**back);
  EXPECT_EQ(decoded.state(), gw::v1::RepatriationRecord::HANDOVER_SCHEDULED);
  ASSERT_EQ(decoded.history_size(), 1);
  EXPECT_EQ(decoded.history(0).actor_agency(), "CN-MPS");
  EXPECT_EQ(decoded.history(0).to_state(),
            gw::v1::RepatriationRecord::HANDOVER_SCHEDULED);
  EXPECT_EQ(decoded.request().proposed_handover().date(), "2026-04-16");

  // A step envelope's handover wins over the request's.
  gw::v1::RepatriationStep step;
  step.mutable_handover()->set_border_point("Other point");
  step.mutable_handover()->set_date("2026-04-20");
  gw::v1::Envelope* envelope = record.mutable_history(0)->mutable_envelope();
  envelope->set_payload_type("application/vnd.gw.v1.RepatriationStep+proto");
  envelope->set_payload(step.SerializeAsString());
  records = EncodeBody(MessageType::kRepatriationDecision, record, 0);
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(Value(*records, "handover.date"), "20/04/2026");

  // Not scheduled: no handover written, and one read is refused.
  record = Decision(gw::v1::RepatriationRecord::APPROVED);
  record.mutable_request()->mutable_proposed_handover()->set_date("2026-04-16");
  records = EncodeBody(MessageType::kRepatriationDecision, record, 0);
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(Value(*records, "handover.date"), "<absent>");
  const std::string approved =
      "request_id,R-1\r\ncase_ref,C-1\r\nstate,APPROVED\r\n"
      "decided_by,CN-MPS\r\ndecided_at,14/03/2026 12:00:00+07:00\r\n";
  EXPECT_EQ(
      ViolationField(Decode(MessageType::kRepatriationDecision,
                            absl::StrCat(approved,
                                         "handover.border_point,X\r\n"
                                         "handover.date,16/04/2026\r\n"))),
      "handover.border_point");
  EXPECT_EQ(
      ViolationField(Decode(
          MessageType::kRepatriationDecision,
          "request_id,R-1\r\ncase_ref,C-1\r\nstate,HANDOVER_SCHEDULED\r\n"
          "decided_by,CN-MPS\r\ndecided_at,14/03/2026 12:00:00+07:00\r\n")),
      "handover.border_point");
}

TEST(LaFieldsTest, MessageCreatedAtComesFromThePayload) {
  gw::v1::CaseStatus status;
  EXPECT_EQ(MessageCreatedAt(MessageType::kCaseStatus, status).status().code(),
            absl::StatusCode::kInvalidArgument);
  *status.mutable_updated_at() = util::ToTimestamp(kCreated);
  EXPECT_EQ(*MessageCreatedAt(MessageType::kCaseStatus, status), kCreated);
  gw::v1::RepatriationRecord record =
      Decision(gw::v1::RepatriationRecord::APPROVED);
  EXPECT_EQ(*MessageCreatedAt(MessageType::kRepatriationDecision, record),
            kCreated);
  *record.mutable_updated_at() = util::ToTimestamp(kCreated + absl::Minutes(5));
  EXPECT_EQ(*MessageCreatedAt(MessageType::kRepatriationDecision, record),
            kCreated + absl::Minutes(5));
}

TEST(LaFieldsTest, PayloadTypesAndNames) {
  EXPECT_EQ(*MessageTypeFromPayloadType(
                "application/vnd.gw.v1.RepatriationRecord+proto"),
            MessageType::kRepatriationDecision);
  EXPECT_FALSE(
      MessageTypeFromPayloadType("application/vnd.gw.v1.Receipt+proto"));
  EXPECT_EQ(*MessageTypeFromName("CASE_STATUS"), MessageType::kCaseStatus);
  EXPECT_FALSE(MessageTypeFromName("ACK"));
}

}  // namespace
}  // namespace gw::la_mps
