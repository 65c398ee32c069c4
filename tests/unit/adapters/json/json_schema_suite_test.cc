// tests/unit/adapters/json/json_schema_suite_test.cc
//
// The official JSON-Schema-Test-Suite (Debian package json-schema-test-suite,
// draft 7 tests) for every keyword JsonSchema supports: every case of every
// group must give the suite's verdict, except the groups listed in kSkipped
// with the reason. A skipped group that uses a keyword JsonSchema does not
// support must still be refused at Load (never silently half-checked).
// (definitions.json is not run: both its groups only $ref the remote draft 7
// meta-schema.) Skipped entirely (GTEST_SKIP) when the suite is not
// installed.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "adapters/json/json_schema.h"
#include "gateway/util/file.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace gw::json {
namespace {

constexpr char kSuiteDir[] = "/usr/share/json-schema-test-suite/tests/draft7";

struct Skip {
  const char* file;
  const char* group;
  bool refused_at_load;  // uses a keyword or $ref form JsonSchema refuses
  const char* reason;
};

const Skip kSkipped[] = {
    {"properties",
     "properties, patternProperties, additionalProperties "
     "interaction",
     true, "patternProperties is not supported"},
    {"additionalProperties",
     "additionalProperties being false does not allow other properties", true,
     "patternProperties is not supported"},
    {"additionalProperties", "non-ASCII pattern with additionalProperties",
     true, "patternProperties is not supported"},
    {"items", "an array of schemas for items", true,
     "the draft 7 array (tuple) form of items is not supported"},
    {"items", "items with boolean schemas", true,
     "the draft 7 array (tuple) form of items is not supported"},
    {"ref", "relative pointer ref to array", true,
     "the draft 7 array (tuple) form of items is not supported"},
    {"ref", "escaped pointer ref", true,
     "its target schemas sit under member names that are not keywords; "
     "unknown keywords are refused"},
    {"ref", "ref overrides any sibling keywords", false,
     "draft 7 ignores keywords next to $ref; JsonSchema follows 2020-12, "
     "where they apply"},
    {"ref", "remote ref, containing refs itself", true,
     "remote references are not supported"},
    {"ref", "Recursive references between schemas", true,
     "$id below the root and relative URI references are not supported"},
};

const Skip* FindSkip(const std::string& file, const std::string& group) {
  for (const Skip& skip : kSkipped) {
    if (file == skip.file && group == skip.group) return &skip;
  }
  return nullptr;
}

class JsonSchemaSuiteTest : public testing::TestWithParam<const char*> {};

TEST_P(JsonSchemaSuiteTest, EveryCaseGivesTheSuiteVerdict) {
  if (!std::filesystem::is_directory(kSuiteDir)) {
    GTEST_SKIP() << kSuiteDir << " is not installed";
  }
  const std::string file = GetParam();
  absl::StatusOr<std::string> text =
      util::ReadFile(absl::StrCat(kSuiteDir, "/", file, ".json"));
  ASSERT_TRUE(text.ok()) << text.status();
  // ordered_json keeps each schema's member order through dump().
  const nlohmann::ordered_json groups =
      nlohmann::ordered_json::parse(*text, nullptr, false);
  ASSERT_TRUE(groups.is_array()) << file;

  int cases_run = 0;
  for (const auto& group : groups) {
    const std::string description = group["description"].get<std::string>();
    SCOPED_TRACE(absl::StrCat(file, ": ", description));
    absl::StatusOr<std::unique_ptr<JsonSchema>> schema =
        JsonSchema::Load(group["schema"].dump());
    if (const Skip* skip = FindSkip(file, description); skip != nullptr) {
      if (skip->refused_at_load) {
        EXPECT_FALSE(schema.ok()) << "skipped as refused, but it loads";
      }
      continue;
    }
    ASSERT_TRUE(schema.ok()) << schema.status();
    for (const auto& test : group["tests"]) {
      const std::string name = test["description"].get<std::string>();
      const nlohmann::json data =
          nlohmann::json::parse(test["data"].dump(), nullptr, false);
      const bool expected = test["valid"].get<bool>();
      std::optional<SchemaViolation> violation = (*schema)->Validate(data);
      EXPECT_EQ(!violation.has_value(), expected)
          << name
          << (violation.has_value() ? absl::StrCat(": ", violation->pointer,
                                                   " ", violation->message)
                                    : std::string());
      ++cases_run;
    }
  }
  EXPECT_GT(cases_run, 0) << file;
}

TEST(JsonSchemaSuiteSkipListTest, EverySkippedGroupExists) {
  if (!std::filesystem::is_directory(kSuiteDir)) {
    GTEST_SKIP() << kSuiteDir << " is not installed";
  }
  for (const Skip& skip : kSkipped) {
    absl::StatusOr<std::string> text =
        util::ReadFile(absl::StrCat(kSuiteDir, "/", skip.file, ".json"));
    ASSERT_TRUE(text.ok()) << text.status();
    const nlohmann::json groups = nlohmann::json::parse(*text, nullptr, false);
    bool found = false;
    for (const auto& group : groups) {
      found = found || group["description"] == skip.group;
    }
    EXPECT_TRUE(found) << skip.file << ": " << skip.group;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Draft7, JsonSchemaSuiteTest,
    testing::Values("type", "enum", "const", "properties", "required",
                    "additionalProperties", "minProperties", "maxProperties",
                    "items", "minItems", "maxItems", "uniqueItems", "minLength",
                    "maxLength", "pattern", "minimum", "maximum", "oneOf",
                    "anyOf", "allOf", "not", "ref", "boolean_schema"),
    [](const testing::TestParamInfo<const char*>& info) {
      return std::string(info.param);
    });

}  // namespace
}  // namespace gw::json
