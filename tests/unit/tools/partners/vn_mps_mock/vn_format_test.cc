// tests/unit/tools/partners/vn_mps_mock/vn_format_test.cc
//
// VnMpsFormat as VN-MPS: §6 step 11 in its order (each check alone, and
// which one wins when a body breaks several), the error locations and texts
// of §8 (the §10 rejection reproduced from the check itself, byte for
// byte), the acknowledgement and rejection bodies of the examples byte for
// byte, and the reading of the gateway's answers with their warnings.
#include "tools/partners/vn_mps_mock/vn_format.h"

#include <memory>
#include <string>
#include <variant>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gateway/crypto/sha256.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/tools/partners/vn_mps_mock/vn_examples.h"
#include "tools/partners/vn_mps_mock/vn_xml.h"

namespace gw::vn_mps_mock {
namespace {

using http_mock::Accepted;
using http_mock::Endpoint;
using http_mock::Refusal;
using testing::DecisionBody;
using testing::DecisionDocument;
using testing::Example;
using testing::ExampleXmlNames;
using ::testing::HasSubstr;
using testing::kDecisionMessageId;
using ::testing::Not;
using testing::ReplaceOnce;

constexpr char kAlertId[] = "37c8e64b-0095-5398-8717-4b2f2a27a274";
constexpr char kRequestId[] = "67a082c3-13e2-5640-9cd4-7b934aec4b9e";
constexpr char kNfdRequestId[] = "5a192048-2580-59de-985b-71faa4040609";

class VnFormatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<VnMpsFormat>> format = VnMpsFormat::Create();
    ASSERT_TRUE(format.ok()) << format.status();
    format_ = *std::move(format);
  }

  Endpoint PartnerEndpoint(const std::string& kind) const {
    for (const Endpoint& e : format_->partner_endpoints()) {
      if (e.kind == kind) return e;
    }
    ADD_FAILURE() << "no endpoint " << kind;
    return {};
  }
  Endpoint GatewayEndpoint(const std::string& kind) const {
    for (const Endpoint& e : format_->gateway_endpoints()) {
      if (e.kind == kind) return e;
    }
    ADD_FAILURE() << "no endpoint " << kind;
    return {};
  }

  // The gateway's outbound alert (alert-outbound.xml) as VN-MPS receives
  // it, possibly altered.
  std::variant<Accepted, Refusal> CheckAlert(const std::string& body,
                                             const std::string& kind = "alert",
                                             const std::string& id = kAlertId) {
    return format_->CheckBody(PartnerEndpoint(kind), body, id, "CN-MPS",
                              "VN-MPS");
  }
  std::variant<Accepted, Refusal> CheckDecision(const std::string& body) {
    return format_->CheckBody(PartnerEndpoint("repatriation_decision"), body,
                              kDecisionMessageId, "CN-MPS", "VN-MPS");
  }

  static Refusal RefusalOf(const std::variant<Accepted, Refusal>& result) {
    EXPECT_TRUE(std::holds_alternative<Refusal>(result))
        << "accepted, expected a refusal";
    return std::holds_alternative<Refusal>(result) ? std::get<Refusal>(result)
                                                   : Refusal{};
  }
  static Accepted AcceptedOf(const std::variant<Accepted, Refusal>& result) {
    if (std::holds_alternative<Refusal>(result)) {
      const Refusal& r = std::get<Refusal>(result);
      ADD_FAILURE() << "refused: " << r.http_status << " " << r.code << " "
                    << r.location << " " << r.detail;
      return {};
    }
    return std::get<Accepted>(result);
  }

  std::unique_ptr<VnMpsFormat> format_;
};

TEST_F(VnFormatTest, EveryExampleValidatesAgainstTheXsd) {
  for (const std::string& name : ExampleXmlNames()) {
    absl::StatusOr<XmlDocPtr> doc = ParseVnXml(Example(name));
    ASSERT_TRUE(doc.ok()) << name;
    const std::optional<SchemaViolation> violation =
        format_->schema().Validate(doc->get());
    EXPECT_FALSE(violation.has_value())
        << name << ": " << violation->location << " " << violation->detail;
  }
}

