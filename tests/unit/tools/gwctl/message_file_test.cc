// tests/unit/tools/gwctl/message_file_test.cc
#include "tools/gwctl/message_file.h"

#include <ostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gw/v1/alert.pb.h"

namespace gw::gwctl {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string Example(const std::string& name) {
  return absl::StrCat(GW_SOURCE_DIR, "/tools/gwctl/examples/", name);
}

TEST(MessageFileTest, LoadsTheMissingChildExample) {
  gw::v1::CaseAlert alert;
  ASSERT_TRUE(LoadMessageFile(Example("missing-child.json"), &alert).ok());
  EXPECT_EQ(alert.case_ref(), "CN-YN-XSBN-2026-0042");
  EXPECT_EQ(alert.kind(), gw::v1::CaseAlert::MISSING_PERSON);
  EXPECT_EQ(alert.priority(), gw::v1::CaseAlert::URGENT);
  EXPECT_EQ(alert.handling_code(), gw::v1::CaseAlert::H2);
  EXPECT_THAT(alert.recipients(), ::testing::ElementsAre("TH-RTP", "MM-MPF"));
  ASSERT_EQ(alert.subjects_size(), 1);
  const gw::v1::Person& victim = alert.subjects(0).person();
  EXPECT_EQ(alert.subjects(0).role(), gw::v1::Subject::VICTIM);
  ASSERT_EQ(victim.names_size(), 2);
  EXPECT_EQ(victim.names(0).script(), "Hani");
  EXPECT_EQ(victim.names(1).script(), "Latn");
  EXPECT_EQ(victim.sex(), gw::v1::Person::FEMALE);
  EXPECT_EQ(victim.date_of_birth(), "2012-05");
  EXPECT_EQ(victim.nationality(), "CHN");
  EXPECT_TRUE(alert.last_seen().has_at());
  EXPECT_EQ(alert.last_seen().country(), "CHN");
  ASSERT_EQ(alert.narrative_size(), 2);
  EXPECT_EQ(alert.narrative(0).lang(), "en");
  EXPECT_EQ(alert.narrative(1).lang(), "zh");
  // Left for gwctl to fill.
  EXPECT_EQ(alert.alert_id(), "");
  EXPECT_EQ(alert.origin_agency(), "");
  EXPECT_EQ(alert.originator(), "");
  EXPECT_FALSE(alert.has_created_at());
}

TEST(MessageFileTest, LoadsTheSuspectWantedTextproto) {
  gw::v1::CaseAlert alert;
  ASSERT_TRUE(
      LoadMessageFile(Example("suspect-wanted.textproto"), &alert).ok());
  EXPECT_EQ(alert.kind(), gw::v1::CaseAlert::SUSPECT_WANTED);
  EXPECT_THAT(alert.recipients(), ::testing::ElementsAre("VN-MPS"));
  ASSERT_EQ(alert.subjects_size(), 1);
  EXPECT_EQ(alert.subjects(0).role(), gw::v1::Subject::SUSPECT);
  EXPECT_EQ(alert.alert_id(), "");
  EXPECT_FALSE(alert.has_created_at());
}

TEST(MessageFileTest, MissingFileIsNotFoundNamingThePath) {
  gw::v1::CaseAlert alert;
  const absl::Status status = LoadMessageFile("/nonexistent/a.json", &alert);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(status.message()), HasSubstr("/nonexistent/a.json"));
}

struct BadJsonCase {
  std::string name;
  std::string json;
  std::string want;  // the message after "a.json"
};

void PrintTo(const BadJsonCase& c, std::ostream* os) { *os << c.name; }

class BadJsonTest : public ::testing::TestWithParam<BadJsonCase> {};

TEST_P(BadJsonTest, IsRefusedWithWhereAndWhat) {
  gw::v1::CaseAlert alert;
  const absl::Status status =
      ParseJsonMessage(GetParam().json, "a.json", &alert);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              StartsWith(absl::StrCat("a.json", GetParam().want)));
}

INSTANTIATE_TEST_SUITE_P(
    MessageFileTest, BadJsonTest,
    ::testing::Values(
        BadJsonCase{"UnknownTopLevelField", R"({"case_ref": "x", "bogus": 1})",
                    ": bogus: unknown field"},
        BadJsonCase{
            "UnknownNestedField",
            R"({"subjects": [{"role": "VICTIM", "person": {"nick": "a"}}]})",
            ": subjects[0].person.nick: unknown field"},
        BadJsonCase{"CommentFieldIsUnknownToo",
                    R"({"_comment": "x", "case_ref": "y"})",
                    ": _comment: unknown field"},
        BadJsonCase{"BadEnumListsTheValidNames", R"({"kind": "MISSING"})",
                    ": kind: invalid value \"MISSING\", want one of "
                    "MISSING_PERSON, VICTIM_IDENTIFIED, SUSPECT_WANTED, "
                    "ROUTE_INTELLIGENCE"},
        BadJsonCase{"BadNestedEnum",
                    R"({"subjects": [{}, {"person": {"sex": "F"}}]})",
                    ": subjects[1].person.sex: invalid value \"F\", want one "
                    "of FEMALE, MALE, OTHER, UNKNOWN"},
        BadJsonCase{"BadTimestamp", R"({"created_at": "yesterday"})",
                    ": created_at: invalid value"},
        BadJsonCase{"NumberForString", R"({"case_ref": 5})",
                    ": case_ref: invalid value 5, want a string"},
        BadJsonCase{"MissingColonHasLineAndColumn",
                    "{\"case_ref\": \"x\",\n  \"kind\" \"MISSING_PERSON\"}",
                    ":2:25: syntax error while parsing object separator - "
                    "unexpected string literal; expected ':'"},
        BadJsonCase{
            "TrailingComma", "{\"case_ref\": \"x\",\n}",
            ":2:1: syntax error while parsing object key - unexpected '}'"},
        BadJsonCase{"Truncated", "{\"case_ref\": \"x\"",
                    ":1:17: syntax error while parsing object - unexpected end "
                    "of input"},
        BadJsonCase{
            "Empty", "",
            ":1:1: syntax error while parsing value - unexpected end of input"},
        BadJsonCase{
            "NotJsonAtAll", "case_ref: \"x\"",
            ":1:1: syntax error while parsing value - invalid literal"}),
    [](const auto& info) { return info.param.name; });

TEST(MessageFileTest, TextprotoUnknownFieldNamesItWithPosition) {
  gw::v1::CaseAlert alert;
  const absl::Status status = ParseTextprotoMessage(
      "case_ref: \"x\"\nbogus: 1\n", "a.textproto", &alert);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), StartsWith("a.textproto:2:"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("\"bogus\""));
}

TEST(MessageFileTest, TextprotoPathsAreRecognised) {
  EXPECT_TRUE(IsTextprotoPath("a.textproto"));
  EXPECT_TRUE(IsTextprotoPath("dir/a.txtpb"));
  EXPECT_FALSE(IsTextprotoPath("a.json"));
  EXPECT_FALSE(IsTextprotoPath("textproto"));
}

}  // namespace
}  // namespace gw::gwctl
