// tests/unit/adapters/vn_mps/vn_parts_test.cc
//
// The pieces of the VN-MPS codec on their own: the §3.3 writer, the text
// rules (§5.1, §5.3, §3.3 item 7), dates and times (§5.4), Vietnamese name
// order (§5.2), and the libxml2 layer (safe parsing, NFC with locations,
// XSD violations located as §8 says).
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "adapters/vn_mps/vn_names.h"
#include "adapters/vn_mps/vn_text.h"
#include "adapters/vn_mps/vn_values.h"
#include "adapters/vn_mps/xml_doc.h"
#include "adapters/vn_mps/xml_writer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/adapters/vn_mps/vn_examples.h"

namespace gw::vn_mps {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(XmlWriterTest, WritesTheFormOfSection33) {
  XmlWriter w("Rejection", "root");
  w.Leaf("ErrorText", "a & b < c > d \"e\"", "text");
  w.Open("Outer", "outer", XmlAttr{"lang", "x\"y&"});
  w.Leaf("Inner", "line 1\nline 2", "inner", XmlAttr{"script", "Latn"});
  w.Close();
  const std::vector<std::string> fields = w.fields();
  const std::string doc = std::move(w).Finish();
  EXPECT_EQ(doc,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<tip:Rejection xmlns:tip=\"urn:vn:mps:tip:1.0\">\n"
            "  <tip:ErrorText>a &amp; b &lt; c &gt; d \"e\"</tip:ErrorText>\n"
            "  <tip:Outer lang=\"x&quot;y&amp;\">\n"
            "    <tip:Inner script=\"Latn\">line 1\nline 2</tip:Inner>\n"
            "  </tip:Outer>\n"
            "</tip:Rejection>\n");
  EXPECT_THAT(fields, ElementsAre("root", "text", "outer", "inner"));
}

TEST(VnTextTest, ShortTexts) {
  EXPECT_EQ(*ShortText("  Thị\tThử \r\n", "f"), "Thị Thử");
  EXPECT_EQ(*ShortText("a\r\nb\rc\nd", "f"), "a b c d");
  // Other controls (C0 and C1) and non-characters are dropped.
  EXPECT_EQ(*ShortText("a\x01"
                       "b\xC2\x85"
                       "c\xEF\xBF\xBF",
                       "f"),
            "abc");
  // NFD in, NFC out; other spaces are not white space (§5.3).
  EXPECT_EQ(*ShortText("Ki\x65\xCC\x82\xCC\x89m", "f"), "Kiểm");
  EXPECT_EQ(*ShortText("\xC2\xA0x\xC2\xA0", "f"), "\xC2\xA0x\xC2\xA0");
  EXPECT_EQ(*ShortText(" \t ", "f"), "");
  auto bad = ShortText("\xFF", "alert.originator");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "alert.originator: not valid UTF-8");
}

TEST(VnTextTest, LongTexts) {
  EXPECT_EQ(*LongText("\n line 1\r\nline 2\rline\t3 \n", "f"),
            "line 1\nline 2\nline 3");
  EXPECT_EQ(*LongText("a\x01"
                      "b\xC2\x85"
                      "c",
                      "f"),
            "ab\xC2\x85"
            "c");
  EXPECT_EQ(*PlainText("e\xCC\x81", "f"), "\xC3\xA9");
}

TEST(VnTextTest, CutShortText) {
  EXPECT_EQ(CutShortText("ểểể", 2), "ểể");
  EXPECT_EQ(CutShortText("ab cd", 3), "ab");
  EXPECT_EQ(CutShortText("a\xFF"
                         "b",
                         10),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(CodePoints("ểa"), 2u);
}

TEST(VnValuesTest, DateTimes) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(1773455400);
  ts.set_nanos(999999999);  // truncated
  EXPECT_EQ(*FormatDateTime(ts, "f"), "2026-03-14T02:30:00Z");
  ts.set_seconds(-62135596801);  // year 0
  EXPECT_FALSE(FormatDateTime(ts, "f").ok());
  EXPECT_EQ(FormatDateTime(absl::FromUnixSeconds(0)), "1970-01-01T00:00:00Z");

  EXPECT_EQ(ParseDateTime("2026-03-14T09:30:00+07:00"),
            absl::FromUnixSeconds(1773455400));
  EXPECT_EQ(ParseDateTime("2026-03-13T21:30:00-05:00"),
            absl::FromUnixSeconds(1773455400));
  EXPECT_EQ(ParseDateTime("2024-02-29T23:59:59Z"),
            absl::FromUnixSeconds(1709251199));
  for (const char* bad : {"2026-02-29T00:00:00Z", "2026-03-14T24:00:00Z",
                          "2026-03-14T10:60:00Z", "2026-03-14T10:00:60Z",
                          "2026-03-14T10:00:00", "2026-03-14T10:00:00+14:01",
                          "2026-03-14T10:00:00+07:60", "0000-01-01T00:00:00Z",
                          "2026-03-14T10:00:00.5Z", "2026-03-14 10:00:00Z"}) {
    EXPECT_FALSE(ParseDateTime(bad).has_value()) << bad;
  }
}