TEST_F(VnFormatTest, EndpointsAndMediaTypesAreThoseOfSection2) {
  std::vector<std::string> paths;
  for (const Endpoint& e : format_->partner_endpoints())
    paths.push_back(e.path);
  for (const Endpoint& e : format_->gateway_endpoints())
    paths.push_back(e.path);
  EXPECT_THAT(paths,
              ::testing::ElementsAre(
                  "/tip/v1/alerts", "/tip/v1/repatriation-requests",
                  "/tip/v1/repatriation-decisions", "/tip/v1/case-status",
                  "/gw/vn/v1/alerts", "/gw/vn/v1/repatriation-requests",
                  "/gw/vn/v1/repatriation-decisions", "/gw/vn/v1/case-status"));
  EXPECT_THAT(format_->accepted_media_types(),
              ::testing::UnorderedElementsAre("application/xml",
                                              "application/xml; charset=utf-8",
                                              "text/xml; charset=utf-8"));
  EXPECT_EQ(format_->media_type(), "application/xml");
  EXPECT_EQ(format_->agency(), "VN-MPS");
}

TEST_F(VnFormatTest, AcceptsTheGatewaysAlertAndSummarisesIt) {
  const Accepted accepted =
      AcceptedOf(CheckAlert(Example("alert-outbound.xml")));
  EXPECT_EQ(accepted.message_id, kAlertId);
  EXPECT_EQ(accepted.kind, "alert");
  EXPECT_EQ(accepted.case_ref, "CN-YN-XSBN-2026-0042");
  EXPECT_EQ(accepted.case_ref_location,
            "/tip:CaseAlertMessage/tip:CaseAlert/tip:CaseReference");
  EXPECT_FALSE(accepted.business_refusal.has_value());
  const nlohmann::json& s = accepted.summary;
  EXPECT_EQ(s["alert_id"], "CNMPS-ALERT-2026-000733");
  EXPECT_EQ(s["sender"], "CN-MPS");
  EXPECT_EQ(s["recipients"], nlohmann::json::array({"VN-MPS"}));
  EXPECT_EQ(s["narrative_langs"], nlohmann::json::array({"en", "zh"}));
  const nlohmann::json& person = s["subjects"][0]["person"];
  EXPECT_EQ(s["subjects"][0]["role"], "VICTIM");
  EXPECT_EQ(person["birth_date"], "2011-08-05");
  EXPECT_EQ(person["names"][0], nlohmann::json({{"script", "Latn"},
                                                {"surname", "Kiểm"},
                                                {"middle", "Thị"},
                                                {"given", "Thử"},
                                                {"full", "Kiểm Thị Thử"}}));
  EXPECT_EQ(person["names"][1]["full"], "Kiem Thi Thu");
  EXPECT_EQ(s["exact_serialization"], true);
}

TEST_F(VnFormatTest, NotesABodyThatIsNotInTheSection33Form) {
  const std::string body =
      ReplaceOnce(Example("alert-outbound.xml"), "  <tip:MessageHeader>",
                  "<tip:MessageHeader>");
  EXPECT_EQ(AcceptedOf(CheckAlert(body)).summary["exact_serialization"], false);
}

// ------------------------------------------------------------ 1 MALFORMED

TEST_F(VnFormatTest, MalformedXmlCarriesTheHeaderIdAndNoLocation) {
  const Refusal refusal = RefusalOf(CheckAlert("<tip:CaseAlertMessage"));
  EXPECT_EQ(refusal.http_status, 400);
  EXPECT_EQ(refusal.code, "MALFORMED_XML");
  EXPECT_EQ(refusal.location, "");
  EXPECT_EQ(refusal.message_id, kAlertId);
  // No valid id anywhere: none.
  const Refusal anonymous =
      RefusalOf(CheckAlert("<tip:CaseAlertMessage", "alert", "not-an-id"));
  EXPECT_EQ(anonymous.message_id, "");
}

