// tests/unit/adapters/json/json_schema_test.cc
//
// JsonSchema against KH-CNP.schema.json (the embedded copy the gateway
// enforces): the ICD's examples validate, and each kind of breach is
// reported at the pointer of the failing member, with the Unicode rules of
// KH-CNP.md §5.1. Then the behaviour of the keyword subset itself: what Load
// refuses, $ref resolution, ECMA-262 pattern meaning and the pattern limits.
#include "adapters/json/json_schema.h"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "adapters/json/jcs.h"
#include "gateway/util/file.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "schemas/embedded.h"

namespace gw::json {
namespace {

using ::nlohmann::json;

const std::string kExamplesDir =
    std::string(GW_PARTNER_EXAMPLES_DIR) + "/KH-CNP";

json Example(const std::string& name) {
  absl::StatusOr<std::string> text =
      util::ReadFile(absl::StrCat(kExamplesDir, "/", name));
  EXPECT_TRUE(text.ok()) << text.status();
  absl::StatusOr<json> value = ParseStrictJson(text.value_or(""));
  EXPECT_TRUE(value.ok()) << value.status();
  return value.value_or(json());
}

std::unique_ptr<JsonSchema> MustLoad(std::string_view text) {
  absl::StatusOr<std::unique_ptr<JsonSchema>> schema = JsonSchema::Load(text);
  EXPECT_TRUE(schema.ok()) << schema.status();
  return schema.ok() ? *std::move(schema) : nullptr;
}

class KhCnpSchemaTest : public testing::Test {
 protected:
  void SetUp() override {
    schema_ = MustLoad(embedded::kKhCnpSchemaJson);
    ASSERT_NE(schema_, nullptr);
  }

  // The violation for `body` against the root and against the $defs entry
  // of its message, which must agree.
  std::optional<SchemaViolation> Check(const json& body,
                                       const std::string& def) {
    std::optional<SchemaViolation> at_root = schema_->Validate(body);
    absl::StatusOr<std::optional<SchemaViolation>> at_def =
        schema_->ValidateAt(body, "/$defs/" + def);
    EXPECT_TRUE(at_def.ok()) << at_def.status();
    if (at_def.ok()) {
      EXPECT_EQ(at_root.has_value(), at_def->has_value());
      if (at_root.has_value() && at_def->has_value()) {
        EXPECT_EQ(at_root->pointer, (*at_def)->pointer);
        EXPECT_EQ(at_root->message, (*at_def)->message);
      }
    }
    return at_root;
  }

  std::optional<SchemaViolation> CheckAlert(const json& body) {
    return Check(body, "alert_message");
  }

  json& Name(json& alert, int index = 0) {
    return alert["alert"]["subjects"][0]["person"]["names"][index];
  }

  std::unique_ptr<JsonSchema> schema_;
};

TEST_F(KhCnpSchemaTest, EveryExampleValidates) {
  const std::map<std::string, std::string> def_of = {
      {"alert", "alert_message"},
      {"repatriation_request", "repatriation_request_message"},
      {"repatriation_decision", "repatriation_decision_message"},
      {"case_status", "case_status_message"},
      {"ack", "ack_message"},
      {"error", "error_message"}};
  int examples = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kExamplesDir)) {
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(entry.path().filename().string());
    const json body = Example(entry.path().filename().string());
    const std::string kind = body.value("message_type", "");
    ASSERT_EQ(def_of.count(kind), 1u) << kind;
    std::optional<SchemaViolation> violation = Check(body, def_of.at(kind));
    EXPECT_FALSE(violation.has_value())
        << violation->pointer << " " << violation->message;
    ++examples;
  }
  EXPECT_EQ(examples, 5);
}

TEST_F(KhCnpSchemaTest, RejectionExampleDateOfBirthIsReportedAtItsPointer) {
  json alert = Example("alert-outbound.json");
  alert["alert"]["subjects"][0]["person"]["date_of_birth"] = "2011-13-05";
  std::optional<SchemaViolation> violation = CheckAlert(alert);
  ASSERT_TRUE(violation.has_value());
  // The ICD's own rejection names exactly this field.
  const json rejection = Example("rejection-400-inbound.json");
  EXPECT_EQ(violation->pointer, rejection["error"]["field"]);
  EXPECT_EQ(violation->pointer, "/alert/subjects/0/person/date_of_birth");
  EXPECT_EQ(violation->message, "does not match the pattern of date_of_birth");
}

