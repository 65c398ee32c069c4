// tests/unit/tools/partners/la_mps_mock/la_csv_test.cc
//
// The mock's CSV layer (LA-MPS.md §3.3): what it refuses as MALFORMED_CSV
// or PAYLOAD_TOO_LARGE, that quoting alone is never an error, and that its
// writer quotes exactly where the ICD says (so its bytes round-trip).
#include "tools/partners/la_mps_mock/la_csv.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::la_mps_mock {
namespace {

using ::testing::HasSubstr;

TEST(LaCsvTest, ReadsRecordsAndQuotedValues) {
  const CsvParse parse = ParseLaCsv(
      "field,value\r\n"
      "a,plain\r\n"
      "b,\"with, comma and \"\"quotes\"\"\nand LF\"\r\n");
  ASSERT_FALSE(parse.refusal.has_value()) << parse.refusal->text;
  ASSERT_EQ(parse.records.size(), 2u);
  EXPECT_EQ(parse.records[0].path, "a");
  EXPECT_EQ(parse.records[0].value, "plain");
  EXPECT_EQ(parse.records[1].value, "with, comma and \"quotes\"\nand LF");
  EXPECT_EQ(parse.records[1].offset,
            std::string("field,value\r\na,plain\r\n").size());
}

TEST(LaCsvTest, QuotingAloneIsNotAnError) {
  const CsvParse parse =
      ParseLaCsv("field,value\r\n\"kind\",\"MISSING_PERSON\"\r\n");
  ASSERT_FALSE(parse.refusal.has_value()) << parse.refusal->text;
  EXPECT_EQ(parse.records[0].path, "kind");
  EXPECT_EQ(parse.records[0].value, "MISSING_PERSON");
}

struct MalformedCase {
  std::string name;
  std::string bytes;
  std::string field;  // expected error_field
};

void PrintTo(const MalformedCase& c, std::ostream* os) { *os << c.name; }

class LaCsvMalformedTest : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(LaCsvMalformedTest, IsMalformedCsv) {
  const CsvParse parse = ParseLaCsv(GetParam().bytes);
  ASSERT_TRUE(parse.refusal.has_value());
  EXPECT_EQ(parse.refusal->code, "MALFORMED_CSV");
  EXPECT_EQ(parse.refusal->field, GetParam().field);
  EXPECT_FALSE(parse.refusal->text.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Files, LaCsvMalformedTest,
    ::testing::Values(
        MalformedCase{"Empty", "", ""},
        MalformedCase{"QuotedHeader", "\"field\",value\r\na,b\r\n", ""},
        MalformedCase{"Bom",
                      "\xEF\xBB\xBF"
                      "field,value\r\na,b\r\n",
                      ""},
        MalformedCase{"HeaderWithLf", "field,value\na,b\n", ""},
        MalformedCase{"NotUtf8", "field,value\r\na,\xC3\x28\r\n", ""},
        MalformedCase{"Overlong", "field,value\r\na,\xC0\xAF\r\n", ""},
        MalformedCase{"Surrogate", "field,value\r\na,\xED\xA0\x80\r\n", ""},
        MalformedCase{"RecordEndsInLf", "field,value\r\na,b\nc,d\r\n", ""},
        MalformedCase{"NoFinalCrLf", "field,value\r\na,b", ""},
        MalformedCase{"CrWithoutLf", "field,value\r\na,b\rc,d\r\n", ""},
        MalformedCase{"ThreeFields", "field,value\r\na,b,c\r\n", ""},
        MalformedCase{"OneField", "field,value\r\na\r\n", ""},
        MalformedCase{"EmptyRecord", "field,value\r\n\r\n", ""},
        MalformedCase{"UpperCasePath", "field,value\r\nKind,b\r\n", ""},
        MalformedCase{"EmptyPath", "field,value\r\n,b\r\n", ""},
        MalformedCase{"QuoteInsideUnquoted", "field,value\r\na,b\"c\r\n", ""},
        MalformedCase{"UnclosedQuote", "field,value\r\na,\"b\r\n", ""},
        MalformedCase{"TextAfterClosingQuote", "field,value\r\na,\"b\"c\r\n",
                      ""},
        MalformedCase{"CrInsideQuotes", "field,value\r\na,\"b\rc\"\r\n", ""},
        MalformedCase{"DuplicatePath", "field,value\r\na,b\r\na,c\r\n", "a"},
        MalformedCase{"DuplicateViaQuoting",
                      "field,value\r\na,b\r\n\"a\",c\r\n", "a"}),
    [](const ::testing::TestParamInfo<MalformedCase>& info) {
      return info.param.name;
    });

TEST(LaCsvTest, MoreThan100000RecordsIsPayloadTooLarge) {
  std::string bytes = "field,value\r\n";
  for (size_t i = 0; i <= kMaxRecords; ++i) {
    absl::StrAppend(&bytes, "r", i, ",v\r\n");
  }
  const CsvParse parse = ParseLaCsv(bytes);
  ASSERT_TRUE(parse.refusal.has_value());
  EXPECT_EQ(parse.refusal->code, "PAYLOAD_TOO_LARGE");
  EXPECT_THAT(parse.refusal->text, HasSubstr("100000"));
}

TEST(LaCsvTest, Exactly100000RecordsAreFine) {
  std::string bytes = "field,value\r\n";
  for (size_t i = 0; i < kMaxRecords; ++i) {
    absl::StrAppend(&bytes, "r", i, ",v\r\n");
  }
  const CsvParse parse = ParseLaCsv(bytes);
  EXPECT_FALSE(parse.refusal.has_value());
  EXPECT_EQ(parse.records.size(), kMaxRecords);
}

TEST(LaCsvTest, WriterQuotesOnlyWhereTheIcdSays) {
  EXPECT_EQ(EncodeLaCsvRecord("a", "plain text"), "a,plain text\r\n");
  EXPECT_EQ(EncodeLaCsvRecord("a", "x,y"), "a,\"x,y\"\r\n");
  EXPECT_EQ(EncodeLaCsvRecord("a", "say \"hi\""), "a,\"say \"\"hi\"\"\"\r\n");
  EXPECT_EQ(EncodeLaCsvRecord("a", "line\nbreak"), "a,\"line\nbreak\"\r\n");
  EXPECT_EQ(EncodeLaCsvRecord("a", " lead"), "a,\" lead\"\r\n");
  EXPECT_EQ(EncodeLaCsvRecord("a", "trail "), "a,\"trail \"\r\n");
  EXPECT_EQ(EncodeLaCsvRecord("a", "=SUM(A1)"), "a,=SUM(A1)\r\n");
}

TEST(LaCsvTest, WrittenRecordsReadBackUnchanged) {
  const std::vector<Record> records = {
      {"a", "x,y", 0}, {"b", "\"q\"", 0}, {"c", "l1\nl2", 0}, {"d", " s ", 0}};
  const CsvParse parse = ParseLaCsv(EncodeLaCsv(records));
  ASSERT_FALSE(parse.refusal.has_value()) << parse.refusal->text;
  ASSERT_EQ(parse.records.size(), records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(parse.records[i].path, records[i].path);
    EXPECT_EQ(parse.records[i].value, records[i].value);
  }
}

}  // namespace
}  // namespace gw::la_mps_mock
