// tests/unit/adapters/vn_mps/vn_xsd_test.cc
//
// Every document the VN-MPS codec writes is valid against VN-MPS.xsd and
// has the serialization of VN-MPS.md §3.3. The check here is libxml2
// itself, driven directly by the test (shared/partners/VN-MPS.xsd read
// from disk, not the codec's embedded copy or its helpers), over a varied
// set of messages of all four kinds, and over every example .xml.
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "adapters/vn_mps/vn_mps_codec.h"
#include "gateway/crypto/sha256.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/repatriation.pb.h"
#include "tests/unit/adapters/vn_mps/vn_examples.h"

namespace gw::vn_mps {
namespace {

using testing::ExampleAlert;
using testing::ExampleRequest;
using ::testing::HasSubstr;
using testing::Link;
using testing::Outbound;
using testing::ReadExample;
using testing::Ts;

constexpr char kId[] = "0f0e0d0c-0b0a-4908-8706-050403020100";
constexpr size_t kEightMiB = 8 * 1024 * 1024;

void Quiet(void*, xmlErrorPtr) {}

// libxml2 with VN-MPS.xsd, as `xmllint --schema` does it.
class Xsd {
 public:
  Xsd() {
    xmlSetStructuredErrorFunc(nullptr, &Quiet);
    const std::string xsd = testing::ReadPartnerXsd();
    xmlSchemaParserCtxtPtr parser =
        xmlSchemaNewMemParserCtxt(xsd.data(), static_cast<int>(xsd.size()));
    schema_ = xmlSchemaParse(parser);
    xmlSchemaFreeParserCtxt(parser);
  }
  ~Xsd() { xmlSchemaFree(schema_); }

  // "" when `document` validates, else libxml2's first message.
  std::string Check(const std::string& document) const {
    if (schema_ == nullptr) return "VN-MPS.xsd did not parse";
    xmlDocPtr doc =
        xmlReadMemory(document.data(), static_cast<int>(document.size()),
                      "doc.xml", nullptr, XML_PARSE_NONET);
    if (doc == nullptr) return "not well-formed";
    std::string first;
    xmlSchemaValidCtxtPtr valid = xmlSchemaNewValidCtxt(schema_);
    xmlSchemaSetValidStructuredErrors(
        valid,
        [](void* data, xmlErrorPtr error) {
          auto* out = static_cast<std::string*>(data);
          if (out->empty() && error != nullptr && error->message != nullptr) {
            *out = error->message;
          }
        },
        &first);
    const int result = xmlSchemaValidateDoc(valid, doc);
    xmlSchemaFreeValidCtxt(valid);
    xmlFreeDoc(doc);
    if (result == 0) return "";
    return first.empty() ? "invalid" : first;
  }