TEST_F(KhCnpSchemaTest, MissingRequiredMemberIsReportedWhereItBelongs) {
  json alert = Example("alert-outbound.json");
  alert["alert"].erase("case_ref");
  std::optional<SchemaViolation> violation = CheckAlert(alert);
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->pointer, "/alert/case_ref");
  EXPECT_EQ(violation->message, "required member is missing");

  json ack = Example("ack-202-inbound.json");
  ack.erase("payload_sha256");
  violation = Check(ack, "ack_message");
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->pointer, "/payload_sha256");
}

TEST_F(KhCnpSchemaTest, MissingPayloadObjectPicksTheKindNamedByMessageType) {
  json status = {{"message_type", "case_status"},
                 {"message_id", "1c48fc5b-29bc-59f4-912a-1d9f44f64124"},
                 {"sender", "KH-CNP"},
                 {"recipient", "CN-MPS"}};
  std::optional<SchemaViolation> violation =
      Check(status, "case_status_message");
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->pointer, "/case_status");
  EXPECT_EQ(violation->message, "required member is missing");
}

TEST_F(KhCnpSchemaTest, AdditionalPropertyIsRefusedAtItsPointer) {
  json alert = Example("alert-outbound.json");
  alert["alert"]["subjects"][0]["person"]["eye_colour"] = "brown";
  std::optional<SchemaViolation> violation = CheckAlert(alert);
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->pointer, "/alert/subjects/0/person/eye_colour");
  EXPECT_EQ(violation->message, "member is not allowed here");

  alert = Example("alert-outbound.json");
  alert["x/y~z"] = 1;
  violation = CheckAlert(alert);
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->pointer, "/x~1y~0z");
}

TEST_F(KhCnpSchemaTest, WrongMessageTypeConst) {
  json alert = Example("alert-outbound.json");
  alert["message_type"] = "ack";
  absl::StatusOr<std::optional<SchemaViolation>> violation =
      schema_->ValidateAt(alert, "/$defs/alert_message");
  ASSERT_TRUE(violation.ok()) << violation.status();
  ASSERT_TRUE(violation->has_value());
  EXPECT_EQ((*violation)->pointer, "/message_type");
  EXPECT_EQ((*violation)->message,
            "is not the value the schema requires (const)");

  // At the root, a message_type no branch knows is reported there too.
  alert["message_type"] = "bulletin";
  std::optional<SchemaViolation> at_root = schema_->Validate(alert);
  ASSERT_TRUE(at_root.has_value());
  EXPECT_EQ(at_root->pointer, "/message_type");
}

TEST_F(KhCnpSchemaTest, FirstFailureInDocumentOrder) {
  json alert = Example("alert-outbound.json");
  // originator precedes subjects in the schema's properties of alert.
  alert["alert"]["subjects"][0]["person"]["date_of_birth"] = "2011-13-05";
  alert["alert"]["originator"] = " yn-xsbn-inv-0107";
  alert["alert"]["narrative"][1]["lang"] = "Chinese";
  std::optional<SchemaViolation> violation = CheckAlert(alert);
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->pointer, "/alert/originator");

  alert["alert"]["originator"] = "yn-xsbn-inv-0107";
  violation = CheckAlert(alert);
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->pointer, "/alert/subjects/0/person/date_of_birth");

  // Items in order: the second name's failure after the first's.
  alert["alert"]["subjects"][0]["person"].erase("date_of_birth");
  Name(alert, 1)["given"] = "Srey\tPov";
  Name(alert, 0)["family"] = "\u179f\u17b6\u1780\u179b\u17d2\u1794\u1784\n";
  violation = CheckAlert(alert);
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->pointer, "/alert/subjects/0/person/names/0/family");
}

