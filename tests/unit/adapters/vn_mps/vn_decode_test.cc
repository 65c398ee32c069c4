// tests/unit/adapters/vn_mps/vn_decode_test.cc
//
// VnMpsCodec::Decode, step 11 of VN-MPS.md §6 one check at a time: each
// crafted request (validly signed by VN-MPS with the RFC 8032 TEST 2 key)
// breaks exactly one rule and gets that rule's code and location; requests
// that break two rules get the earlier one. Then all four message kinds
// make the round trip VN-MPS document -> canonical message.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "adapters/signed_http/http_refusal.h"
#include "adapters/vn_mps/vn_mps_codec.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/proto_time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/repatriation.pb.h"
#include "tests/unit/adapters/vn_mps/vn_examples.h"

namespace gw::vn_mps {
namespace {

using google::protobuf::util::MessageDifferencer;
using signed_http::HttpRefusal;
using ::testing::HasSubstr;
using testing::Link;
using testing::ReadExample;
using testing::Ts;

constexpr char kRequests[] = "/gw/vn/v1/repatriation-requests";
constexpr char kDecisions[] = "/gw/vn/v1/repatriation-decisions";
constexpr char kAlerts[] = "/gw/vn/v1/alerts";
constexpr char kStatus[] = "/gw/vn/v1/case-status";
constexpr char kRequestId[] = "67a082c3-13e2-5640-9cd4-7b934aec4b9e";
constexpr char kDecisionId[] = "4bab93b1-d2cd-5102-8c88-3f4feb3f9c1b";
constexpr char kOtherId[] = "00000000-0000-4000-8000-000000000001";

const absl::Time kNow = absl::FromUnixSeconds(1773458401);

std::string Replace(std::string text, absl::string_view from,
                    absl::string_view to) {
  EXPECT_TRUE(absl::StrContains(text, from)) << from;
  return absl::StrReplaceAll(text, {{from, to}});
}

std::string RequestXml() {
  return ReadExample("repatriation-request-inbound.xml");
}

// A valid decision VN-MPS sends, with local times.
std::string DecisionXml(absl::string_view state = "APPROVED",
                        absl::string_view extra = "") {
  return absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<tip:RepatriationDecisionMessage xmlns:tip=\"urn:vn:mps:tip:1.0\">\n"
      "  <tip:MessageHeader>\n"
      "    <tip:MessageID>",
      kDecisionId,
      "</tip:MessageID>\n"
      "    <tip:SenderAgencyCode>VN-MPS</tip:SenderAgencyCode>\n"
      "    <tip:RecipientAgencyCode>CN-MPS</tip:RecipientAgencyCode>\n"
      "    <tip:MessageCreatedDateTime>2026-03-14T10:20:01+07:00"
      "</tip:MessageCreatedDateTime>\n"
      "  </tip:MessageHeader>\n"
      "  <tip:RepatriationDecision>\n"
      "    <tip:RequestID>CN-MPS-RQ-2026-0001</tip:RequestID>\n"
      "    <tip:CaseReference>CN-YN-XSBN-2026-0042</tip:CaseReference>\n"
      "    <tip:RepatriationStateCode>",
      state,
      "</tip:RepatriationStateCode>\n"
      "    <tip:DecidingAgencyCode>VN-MPS</tip:DecidingAgencyCode>\n"
      "    <tip:DecisionDateTime>2026-03-14T10:00:00+07:00"
      "</tip:DecisionDateTime>\n"
      "    <tip:DecisionReason lang=\"vi\">Đồng ý.</tip:DecisionReason>\n",
      extra,
      "  </tip:RepatriationDecision>\n"
      "</tip:RepatriationDecisionMessage>\n");
}

constexpr char kHandover[] =
    "    <tip:ScheduledHandover>\n"
    "      <tip:BorderPointName>Cửa khẩu Móng Cái</tip:BorderPointName>\n"
    "      <tip:HandoverDate>2026-04-07</tip:HandoverDate>\n"
    "    </tip:ScheduledHandover>\n";

class DecodeTest : public ::testing::Test {
 protected:
  // A fresh codec each time: the same signed request twice is a replay.
  absl::StatusOr<adapters::InboundMessage> Decode(
      absl::string_view path, absl::string_view body, absl::string_view id,
      absl::string_view sender = "VN-MPS") {
    return link_.Gateway(kNow)->Decode(
        std::string(sender), link_.SignedRequest(path, body, id, kNow));
  }