TEST_F(VnFormatTest, DoctypeIsMalformedXmlEvenWhenTheRestIsPerfect) {
  const std::string body =
      ReplaceOnce(Example("alert-outbound.xml"), "<tip:CaseAlertMessage ",
                  "<!DOCTYPE tip:CaseAlertMessage [<!ENTITY x SYSTEM "
                  "\"file:///etc/passwd\">]>\n<tip:CaseAlertMessage ");
  const Refusal refusal = RefusalOf(CheckAlert(body));
  EXPECT_EQ(refusal.code, "MALFORMED_XML");
  EXPECT_THAT(refusal.detail, HasSubstr("DOCTYPE"));
}

// -------------------------------------------------------------- 2 NOT_NFC

TEST_F(VnFormatTest, NfdRequestIsNotNfcAtItsFirstDecomposedElement) {
  const Refusal refusal = RefusalOf(
      format_->CheckBody(GatewayEndpoint("repatriation_request"),
                         Example("repatriation-request-inbound-nfd.xml"),
                         kNfdRequestId, "VN-MPS", "CN-MPS"));
  EXPECT_EQ(refusal.http_status, 400);
  EXPECT_EQ(refusal.code, "NOT_NFC");
  EXPECT_EQ(refusal.location,
            "/tip:RepatriationRequestMessage/tip:RepatriationRequest/"
            "tip:BestInterestsAssessment/tip:AssessmentSummary[1]");
  EXPECT_EQ(refusal.message_id, kNfdRequestId);
  EXPECT_THAT(refusal.detail, HasSubstr("tip:AssessmentSummary"));
  EXPECT_THAT(refusal.detail, Not(HasSubstr("Trẻ")));
}

TEST_F(VnFormatTest, NotNfcComesBeforeTheSchema) {
  // NFD surname and an unknown element: §5.1, NFC is checked first.
  std::string body =
      ReplaceOnce(Example("alert-outbound.xml"), "<tip:PersonSurName>Kiểm<",
                  "<tip:PersonSurName>Kiê\xCC\x89m<");
  body = ReplaceOnce(body, "<tip:HandlingCode>H2</tip:HandlingCode>",
                     "<tip:HandlingCode>H9</tip:HandlingCode>");
  const Refusal refusal = RefusalOf(CheckAlert(body));
  EXPECT_EQ(refusal.code, "NOT_NFC");
  EXPECT_EQ(refusal.location,
            "/tip:CaseAlertMessage/tip:CaseAlert/tip:AlertSubject/tip:Person/"
            "tip:PersonName[1]/tip:PersonSurName");
}

// ----------------------------------------------------- 3 SCHEMA_VIOLATION

TEST_F(VnFormatTest, DecisionWithoutDecidingAgencyIsTheRejectionOfSection10) {
  const std::string body = DecisionDocument(ReplaceOnce(
      DecisionBody(),
      "    <tip:DecidingAgencyCode>CN-MPS</tip:DecidingAgencyCode>\n", ""));
  const Refusal refusal = RefusalOf(CheckDecision(body));
  EXPECT_EQ(refusal.http_status, 400);
  EXPECT_EQ(refusal.code, "SCHEMA_VIOLATION");
  EXPECT_EQ(refusal.location,
            "/tip:RepatriationDecisionMessage/tip:RepatriationDecision/"
            "tip:DecisionDateTime");
  EXPECT_EQ(refusal.message_id, kDecisionMessageId);
  // ... and the rejection VN-MPS writes for it is the example, byte for
  // byte (VN-MPS.md §10).
  EXPECT_EQ(
      format_->MakeError(refusal, "VN-MPS", "CN-MPS", "2026-03-14T05:00:01Z"),
      Example("rejection-400-inbound.xml"));
}

