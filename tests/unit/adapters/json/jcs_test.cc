// tests/unit/adapters/json/jcs_test.cc
//
// ParseStrictJson and Canonical (KH-CNP.md §3.2): the ICD's example bodies
// re-serialize to exactly the signed bytes of the .http files, the RFC 8785
// ordering and escaping rules, and every input the strict parser must refuse.
#include "adapters/json/jcs.h"

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gateway/util/file.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace gw::json {
namespace {

using ::nlohmann::json;

const std::string kExamplesDir =
    std::string(GW_PARTNER_EXAMPLES_DIR) + "/KH-CNP";

std::string HttpBody(const std::string& message) {
  const std::size_t blank = message.find("\r\n\r\n");
  return blank == std::string::npos ? std::string() : message.substr(blank + 4);
}

TEST(CanonicalTest, EveryExampleBodyReserializesToTheSignedBytes) {
  int examples = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kExamplesDir)) {
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(entry.path().filename().string());
    absl::StatusOr<std::string> indented = util::ReadFile(entry.path());
    ASSERT_TRUE(indented.ok()) << indented.status();
    std::filesystem::path http_path = entry.path();
    http_path.replace_extension(".http");
    absl::StatusOr<std::string> http = util::ReadFile(http_path);
    ASSERT_TRUE(http.ok()) << http.status();

    absl::StatusOr<json> body = ParseStrictJson(*indented);
    ASSERT_TRUE(body.ok()) << body.status();
    const std::string signed_bytes = HttpBody(*http);
    ASSERT_FALSE(signed_bytes.empty());
    EXPECT_EQ(Canonical(*body), signed_bytes);

    // The signed bytes are themselves strict JSON and a fixed point.
    absl::StatusOr<json> reparsed = ParseStrictJson(signed_bytes);
    ASSERT_TRUE(reparsed.ok()) << reparsed.status();
    EXPECT_EQ(Canonical(*reparsed), signed_bytes);
    ++examples;
  }
  EXPECT_EQ(examples, 5);
}

TEST(CanonicalTest, MembersSortByUtf16CodeUnitsNotUtf8Bytes) {
  // RFC 8785 §3.2.3's example: U+1F600 (UTF-16 D83D DE00) sorts before
  // U+FB33, although its UTF-8 bytes (F0..) sort after U+FB33's (EF..).
  json value = json::object();
  value["\u20ac"] = "Euro Sign";
  value["\r"] = "Carriage Return";
  value["\ufb33"] = "Hebrew Letter Dalet With Dagesh";
  value["1"] = "One";
  value["\U0001F600"] = "Emoji: Grinning Face";
  value["\u0080"] = "Control";
  value["\u00f6"] = "Latin Small Letter O With Diaeresis";
  EXPECT_EQ(Canonical(value),
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":"
            "\"Control\",\"\u00f6\":\"Latin Small Letter O With "
            "Diaeresis\",\"\u20ac\":\"Euro Sign\",\"\U0001F600\":\"Emoji: "
            "Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With "
            "Dagesh\"}");
}

TEST(CanonicalTest, SupplementaryCharactersSortBeforePrivateUseArea) {
  json value = {{"\ue000", 1}, {"\U00010000", 2},  {"\uffff", 3},
                {"\ud7ff", 4}, {"a\U0001F600", 5}, {"a\ue000", 6},
                {"a", 7}};
  EXPECT_EQ(Canonical(value),
            "{\"a\":7,\"a\U0001F600\":5,\"a\ue000\":6,\"\ud7ff\":4,"
            "\"\U00010000\":2,\"\ue000\":1,\"\uffff\":3}");
}

TEST(CanonicalTest, EscapesOnlyWhatJcsRequires) {
  const std::string raw = std::string("\x00\x01\x1f", 3) +
                          "\b\f\n\r\t\"\\/\x7f" + "\u0080\u00e9\u17a2\u2028";
  EXPECT_EQ(Canonical(json(raw)),
            "\"\\u0000\\u0001\\u001f\\b\\f\\n\\r\\t\\\"\\\\/\x7f"
            "\u0080\u00e9\u17a2\u2028\"");
}