  HttpRefusal Refused(absl::string_view path, absl::string_view body,
                      absl::string_view id) {
    auto decoded = Decode(path, body, id);
    EXPECT_FALSE(decoded.ok());
    if (decoded.ok()) return HttpRefusal{};
    std::optional<HttpRefusal> refusal =
        signed_http::HttpRefusalOf(decoded.status());
    EXPECT_TRUE(refusal.has_value()) << decoded.status();
    return refusal.value_or(HttpRefusal{});
  }

  Link link_;
};

TEST_F(DecodeTest, TheValidDocumentsDecode) {
  EXPECT_TRUE(Decode(kRequests, RequestXml(), kRequestId).ok());
  auto decision = Decode(kDecisions, DecisionXml(), kDecisionId);
  ASSERT_TRUE(decision.ok()) << decision.status();
  gw::v1::RepatriationRecord record;
  ASSERT_TRUE(record.ParseFromString(decision->envelope.payload()));
  // +07:00 becomes UTC.
  EXPECT_EQ(record.history(0).at().seconds(),
            Ts("2026-03-14T03:00:00Z").seconds());
  EXPECT_EQ(record.updated_at().seconds(),
            Ts("2026-03-14T03:20:01Z").seconds());
}

TEST_F(DecodeTest, MalformedXml) {
  struct Case {
    std::string name;
    std::string body;
    std::string detail;
  };
  const std::string xml = RequestXml();
  const std::vector<Case> cases = {
      {"truncated", xml.substr(0, xml.size() / 2), "not well-formed"},
      {"mismatched tag", Replace(xml, "</tip:RequestID>", "</tip:RequestId>"),
       "not well-formed"},
      {"DOCTYPE",
       Replace(xml, "<tip:RepatriationRequestMessage",
               "<!DOCTYPE tip:RepatriationRequestMessage>\n"
               "<tip:RepatriationRequestMessage"),
       "DOCTYPE"},
      {"external entity",
       Replace(Replace(xml, "<tip:RepatriationRequestMessage",
                       "<!DOCTYPE r [<!ENTITY x SYSTEM "
                       "\"file:///etc/passwd\">]>\n"
                       "<tip:RepatriationRequestMessage"),
               "<tip:TracingNote lang=\"en\">",
               "<tip:TracingNote lang=\"en\">&x;"),
       "DOCTYPE"},
      {"billion laughs",
       Replace(Replace(xml, "<tip:RepatriationRequestMessage",
                       "<!DOCTYPE r [\n"
                       " <!ENTITY a \"aaaaaaaaaa\">\n"
                       " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
                       " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
                       " <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
                       " <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
                       " <!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
                       " <!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
                       " <!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"
                       "]>\n<tip:RepatriationRequestMessage"),
               "<tip:TracingNote lang=\"en\">",
               "<tip:TracingNote lang=\"en\">&h;"),
       "DOCTYPE"},
      {"undeclared entity",
       Replace(xml, "<tip:TracingNote lang=\"en\">",
               "<tip:TracingNote lang=\"en\">&x;"),
       "not well-formed"},
      {"not UTF-8", Replace(xml, "CESHI Hua", "CESHI Hu\xE9"), "not UTF-8"},
      {"another encoding",
       Replace(xml, "encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\""),
       "encoding"},
      {"undeclared prefix",
       Replace(Replace(xml, "<tip:RequestID>", "<x:RequestID>"),
               "</tip:RequestID>", "</x:RequestID>"),
       "not well-formed"},
      {"empty", "", "not well-formed"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const HttpRefusal refusal = Refused(kRequests, c.body, kRequestId);
    EXPECT_EQ(refusal.http_status, 400);
    EXPECT_EQ(refusal.code, "MALFORMED_XML");
    EXPECT_EQ(refusal.field, "");
    EXPECT_THAT(refusal.detail, HasSubstr(c.detail));
    // The body could not be read: the header's id (KH-CNP.md §8).
    EXPECT_EQ(refusal.message_id, kRequestId);
    // Never a value of the document.
    EXPECT_THAT(refusal.detail, ::testing::Not(HasSubstr("CESHI")));
  }
}

TEST_F(DecodeTest, SchemaViolationsNameTheElementAsSection8) {
  struct Case {
    std::string name;
    std::string path;
    std::string body;
    std::string id;
    std::string location;
    std::string detail;  // exact when it starts with "Element"
  };
  const std::string xml = RequestXml();
  const std::string request =
      "/tip:RepatriationRequestMessage/"
      "tip:RepatriationRequest/";
  const std::vector<Case> cases = {
      // The rejection example's rule (§10).
      {"missing element", kDecisions,
       Replace(DecisionXml(),
               "    <tip:DecidingAgencyCode>VN-MPS</tip:DecidingAgencyCode>\n",
               ""),
       kDecisionId,
       "/tip:RepatriationDecisionMessage/tip:RepatriationDecision/"
       "tip:DecisionDateTime",
       "Element 'tip:DecisionDateTime': This element is not expected. "
       "Expected is ( tip:DecidingAgencyCode )."},
      {"wrong order", kRequests,
       Replace(xml,
               "    <tip:IdentityVerifiedIndicator>true"
               "</tip:IdentityVerifiedIndicator>\n"
               "    <tip:NationalityVerifiedIndicator>false"
               "</tip:NationalityVerifiedIndicator>\n",
               "    <tip:NationalityVerifiedIndicator>false"
               "</tip:NationalityVerifiedIndicator>\n"
               "    <tip:IdentityVerifiedIndicator>true"
               "</tip:IdentityVerifiedIndicator>\n"),
       kRequestId, request + "tip:NationalityVerifiedIndicator",
       "Element 'tip:NationalityVerifiedIndicator': This element is not "
       "expected. Expected is ( tip:IdentityVerifiedIndicator )."},
      {"missing last child", kRequests,
       Replace(xml, "      <tip:HandoverDate>2026-04-07</tip:HandoverDate>\n",
               ""),
       kRequestId, request + "tip:ProposedHandover", ""},
      {"bad value", kRequests,
       Replace(xml, "<tip:Date>2010-11-20</tip:Date>",
               "<tip:Date>2010-13-20</tip:Date>"),
       kRequestId, request + "tip:VictimPerson/tip:PersonBirthDate/tip:Date",
       "Element 'tip:Date': the value is not a valid value of its type."},
      {"bad attribute", kRequests,
       Replace(xml, "<tip:AssessmentSummary lang=\"en\">",
               "<tip:AssessmentSummary lang=\"EN\">"),
       kRequestId,
       request + "tip:BestInterestsAssessment/tip:AssessmentSummary[2]",
       "Element 'tip:AssessmentSummary', attribute 'lang': the value does "
       "not match the pattern of its type."},
      {"control character in a name", kRequests,
       Replace(xml, "<tip:PersonGivenName>Hua</tip:PersonGivenName>",
               "<tip:PersonGivenName>H&#x9;ua</tip:PersonGivenName>"),
       kRequestId,
       request + "tip:VictimPerson/tip:PersonName[2]/tip:PersonGivenName",
       "Element 'tip:PersonGivenName': the value does not match the pattern "
       "of its type."},
      {"unknown element", kRequests,
       Replace(Replace(xml, "<tip:TravelDocument>", "<tip:Passport>"),
               "</tip:TravelDocument>", "</tip:Passport>"),
       kRequestId, request + "tip:Passport", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const HttpRefusal refusal = Refused(c.path, c.body, c.id);
    EXPECT_EQ(refusal.http_status, 400);
    EXPECT_EQ(refusal.code, "SCHEMA_VIOLATION");
    EXPECT_EQ(refusal.field, c.location);
    if (!c.detail.empty()) {
      EXPECT_EQ(refusal.detail, c.detail);
    }
    EXPECT_THAT(refusal.detail, ::testing::Not(HasSubstr("urn:vn")));
    EXPECT_THAT(refusal.detail, ::testing::Not(HasSubstr("2010-13")));
    // The body's MessageID could be read.
    EXPECT_EQ(refusal.message_id, c.id);
  }
}

TEST_F(DecodeTest, NonNfcIsNormalizedBeforeTheSchemaIsChecked) {
  // NFD "ể" in a name that is also too long: SCHEMA_VIOLATION, not NOT_NFC.
  const std::string nfd = "Ki\x65\xCC\x82\xCC\x89m";
  std::string long_name;
  for (int i = 0; i < 30; ++i) absl::StrAppend(&long_name, nfd);  // > 100
  const std::string body = Replace(
      RequestXml(), "<tip:PersonSurName>CESHI</tip:PersonSurName>",
      absl::StrCat("<tip:PersonSurName>", long_name, "</tip:PersonSurName>"));
  const HttpRefusal refusal = Refused(kRequests, body, kRequestId);
  EXPECT_EQ(refusal.code, "SCHEMA_VIOLATION");
  EXPECT_EQ(refusal.field,
            "/tip:RepatriationRequestMessage/tip:RepatriationRequest/"
            "tip:VictimPerson/tip:PersonName[2]/tip:PersonSurName");

  // 30 NFC "Kiểm" are 120 characters too; 24 are 96: within the limit
  // only after normalization (NFD: 6 code points each, 144).
  std::string fits;
  for (int i = 0; i < 24; ++i) absl::StrAppend(&fits, nfd);
  auto decoded = Decode(
      kRequests,
      Replace(
          RequestXml(), "<tip:PersonSurName>CESHI</tip:PersonSurName>",
          absl::StrCat("<tip:PersonSurName>", fits, "</tip:PersonSurName>")),
      kRequestId);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_EQ(decoded->warnings.size(), 1u);
  EXPECT_EQ(decoded->warnings[0].field(),
            "/tip:RepatriationRequestMessage/tip:RepatriationRequest/"
            "tip:VictimPerson/tip:PersonName[2]/tip:PersonSurName");
  gw::v1::RepatriationRequest request;
  ASSERT_TRUE(request.ParseFromString(decoded->envelope.payload()));
  EXPECT_EQ(request.victim().names(1).family().size(), 24u * 6);  // "Kiểm"
}

TEST_F(DecodeTest, TextSplitByCommentsOrCdataIsNormalizedAsAWhole) {
  // "Trẻ" with its hook above after a comment or in a CDATA section: each
  // text node is NFC on its own, their join is not.
  const std::string summary =
      "/tip:RepatriationRequestMessage/tip:RepatriationRequest/"
      "tip:BestInterestsAssessment/tip:AssessmentSummary[1]";
  for (const std::string split :
       {"Tre<!---->\xCC\x89 mong", "Tre<!-- -->&#x309; mong",
        "Tre<![CDATA[\xCC\x89]]> mong", "Tre<?pi?>\xCC\x89 mong"}) {
    SCOPED_TRACE(split);
    auto decoded =
        Decode(kRequests, Replace(RequestXml(), "Trẻ mong", split), kRequestId);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    ASSERT_EQ(decoded->warnings.size(), 1u);
    EXPECT_EQ(decoded->warnings[0].code(), "NORMALIZED_NFC");
    EXPECT_EQ(decoded->warnings[0].field(), summary);
    gw::v1::RepatriationRequest request;
    ASSERT_TRUE(request.ParseFromString(decoded->envelope.payload()));
    EXPECT_EQ(request.best_interests_assessment().summary(0).text(),
              "Trẻ mong muốn được trở về với gia đình.");
    EXPECT_TRUE(MessageDifferencer::Equals(request, testing::ExampleRequest()))
        << request.DebugString();
  }
  // A comment alone changes nothing.
  auto decoded =
      Decode(kRequests, Replace(RequestXml(), "Trẻ mong", "Trẻ<!-- x --> mong"),
             kRequestId);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_TRUE(decoded->warnings.empty());
}

TEST_F(DecodeTest, AUtf16DocumentIsMalformed) {
  std::string utf16;
  for (char c : Replace(RequestXml(), "encoding=\"UTF-8\"", "")) {
    if (static_cast<unsigned char>(c) >= 0x80) continue;  // ASCII only
    utf16.push_back(c);
    utf16.push_back('\0');
  }
  const HttpRefusal refusal = Refused(kRequests, utf16, kRequestId);
  EXPECT_EQ(refusal.http_status, 400);
  EXPECT_EQ(refusal.code, "MALFORMED_XML");
  EXPECT_EQ(refusal.field, "");
}

TEST_F(DecodeTest, ValuesAreReadAsTheSchemaCollapsesTheirWhiteSpace) {
  const gw::v1::RepatriationRequest expected = testing::ExampleRequest();
  std::string xml = RequestXml();
  xml = Replace(xml, ">true</tip:IdentityVerifiedIndicator>",
                "> true\n</tip:IdentityVerifiedIndicator>");
  xml = Replace(xml, ">false</tip:NationalityVerifiedIndicator>",
                ">\tfalse </tip:NationalityVerifiedIndicator>");
  xml = Replace(xml, ">2026-03-14T03:20:00Z<", ">\n 2026-03-14T03:20:00Z \n<");
  xml = Replace(xml, "<tip:Date>2010-11-20<", "<tip:Date> 2010-11-20<");
  xml = Replace(xml, ">2030-05-31<", ">2030-05-31\r\n<");
  xml = Replace(xml, ">2026-03-12<", ">\t2026-03-12\t<");
  xml = Replace(xml, ">2026-04-07<", "> 2026-04-07 <");
  xml = Replace(xml, "<tip:PersonEstimatedAge>15<",
                "<tip:PersonEstimatedAge> 15 <");
  xml = Replace(xml, "<tip:TracingNote lang=\"en\">",
                "<tip:TracingNote lang=\" en \">");
  auto decoded = Decode(kRequests, xml, kRequestId);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  gw::v1::RepatriationRequest request;
  ASSERT_TRUE(request.ParseFromString(decoded->envelope.payload()));
  EXPECT_TRUE(MessageDifferencer::Equals(request, expected))
      << request.DebugString();

  // Both values the other way round.
  xml = Replace(xml, "> true\n</tip:IdentityVerifiedIndicator>",
                ">\nfalse </tip:IdentityVerifiedIndicator>");
  xml = Replace(xml, ">\tfalse </tip:NationalityVerifiedIndicator>",
                "> true </tip:NationalityVerifiedIndicator>");
  decoded = Decode(kRequests, xml, kRequestId);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_TRUE(request.ParseFromString(decoded->envelope.payload()));
  EXPECT_FALSE(request.identity_verified());
  EXPECT_TRUE(request.nationality_verified());

  // An instant of a decision.
  auto decision = Decode(kDecisions,
                         Replace(DecisionXml(), ">2026-03-14T10:00:00+07:00<",
                                 ">  2026-03-14T10:00:00+07:00\n<"),
                         kDecisionId);
  ASSERT_TRUE(decision.ok()) << decision.status();
  gw::v1::RepatriationRecord record;
  ASSERT_TRUE(record.ParseFromString(decision->envelope.payload()));
  EXPECT_EQ(record.history(0).at().seconds(),
            Ts("2026-03-14T03:00:00Z").seconds());
}

TEST_F(DecodeTest, IndicatorsAreTrueOrFalseOnly) {
  // xs:boolean also has "1" and "0"; IndicatorType's pattern allows
  // neither, so VN-MPS.xsd refuses them rather than one being misread.
  for (const char* value : {"1", "0", " 1 "}) {
    SCOPED_TRACE(value);
    const HttpRefusal refusal = Refused(
        kRequests,
        Replace(RequestXml(), ">true</tip:IdentityVerifiedIndicator>",
                absl::StrCat(">", value, "</tip:IdentityVerifiedIndicator>")),
        kRequestId);
    EXPECT_EQ(refusal.code, "SCHEMA_VIOLATION");
    EXPECT_EQ(refusal.field,
              "/tip:RepatriationRequestMessage/tip:RepatriationRequest/"
              "tip:IdentityVerifiedIndicator");
  }
}

TEST_F(DecodeTest, TheRootMustBeADataMessageFittingThePath) {
  // A valid document, but an acknowledgement.
  HttpRefusal refusal =
      Refused(kRequests, ReadExample("ack-202-inbound.xml"), kRequestId);
  EXPECT_EQ(refusal.code, "WRONG_ENDPOINT");
  EXPECT_EQ(refusal.http_status, 400);
  EXPECT_EQ(refusal.field, "/tip:Acknowledgement");
  EXPECT_EQ(refusal.message_id, kRequestId);

  // A request posted to the alerts endpoint.
  refusal = Refused(kAlerts, RequestXml(), kRequestId);
  EXPECT_EQ(refusal.code, "WRONG_ENDPOINT");
  EXPECT_EQ(refusal.field, "/tip:RepatriationRequestMessage");
  EXPECT_EQ(refusal.message_id, kRequestId);
}

TEST_F(DecodeTest, MessageIdMustBeTheHeaders) {
  const HttpRefusal refusal = Refused(kRequests, RequestXml(), kOtherId);
  EXPECT_EQ(refusal.code, "HEADER_MISMATCH");
  EXPECT_EQ(refusal.http_status, 400);
  EXPECT_EQ(refusal.field,
            "/tip:RepatriationRequestMessage/tip:MessageHeader/tip:MessageID");
  // The body's id names the refused message.
  EXPECT_EQ(refusal.message_id, kRequestId);
}

TEST_F(DecodeTest, ScheduledHandoverGoesWithItsState) {
  HttpRefusal refusal =
      Refused(kDecisions, DecisionXml("APPROVED", kHandover), kDecisionId);
  EXPECT_EQ(refusal.code, "SCHEMA_VIOLATION");
  EXPECT_EQ(refusal.field,
            "/tip:RepatriationDecisionMessage/tip:RepatriationDecision/"
            "tip:ScheduledHandover");
  refusal = Refused(kDecisions, DecisionXml("HANDOVER_SCHEDULED"), kDecisionId);
  EXPECT_EQ(refusal.code, "SCHEMA_VIOLATION");
  EXPECT_EQ(refusal.field,
            "/tip:RepatriationDecisionMessage/tip:RepatriationDecision/"
            "tip:RepatriationStateCode");
  EXPECT_TRUE(Decode(kDecisions, DecisionXml("HANDOVER_SCHEDULED", kHandover),
                     kDecisionId)
                  .ok());
}

// An alert VN-MPS sends with one attachment of `content`.
std::string AlertWithAttachment(const Link& link, const std::string& content) {
  gw::v1::CaseAlert alert = testing::ExampleAlert();
  alert.set_origin_agency("VN-MPS");
  alert.set_originator("vn-liaison-01");
  alert.clear_recipients();
  alert.add_recipients("CN-MPS");
  gw::v1::Attachment* attachment = alert.add_attachments();
  attachment->set_name("photo.jpg");
  attachment->set_media_type("image/jpeg");
  attachment->set_content(content);
  attachment->set_sha256(crypto::Sha256Hex(content));
  auto encoded = link.PartnerCodec(kNow)->Encode(
      testing::Outbound(kRequestId, kCaseAlertPayloadType, alert, "CN-MPS"));
  EXPECT_TRUE(encoded.ok()) << encoded.status();
  return encoded.ok() ? encoded->bytes : "";
}

TEST_F(DecodeTest, AttachmentContentMustMatchItsSizeAndDigest) {
  const std::string xml = AlertWithAttachment(link_, "JPEGDATA");
  ASSERT_THAT(xml, HasSubstr("<tip:AttachmentBinaryBase64>"));
  EXPECT_TRUE(Decode(kAlerts, xml, kRequestId).ok());
  const std::string attachment =
      "/tip:CaseAlertMessage/tip:CaseAlert/tip:Attachment/";
  HttpRefusal refusal = Refused(kAlerts,
                                Replace(xml, "<tip:AttachmentSizeMeasure>8<",
                                        "<tip:AttachmentSizeMeasure>9<"),
                                kRequestId);
  EXPECT_EQ(refusal.code, "SCHEMA_VIOLATION");
  EXPECT_EQ(refusal.field, attachment + "tip:AttachmentSizeMeasure");
  refusal = Refused(
      kAlerts,
      Replace(xml, crypto::Sha256Hex("JPEGDATA"), crypto::Sha256Hex("OTHER")),
      kRequestId);
  EXPECT_EQ(refusal.code, "SCHEMA_VIOLATION");
  EXPECT_EQ(refusal.field, attachment + "tip:AttachmentSHA256");
}

TEST_F(DecodeTest, DatesAndInstantsMustBeReal) {
  // 24:00:00 passes libxml2's xs:dateTime; it is no instant of §5.4.
  HttpRefusal refusal =
      Refused(kDecisions,
              Replace(DecisionXml(), "2026-03-14T10:00:00+07:00",
                      "2024-02-29T24:00:00Z"),
              kDecisionId);
  EXPECT_EQ(refusal.code, "SCHEMA_VIOLATION");
  EXPECT_EQ(refusal.field,
            "/tip:RepatriationDecisionMessage/tip:RepatriationDecision/"
            "tip:DecisionDateTime");
  EXPECT_THAT(refusal.detail, HasSubstr("not a real instant"));
  EXPECT_EQ(refusal.message_id, kDecisionId);
}

TEST_F(DecodeTest, AgenciesMustBeTheCertificatesAndOurs) {
  HttpRefusal refusal =
      Refused(kDecisions,
              Replace(DecisionXml(),
                      "<tip:SenderAgencyCode>VN-MPS</tip:SenderAgencyCode>",
                      "<tip:SenderAgencyCode>KH-CNP</tip:SenderAgencyCode>"),
              kDecisionId);
  EXPECT_EQ(refusal.http_status, 403);
  EXPECT_EQ(refusal.code, "AGENCY_MISMATCH");
  EXPECT_EQ(refusal.field,
            "/tip:RepatriationDecisionMessage/tip:MessageHeader/"
            "tip:SenderAgencyCode");
  refusal = Refused(
      kDecisions,
      Replace(DecisionXml(),
              "<tip:RecipientAgencyCode>CN-MPS</tip:RecipientAgencyCode>",
              "<tip:RecipientAgencyCode>TH-RTP</tip:RecipientAgencyCode>"),
      kDecisionId);
  EXPECT_EQ(refusal.http_status, 403);
  EXPECT_EQ(refusal.code, "AGENCY_MISMATCH");
  EXPECT_EQ(refusal.field,
            "/tip:RepatriationDecisionMessage/tip:MessageHeader/"
            "tip:RecipientAgencyCode");
}

TEST_F(DecodeTest, TheEarlierStepWins) {
  const std::string foreign =
      Replace(DecisionXml(), "<tip:SenderAgencyCode>VN-MPS<",
              "<tip:SenderAgencyCode>KH-CNP<");
  // Agency and id: the id (step 5) before the agency (step 8).
  EXPECT_EQ(Refused(kDecisions, foreign, kOtherId).code, "HEADER_MISMATCH");
  // Agency and path: the path (step 6).
  EXPECT_EQ(Refused(kRequests, foreign, kDecisionId).code, "WRONG_ENDPOINT");
  // Agency and handover rule (step 7).
  EXPECT_EQ(Refused(kDecisions,
                    Replace(foreign, "    <tip:DecisionReason",
                            std::string(kHandover) + "    <tip:DecisionReason"),
                    kDecisionId)
                .code,
            "SCHEMA_VIOLATION");
  // Agency and a date that is not real.
  const HttpRefusal date = Refused(
      kDecisions,
      Replace(foreign, "2026-03-14T10:00:00+07:00", "2024-02-29T24:00:00Z"),
      kDecisionId);
  EXPECT_EQ(date.code, "SCHEMA_VIOLATION");
  // Schema and id: the schema (step 3).
  EXPECT_EQ(
      Refused(kDecisions,
              Replace(Replace(foreign, "<tip:RequestID>", "<tip:RequestId>"),
                      "</tip:RequestID>", "</tip:RequestId>"),
              kOtherId)
          .code,
      "SCHEMA_VIOLATION");
  // Not well-formed and everything else: MALFORMED_XML.
  EXPECT_EQ(Refused(kAlerts,
                    Replace(foreign, "<tip:RepatriationDecisionMessage",
                            "<!DOCTYPE x>\n<tip:RepatriationDecisionMessage"),
                    kOtherId)
                .code,
            "MALFORMED_XML");
}

TEST_F(DecodeTest, TheChecksBeforeTheBodyComeFirst) {
  // Steps 2-10 (signed_http::CheckReceivedRequest): no location, no id.
  adapters::PartnerMessage request =
      link_.SignedRequest(kRequests, "<not xml", kRequestId, kNow, "text/xml");
  auto decoded = link_.Gateway(kNow)->Decode("VN-MPS", request);
  ASSERT_FALSE(decoded.ok());
  std::optional<HttpRefusal> refusal =
      signed_http::HttpRefusalOf(decoded.status());
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->http_status, 415);
  EXPECT_EQ(refusal->message_id, "");

  request =
      link_.SignedRequest("/gw/vn/v1/other", RequestXml(), kRequestId, kNow);
  decoded = link_.Gateway(kNow)->Decode("VN-MPS", request);
  refusal = signed_http::HttpRefusalOf(decoded.status());
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->http_status, 404);
  EXPECT_EQ(refusal->code, "WRONG_ENDPOINT");

  // The three media types of §2.3.
  for (const char* type : {"application/xml", "Application/XML; charset=UTF-8",
                           "text/xml; charset=utf-8"}) {
    SCOPED_TRACE(type);
    request =
        link_.SignedRequest(kRequests, RequestXml(), kRequestId, kNow, type);
    EXPECT_TRUE(link_.Gateway(kNow)->Decode("VN-MPS", request).ok());
  }
}

// Round trips: a document VN-MPS writes (our encoder on its side) decodes
// to the canonical message it came from.
class RoundTripTest : public DecodeTest {
 protected:
  template <typename Message>
  Message RoundTrip(const Message& message, absl::string_view payload_type,
                    absl::string_view path) {
    auto encoded = link_.PartnerCodec(kNow)->Encode(
        testing::Outbound(kRequestId, payload_type, message, "CN-MPS"));
    EXPECT_TRUE(encoded.ok()) << encoded.status();
    Message out;
    if (!encoded.ok()) return out;
    auto decoded = Decode(path, encoded->bytes, kRequestId);
    EXPECT_TRUE(decoded.ok()) << decoded.status();
    if (!decoded.ok()) return out;
    EXPECT_EQ(decoded->envelope.payload_type(), payload_type);
    EXPECT_TRUE(out.ParseFromString(decoded->envelope.payload()));
    return out;
  }
};

TEST_F(RoundTripTest, Alert) {
  gw::v1::CaseAlert alert = testing::ExampleAlert();
  alert.set_origin_agency("VN-MPS");
  alert.clear_recipients();
  alert.add_recipients("CN-MPS");
  gw::v1::Attachment* attachment = alert.add_attachments();
  attachment->set_name("photo.jpg");
  attachment->set_media_type("image/jpeg");
  attachment->set_content(std::string("\x00\xFF\x10 binary", 9));
  attachment->set_sha256(crypto::Sha256Hex(attachment->content()));
  gw::v1::Subject* witness = alert.add_subjects();
  witness->set_role(gw::v1::Subject::WITNESS);
  gw::v1::PersonName* name = witness->mutable_person()->add_names();
  name->set_script("Hani");
  name->set_full("测试明");
  witness->mutable_person()->set_sex(gw::v1::Person::UNKNOWN);
  witness->mutable_person()->set_date_of_birth("1990-05");
  const gw::v1::CaseAlert back =
      RoundTrip(alert, kCaseAlertPayloadType, kAlerts);
  EXPECT_TRUE(MessageDifferencer::Equals(back, alert)) << back.DebugString();
}

TEST_F(RoundTripTest, Request) {
  const gw::v1::RepatriationRequest request = testing::ExampleRequest();
  const gw::v1::RepatriationRequest back =
      RoundTrip(request, kRepatriationRequestPayloadType, kRequests);
  EXPECT_TRUE(MessageDifferencer::Equals(back, request)) << back.DebugString();
}

TEST_F(RoundTripTest, Decision) {
  gw::v1::RepatriationRecord record;
  record.mutable_request()->set_request_id("CN-MPS-RQ-2026-0001");
  record.mutable_request()->set_case_ref("CN-YN-XSBN-2026-0042");
  record.mutable_request()->mutable_proposed_handover()->set_border_point(
      "Cửa khẩu Móng Cái");
  record.mutable_request()->mutable_proposed_handover()->set_date("2026-04-07");
  record.set_state(gw::v1::RepatriationRecord::HANDOVER_SCHEDULED);
  gw::v1::RepatriationEvent* event = record.add_history();
  event->set_to_state(gw::v1::RepatriationRecord::HANDOVER_SCHEDULED);
  event->set_actor_agency("VN-MPS");
  *event->mutable_at() = Ts("2026-03-14T03:00:00Z");
  gw::v1::LanguageText* reason = event->add_reason();
  reason->set_lang("vi");
  reason->set_text("Bàn giao tại cửa khẩu.");
  *record.mutable_updated_at() = Ts("2026-03-14T03:00:05Z");
  const gw::v1::RepatriationRecord back =
      RoundTrip(record, kRepatriationRecordPayloadType, kDecisions);
  EXPECT_TRUE(MessageDifferencer::Equals(back, record)) << back.DebugString();
}

TEST_F(RoundTripTest, Status) {
  gw::v1::CaseStatus status;
  status.set_case_ref("VN-MPS-CASE-2026-0088");
  status.set_owner_agency("VN-MPS");
  status.set_state(gw::v1::CaseStatus::VICTIM_LOCATED);
  *status.mutable_updated_at() = Ts("2026-03-14T03:00:00Z");
  status.add_shared_with("CN-MPS");
  status.add_shared_with("KH-CNP");
  gw::v1::LanguageText* note = status.add_note();
  note->set_lang("en");
  note->set_text("Found in a shelter.\nSafe.");
  const gw::v1::CaseStatus back =
      RoundTrip(status, kCaseStatusPayloadType, kStatus);
  EXPECT_TRUE(MessageDifferencer::Equals(back, status)) << back.DebugString();
}

TEST_F(RoundTripTest, ValuesGwV1LacksAreReported) {
  gw::v1::RepatriationRequest request = testing::ExampleRequest();
  auto encoded = link_.PartnerCodec(kNow)->Encode(testing::Outbound(
      kRequestId, kRepatriationRequestPayloadType, request, "CN-MPS"));
  ASSERT_TRUE(encoded.ok());
  auto decoded =
      Decode(kRequests, Replace(encoded->bytes, ">RETURN<", ">NOT_REQUIRED<"),
             kRequestId);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_EQ(decoded->warnings.size(), 1u);
  EXPECT_EQ(decoded->warnings[0].code(), "VALUE_NOT_REPRESENTABLE");
  EXPECT_EQ(decoded->warnings[0].field(), "best_interests_assessment.outcome");
}

}  // namespace
}  // namespace gw::vn_mps