TEST_F(VnFormatTest, SchemaLocationsFollowSection8) {
  // A missing element with nothing after it: the parent.
  const std::string no_header_child =
      ReplaceOnce(Example("alert-outbound.xml"),
                  "    <tip:MessageCreatedDateTime>2026-03-14T02:30:00Z"
                  "</tip:MessageCreatedDateTime>\n",
                  "");
  Refusal refusal = RefusalOf(CheckAlert(no_header_child));
  EXPECT_EQ(refusal.code, "SCHEMA_VIOLATION");
  EXPECT_EQ(refusal.location, "/tip:CaseAlertMessage/tip:MessageHeader");
  // A bad attribute: the element that holds it.
  refusal = RefusalOf(CheckAlert(
      ReplaceOnce(Example("alert-outbound.xml"), "<tip:Narrative lang=\"zh\">",
                  "<tip:Narrative lang=\"Chinese!\">")));
  EXPECT_EQ(refusal.code, "SCHEMA_VIOLATION");
  EXPECT_EQ(refusal.location,
            "/tip:CaseAlertMessage/tip:CaseAlert/tip:Narrative[2]");
  // A bad value: its element, and the text does not repeat the value.
  refusal = RefusalOf(CheckAlert(ReplaceOnce(Example("alert-outbound.xml"),
                                             "<tip:Date>2011-08-05<",
                                             "<tip:Date>2011-13-05<")));
  EXPECT_EQ(refusal.location,
            "/tip:CaseAlertMessage/tip:CaseAlert/tip:AlertSubject/tip:Person/"
            "tip:PersonBirthDate/tip:Date");
  EXPECT_THAT(refusal.detail, HasSubstr("Element 'tip:Date'"));
  EXPECT_THAT(refusal.detail, Not(HasSubstr("2011")));
  refusal = RefusalOf(CheckAlert(ReplaceOnce(Example("alert-outbound.xml"),
                                             "<tip:PersonSurName>Kiem<",
                                             "<tip:PersonSurName>Kiem <")));
  EXPECT_EQ(refusal.location,
            "/tip:CaseAlertMessage/tip:CaseAlert/tip:AlertSubject/tip:Person/"
            "tip:PersonName[2]/tip:PersonSurName");
  EXPECT_THAT(refusal.detail, HasSubstr("[facet 'pattern']"));
  EXPECT_THAT(refusal.detail, Not(HasSubstr("Kiem")));
  EXPECT_LE(refusal.detail.size(), 200u);
}

TEST_F(VnFormatTest, SchemaErrorTextNeverQuotesAValue) {
  for (const std::string& message : {
           std::string("Element '{urn:vn:mps:tip:1.0}PersonSurName': [facet "
                       "'pattern'] The value 'Kiểm ' is not accepted by the "
                       "pattern '[^\\s]'.\n"),
           std::string("Element '{urn:vn:mps:tip:1.0}Date': '2011-13-05' is "
                       "not a valid value of the atomic type "
                       "'{urn:vn:mps:tip:1.0}DateType'.\n"),
           std::string("Element '{urn:vn:mps:tip:1.0}AlertKindCode': [facet "
                       "'enumeration'] The value 'SECRET' is not an element of "
                       "the set {'A', 'B'}.\n"),
       }) {
    const std::string text = SchemaErrorText(0, message);
    EXPECT_THAT(text, Not(HasSubstr("Kiểm")));
    EXPECT_THAT(text, Not(HasSubstr("2011")));
    EXPECT_THAT(text, Not(HasSubstr("SECRET")));
    EXPECT_THAT(text, HasSubstr("Element 'tip:"));
    EXPECT_THAT(text, Not(HasSubstr("\n")));
  }
  EXPECT_EQ(SchemaErrorText(0,
                            "Element '{urn:vn:mps:tip:1.0}Date': '2011-13-05' "
                            "is not a valid value of the atomic type "
                            "'{urn:vn:mps:tip:1.0}DateType'.\n"),
            "Element 'tip:Date': The value is not a valid value of the type "
            "'tip:DateType' (value withheld).");
}

