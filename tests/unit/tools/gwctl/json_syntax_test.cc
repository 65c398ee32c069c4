// tests/unit/tools/gwctl/json_syntax_test.cc
#include "tools/gwctl/json_syntax.h"

#include <ostream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::gwctl {
namespace {

struct Case {
  std::string name;
  std::string text;
  std::string want;  // "" = valid; else the message prefix "LINE:COL: ..."
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class JsonSyntaxTest : public ::testing::TestWithParam<Case> {};

TEST_P(JsonSyntaxTest, ChecksSyntaxAndReportsPosition) {
  const absl::Status status = CheckJsonSyntax(GetParam().text);
  if (GetParam().want.empty()) {
    EXPECT_TRUE(status.ok()) << status;
  } else {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(status.message()),
                ::testing::StartsWith(GetParam().want));
  }
}

INSTANTIATE_TEST_SUITE_P(
    JsonSyntaxTest, JsonSyntaxTest,
    ::testing::Values(
        Case{"EmptyObject", "{}", ""},
        Case{"Nested",
             R"({"a": [1, -2.5e3, true, false, null, {"b": "\u00e9\n"}]})", ""},
        Case{"ByteOrderMark", "\xEF\xBB\xBF{}", ""},
        Case{"Whitespace", " \n\t{ }\r\n", ""},
        Case{"Utf8ColumnsCountCharacters", "{\"名字\": x}",
             "1:8: syntax error while parsing value - invalid literal"},
        Case{"SecondLine", "{\n\"a\": tru}",
             "2:9: syntax error while parsing value - invalid literal"},
        Case{"TrailingCommaInArray", "[1,]",
             "1:4: syntax error while parsing value - unexpected ']'"},
        Case{"LeadingZero", "[01]",
             "1:3: syntax error while parsing array - unexpected number"},
        Case{"BareDot", "[1.]",
             "1:4: syntax error while parsing value - invalid number"},
        Case{"UnclosedString", "{\"a\": \"b}",
             "1:10: syntax error while parsing value - invalid string: missing "
             "closing quote"},
        Case{"NewlineInString", "[\"a\nb\"]",
             "1:4: syntax error while parsing value - invalid string: control "
             "character"},
        Case{"BadEscape", R"(["\x"])",
             "1:4: syntax error while parsing value - invalid string: "
             "forbidden character after backslash"},
        Case{"ShortUnicodeEscape", R"(["\u12"])",
             "1:7: syntax error while parsing value - invalid string: '\\u' "
             "must be followed"},
        Case{"SingleQuotes", "{'a': 1}",
             "1:2: syntax error while parsing object key"},
        Case{"TwoValues", "{} {}",
             "1:4: syntax error while parsing value - unexpected '{'; expected "
             "end of input"},
        Case{"Empty", "",
             "1:1: syntax error while parsing value - unexpected end of input"},
        Case{"OnlySpaces", "   ",
             "1:4: syntax error while parsing value - unexpected end of input"},
        Case{"TooDeep", std::string(kMaxJsonDepth + 1, '['),
             "1:1: nested deeper than 100 levels"},
        Case{"DeepEnough",
             std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']'),
             ""}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace gw::gwctl