TEST(VnValuesTest, PartialDates) {
  EXPECT_EQ(FormOf("2011-08-05"), DateForm::kDate);
  EXPECT_EQ(FormOf("2011-08"), DateForm::kYearMonth);
  EXPECT_EQ(FormOf("2011"), DateForm::kYear);
  EXPECT_EQ(FormOf("11-08-05"), DateForm::kInvalid);
  EXPECT_EQ(FormOf("2011/08/05"), DateForm::kInvalid);
  EXPECT_TRUE(IsRealDate("2024-02-29"));
  EXPECT_TRUE(IsRealDate("2000-02-29"));
  EXPECT_FALSE(IsRealDate("1900-02-29"));
  EXPECT_FALSE(IsRealDate("2011-13"));
  EXPECT_FALSE(IsRealDate("0000"));
  EXPECT_TRUE(IsRealDate("2011-12"));
}

TEST(VnValuesTest, WhiteSpaceCollapsesAsTheXsdDoes) {
  EXPECT_EQ(CollapseWhiteSpace("  2026-04-07\r\n"), "2026-04-07");
  EXPECT_EQ(CollapseWhiteSpace("\ta \n\n b\r"), "a b");
  EXPECT_EQ(CollapseWhiteSpace(" \t\n"), "");
  // Only XML white space: NBSP is a character.
  EXPECT_EQ(CollapseWhiteSpace("\xC2\xA0x"), "\xC2\xA0x");
  // xs:boolean: true, false, 1 and 0, white space collapsed.
  EXPECT_EQ(ParseBoolean("true"), true);
  EXPECT_EQ(ParseBoolean(" true\n"), true);
  EXPECT_EQ(ParseBoolean("1"), true);
  EXPECT_EQ(ParseBoolean("\t1 "), true);
  EXPECT_EQ(ParseBoolean("false"), false);
  EXPECT_EQ(ParseBoolean(" false "), false);
  EXPECT_EQ(ParseBoolean("0"), false);
  EXPECT_EQ(ParseBoolean("\n0\n"), false);
  for (const char* bad : {"", "TRUE", "yes", "t r u e", "01", "true false"}) {
    EXPECT_EQ(ParseBoolean(bad), std::nullopt) << bad;
  }
}