// ----------------------------------------------- 4-6 root, id, endpoint

TEST_F(VnFormatTest, AnAcknowledgementIsNotADataMessage) {
  const Refusal refusal = RefusalOf(CheckAlert(Example("ack-202-inbound.xml")));
  EXPECT_EQ(refusal.http_status, 400);
  EXPECT_EQ(refusal.code, "WRONG_ENDPOINT");
  EXPECT_EQ(refusal.location, "/tip:Acknowledgement");
}

TEST_F(VnFormatTest, SchemaComesBeforeTheRootCheck) {
  const Refusal refusal = RefusalOf(CheckAlert(
      ReplaceOnce(Example("ack-202-inbound.xml"), "ACCEPTED", "MAYBE")));
  EXPECT_EQ(refusal.code, "SCHEMA_VIOLATION");
}

TEST_F(VnFormatTest, MessageIdMustEqualTheHeader) {
  const std::string other = "00000000-0000-4000-8000-000000000000";
  const Refusal refusal =
      RefusalOf(CheckAlert(Example("alert-outbound.xml"), "alert", other));
  EXPECT_EQ(refusal.code, "HEADER_MISMATCH");
  EXPECT_EQ(refusal.location,
            "/tip:CaseAlertMessage/tip:MessageHeader/tip:MessageID");
  EXPECT_EQ(refusal.message_id, kAlertId);  // the body's id wins
}

TEST_F(VnFormatTest, HeaderMismatchComesBeforeTheEndpointFit) {
  const Refusal refusal = RefusalOf(
      CheckAlert(Example("alert-outbound.xml"), "repatriation_request",
                 "00000000-0000-4000-8000-000000000000"));
  EXPECT_EQ(refusal.code, "HEADER_MISMATCH");
}

TEST_F(VnFormatTest, TheRootMustFitThePath) {
  const Refusal refusal = RefusalOf(
      CheckAlert(Example("alert-outbound.xml"), "repatriation_request"));
  EXPECT_EQ(refusal.http_status, 400);
  EXPECT_EQ(refusal.code, "WRONG_ENDPOINT");
  EXPECT_EQ(refusal.location, "/tip:CaseAlertMessage");
  EXPECT_THAT(refusal.detail, HasSubstr("/tip/v1/repatriation-requests"));
}

// ------------------------------------------------ 7 rules beyond the XSD

TEST_F(VnFormatTest, ScheduledHandoverComesWithHandoverScheduledOnly) {
  const std::string handover =
      "    <tip:ScheduledHandover>\n"
      "      <tip:BorderPointName>Móng Cái</tip:BorderPointName>\n"
      "      <tip:HandoverDate>2026-04-07</tip:HandoverDate>\n"
      "    </tip:ScheduledHandover>\n";
  Refusal refusal =
      RefusalOf(CheckDecision(DecisionDocument(DecisionBody() + handover)));
  EXPECT_EQ(refusal.code, "SCHEMA_VIOLATION");
  EXPECT_EQ(refusal.location,
            "/tip:RepatriationDecisionMessage/tip:RepatriationDecision/"
            "tip:ScheduledHandover");
  const std::string scheduled =
      ReplaceOnce(DecisionBody(), ">APPROVED<", ">HANDOVER_SCHEDULED<");
  refusal = RefusalOf(CheckDecision(DecisionDocument(scheduled)));
  EXPECT_EQ(refusal.code, "SCHEMA_VIOLATION");
  EXPECT_EQ(refusal.location,
            "/tip:RepatriationDecisionMessage/tip:RepatriationDecision/"
            "tip:RepatriationStateCode");
  AcceptedOf(CheckDecision(DecisionDocument(scheduled + handover)));
  AcceptedOf(CheckDecision(DecisionDocument(DecisionBody())));
}