TEST(CanonicalTest, NoWhiteSpaceAndAllValueKinds) {
  absl::StatusOr<json> value = ParseStrictJson(
      " { \"b\" : [ true , false , null , 0 , 9007199254740991 ] ,\n"
      "   \"a\" : { } , \"c\" : [ ] , \"d\" : \"\\u00e9\\/\" } ");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(Canonical(*value),
            "{\"a\":{},\"b\":[true,false,null,0,9007199254740991],\"c\":[],"
            "\"d\":\"\u00e9/\"}");
}

TEST(CanonicalTest, KhmerIsWrittenAsUtf8) {
  absl::StatusOr<json> value =
      ParseStrictJson("{\"full\":\"\\u179f\\u17b6\\u1780\\u179b\"}");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(Canonical(*value), "{\"full\":\"\u179f\u17b6\u1780\u179b\"}");
}

double FromBits(std::uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

TEST(CanonicalTest, NumbersFollowRfc8785AppendixB) {
  const std::vector<std::pair<std::uint64_t, std::string>> cases = {
      {0x0000000000000000, "0"},
      {0x8000000000000000, "0"},
      {0x0000000000000001, "5e-324"},
      {0x8000000000000001, "-5e-324"},
      {0x7fefffffffffffff, "1.7976931348623157e+308"},
      {0xffefffffffffffff, "-1.7976931348623157e+308"},
      {0x4340000000000000, "9007199254740992"},
      {0xc340000000000000, "-9007199254740992"},
      {0x4430000000000000, "295147905179352830000"},
      {0x44b52d02c7e14af5, "9.999999999999997e+22"},
      {0x44b52d02c7e14af6, "1e+23"},
      {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
      {0x444b1ae4d6e2ef4e, "999999999999999700000"},
      {0x444b1ae4d6e2ef4f, "999999999999999900000"},
      {0x444b1ae4d6e2ef50, "1e+21"},
      {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
      {0x3eb0c6f7a0b5ed8d, "0.000001"},
      {0x41b3de4355555553, "333333333.3333332"},
      {0x41b3de4355555554, "333333333.33333325"},
      {0x41b3de4355555555, "333333333.3333333"},
      {0x41b3de4355555556, "333333333.3333334"},
      {0x41b3de4355555557, "333333333.33333343"},
      {0xbecbf647612f3696, "-0.0000033333333333333333"},
      {0x43143ff3c1cb0959, "1424953923781206.2"},
  };
  for (const auto& [bits, expected] : cases) {
    EXPECT_EQ(Canonical(json(FromBits(bits))), expected) << std::hex << bits;
  }
  EXPECT_EQ(Canonical(json(std::uint64_t{9007199254740991})),
            "9007199254740991");
  EXPECT_EQ(Canonical(json(std::int64_t{-42})), "-42");
  EXPECT_EQ(Canonical(json(1.0)), "1");
}

TEST(CanonicalTest, InvalidUtf8BuiltInCodeBecomesReplacementCharacters) {
  EXPECT_EQ(Canonical(json(std::string("a\xC3(\xED\xA0\x80z"))),
            "\"a\uFFFD(\uFFFD\uFFFD\uFFFDz\"");
}

// --- ParseStrictJson ------------------------------------------------------

StrictJsonError ErrorOf(const absl::StatusOr<json>& result) {
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument)
      << result.status();
  std::optional<StrictJsonError> error = StrictJsonErrorOf(result.status());
  EXPECT_TRUE(error.has_value()) << result.status();
  return error.value_or(StrictJsonError{});
}

TEST(ParseStrictJsonTest, AcceptsOrdinaryJson) {
  absl::StatusOr<json> value =
      ParseStrictJson("{\"a\":[1,{\"b\":\"x\"}],\"c\":null,\"d\":true}\n");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ((*value)["a"][1]["b"], "x");
  EXPECT_TRUE(ParseStrictJson("\"scalar\"").ok());
  EXPECT_TRUE(ParseStrictJson("0").ok());
}

TEST(ParseStrictJsonTest, RefusesDuplicateMemberNames) {
  StrictJsonError error = ErrorOf(ParseStrictJson("{\"a\":1,\"a\":2}"));
  EXPECT_EQ(error.kind, StrictJsonError::Kind::kDuplicateMember);
  EXPECT_EQ(error.pointer, "/a");
  EXPECT_EQ(error.offset, 10u);  // just past the second "a"

  error = ErrorOf(ParseStrictJson(
      "{\"x\":[{\"b\":1},{\"c\":{\"d\":1},\"a/~\":0,\"a/~\":1}]}"));
  EXPECT_EQ(error.kind, StrictJsonError::Kind::kDuplicateMember);
  EXPECT_EQ(error.pointer, "/x/1/a~1~0");

  // Same name through an escape is still the same name.
  error = ErrorOf(ParseStrictJson("{\"n\":1,\"\\u006e\":2}"));
  EXPECT_EQ(error.kind, StrictJsonError::Kind::kDuplicateMember);

  // Equal names in different objects are fine.
  EXPECT_TRUE(ParseStrictJson("{\"a\":{\"a\":1},\"b\":{\"a\":2}}").ok());
}

TEST(ParseStrictJsonTest, ErrorMessagesNeverQuoteTheInput) {
  for (const char* text :
       {"{\"name\":\"SECRET-NAME\",\"name\":\"SECRET-NAME\"}",
        "{\"name\":\"SECRET-NAME\" x}", "{\"name\":\"SECRET-NAME\",\"n\":1.5}",
        "[\"SECRET-NAME\"", "\"SECRET-NAME\xC3(\""}) {
    absl::StatusOr<json> value = ParseStrictJson(text);
    ASSERT_FALSE(value.ok()) << text;
    EXPECT_EQ(value.status().message().find("SECRET"), std::string::npos)
        << value.status();
    EXPECT_NE(value.status().message().find("byte offset"), std::string::npos)
        << value.status();
  }
}

TEST(ParseStrictJsonTest, RefusesAByteOrderMark) {
  StrictJsonError error = ErrorOf(ParseStrictJson("\xEF\xBB\xBF{}"));
  EXPECT_EQ(error.kind, StrictJsonError::Kind::kByteOrderMark);
  EXPECT_EQ(error.offset, 0u);
  // U+FEFF inside a string is ordinary content.
  EXPECT_TRUE(ParseStrictJson("\"\xEF\xBB\xBF\"").ok());
}

std::string Nested(int depth, const char* open, const char* close) {
  std::string text;
  for (int i = 0; i < depth; ++i) text += open;
  for (int i = 0; i < depth; ++i) text += close;
  return text;
}

TEST(ParseStrictJsonTest, NestingAtMost64Deep) {
  EXPECT_TRUE(ParseStrictJson(Nested(64, "[", "]")).ok());
  StrictJsonError error = ErrorOf(ParseStrictJson(Nested(65, "[", "]")));
  EXPECT_EQ(error.kind, StrictJsonError::Kind::kTooDeep);
  std::string pointer;
  for (int i = 0; i < 64; ++i) pointer += "/0";
  EXPECT_EQ(error.pointer, pointer);

  std::string objects;
  for (int i = 0; i < 64; ++i) objects += "{\"k\":";
  objects += "1";
  for (int i = 0; i < 64; ++i) objects += "}";
  EXPECT_TRUE(ParseStrictJson(objects).ok());
  EXPECT_EQ(ErrorOf(ParseStrictJson("[" + objects + "]")).kind,
            StrictJsonError::Kind::kTooDeep);
  // A deep hostile text stops at the limit instead of exhausting memory.
  EXPECT_EQ(ErrorOf(ParseStrictJson(std::string(100000, '['))).kind,
            StrictJsonError::Kind::kTooDeep);
}

TEST(ParseStrictJsonTest, NumbersAreIntegersFrom0To2Pow53Minus1) {
  EXPECT_TRUE(ParseStrictJson("[0,1,9007199254740991]").ok());
  for (const char* number :
       {"1.0", "1.5", "1e2", "1E+2", "0e0", "-1", "-0", "9007199254740992",
        "18446744073709551615", "18446744073709551616",
        "123456789012345678901234567890"}) {
    SCOPED_TRACE(number);
    StrictJsonError error =
        ErrorOf(ParseStrictJson(absl::StrCat("{\"a\":[0,", number, "]}")));
    EXPECT_EQ(error.kind, StrictJsonError::Kind::kNumber);
    EXPECT_EQ(error.pointer, "/a/1");
  }
  absl::StatusOr<json> value = ParseStrictJson("{\"age\":-3}");
  ASSERT_FALSE(value.ok());
  EXPECT_NE(value.status().message().find("/age"), std::string::npos)
      << value.status();
  EXPECT_EQ(ErrorOf(ParseStrictJson("2.5")).pointer, "");
}

TEST(ParseStrictJsonTest, RefusesInvalidUtf8) {
  for (const std::string& text : {
           std::string("\"\xC3(\""),             // bad continuation
           std::string("\"\xC0\xAF\""),          // overlong '/'
           std::string("\"\xED\xA0\x80\""),      // encoded surrogate
           std::string("\"\xF4\x90\x80\x80\""),  // above U+10FFFF
           std::string("\"\xE1\x9E\""),          // truncated Khmer letter
           std::string("\"\\ud800\""),           // lone surrogate escape
           std::string("\"\\udc00\\ud800\""),    // reversed pair
           std::string("{\"\xFF\":1}"),          // in a member name
       }) {
    EXPECT_EQ(ErrorOf(ParseStrictJson(text)).kind,
              StrictJsonError::Kind::kSyntax)
        << text;
  }
  absl::StatusOr<json> pair = ParseStrictJson("\"\\ud83d\\ude00\"");
  ASSERT_TRUE(pair.ok()) << pair.status();
  EXPECT_EQ(pair->get<std::string>(), "\U0001F600");
}

TEST(ParseStrictJsonTest, RefusesTrailingGarbageAndOtherSyntax) {
  for (const char* text :
       {"{}x", "{} {}", "[1]]", "", "   ", "{", "{\"a\"}", "{\"a\":1,}", "[1,]",
        "'a'", "{a:1}", "// c\n{}", "/* c */{}", "\"tab\there\"", "NaN",
        "Infinity", "01"}) {
    SCOPED_TRACE(text);
    StrictJsonError error = ErrorOf(ParseStrictJson(text));
    EXPECT_EQ(error.kind, StrictJsonError::Kind::kSyntax);
  }
  // A NUL byte, which nlohmann's lexer takes for the end of the input.
  for (const std::string& text :
       {std::string("{}\0", 3), std::string("{}\0{\"a\":1}", 10),
        std::string("{\"a\":\"\0\"}", 9)}) {
    StrictJsonError error = ErrorOf(ParseStrictJson(text));
    EXPECT_EQ(error.kind, StrictJsonError::Kind::kSyntax);
    EXPECT_EQ(error.offset, text.find('\0'));
  }
  EXPECT_EQ(ErrorOf(ParseStrictJson("{}x")).offset, 3u);
  // Trailing white space is not garbage.
  EXPECT_TRUE(ParseStrictJson("{} \r\n\t").ok());
}

TEST(ParseStrictJsonTest, StrictJsonErrorOfOtherStatuses) {
  EXPECT_FALSE(StrictJsonErrorOf(absl::OkStatus()).has_value());
  EXPECT_FALSE(
      StrictJsonErrorOf(absl::InvalidArgumentError("other")).has_value());
}

}  // namespace
}  // namespace gw::json