TEST(VnTextTest, ValidUtf8AndCharacterPrefixes) {
  EXPECT_EQ(ValidUtf8("\xE1\xBB\xAF ok"), "\xE1\xBB\xAF ok");
  // Valid characters of an invalid text are kept; each bad byte is U+FFFD.
  EXPECT_EQ(ValidUtf8("\xE1\xBB\xAF\xFF\xE1\xBB"),
            "\xE1\xBB\xAF\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  EXPECT_EQ(ValidUtf8("\xED\xA0\x80"),                           // a surrogate
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  // Prefixes end between characters.
  const std::string text = "a\xC6\xB0\xE1\xBB\xAF\xF0\x9F\x98\x80";  // aưữ😀
  EXPECT_EQ(CodePointPrefix(text, 0), "");
  EXPECT_EQ(CodePointPrefix(text, 2), "a\xC6\xB0");
  EXPECT_EQ(CodePointPrefix(text, 3), "a\xC6\xB0\xE1\xBB\xAF");
  EXPECT_EQ(CodePointPrefix(text, 4), text);
  EXPECT_EQ(CodePointPrefix(text, 100), text);
}

TEST(VnNamesTest, SplitsVietnameseGivenNamesOnly) {
  GivenParts parts = SplitGiven("Thị Thử", "VNM");
  EXPECT_EQ(parts.middle, "Thị");
  EXPECT_EQ(parts.given, "Thử");
  parts = SplitGiven("Văn Minh  Thử", "VNM");
  EXPECT_EQ(parts.middle, "Văn Minh");
  EXPECT_EQ(parts.given, "Thử");
  parts = SplitGiven("Thử", "VNM");
  EXPECT_EQ(parts.middle, "");
  EXPECT_EQ(parts.given, "Thử");
  parts = SplitGiven("Xiao Hua", "CHN");
  EXPECT_EQ(parts.middle, "");
  EXPECT_EQ(parts.given, "Xiao Hua");
  EXPECT_EQ(JoinGiven("Thị", "Thử"), "Thị Thử");
  EXPECT_EQ(JoinGiven("", "Thử"), "Thử");
  EXPECT_EQ(JoinGiven("Thị", ""), "Thị");
}

TEST(XmlDocTest, ParsesOnlySafeUtf8Documents) {
  EXPECT_TRUE(ParseXml("<a/>").ok());
  EXPECT_TRUE(ParseXml("\xEF\xBB\xBF<a>ể</a>").ok());  // a BOM is UTF-8 too
  EXPECT_THAT(std::string(ParseXml("<!DOCTYPE a><a/>").status().message()),
              HasSubstr("DOCTYPE"));
  EXPECT_THAT(std::string(ParseXml("<a>\xE9</a>").status().message()),
              HasSubstr("not UTF-8"));
  EXPECT_THAT(std::string(ParseXml("<?xml version=\"1.0\" "
                                   "encoding=\"ISO-8859-1\"?><a/>")
                              .status()
                              .message()),
              HasSubstr("encoding"));
  EXPECT_FALSE(
      ParseXml("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>").ok());
  EXPECT_FALSE(ParseXml("<a><b></a>").ok());
  EXPECT_FALSE(ParseXml("<a>&undefined;</a>").ok());
  EXPECT_FALSE(ParseXml("<p:a/>").ok());
  EXPECT_FALSE(ParseXml("").ok());
  EXPECT_FALSE(ParseXml(std::string(8 * 1024 * 1024 + 1, ' ')).ok());
  // Predefined and character references are plain text.
  auto doc = ParseXml("<a>&lt;&#x1EC3;</a>");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(NodeText(xmlDocGetRootElement(doc->get())), "<ể");
}

TEST(XmlDocTest, NormalizesToNfcAndSaysWhere) {
  auto doc = ParseXml(
      "<t:r xmlns:t=\"urn:vn:mps:tip:1.0\">"
      "<t:x>e\xCC\x82\xCC\x89</t:x><t:x>ể</t:x>"
      "<t:y a=\"e\xCC\x81\">ok</t:y>"
      "<t:z>ok<![CDATA[e\xCC\x81]]></t:z></t:r>");
  ASSERT_TRUE(doc.ok()) << doc.status();
  auto changed = NormalizeToNfc(doc->get());
  ASSERT_TRUE(changed.ok());
  EXPECT_THAT(*changed, ElementsAre("/t:r/t:x[1]", "/t:r/t:y", "/t:r/t:z"));
  const std::vector<const xmlNode*> children =
      ChildElements(xmlDocGetRootElement(doc->get()));
  EXPECT_EQ(NodeText(children[0]), "ể");
  EXPECT_EQ(AttrValue(children[2], "a"), "é");
  EXPECT_EQ(NodeText(children[3]), "oké");
}

// `ascii` as UTF-16LE without a byte-order mark.
std::string Utf16Le(absl::string_view ascii) {
  std::string out;
  for (char c : ascii) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

TEST(XmlDocTest, RefusesNulBytesAndOtherEncodingsThanUtf8) {
  // UTF-16 without a BOM is valid "UTF-8" byte for byte (NUL is ASCII);
  // libxml2 would detect UTF-16 from "<\0?\0" and read it.
  for (const std::string& utf16 :
       {Utf16Le("<?xml version=\"1.0\"?><a>x</a>"),
        Utf16Le("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>x</a>"),
        Utf16Le("<a>x</a>")}) {
    auto doc = ParseXml(utf16);
    ASSERT_FALSE(doc.ok());
    EXPECT_TRUE(absl::IsInvalidArgument(doc.status()));
    EXPECT_THAT(std::string(doc.status().message()), HasSubstr("NUL"));
  }
  EXPECT_FALSE(ParseXml(std::string("<a>x\0</a>", 9)).ok());
  EXPECT_FALSE(ParseXml(std::string("<a/>\0", 5)).ok());
  // Other encodings cannot be declared, with or without a BOM.
  EXPECT_FALSE(
      ParseXml("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xC3\xA9</a>")
          .ok());
  EXPECT_FALSE(ParseXml("\xEF\xBB\xBF<?xml version=\"1.0\" "
                        "encoding=\"ISO-8859-1\"?><a/>")
                   .ok());
  EXPECT_FALSE(
      ParseXml("<?xml version=\"1.0\" encoding=\"US-ASCII\"?><a/>").ok());
  // UTF-8, declared or not, in any spelling.
  EXPECT_TRUE(ParseXml("<?xml version=\"1.0\" encoding=\"utf-8\"?><a/>").ok());
  auto doc = ParseXml("\xEF\xBB\xBF<?xml version=\"1.0\"?><a>\xC3\xA9</a>");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(NodeText(xmlDocGetRootElement(doc->get())), "\xC3\xA9");
}

TEST(XmlDocTest, NormalizesTheJoinedTextOfAnElement) {
  // Comments, processing instructions and CDATA sections split a text into
  // nodes that are NFC one by one; the value read is their join.
  auto doc = ParseXml(
      "<t:r xmlns:t=\"urn:vn:mps:tip:1.0\">"
      "<t:a>e<!---->\xCC\x81</t:a>"
      "<t:b>e<!-- x -->&#x301;</t:b>"
      "<t:c>e<![CDATA[\xCC\x81]]></t:c>"
      "<t:d>e<?pi data?>\xCC\x81</t:d>"
      "<t:e>a<!--1--><![CDATA[b]]><?p?>c</t:e>"
      "<t:f>\xC3\xA9<!---->\xC3\xA9</t:f>"
      "</t:r>");
  ASSERT_TRUE(doc.ok()) << doc.status();
  auto changed = NormalizeToNfc(doc->get());
  ASSERT_TRUE(changed.ok());
  EXPECT_THAT(*changed,
              ElementsAre("/t:r/t:a", "/t:r/t:b", "/t:r/t:c", "/t:r/t:d"));
  const std::vector<const xmlNode*> children =
      ChildElements(xmlDocGetRootElement(doc->get()));
  ASSERT_EQ(children.size(), 6u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(NodeText(children[i]), "\xC3\xA9");
  EXPECT_EQ(NodeText(children[4]), "abc");
  EXPECT_EQ(NodeText(children[5]), "\xC3\xA9\xC3\xA9");
  // One text node each, nothing else.
  for (const xmlNode* element : children) {
    ASSERT_NE(element->children, nullptr);
    EXPECT_EQ(element->children->type, XML_TEXT_NODE);
    EXPECT_EQ(element->children->next, nullptr);
  }
}

TEST(XmlDocTest, LocatesSchemaViolationsAsSection8) {
  auto schema = VnMpsSchema();
  ASSERT_TRUE(schema.ok()) << schema.status();
  // Valid.
  auto doc = ParseXml(testing::ReadExample("rejection-400-inbound.xml"));
  ASSERT_TRUE(doc.ok());
  auto violation = (*schema)->Validate(doc->get());
  ASSERT_TRUE(violation.ok());
  EXPECT_FALSE(violation->has_value());
  // No element follows the missing one: the parent is named.
  doc = ParseXml(
      "<tip:Rejection xmlns:tip=\"urn:vn:mps:tip:1.0\">"
      "<tip:SenderAgencyCode>VN-MPS</tip:SenderAgencyCode>"
      "<tip:RecipientAgencyCode>CN-MPS</tip:RecipientAgencyCode>"
      "<tip:ErrorCode>SCHEMA_VIOLATION</tip:ErrorCode>"
      "<tip:ErrorText>x</tip:ErrorText></tip:Rejection>");
  ASSERT_TRUE(doc.ok());
  violation = (*schema)->Validate(doc->get());
  ASSERT_TRUE(violation.ok());
  ASSERT_TRUE(violation->has_value());
  EXPECT_EQ((*violation)->path, "/tip:Rejection");
  EXPECT_EQ((*violation)->text,
            "Element 'tip:Rejection': Missing child element(s). Expected is "
            "( tip:RejectedDateTime ).");
  EXPECT_EQ(ElementIndex(doc->get(), (*violation)->element), 0);
  // A document binding the namespace as default: steps are "*" (§8).
  doc = ParseXml(
      "<Rejection xmlns=\"urn:vn:mps:tip:1.0\">"
      "<SenderAgencyCode>VN-MPS</SenderAgencyCode>"
      "<RecipientAgencyCode>vn</RecipientAgencyCode></Rejection>");
  ASSERT_TRUE(doc.ok());
  violation = (*schema)->Validate(doc->get());
  ASSERT_TRUE(violation->has_value());
  EXPECT_EQ((*violation)->path, "/*/*[2]");
  EXPECT_EQ((*violation)->text,
            "Element 'tip:RecipientAgencyCode': the value does not match the "
            "pattern of its type.");
  EXPECT_EQ(ElementIndex(doc->get(), (*violation)->element), 2);
}

}  // namespace
}  // namespace gw::vn_mps