std::string AlertWithAttachment(const std::string& content,
                                const std::string& sha256,
                                const std::string& size) {
  return ReplaceOnce(
      Example("alert-outbound.xml"), "    <tip:AlertCreatedDateTime>",
      absl::StrCat("    <tip:Attachment>\n"
                   "      <tip:AttachmentName>photo.jpg</tip:AttachmentName>\n"
                   "      <tip:AttachmentMediaType>image/jpeg"
                   "</tip:AttachmentMediaType>\n"
                   "      <tip:AttachmentSHA256>",
                   sha256,
                   "</tip:AttachmentSHA256>\n"
                   "      <tip:AttachmentSizeMeasure>",
                   size,
                   "</tip:AttachmentSizeMeasure>\n"
                   "      <tip:AttachmentBinaryBase64>",
                   absl::Base64Escape(content),
                   "</tip:AttachmentBinaryBase64>\n"
                   "    </tip:Attachment>\n"
                   "    <tip:AlertCreatedDateTime>"));
}

TEST_F(VnFormatTest, AttachmentContentMustMatchItsSizeAndDigest) {
  const std::string content = "not really a jpeg";
  const std::string sha256 = crypto::Sha256Hex(content);
  const Accepted ok = AcceptedOf(CheckAlert(
      AlertWithAttachment(content, sha256, std::to_string(content.size()))));
  EXPECT_EQ(ok.summary["attachments"][0]["content_included"], true);

  Refusal refusal = RefusalOf(CheckAlert(AlertWithAttachment(
      content, sha256, std::to_string(content.size() + 1))));
  EXPECT_EQ(refusal.code, "SCHEMA_VIOLATION");
  EXPECT_EQ(refusal.location,
            "/tip:CaseAlertMessage/tip:CaseAlert/tip:Attachment/"
            "tip:AttachmentSizeMeasure");
  refusal = RefusalOf(CheckAlert(AlertWithAttachment(
      content, crypto::Sha256Hex("other"), std::to_string(content.size()))));
  EXPECT_EQ(refusal.code, "SCHEMA_VIOLATION");
  EXPECT_EQ(refusal.location,
            "/tip:CaseAlertMessage/tip:CaseAlert/tip:Attachment/"
            "tip:AttachmentSHA256");
}

// ------------------------------------------------------ 8 AGENCY_MISMATCH

TEST_F(VnFormatTest, SenderMustBeThePeerAndRecipientThisSide) {
  Refusal refusal = RefusalOf(format_->CheckBody(PartnerEndpoint("alert"),
                                                 Example("alert-outbound.xml"),
                                                 kAlertId, "KH-CNP", "VN-MPS"));
  EXPECT_EQ(refusal.http_status, 403);
  EXPECT_EQ(refusal.code, "AGENCY_MISMATCH");
  EXPECT_EQ(refusal.location,
            "/tip:CaseAlertMessage/tip:MessageHeader/tip:SenderAgencyCode");
  refusal = RefusalOf(format_->CheckBody(PartnerEndpoint("alert"),
                                         Example("alert-outbound.xml"),
                                         kAlertId, "CN-MPS", "LA-MPS"));
  EXPECT_EQ(refusal.http_status, 403);
  EXPECT_EQ(refusal.code, "AGENCY_MISMATCH");
  EXPECT_EQ(refusal.location,
            "/tip:CaseAlertMessage/tip:MessageHeader/tip:RecipientAgencyCode");
}

TEST_F(VnFormatTest, RulesBeyondTheXsdComeBeforeTheAgencies) {
  const std::string scheduled =
      ReplaceOnce(DecisionBody(), ">APPROVED<", ">HANDOVER_SCHEDULED<");
  const Refusal refusal = RefusalOf(format_->CheckBody(
      PartnerEndpoint("repatriation_decision"), DecisionDocument(scheduled),
      kDecisionMessageId, "KH-CNP", "LA-MPS"));
  EXPECT_EQ(refusal.code, "SCHEMA_VIOLATION");
}

