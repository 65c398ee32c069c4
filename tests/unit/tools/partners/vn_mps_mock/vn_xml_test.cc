// tests/unit/tools/partners/vn_mps_mock/vn_xml_test.cc
//
// The mock's XML reading (VN-MPS.md §3.3, §5.1, §8): every example parses;
// what is not UTF-8, not well-formed or carries a DOCTYPE (external
// entities and "billion laughs" included) is refused before any entity is
// looked at; the NFC check finds the first element in document order; and
// the §3.3 writer reproduces every NFC example byte for byte.
#include "tools/partners/vn_mps_mock/vn_xml.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/tools/partners/vn_mps_mock/vn_examples.h"
#include "tools/partners/vn_mps_mock/vn_writer.h"

namespace gw::vn_mps_mock {
namespace {

using testing::Example;
using testing::ExampleXmlNames;
using ::testing::HasSubstr;
using testing::ReplaceOnce;

TEST(VnXmlTest, EveryExampleParses) {
  for (const std::string& name : ExampleXmlNames()) {
    absl::StatusOr<XmlDocPtr> doc = ParseVnXml(Example(name));
    EXPECT_TRUE(doc.ok()) << name << ": " << doc.status();
  }
}

TEST(VnXmlTest, RefusesBytesThatAreNotUtf8) {
  // "Kiểm" in Latin-1-ish bytes: 0xEA alone is not UTF-8.
  const std::string body = ReplaceOnce(Example("alert-outbound.xml"),
                                       "Kiểm Thị Thử", "Ki\xEAm Th\xEF");
  absl::StatusOr<XmlDocPtr> doc = ParseVnXml(body);
  ASSERT_FALSE(doc.ok());
  EXPECT_THAT(doc.status().message(), HasSubstr("not UTF-8"));
  // Surrogates and overlong forms are not UTF-8 either.
  EXPECT_FALSE(IsUtf8("\xED\xA0\x80"));
  EXPECT_FALSE(IsUtf8("\xC0\xAF"));
  EXPECT_FALSE(IsUtf8("\xF4\x90\x80\x80"));
  EXPECT_TRUE(IsUtf8("Kiểm \xF0\x9F\x98\x80"));
}

TEST(VnXmlTest, RefusesAnotherDeclaredEncodingAndUtf16) {
  const std::string latin1 =
      ReplaceOnce(Example("ack-202-inbound.xml"), "encoding=\"UTF-8\"",
                  "encoding=\"ISO-8859-1\"");
  EXPECT_FALSE(ParseVnXml(latin1).ok());
  const std::string utf16("\xFE\xFF\0<\0?", 6);
  EXPECT_FALSE(ParseVnXml(utf16).ok());
}

TEST(VnXmlTest, AcceptsAByteOrderMarkAndNoDeclaration) {
  // §3.3 is how documents are written; a receiver parses (§3.3 last
  // paragraph) and accepts any well-formed UTF-8 document.
  EXPECT_TRUE(ParseVnXml("\xEF\xBB\xBF" + Example("ack-202-inbound.xml")).ok());
  const std::string body = Example("ack-202-inbound.xml");
  EXPECT_TRUE(ParseVnXml(body.substr(body.find('\n') + 1)).ok());
}

TEST(VnXmlTest, RefusesWhatIsNotWellFormed) {
  const std::string body = Example("ack-202-inbound.xml");
  for (const std::string& bad : {
           body.substr(0, body.size() / 2),  // truncated
           ReplaceOnce(body, "</tip:Acknowledgement>", "</tip:Acknowledgment>"),
           ReplaceOnce(body, "xmlns:tip=", "xmlns:pit="),  // unbound prefix
           ReplaceOnce(body, "CN-MPS", "&undeclared;"),
           std::string(""),
           std::string("not xml at all"),
       }) {
    absl::StatusOr<XmlDocPtr> doc = ParseVnXml(bad);
    ASSERT_FALSE(doc.ok()) << bad;
    EXPECT_FALSE(doc.status().message().empty());
  }
}

std::string WithDoctype(const std::string& doctype) {
  return ReplaceOnce(
      Example("ack-202-inbound.xml"),
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
      absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", doctype,
                   "\n"));
}

TEST(VnXmlTest, RefusesAnyDoctypeAtTheDoctype) {
  const std::string billion_laughs =
      "<!DOCTYPE tip:Acknowledgement [\n"
      " <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
      " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
      " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
      " <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
      " <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
      " <!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
      " <!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
      "]>";
  std::string laughs = WithDoctype(billion_laughs);
  laughs = ReplaceOnce(laughs, "VN-MPS-IN-2026-0457", "&g;");
  const std::string external = ReplaceOnce(
      WithDoctype("<!DOCTYPE tip:Acknowledgement [<!ENTITY x SYSTEM "
                  "\"file:///etc/passwd\">]>"),
      "VN-MPS-IN-2026-0457", "&x;");
  const std::string external_subset = WithDoctype(
      "<!DOCTYPE tip:Acknowledgement SYSTEM \"http://dtd.example/tip.dtd\">");
  const std::string harmless = WithDoctype("<!DOCTYPE tip:Acknowledgement>");
  for (const std::string& body :
       {laughs, external, external_subset, harmless}) {
    absl::StatusOr<XmlDocPtr> doc = ParseVnXml(body);
    ASSERT_FALSE(doc.ok());
    EXPECT_THAT(doc.status().message(), HasSubstr("DOCTYPE"));
  }
}

TEST(VnXmlTest, NfcCheckFindsTheFirstElementInDocumentOrder) {
  absl::StatusOr<XmlDocPtr> nfd =
      ParseVnXml(Example("repatriation-request-inbound-nfd.xml"));
  ASSERT_TRUE(nfd.ok());
  EXPECT_EQ(NodePath(FirstNonNfcElement(nfd->get())),
            "/tip:RepatriationRequestMessage/tip:RepatriationRequest/"
            "tip:BestInterestsAssessment/tip:AssessmentSummary[1]");
  for (const std::string& name : ExampleXmlNames()) {
    if (name == "repatriation-request-inbound-nfd.xml") continue;
    absl::StatusOr<XmlDocPtr> doc = ParseVnXml(Example(name));
    ASSERT_TRUE(doc.ok());
    EXPECT_EQ(FirstNonNfcElement(doc->get()), nullptr) << name;
  }
}

TEST(VnXmlTest, NfcCheckCoversAttributeValuesAndCharacterReferences) {
  // script="Latn" with a combining mark after the n: e + U+0301 written as
  // a character reference is still NFD text once parsed.
  const std::string attribute =
      ReplaceOnce(Example("repatriation-request-inbound.xml"),
                  "<tip:PersonName script=\"Latn\">",
                  "<tip:PersonName script=\"Late&#x301;\">");
  absl::StatusOr<XmlDocPtr> doc = ParseVnXml(attribute);
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(NodePath(FirstNonNfcElement(doc->get())),
            "/tip:RepatriationRequestMessage/tip:RepatriationRequest/"
            "tip:VictimPerson/tip:PersonName[2]");
}

TEST(VnXmlTest, NodePathIsXmlGetNodePathWithPositionsOnlyAmongSameNames) {
  absl::StatusOr<XmlDocPtr> doc = ParseVnXml(Example("alert-outbound.xml"));
  ASSERT_TRUE(doc.ok());
  const xmlNode* alert =
      TipChild(xmlDocGetRootElement(doc->get()), "CaseAlert");
  const xmlNode* person = TipChild(TipChild(alert, "AlertSubject"), "Person");
  EXPECT_EQ(NodePath(TipChild(person, "PersonBirthDate")),
            "/tip:CaseAlertMessage/tip:CaseAlert/tip:AlertSubject/tip:Person/"
            "tip:PersonBirthDate");
  EXPECT_EQ(NodePath(TipChildren(person, "PersonName")[1]),
            "/tip:CaseAlertMessage/tip:CaseAlert/tip:AlertSubject/tip:Person/"
            "tip:PersonName[2]");
  // A document in the default namespace: every step is "*" (§8).
  absl::StatusOr<XmlDocPtr> unprefixed = ParseVnXml(
      "<Acknowledgement xmlns=\"urn:vn:mps:tip:1.0\"><A>1</A><B>2</B>"
      "</Acknowledgement>");
  ASSERT_TRUE(unprefixed.ok());
  const xmlNode* root = xmlDocGetRootElement(unprefixed->get());
  EXPECT_EQ(NodePath(TipChild(root, "B")), "/*/*[2]");
}

TEST(VnWriterTest, CanonicalFormReproducesEveryNfcExample) {
  for (const std::string& name : ExampleXmlNames()) {
    const std::string body = Example(name);
    absl::StatusOr<XmlDocPtr> doc = ParseVnXml(body);
    ASSERT_TRUE(doc.ok());
    if (name == "repatriation-request-inbound-nfd.xml") {
      // The writer writes NFC: the NFD example is not in the §3.3 form.
      EXPECT_NE(CanonicalForm(doc->get()), body);
      EXPECT_EQ(
          CanonicalForm(doc->get()),
          ReplaceOnce(ReplaceOnce(Example("repatriation-request-inbound.xml"),
                                  "67a082c3-13e2-5640-9cd4-7b934aec4b9e",
                                  "5a192048-2580-59de-985b-71faa4040609"),
                      "03:20:00Z", "03:40:00Z"));
    } else {
      EXPECT_EQ(CanonicalForm(doc->get()), body) << name;
    }
  }
}

TEST(VnWriterTest, CanonicalFormTellsOtherFormsApart) {
  const std::string body = Example("ack-202-inbound.xml");
  for (const std::string& other : {
           ReplaceOnce(body, "  <tip:Sender", "\t<tip:Sender"),
           ReplaceOnce(body, ">CN-MPS<", "> CN-MPS<"),
           ReplaceOnce(body, "</tip:Acknowledgement>\n",
                       "</tip:Acknowledgement>"),
           ReplaceOnce(body, "<tip:RecipientAgencyCode>CN-MPS",
                       "<tip:RecipientAgencyCode><![CDATA[CN-MPS]]>"),
           ReplaceOnce(body, "\n  <tip:SenderAgencyCode>",
                       "\n  <!-- c -->\n  <tip:SenderAgencyCode>"),
       }) {
    absl::StatusOr<XmlDocPtr> doc = ParseVnXml(other);
    ASSERT_TRUE(doc.ok()) << other;
    EXPECT_NE(CanonicalForm(doc->get()), other);
  }
  absl::StatusOr<XmlDocPtr> unprefixed = ParseVnXml(
      "<Acknowledgement "
      "xmlns=\"urn:vn:mps:tip:1.0\"><A>1</A></Acknowledgement>");
  ASSERT_TRUE(unprefixed.ok());
  EXPECT_EQ(CanonicalForm(unprefixed->get()), "");
}

TEST(VnWriterTest, WritesTextAsSection33Says) {
  VnXmlWriter writer("Rejection");
  writer.Leaf("ErrorText", "\t a & b < c > \"d\"\r\nline 2\r ");
  writer.Leaf("PartnerReference", "   ");  // empty after trimming: omitted
  writer.Open("Warning", {{"lang", "v\"i"}});
  writer.Leaf("WarningCode", "Kiê\xCC\x89m");  // NFD in, NFC out
  EXPECT_EQ(writer.Finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<tip:Rejection xmlns:tip=\"urn:vn:mps:tip:1.0\">\n"
            "  <tip:ErrorText>a &amp; b &lt; c &gt; \"d\"\nline 2"
            "</tip:ErrorText>\n"
            "  <tip:Warning lang=\"v&quot;i\">\n"
            "    <tip:WarningCode>Kiểm</tip:WarningCode>\n"
            "  </tip:Warning>\n"
            "</tip:Rejection>\n");
}

}  // namespace
}  // namespace gw::vn_mps_mock