TEST_F(KhCnpSchemaTest, NamesRefuseLeadingAndTrailingUnicodeWhiteSpace) {
  for (const std::string& bad :
       {std::string("\u00a0SAKALBANG"), std::string("\u3000SAKALBANG"),
        std::string("SAKALBANG\u2029"), std::string("\u0085SAKALBANG"),
        std::string("\u1680SAKALBANG"), std::string("SAKALBANG\u202f"),
        std::string(" SAKALBANG"), std::string("SAKALBANG\u2003")}) {
    SCOPED_TRACE(bad);
    json alert = Example("alert-outbound.json");
    Name(alert, 1)["family"] = bad;
    std::optional<SchemaViolation> violation = CheckAlert(alert);
    ASSERT_TRUE(violation.has_value());
    EXPECT_EQ(violation->pointer, "/alert/subjects/0/person/names/1/family");
    EXPECT_EQ(violation->message, "does not match the pattern of name_part");
  }
  // U+FEFF is not White_Space (KH-CNP.md §5.1); inner spaces are fine.
  for (const std::string& good :
       {std::string("\ufeffSAKALBANG"), std::string("SAKAL\u00a0BANG"),
        std::string("S"), std::string("\u179f")}) {
    SCOPED_TRACE(good);
    json alert = Example("alert-outbound.json");
    Name(alert, 1)["family"] = good;
    std::optional<SchemaViolation> violation = CheckAlert(alert);
    EXPECT_FALSE(violation.has_value())
        << violation->pointer << " " << violation->message;
  }
}

TEST_F(KhCnpSchemaTest, ControlCharactersAreRefused) {
  for (const std::string& bad :
       {std::string("Srey\tPov"), std::string("Srey\nPov"),
        std::string("Srey\x1fPov"), std::string("Srey\rPov"),
        std::string("Srey Pov\n"), std::string("Srey\0Pov", 8)}) {
    json alert = Example("alert-outbound.json");
    Name(alert, 1)["full"] = bad;
    std::optional<SchemaViolation> violation = CheckAlert(alert);
    ASSERT_TRUE(violation.has_value());
    EXPECT_EQ(violation->pointer, "/alert/subjects/0/person/names/1/full");
  }
}

TEST_F(KhCnpSchemaTest, MaxLengthCountsCodePoints) {
  // U+1780 KA is three UTF-8 bytes: 200 letters are 600 bytes.
  std::string khmer;
  for (int i = 0; i < 200; ++i) khmer += "\u1780";
  json alert = Example("alert-outbound.json");
  Name(alert, 0)["full"] = khmer;
  EXPECT_FALSE(CheckAlert(alert).has_value());

  Name(alert, 0)["full"] = khmer + "\u1780";
  std::optional<SchemaViolation> violation = CheckAlert(alert);
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->pointer, "/alert/subjects/0/person/names/0/full");
  EXPECT_EQ(violation->message, "is longer than 200 characters");

  // Supplementary characters count once each as well.
  std::string emoji;
  for (int i = 0; i < 200; ++i) emoji += "\U0001F600";
  Name(alert, 0)["full"] = emoji;
  EXPECT_FALSE(CheckAlert(alert).has_value());
}

TEST_F(KhCnpSchemaTest, PatternsAnchorAtTheEndOfTheStringOnly) {
  // ICU's plain `$` would match before a final line terminator.
  for (const std::string& bad :
       {std::string("KH-CNP\n"), std::string("KH-CNP\r\n"),
        std::string("KH-CNP\u2028"), std::string("KH-CNP\u0085")}) {
    json alert = Example("alert-outbound.json");
    alert["recipient"] = bad;
    std::optional<SchemaViolation> violation = CheckAlert(alert);
    ASSERT_TRUE(violation.has_value());
    EXPECT_EQ(violation->pointer, "/recipient");
    EXPECT_EQ(violation->message, "does not match the pattern of agency_code");
  }
}