TEST_F(VnFormatTest, AnAlertNotListingThisSideIsNotForIt) {
  const std::string body = ReplaceOnce(
      Example("alert-outbound.xml"),
      "    <tip:RecipientAgencyCode>VN-MPS</tip:RecipientAgencyCode>\n"
      "    <tip:AlertSubject>",
      "    <tip:RecipientAgencyCode>LA-MPS</tip:RecipientAgencyCode>\n"
      "    <tip:RecipientAgencyCode>KH-CNP</tip:RecipientAgencyCode>\n"
      "    <tip:AlertSubject>");
  const Accepted accepted = AcceptedOf(CheckAlert(body));
  ASSERT_TRUE(accepted.business_refusal.has_value());
  EXPECT_EQ(accepted.business_refusal->http_status, 403);
  EXPECT_EQ(accepted.business_refusal->code, "NOT_A_RECIPIENT");
  EXPECT_EQ(accepted.business_refusal->location,
            "/tip:CaseAlertMessage/tip:CaseAlert/tip:RecipientAgencyCode");
}

// ------------------------------------------------------- bodies written

TEST_F(VnFormatTest, MakeAckReproducesTheAcknowledgementExamples) {
  http_mock::AckFields ack;
  ack.message_id = kAlertId;
  ack.sender = "VN-MPS";
  ack.recipient = "CN-MPS";
  ack.payload_sha256 = crypto::Sha256Hex(Example("alert-outbound.xml"));
  ack.received_at = "2026-03-14T02:30:07Z";
  ack.partner_ref = "VN-MPS-IN-2026-0457";
  EXPECT_EQ(format_->MakeAck(ack), Example("ack-202-inbound.xml"));

  // The gateway's acknowledgements have the same form.
  http_mock::AckFields nfd;
  nfd.message_id = kNfdRequestId;
  nfd.sender = "CN-MPS";
  nfd.recipient = "VN-MPS";
  nfd.payload_sha256 =
      crypto::Sha256Hex(Example("repatriation-request-inbound-nfd.xml"));
  nfd.received_at = "2026-03-14T03:40:02.250Z";  // whole seconds written
  nfd.warnings = {{"NORMALIZED_NFC",
                   "/tip:RepatriationRequestMessage/tip:RepatriationRequest/"
                   "tip:BestInterestsAssessment/tip:AssessmentSummary[1]"},
                  {"NORMALIZED_NFC",
                   "/tip:RepatriationRequestMessage/tip:RepatriationRequest/"
                   "tip:ProposedHandover/tip:BorderPointName"}};
  EXPECT_EQ(format_->MakeAck(nfd), Example("ack-202-outbound-nfd.xml"));
}

TEST_F(VnFormatTest, MakeErrorReproducesTheRejectionExample) {
  Refusal refusal;
  refusal.http_status = 400;
  refusal.code = "SCHEMA_VIOLATION";
  refusal.location =
      "/tip:RepatriationDecisionMessage/tip:RepatriationDecision/"
      "tip:DecisionDateTime";
  refusal.detail =
      "Element 'tip:DecisionDateTime': This element is not expected. "
      "Expected is ( tip:DecidingAgencyCode ).";
  refusal.message_id = kDecisionMessageId;
  EXPECT_EQ(
      format_->MakeError(refusal, "VN-MPS", "CN-MPS", "2026-03-14T05:00:01Z"),
      Example("rejection-400-inbound.xml"));
}