 private:
  xmlSchemaPtr schema_ = nullptr;
};

// The §3.3 form, beyond what the XSD says.
void ExpectSerialization(const std::string& doc) {
  EXPECT_TRUE(absl::StartsWith(
      doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tip:"));
  EXPECT_THAT(doc.substr(0, 200),
              HasSubstr(" xmlns:tip=\"urn:vn:mps:tip:1.0\">\n"));
  EXPECT_TRUE(absl::EndsWith(doc, ">\n"));
  for (const char* never : {"\r", "\t", "/>", "<!--", "<![CDATA[", "<!DOCTYPE",
                            "&#", "\n\n", "></tip:"}) {
    EXPECT_THAT(doc, ::testing::Not(HasSubstr(never))) << never;
  }
  // Two spaces per level; every line one element.
  size_t pos = doc.find('\n') + 1;
  while (pos < doc.size()) {
    const size_t end = doc.find('\n', pos);
    const std::string line = doc.substr(pos, end - pos);
    // Lines that do not start with a tag continue a multi-line text.
    if (!line.empty() && (line[0] == ' ' || line[0] == '<')) {
      const size_t indent = line.find_first_not_of(' ');
      EXPECT_EQ(indent % 2, 0u) << line;
      if (indent != std::string::npos) {
        EXPECT_EQ(line[indent], '<') << line;
      }
    }
    pos = end + 1;
  }
}

gw::v1::Person ChineseMinor() {
  gw::v1::Person person;
  gw::v1::PersonName* hani = person.add_names();
  hani->set_script("Hani");
  hani->set_family("测试");
  hani->set_given("小 花");  // a space, but not VNM: never split
  hani->set_full("测试小花");
  gw::v1::PersonName* latn = person.add_names();
  latn->set_script("Latn");
  latn->set_family("CESHI");
  latn->set_given("Xiao Hua");
  person.set_sex(gw::v1::Person::FEMALE);
  person.set_date_of_birth("2019-06");
  person.set_age_estimate(6);
  person.set_nationality("CHN");
  gw::v1::IdentityDocument* doc = person.add_documents();
  doc->set_type("BIRTH_CERT");
  doc->set_number("N 123/45-6");
  doc->set_issuing_state("CHN");
  return person;
}

gw::v1::Person VietnameseAdult() {
  gw::v1::Person person;
  gw::v1::PersonName* name = person.add_names();
  name->set_script("Latn");
  name->set_family("Kiểm");
  name->set_given("Văn Minh Thử");
  person.set_sex(gw::v1::Person::MALE);
  person.set_date_of_birth("1980");
  person.set_nationality("VNM");
  gw::v1::IdentityDocument* doc = person.add_documents();
  doc->set_type("PASSPORT");
  doc->set_number("C0000001");
  doc->set_issuing_state("VNM");
  doc->set_expiry("2031-01-31");
  doc->add_mrz("P<VNMKIEM<<VAN<MINH<THU<<<<<<<<<<<<<<<<<<<<<");
  doc->add_mrz("C0000001<0VNM8001017M3101317<<<<<<<<<<<<<<00");
  return person;
}

std::string Attachment(size_t bytes, char fill) {
  return std::string(bytes, fill);
}

class XsdTest : public ::testing::Test {
 protected:
  std::string Encode(absl::string_view type,
                     const google::protobuf::Message& message) {
    auto encoded = link_.Gateway(absl::FromUnixSeconds(1773455405))
                       ->Encode(Outbound(kId, type, message));
    EXPECT_TRUE(encoded.ok()) << encoded.status();
    return encoded.ok() ? encoded->bytes : "";
  }
  void ExpectValid(const std::string& doc) {
    EXPECT_EQ(xsd_.Check(doc), "");
    ExpectSerialization(doc);
  }

  Link link_;
  Xsd xsd_;
};

TEST_F(XsdTest, EveryExampleValidates) {
  for (const char* name :
       {"alert-outbound.xml", "ack-202-inbound.xml", "ack-202-outbound.xml",
        "ack-202-outbound-nfd.xml", "rejection-400-inbound.xml",
        "repatriation-request-inbound.xml",
        "repatriation-request-inbound-nfd.xml"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(xsd_.Check(ReadExample(name)), "");
  }
  // And the checker can fail.
  EXPECT_NE(xsd_.Check("<tip:Rejection xmlns:tip=\"urn:vn:mps:tip:1.0\"/>"),
            "");
}

TEST_F(XsdTest, Alerts) {
  ExpectValid(Encode(kCaseAlertPayloadType, ExampleAlert()));

  gw::v1::CaseAlert alert = ExampleAlert();
  alert.set_kind(gw::v1::CaseAlert::SUSPECT_WANTED);
  alert.set_priority(gw::v1::CaseAlert::ROUTINE);
  alert.set_handling_code(gw::v1::CaseAlert::H0);
  alert.add_recipients("KH-CNP");
  alert.mutable_subjects(0)->set_role(gw::v1::Subject::WITNESS);
  *alert.mutable_subjects(0)->mutable_person() = ChineseMinor();
  gw::v1::Subject* suspect = alert.add_subjects();
  suspect->set_role(gw::v1::Subject::SUSPECT);
  *suspect->mutable_person() = VietnameseAdult();
  gw::v1::Subject* unknown = alert.add_subjects();
  unknown->set_role(gw::v1::Subject::VICTIM);
  unknown->mutable_person()->add_names()->set_full("Unknown & <girl>");
  unknown->mutable_person()->mutable_names(0)->set_script("Latn");
  alert.mutable_last_seen()->clear_at();
  alert.mutable_last_seen()->set_place("Lào Cai \"market\"");
  gw::v1::LanguageText* text = alert.add_narrative();
  text->set_lang("vi");
  text->set_text("Dòng một\nDòng hai & <ba>");
  const std::string doc = Encode(kCaseAlertPayloadType, alert);
  ExpectValid(doc);
  // §5.2: only the VNM person is split.
  EXPECT_THAT(doc,
              HasSubstr("<tip:PersonGivenName>小 花</tip:PersonGivenName>"));
  EXPECT_THAT(doc, HasSubstr("<tip:PersonMiddleName>Văn Minh"
                             "</tip:PersonMiddleName>"));
  EXPECT_THAT(doc, HasSubstr("<tip:YearMonthDate>2019-06</tip:YearMonthDate>"));
  EXPECT_THAT(doc, HasSubstr("<tip:YearDate>1980</tip:YearDate>"));
  EXPECT_THAT(doc, HasSubstr("Unknown &amp; &lt;girl&gt;"));
  EXPECT_THAT(doc, HasSubstr("Dòng một\nDòng hai &amp; &lt;ba&gt;"));
}

TEST_F(XsdTest, AttachmentsBeyondEightMiBAreDescribedOnly) {
  gw::v1::CaseAlert alert = ExampleAlert();
  // 4 MiB fits (5.3 MiB of base64); 2 MiB more would not; 1 MiB still
  // does; the empty one has nothing to include.
  const std::vector<std::pair<size_t, char>> sizes = {
      {4 << 20, 'a'}, {2 << 20, 'b'}, {1 << 20, 'c'}, {0, 'd'}};
  for (const auto& [size, fill] : sizes) {
    gw::v1::Attachment* attachment = alert.add_attachments();
    attachment->set_name(absl::StrCat("file-", std::string(1, fill), ".bin"));
    attachment->set_media_type("application/octet-stream");
    attachment->set_content(Attachment(size, fill));
    attachment->set_sha256(crypto::Sha256Hex(attachment->content()));
  }
  const std::string doc = Encode(kCaseAlertPayloadType, alert);
  EXPECT_LE(doc.size(), kEightMiB);
  EXPECT_GT(doc.size(), size_t{6} << 20);
  ExpectValid(doc);
  const std::vector<std::string> blocks =
      absl::StrSplit(doc, "<tip:Attachment>");
  ASSERT_EQ(blocks.size(), 5u);
  EXPECT_THAT(blocks[1], HasSubstr("<tip:AttachmentBinaryBase64>YWFh"));
  EXPECT_THAT(blocks[2], ::testing::Not(HasSubstr("AttachmentBinaryBase64")));
  EXPECT_THAT(blocks[2], HasSubstr("<tip:AttachmentSizeMeasure>2097152<"));
  EXPECT_THAT(blocks[3], HasSubstr("<tip:AttachmentBinaryBase64>Y2Nj"));
  EXPECT_THAT(blocks[4], ::testing::Not(HasSubstr("AttachmentBinaryBase64")));
  EXPECT_THAT(blocks[4], HasSubstr("<tip:AttachmentSizeMeasure>0<"));
}

TEST_F(XsdTest, Requests) {
  ExpectValid(Encode(kRepatriationRequestPayloadType, ExampleRequest()));

  gw::v1::RepatriationRequest full = ExampleRequest();
  full.set_requesting_agency("CN-MPS");
  full.set_receiving_agency("VN-MPS");
  *full.mutable_victim() = VietnameseAdult();
  full.mutable_victim()->set_age_estimate(17);
  full.mutable_guardian()->set_tracing_result(
      gw::v1::Guardian::CARE_INSTITUTION);
  *full.mutable_guardian()->mutable_person() = VietnameseAdult();
  full.mutable_best_interests_assessment()->set_outcome(
      gw::v1::BestInterestsAssessment::DO_NOT_RETURN);
  const std::string doc = Encode(kRepatriationRequestPayloadType, full);
  ExpectValid(doc);
  EXPECT_THAT(doc, HasSubstr(">NOT_FOUND</tip:TracingResultCode>"));
  EXPECT_THAT(doc, HasSubstr(">NO_RETURN</tip:AssessmentOutcomeCode>"));

  gw::v1::RepatriationRequest minimal;
  minimal.set_request_id("CN-MPS-RQ-2026-0002");
  minimal.set_case_ref("CN-YN-XSBN-2026-0042");
  minimal.set_requesting_agency("CN-MPS");
  minimal.set_receiving_agency("VN-MPS");
  *minimal.mutable_victim() = ChineseMinor();
  *minimal.mutable_created_at() = Ts("2026-03-14T03:20:00Z");
  ExpectValid(Encode(kRepatriationRequestPayloadType, minimal));
  minimal.mutable_guardian();  // present but empty: NOT_STARTED
  minimal.mutable_best_interests_assessment();  // PENDING
  const std::string defaults = Encode(kRepatriationRequestPayloadType, minimal);
  ExpectValid(defaults);
  EXPECT_THAT(defaults, HasSubstr(">NOT_STARTED</tip:TracingResultCode>"));
  EXPECT_THAT(defaults, HasSubstr(">PENDING</tip:AssessmentOutcomeCode>"));
}

gw::v1::RepatriationRecord Decision(gw::v1::RepatriationRecord::State state) {
  gw::v1::RepatriationRecord record;
  *record.mutable_request() = ExampleRequest();
  record.set_state(state);
  gw::v1::RepatriationEvent* earlier = record.add_history();
  earlier->set_actor_agency("CN-MFA");
  *earlier->mutable_at() = Ts("2026-03-13T01:00:00Z");
  gw::v1::RepatriationEvent* latest = record.add_history();
  latest->set_to_state(state);
  latest->set_actor_agency("CN-MPS");
  *latest->mutable_at() = Ts("2026-03-14T05:00:00Z");
  gw::v1::LanguageText* reason = latest->add_reason();
  reason->set_lang("zh");
  reason->set_text("同意。");
  return record;
}

TEST_F(XsdTest, DecisionsAndStatus) {
  const std::string approved =
      Encode(kRepatriationRecordPayloadType,
             Decision(gw::v1::RepatriationRecord::APPROVED));
  ExpectValid(approved);
  EXPECT_THAT(approved, ::testing::Not(HasSubstr("ScheduledHandover")));
  // Created from the latest entry when the record has no updated_at.
  EXPECT_THAT(approved, HasSubstr("<tip:MessageCreatedDateTime>"
                                  "2026-03-14T05:00:00Z<"));
  const std::string scheduled =
      Encode(kRepatriationRecordPayloadType,
             Decision(gw::v1::RepatriationRecord::HANDOVER_SCHEDULED));
  ExpectValid(scheduled);
  EXPECT_THAT(scheduled, HasSubstr("<tip:ScheduledHandover>"));

  gw::v1::CaseStatus status;
  status.set_case_ref("CN-YN-XSBN-2026-0042");
  status.set_owner_agency("CN-MPS");
  status.set_state(gw::v1::CaseStatus::CLOSED);
  *status.mutable_updated_at() = Ts("2026-03-20T00:00:00Z");
  status.add_shared_with("VN-MPS");
  gw::v1::CaseEvent* event = status.add_history();
  event->add_note()->set_lang("en");
  event->mutable_note(0)->set_text("Returned to family.");
  const std::string doc = Encode(kCaseStatusPayloadType, status);
  ExpectValid(doc);
  EXPECT_THAT(doc,
              HasSubstr("<tip:StatusNote lang=\"en\">Returned to family."));
}

}  // namespace
}  // namespace gw::vn_mps