TEST_F(KhCnpSchemaTest, UniqueItemsAndBounds) {
  json alert = Example("alert-outbound.json");
  alert["alert"]["recipients"] = {"KH-CNP", "TH-RTP", "KH-CNP"};
  std::optional<SchemaViolation> violation = CheckAlert(alert);
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->pointer, "/alert/recipients/2");
  EXPECT_EQ(violation->message, "repeats an earlier item");

  alert = Example("alert-outbound.json");
  alert["alert"]["subjects"][0]["person"]["age_estimate"] = 131;
  violation = CheckAlert(alert);
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->pointer, "/alert/subjects/0/person/age_estimate");
  EXPECT_EQ(violation->message, "is greater than the maximum 130");

  alert["alert"]["subjects"][0]["person"]["age_estimate"] = 14.0;
  EXPECT_FALSE(CheckAlert(alert).has_value()) << "14.0 is an integer";
  alert["alert"]["subjects"][0]["person"]["age_estimate"] = 14.5;
  violation = CheckAlert(alert);
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->message, "must be of type integer");

  alert = Example("alert-outbound.json");
  alert["alert"]["recipients"] = json::array();
  violation = CheckAlert(alert);
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->pointer, "/alert/recipients");
  EXPECT_EQ(violation->message, "has fewer than 1 item");

  alert = Example("alert-outbound.json");
  alert["alert"]["last_seen"] = json::object();
  violation = CheckAlert(alert);
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->pointer, "/alert/last_seen");
}

TEST_F(KhCnpSchemaTest, NameWithoutAnyPartFailsAnyOfAtTheName) {
  json alert = Example("alert-outbound.json");
  Name(alert, 1) = {{"script", "Latn"}};
  std::optional<SchemaViolation> violation = CheckAlert(alert);
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->pointer, "/alert/subjects/0/person/names/1");
  EXPECT_EQ(violation->message, "matches none of the alternatives of anyOf");
}

TEST_F(KhCnpSchemaTest, MessagesNeverContainTheValue) {
  json alert = Example("alert-outbound.json");
  Name(alert, 1)["full"] = " SECRET NAME";
  alert["alert"]["subjects"][0]["person"]["sex"] = "SECRET";
  std::optional<SchemaViolation> violation = CheckAlert(alert);
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->message.find("SECRET"), std::string::npos);
}

TEST_F(KhCnpSchemaTest, LargeBase64AttachmentWithinThePatternLimits) {
  // Close to the 8 MiB body limit: ICU's default 8 MB backtracking stack
  // would overflow on this pattern; the limit grows with the string.
  json alert = Example("alert-outbound.json");
  alert["alert"]["attachments"] = {{{"name", "photo.jpg"},
                                    {"media_type", "image/jpeg"},
                                    {"sha256", std::string(64, 'a')},
                                    {"size", 6291456},
                                    {"content", std::string(8000000, 'A')}}};
  std::optional<SchemaViolation> violation = CheckAlert(alert);
  EXPECT_FALSE(violation.has_value())
      << violation->pointer << " " << violation->message;
  alert["alert"]["attachments"][0]["content"] = std::string(7999999, 'A');
  violation = CheckAlert(alert);
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->pointer, "/alert/attachments/0/content");
  EXPECT_EQ(violation->message, "does not match the pattern of content");
}

TEST_F(KhCnpSchemaTest, SharedAcrossThreads) {
  const json good = Example("alert-outbound.json");
  json bad = good;
  bad["alert"]["subjects"][0]["person"]["date_of_birth"] = "2011-13-05";
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if (schema_->Validate(good).has_value()) ++failures[t];
        std::optional<SchemaViolation> v = schema_->Validate(bad);
        if (!v.has_value() ||
            v->pointer != "/alert/subjects/0/person/date_of_birth") {
          ++failures[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

TEST_F(KhCnpSchemaTest, ValidateAtAPointerIntoNothing) {
  const json alert = Example("alert-outbound.json");
  for (const char* pointer :
       {"/$defs/nothing", "/$defs/alert_message/required", "$defs", "#/x"}) {
    absl::StatusOr<std::optional<SchemaViolation>> result =
        schema_->ValidateAt(alert, pointer);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument)
        << pointer;
  }
  absl::StatusOr<std::optional<SchemaViolation>> result =
      schema_->ValidateAt(alert, "#/$defs/alert_message");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->has_value());
  result = schema_->ValidateAt(json("KH-CNP"), "/$defs/agency_code");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->has_value());
}

// --- The keyword subset ---------------------------------------------------

std::optional<SchemaViolation> ValidateWith(std::string_view schema,
                                            const json& instance) {
  std::unique_ptr<JsonSchema> loaded = MustLoad(schema);
  if (loaded == nullptr) return SchemaViolation{"?", "schema did not load"};
  return loaded->Validate(instance);
}