TEST_F(VnFormatTest, MakeErrorAlwaysWritesAValidRejection) {
  Refusal refusal;
  refusal.http_status = 404;
  refusal.code = "WRONG_ENDPOINT";
  refusal.detail = std::string(300, 'x') + "\nsecond line";
  refusal.message_id = "not-a-uuid";
  refusal.location = "relative/path";
  const std::string body =
      format_->MakeError(refusal, "VN-MPS", "CN-MPS", "2026-03-14T05:00:01Z");
  absl::StatusOr<XmlDocPtr> doc = ParseVnXml(body);
  ASSERT_TRUE(doc.ok());
  EXPECT_FALSE(format_->schema().Validate(doc->get()).has_value()) << body;
  EXPECT_THAT(body, Not(HasSubstr("RejectedMessageID")));
  EXPECT_THAT(body, Not(HasSubstr("ErrorLocation")));
  absl::StatusOr<http_mock::AnswerSummary> read =
      format_->ReadAnswer(404, body);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->detail, std::string(200, 'x'));
}

// ---------------------------------------------------- the gateway's answers

TEST_F(VnFormatTest, ReadsTheGatewaysAcknowledgements) {
  absl::StatusOr<http_mock::AnswerSummary> ack =
      format_->ReadAnswer(202, Example("ack-202-outbound.xml"));
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_TRUE(ack->acknowledged);
  EXPECT_EQ(ack->message_id, kRequestId);
  EXPECT_EQ(ack->payload_sha256,
            crypto::Sha256Hex(Example("repatriation-request-inbound.xml")));
  EXPECT_EQ(ack->received_at, "2026-03-14T03:20:02Z");
  EXPECT_TRUE(ack->warnings.empty());

  absl::StatusOr<http_mock::AnswerSummary> nfd =
      format_->ReadAnswer(202, Example("ack-202-outbound-nfd.xml"));
  ASSERT_TRUE(nfd.ok()) << nfd.status();
  EXPECT_TRUE(nfd->acknowledged);
  EXPECT_EQ(nfd->message_id, kNfdRequestId);
  ASSERT_EQ(nfd->warnings.size(), 2u);
  EXPECT_EQ(nfd->warnings[0].code, "NORMALIZED_NFC");
  EXPECT_EQ(nfd->warnings[0].location,
            "/tip:RepatriationRequestMessage/tip:RepatriationRequest/"
            "tip:BestInterestsAssessment/tip:AssessmentSummary[1]");
  EXPECT_EQ(nfd->warnings[1].location,
            "/tip:RepatriationRequestMessage/tip:RepatriationRequest/"
            "tip:ProposedHandover/tip:BorderPointName");
}

TEST_F(VnFormatTest, ReadsARejection) {
  absl::StatusOr<http_mock::AnswerSummary> answer =
      format_->ReadAnswer(400, Example("rejection-400-inbound.xml"));
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_FALSE(answer->acknowledged);
  EXPECT_EQ(answer->code, "SCHEMA_VIOLATION");
  EXPECT_EQ(answer->message_id, kDecisionMessageId);
  EXPECT_EQ(answer->location,
            "/tip:RepatriationDecisionMessage/tip:RepatriationDecision/"
            "tip:DecisionDateTime");
  EXPECT_THAT(answer->detail, HasSubstr("tip:DecidingAgencyCode"));
  EXPECT_EQ(answer->received_at, "2026-03-14T05:00:01Z");
}

TEST_F(VnFormatTest, RefusesAnswersThatAreNotAnswersOfThisFormat) {
  for (const auto& [status, body] : std::vector<std::pair<int, std::string>>{
           {202, Example("alert-outbound.xml")},         // a data message
           {400, Example("ack-202-outbound.xml")},       // ack with a 400
           {202, Example("rejection-400-inbound.xml")},  // rejection, 202
           {202, "{\"message_type\":\"ack\"}"},          // JSON
           {202, ReplaceOnce(Example("ack-202-outbound.xml"), "ACCEPTED",
                             "REJECTED")},  // fails the XSD
       }) {
    absl::StatusOr<http_mock::AnswerSummary> answer =
        format_->ReadAnswer(status, body);
    EXPECT_TRUE(absl::IsInvalidArgument(answer.status())) << status << body;
  }
}

}  // namespace
}  // namespace gw::vn_mps_mock
