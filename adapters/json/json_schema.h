// adapters/json/json_schema.h
//
// JSON Schema (draft 2020-12) validation over nlohmann::json values, for
// the partner schemas the gateway must enforce (KH-CNP.schema.json).
//
// Why not a library: Debian 12's only C++ validator (valijson 1.0) matches
// `pattern` with std::regex, which is not Unicode-aware (KH-CNP.md §5.1
// requires `\s` to be the Unicode White_Space property and patterns to see
// code points, not bytes) and recurses per character, so a 20,000-character
// narrative could exhaust the stack. Parsing stays with nlohmann::json;
// patterns are ICU regular expressions (UREGEX flags none, evaluated as a
// search, as the specification says), with a time limit.
//
// Supported keywords, and nothing else: $schema, $id (at the root only),
// $defs (and its draft-7 spelling definitions), $ref (local "#..." JSON
// Pointers only, RFC 6901 ~0/~1 after URI percent-decoding), title,
// description, $comment, default, examples, contentEncoding (annotations),
// type, enum, const, properties, required, additionalProperties (boolean or
// schema), minProperties, maxProperties, items (schema), minItems, maxItems,
// uniqueItems, minLength, maxLength (code points), pattern, minimum,
// maximum, oneOf, anyOf, allOf, not; boolean schemas. A schema using any
// other keyword is refused when it is loaded, so no constraint is ever
// silently ignored; so is a $ref cycle that never moves into the instance
// (it could never finish). Keywords next to $ref apply too (2020-12).
//
// Patterns have ECMA-262 meaning (JSON Schema's dialect) except `\s`:
// `$` is the end of the string only (ICU's `$` would also match before a
// final line break, so "KH-CNP\n" would pass ^[A-Z]{2}-[A-Z]{2,7}$), `.`
// excludes only \n \r U+2028 U+2029, `\d` `\w` `\b` are ASCII as in
// ECMA-262 (ICU's `\d` would accept Khmer digits); `\s` is the Unicode
// White_Space property (KH-CNP.md §5.1: U+FEFF is not white space, unlike
// ECMA-262). Escapes ECMA-262 does not define are refused at Load. A
// pattern that cannot be evaluated within its limits (a time budget that
// grows with the string's length, and a backtracking-memory budget) fails
// the value: a hostile string cannot hang a validating thread.
//
// Numbers compare by mathematical value (1 equals 1.0, also in enum, const
// and uniqueItems); "integer" is any number with no fractional part.
//
// Validation reports the first failure in document order of the instance
// (members in the order the schema's `properties` and then the instance
// list them, array items in order): the RFC 6901 JSON Pointer of the
// failing member and one English line naming the rule (never the value).
// Within one value the order is: its own checks (type, const, enum,
// length, pattern, minimum/maximum, minProperties/maxProperties,
// minItems/maxItems), then its members or items (an item repeating an
// earlier one fails uniqueItems at its own pointer), then missing
// `required` members, then $ref, allOf, anyOf, oneOf and not. A missing
// member is reported at the pointer it would have (e.g. "/alert/case_ref",
// "required member is missing"); a member additionalProperties forbids at
// its own pointer. For oneOf/anyOf the failure reported is that of the
// branch that got deepest into the instance (for a root oneOf over message
// kinds, the kind whose `const` matched): the deepest failure pointer,
// then the most members/items that validated before it. When branches tie
// on both, the report is their common pointer or, if they differ, the
// value itself ("matches none of the alternatives of oneOf").
// Thread safety: a loaded JsonSchema is immutable and safe to share.
#ifndef GW_ADAPTERS_JSON_JSON_SCHEMA_H_
#define GW_ADAPTERS_JSON_JSON_SCHEMA_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace gw::json {

struct SchemaViolation {
  std::string pointer;  // RFC 6901, "" for the root
  std::string message;  // e.g. "does not match the pattern of agency_code"
};

class JsonSchema {
 public:
  // Parses `schema_text` and compiles every pattern. INVALID_ARGUMENT
  // naming the schema location for bad JSON, an unsupported keyword, a
  // $ref that does not resolve, or a pattern ICU cannot compile.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<JsonSchema>> Load(
      std::string_view schema_text);
  ~JsonSchema();

  // The first violation of `instance` against the root schema, or against
  // the subschema at `pointer` (e.g. "/$defs/alert_message"; a "#/..." URI
  // fragment is accepted too), or nullopt when it is valid.
  // INVALID_ARGUMENT for a pointer into nothing.
  std::optional<SchemaViolation> Validate(const nlohmann::json& instance) const;
  [[nodiscard]] absl::StatusOr<std::optional<SchemaViolation>> ValidateAt(
      const nlohmann::json& instance, std::string_view pointer) const;

 private:
  class Impl;
  explicit JsonSchema(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gw::json

#endif  // GW_ADAPTERS_JSON_JSON_SCHEMA_H_