bool Matches(std::string_view pattern, const std::string& text) {
  const std::string schema =
      absl::StrCat("{\"pattern\":", json(std::string(pattern)).dump(), "}");
  return !ValidateWith(schema, json(text)).has_value();
}

TEST(JsonSchemaLoadTest, RefusesWhatItDoesNotSupport) {
  for (
      const char* schema : {
          R"({"format":"date"})",
          R"({"properties":{"a":{"patternProperties":{}}}})",
          R"({"items":[{"type":"string"}]})",
          R"({"$ref":"http://example.com/schema"})",
          R"({"$ref":"other.json#/x"})",
          R"({"$ref":"#/$defs/missing"})",
          R"({"$ref":"#/$defs/a/enum"})",
          R"({"$ref":"#"})",
          R"({"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"allOf":[{"$ref":"#/$defs/a"}]}}})",
          R"({"properties":{"a":{"$id":"urn:x"}}})",
          R"({"pattern":"("})",
          R"({"pattern":"\\Qa"})",
          R"({"pattern":"(?i)a"})",
          R"({"type":"text"})",
          R"({"minLength":-1})",
          R"({"required":"a"})",
          R"({"oneOf":[]})",
          R"({"uniqueItems":"yes"})",
          R"(["type"])",
          R"({"a":1,"a":2})",
          "{\"pattern\":\"a\"} x",
      }) {
    absl::StatusOr<std::unique_ptr<JsonSchema>> loaded =
        JsonSchema::Load(schema);
    EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument)
        << schema;
  }
  absl::StatusOr<std::unique_ptr<JsonSchema>> loaded =
      JsonSchema::Load(R"({"properties":{"a":{"format":"date"}}})");
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("/properties/a"), std::string::npos)
      << loaded.status();
  EXPECT_NE(loaded.status().message().find("format"), std::string::npos);
}

TEST(JsonSchemaLoadTest, RefsFollowRfc6901AndPercentDecoding) {
  const char* schema = R"({
    "$defs": {"a/b": {"type": "string"}, "c~d": {"type": "integer"},
              "e%f": {"type": "boolean"}, "g h": {"const": 1}},
    "properties": {"x": {"$ref": "#/$defs/a~1b"},
                   "y": {"$ref": "#/$defs/c~0d"},
                   "z": {"$ref": "#/$defs/e%25f"},
                   "w": {"$ref": "#/$defs/g%20h"},
                   "v": {"$ref": "#/properties/x"},
                   "tree": {"type": "object",
                            "properties": {"next": {"$ref": "#/properties/tree"}}}}})";
  EXPECT_FALSE(
      ValidateWith(schema, {{"x", "s"},
                            {"y", 1},
                            {"z", true},
                            {"w", 1},
                            {"v", "s"},
                            {"tree", {{"next", {{"next", json::object()}}}}}})
          .has_value());
  for (const json& bad : {json{{"x", 1}}, json{{"y", "s"}}, json{{"z", 1}},
                          json{{"w", 2}}, json{{"v", 1}}}) {
    EXPECT_TRUE(ValidateWith(schema, bad).has_value()) << bad.dump();
  }
  std::optional<SchemaViolation> deep =
      ValidateWith(schema, {{"tree", {{"next", {{"next", {{"next", 1}}}}}}}});
  ASSERT_TRUE(deep.has_value());
  EXPECT_EQ(deep->pointer, "/tree/next/next/next");
}

