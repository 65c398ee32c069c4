// tests/unit/adapters/la_mps/csv_test.cc
//
// The LA-MPS CSV container (LA-MPS.md §3.3): what a reader accepts (any
// RFC 4180 quoting, LF inside quoted values) and refuses (MALFORMED_CSV as
// INVALID_ARGUMENT, PAYLOAD_TOO_LARGE as OUT_OF_RANGE), and how the writer
// quotes.
#include "adapters/la_mps/csv.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "la_examples.h"

namespace gw::la_mps {
namespace {

using ::testing::HasSubstr;

std::string File(const std::string& body) {
  return absl::StrCat("field,value\r\n", body);
}

TEST(CsvTest, ReadsPlainAndQuotedRecordsWithOffsets) {
  const std::string file =
      File("a,1\r\nb,\"x, \"\"y\"\"\ntwo lines\"\r\nc.d_2,\" padded \"\r\n");
  auto records = ReadCsv(file);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[0].path, "a");
  EXPECT_EQ((*records)[0].value, "1");
  EXPECT_EQ((*records)[0].offset, 13u);
  EXPECT_EQ((*records)[1].path, "b");
  EXPECT_EQ((*records)[1].value, "x, \"y\"\ntwo lines");
  EXPECT_EQ((*records)[1].offset, 18u);
  EXPECT_EQ((*records)[2].path, "c.d_2");
  EXPECT_EQ((*records)[2].value, " padded ");
}

TEST(CsvTest, UnnecessaryQuotingIsReadAsItsContent) {
  auto plain = ReadCsv(File("alert_id,A-1\r\nkind,MISSING_PERSON\r\n"));
  auto quoted =
      ReadCsv(File("\"alert_id\",\"A-1\"\r\n\"kind\",\"MISSING_PERSON\"\r\n"));
  ASSERT_TRUE(plain.ok()) << plain.status();
  ASSERT_TRUE(quoted.ok()) << quoted.status();
  ASSERT_EQ(plain->size(), quoted->size());
  for (size_t i = 0; i < plain->size(); ++i) {
    EXPECT_EQ((*plain)[i].path, (*quoted)[i].path);
    EXPECT_EQ((*plain)[i].value, (*quoted)[i].value);
  }
}

TEST(CsvTest, HeaderOnlyIsAnEmptyRecordList) {
  auto records = ReadCsv("field,value\r\n");
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_TRUE(records->empty());
}

TEST(CsvTest, EmptyValueAndQuotedCrAreLeftForTheFieldRules) {
  auto records = ReadCsv(File("a,\r\nb,\"x\r\ny\"\r\n"));
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ((*records)[0].value, "");
  EXPECT_EQ((*records)[1].value, "x\r\ny");
}

struct MalformedCase {
  const char* name;
  std::string bytes;
  const char* message;
};

TEST(CsvTest, RefusesMalformedFiles) {
  const std::vector<MalformedCase> cases = {
      {"header quoted", "\"field\",value\r\na,b\r\n", "header record"},
      {"header other case", "Field,Value\r\na,b\r\n", "header record"},
      {"header with BOM",
       "\xEF\xBB\xBF"
       "field,value\r\na,b\r\n",
       "header record"},
      {"header LF only", "field,value\na,b\r\n", "header record"},
      {"empty file", "", "header record"},
      {"bare CR", File("a,b\rc\r\n"), "CR not followed by LF"},
      {"LF record end", File("a,b\nc,d\r\n"), "LF outside a quoted value"},
      {"not UTF-8", File("a,\xC3\x28\r\n"), "not valid UTF-8"},
      {"overlong UTF-8", File("a,\xC0\xAF\r\n"), "not valid UTF-8"},
      {"quote in bare field", File("a,b\"c\r\n"), "quote inside"},
      {"text after closing quote", File("a,\"b\"c\r\n"),
       "after the closing quote"},
      {"unclosed quote", File("a,\"b"), "not closed"},
      {"one field", File("a\r\n"), "1 fields, want 2"},
      {"three fields", File("a,b,c\r\n"), "more than 2 fields, want 2"},
      {"a line of commas", File("a" + std::string(100000, ',') + "\r\n"),
       "more than 2 fields, want 2"},
      {"no final CR LF", File("a,b"), "does not end with CR LF"},
      {"empty line", File("a,b\r\n\r\n"), "1 fields, want 2"},
      {"upper-case path", File("Alert_id,b\r\n"), "[a-z0-9_.]"},
      {"path with space", File("\"a b\",c\r\n"), "[a-z0-9_.]"},
      {"empty path", File(",c\r\n"), "empty field path"},
      {"duplicate path", File("a,b\r\nc,d\r\na,e\r\n"), "a repeated"},
  };
  for (const MalformedCase& c : cases) {
    auto records = ReadCsv(c.bytes);
    ASSERT_FALSE(records.ok()) << c.name;
    EXPECT_EQ(records.status().code(), absl::StatusCode::kInvalidArgument)
        << c.name;
    EXPECT_THAT(std::string(records.status().message()), HasSubstr(c.message))
        << c.name;
  }
}

TEST(CsvTest, RecordLimitIsOutOfRangeBeyondTheLimitOnly) {
  std::string body;
  for (int i = 1; i <= 5; ++i) absl::StrAppend(&body, "f", i, ",v\r\n");
  EXPECT_TRUE(ReadCsv(File(body), 5).ok());
  absl::StrAppend(&body, "f6,v\r\n");
  auto records = ReadCsv(File(body), 5);
  EXPECT_EQ(records.status().code(), absl::StatusCode::kOutOfRange);
}

TEST(CsvTest, DefaultLimitIs100000Records) {
  std::string body;
  body.reserve(1500000);
  for (int i = 1; i <= 100000; ++i) absl::StrAppend(&body, "f", i, ",v\r\n");
  EXPECT_TRUE(ReadCsv(File(body)).ok());
  absl::StrAppend(&body, "g,v\r\n");
  EXPECT_EQ(ReadCsv(File(body)).status().code(), absl::StatusCode::kOutOfRange);
}

TEST(CsvTest, WriterQuotesOnlyWhereTheRulesSay) {
  EXPECT_FALSE(NeedsQuoting("plain text; with = signs"));
  EXPECT_FALSE(NeedsQuoting("ມະລິ ທົດລອງ"));
  EXPECT_FALSE(NeedsQuoting("虚构，测试"));  // full-width comma
  EXPECT_TRUE(NeedsQuoting("a,b"));
  EXPECT_TRUE(NeedsQuoting("say \"hi\""));
  EXPECT_TRUE(NeedsQuoting("line\nbreak"));
  EXPECT_TRUE(NeedsQuoting(" leading"));
  EXPECT_TRUE(NeedsQuoting("trailing "));
  const std::vector<CsvRecord> records = {{"a", "x", 0},
                                          {"b", "say \"hi\", then\nleave", 0}};
  const std::string file = WriteCsv(records);
  EXPECT_EQ(file,
            "field,value\r\na,x\r\nb,\"say \"\"hi\"\", then\nleave\"\r\n");
  auto back = ReadCsv(file);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ((*back)[1].value, records[1].value);
}

TEST(CsvTest, ExampleFilesReadAndRewriteByteForByte) {
  for (const auto& [dir, name] :
       std::vector<std::pair<std::string, std::string>>{
           {"outbox", "c000a73d-0a25-5904-bedf-ad6b56692274.csv"},
           {"outbox", "03d1e44d-e158-551e-9881-0a18763ec1a6.csv"},
           {"inbox", "3a0fe15e-fed5-5450-b663-cde8d7c5afc1.csv"},
           {"inbox", "c000a73d-0a25-5904-bedf-ad6b56692274.ack"},
           {"inbox", "03d1e44d-e158-551e-9881-0a18763ec1a6.ack"},
           {"outbox", "3a0fe15e-fed5-5450-b663-cde8d7c5afc1.ack"}}) {
    const std::string bytes = testing::Example(dir, name);
    auto records = ReadCsv(bytes);
    ASSERT_TRUE(records.ok()) << name << ": " << records.status();
    EXPECT_EQ(WriteCsv(*records), bytes) << name;
  }
}

}  // namespace
}  // namespace gw::la_mps