TEST(JsonSchemaPatternTest, EcmaScriptMeaning) {
  // `$` is the end of the string only.
  EXPECT_TRUE(Matches("^a$", "a"));
  EXPECT_FALSE(Matches("^a$", "a\n"));
  // A pattern is not anchored unless it says so.
  EXPECT_TRUE(Matches("b", "abc"));
  EXPECT_FALSE(Matches("^b", "abc"));
  // \d and \w are ASCII; Khmer digits are not \d.
  EXPECT_TRUE(Matches("^\\d+$", "0123456789"));
  EXPECT_FALSE(Matches("^\\d+$", "\u17e0\u17e1"));
  EXPECT_FALSE(Matches("^\\w$", "\u00e9"));
  EXPECT_TRUE(Matches("^[\\w-]+$", "a_b-9"));
  EXPECT_TRUE(Matches("^\\D$", "\u17e0"));
  // `.` stops only at \n \r U+2028 U+2029.
  EXPECT_TRUE(Matches("^.$", "\u0085"));
  EXPECT_FALSE(Matches("^.$", "\n"));
  EXPECT_FALSE(Matches("^.$", "\u2028"));
  EXPECT_TRUE(Matches("^.$", "\U0001F600")) << "one code point";
  // \b is the ASCII word boundary.
  EXPECT_TRUE(Matches("\\bcat\\b", "a cat."));
  EXPECT_FALSE(Matches("\\bcat\\b", "acat"));
  // \u00e9 is not an ASCII word character, so a boundary precedes "cat"
  // (ICU's Unicode \b would see none).
  EXPECT_TRUE(Matches("\\bcat\\b", "\u00e9cat"));
  // Characters ICU would read as set syntax are literal in a class.
  EXPECT_TRUE(Matches("^[a&&b]+$", "&"));
  EXPECT_TRUE(Matches("^[$^]+$", "$^"));
  EXPECT_TRUE(Matches("^[[]$", "["));
  EXPECT_TRUE(Matches("^[+--]$", ","));
  EXPECT_FALSE(Matches("[]", "a"));
  EXPECT_TRUE(Matches("^[^]$", "\n"));
  // \s is Unicode White_Space (KH-CNP.md §5.1), without U+FEFF.
  EXPECT_TRUE(Matches("^\\s$", "\u3000"));
  EXPECT_FALSE(Matches("^\\s$", "\ufeff"));
  // Escapes.
  EXPECT_TRUE(Matches("^\\u17e0\\x41\\u{1F600}\\/$", "\u17e0A\U0001F600/"));
  EXPECT_TRUE(Matches("^\\p{Script=Khmer}+$", "\u179f\u17b6"));
  EXPECT_TRUE(Matches("^(?<x>a)\\k<x>$", "aa"));
  EXPECT_TRUE(Matches("^\\cJ\\v\\t[\\b]\\0$", std::string("\n\v\t\b\0", 5)));
  EXPECT_FALSE(Matches("^\\v$", "\n")) << "ICU's \\v is a set of line breaks";
}

TEST(JsonSchemaPatternTest, CatastrophicBacktrackingFailsInsteadOfHanging) {
  std::optional<SchemaViolation> violation = ValidateWith(
      R"({"pattern":"^(a+)+$"})", json(std::string(64, 'a') + "!"));
  ASSERT_TRUE(violation.has_value());
  EXPECT_NE(violation->message.find("within its limits"), std::string::npos)
      << violation->message;
}

TEST(JsonSchemaValueTest, NumbersCompareByValue) {
  EXPECT_FALSE(ValidateWith(R"({"enum":[1]})", json(1.0)).has_value());
  EXPECT_TRUE(ValidateWith(R"({"enum":[1]})", json(true)).has_value());
  EXPECT_TRUE(ValidateWith(R"({"uniqueItems":true})", json::parse("[1,1.0]"))
                  .has_value());
  EXPECT_FALSE(
      ValidateWith(R"({"uniqueItems":true})", json::parse("[1,true,\"1\"]"))
          .has_value());
  // 2^53 + 1 is not 2^53, although both round to the same double.
  EXPECT_FALSE(ValidateWith(R"({"maximum":9007199254740992})",
                            json(std::uint64_t{9007199254740992}))
                   .has_value());
  EXPECT_TRUE(ValidateWith(R"({"maximum":9007199254740992})",
                           json(std::uint64_t{9007199254740993}))
                  .has_value());
  EXPECT_TRUE(ValidateWith(R"({"minimum":0})", json(-1)).has_value());
  EXPECT_FALSE(ValidateWith(R"({"minimum":-1.5})", json(-1)).has_value());
}

TEST(JsonSchemaValueTest, OneOfMatchingTwoBranches) {
  std::optional<SchemaViolation> violation =
      ValidateWith(R"({"oneOf":[{"type":"integer"},{"minimum":0}]})", json(3));
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->pointer, "");
  EXPECT_EQ(violation->message, "matches more than one alternative of oneOf");
}

}  // namespace
}  // namespace gw::json
