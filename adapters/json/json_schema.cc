// adapters/json/json_schema.cc
//
// Load walks the whole schema document once and compiles every schema
// object into a Node (keyword values checked, patterns translated and
// compiled, $ref resolved to the Node it names); validation then runs over
// Nodes only. Nodes are owned by the Impl and never change after Load, so
// validation needs no locks: each pattern check builds its own
// icu::RegexMatcher from the shared icu::RegexPattern (RegexPattern is
// immutable and documented as safe to share; a matcher is not).
//
// Patterns: JSON Schema patterns are ECMA-262 regular expressions, and ICU's
// dialect differs in a few places that matter for a validator (`$` before a
// final line terminator, Unicode `\d`, `.`, set operators inside [...]).
// TranslatePattern rewrites those constructs; everything else is passed to
// ICU unchanged. It is a rewrite of the pattern text, not of the input.
#include "adapters/json/json_schema.h"

#include <unicode/parseerr.h>
#include <unicode/regex.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/json/json_internal.h"
#include "gateway/util/status_macros.h"

namespace gw::json {
namespace {

using Json = nlohmann::json;
using SchemaJson = nlohmann::ordered_json;

// Evaluation limits. Nested evaluation beyond kMaxRecursion fails the value
// instead of growing the stack (the parser allows 64 levels of instance;
// each level costs a few evaluations: $ref, oneOf, the node itself).
constexpr int kMaxRecursion = 1000;
// ICU counts time in "steps" of about 10,000 matcher operations. A pattern
// over an 8 MiB base64 string needs about 500 steps; the budget is ten times
// what linear patterns need, so only catastrophic backtracking hits it.
constexpr int32_t kPatternBaseSteps = 200;
constexpr int32_t kPatternCodeUnitsPerStep = 2000;
// ICU keeps backtracking state on its own heap stack (8 MB by default,
// which an 8 MiB base64 attachment exceeds); allow it to grow with input.
constexpr int64_t kPatternBaseStackBytes = 8 << 20;
constexpr int64_t kPatternStackBytesPerCodeUnit = 8;

// ---------------------------------------------------------------------------
// JSON Pointers

std::string EscapeToken(absl::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

absl::StatusOr<std::string> PercentDecode(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) {
      return absl::InvalidArgumentError("truncated percent-escape");
    }
    const int high = HexValue(text[i + 1]);
    const int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) {
      return absl::InvalidArgumentError("bad percent-escape");
    }
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

// RFC 6901 pointer text -> the same pointer with each token re-escaped the
// one canonical way ("" for the root), so that pointers compare as strings.
absl::StatusOr<std::string> CanonicalPointer(absl::string_view pointer) {
  if (pointer.empty()) return std::string();
  if (pointer.front() != '/') {
    return absl::InvalidArgumentError("a JSON Pointer starts with '/'");
  }
  std::string out;
  std::size_t i = 1;
  while (true) {
    std::string token;
    while (i < pointer.size() && pointer[i] != '/') {
      if (pointer[i] == '~') {
        if (i + 1 < pointer.size() && pointer[i + 1] == '0') {
          token += '~';
        } else if (i + 1 < pointer.size() && pointer[i + 1] == '1') {
          token += '/';
        } else {
          return absl::InvalidArgumentError("bad '~' escape in JSON Pointer");
        }
        i += 2;
      } else {
        token += pointer[i++];
      }
    }
    absl::StrAppend(&out, "/", EscapeToken(token));
    if (i >= pointer.size()) break;
    ++i;  // the '/'
  }
  return out;
}

// A "#..." URI reference or a plain pointer -> canonical pointer.
absl::StatusOr<std::string> PointerOfReference(absl::string_view reference,
                                               bool allow_plain) {
  if (!reference.empty() && reference.front() == '#') {
    GW_ASSIGN_OR_RETURN(std::string decoded,
                        PercentDecode(reference.substr(1)));
    return CanonicalPointer(decoded);
  }
  if (allow_plain) return CanonicalPointer(reference);
  return absl::InvalidArgumentError(
      "only local references (\"#\" followed by a JSON Pointer) are "
      "supported");
}

// ---------------------------------------------------------------------------
// Values

// -1, 0, 1 by mathematical value; nullopt if either is NaN.
std::optional<int> CompareNumbers(const Json& a, const Json& b) {
  if (a.is_number_float() || b.is_number_float()) {
    // long double holds every int64/uint64 and every double exactly on the
    // platforms we build for (x86-64: 64-bit mantissa).
    const auto as_long_double = [](const Json& v) -> long double {
      if (v.is_number_unsigned()) {
        return static_cast<long double>(v.get<std::uint64_t>());
      }
      if (v.is_number_integer()) {
        return static_cast<long double>(v.get<std::int64_t>());
      }
      return static_cast<long double>(v.get<double>());
    };
    const long double x = as_long_double(a);
    const long double y = as_long_double(b);
    if (std::isnan(x) || std::isnan(y)) return std::nullopt;
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  const bool a_negative = !a.is_number_unsigned() && a.get<std::int64_t>() < 0;
  const bool b_negative = !b.is_number_unsigned() && b.get<std::int64_t>() < 0;
  if (a_negative != b_negative) return a_negative ? -1 : 1;
  if (a_negative) {
    const std::int64_t x = a.get<std::int64_t>();
    const std::int64_t y = b.get<std::int64_t>();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  const std::uint64_t x =
      a.is_number_unsigned()
          ? a.get<std::uint64_t>()
          : static_cast<std::uint64_t>(a.get<std::int64_t>());
  const std::uint64_t y =
      b.is_number_unsigned()
          ? b.get<std::uint64_t>()
          : static_cast<std::uint64_t>(b.get<std::int64_t>());
  return x < y ? -1 : (x > y ? 1 : 0);
}

// JSON Schema equality: numbers by value, objects regardless of order.
bool JsonEqual(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) {
    std::optional<int> order = CompareNumbers(a, b);
    return order.has_value() && *order == 0;
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Json::value_t::array: {
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (!JsonEqual(a[i], b[i])) return false;
      }
      return true;
    }
    case Json::value_t::object: {
      if (a.size() != b.size()) return false;
      for (auto it = a.begin(); it != a.end(); ++it) {
        auto other = b.find(it.key());
        if (other == b.end() || !JsonEqual(it.value(), *other)) return false;
      }
      return true;
    }
    default:
      return a == b;
  }
}

// A hash consistent with JsonEqual (equal values hash alike), for
// uniqueItems over long arrays.
std::size_t HashJson(const Json& v) {
  const auto mix = [](std::size_t seed, std::size_t h) {
    return seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
  };
  switch (v.type()) {
    case Json::value_t::null:
      return 0x11;
    case Json::value_t::boolean:
      return v.get<bool>() ? 0x13 : 0x17;
    case Json::value_t::number_unsigned:
      return mix(0x19, std::hash<std::uint64_t>()(v.get<std::uint64_t>()));
    case Json::value_t::number_integer: {
      const std::int64_t n = v.get<std::int64_t>();
      if (n >= 0) {
        return mix(0x19,
                   std::hash<std::uint64_t>()(static_cast<std::uint64_t>(n)));
      }
      return mix(0x1d, std::hash<std::int64_t>()(n));
    }
    case Json::value_t::number_float: {
      const double d = v.get<double>();
      if (std::isfinite(d) && std::trunc(d) == d) {
        if (d >= 0 && d < 18446744073709551616.0) {
          return mix(0x19,
                     std::hash<std::uint64_t>()(static_cast<std::uint64_t>(d)));
        }
        if (d < 0 && d >= -9223372036854775808.0) {
          return mix(0x1d,
                     std::hash<std::int64_t>()(static_cast<std::int64_t>(d)));
        }
      }
      return mix(0x1f, std::hash<double>()(d == 0 ? 0.0 : d));
    }
    case Json::value_t::string:
      return mix(0x23,
                 std::hash<std::string>()(v.get_ref<const std::string&>()));
    case Json::value_t::array: {
      std::size_t seed = 0x29;
      for (const Json& item : v) seed = mix(seed, HashJson(item));
      return seed;
    }
    case Json::value_t::object: {
      // std::map order: the same members give the same sequence.
      std::size_t seed = 0x2b;
      for (auto it = v.begin(); it != v.end(); ++it) {
        seed = mix(seed, std::hash<std::string>()(it.key()));
        seed = mix(seed, HashJson(it.value()));
      }
      return seed;
    }
    default:
      return 0x2f;
  }
}

Json ToJson(const SchemaJson& value) {
  switch (value.type()) {
    case SchemaJson::value_t::object: {
      Json out = Json::object();
      for (auto it = value.begin(); it != value.end(); ++it) {
        out[it.key()] = ToJson(it.value());
      }
      return out;
    }
    case SchemaJson::value_t::array: {
      Json out = Json::array();
      for (const SchemaJson& item : value) out.push_back(ToJson(item));
      return out;
    }
    case SchemaJson::value_t::string:
      return Json(value.get<std::string>());
    case SchemaJson::value_t::boolean:
      return Json(value.get<bool>());
    case SchemaJson::value_t::number_unsigned:
      return Json(value.get<std::uint64_t>());
    case SchemaJson::value_t::number_integer:
      return Json(value.get<std::int64_t>());
    case SchemaJson::value_t::number_float:
      return Json(value.get<double>());
    default:
      return Json(nullptr);
  }
}

std::size_t CodePointCount(absl::string_view s) {
  std::size_t count = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

// ---------------------------------------------------------------------------
// ECMA-262 pattern -> ICU pattern

constexpr char kAsciiWord[] = "a-zA-Z0-9_";

absl::StatusOr<std::string> TranslatePattern(absl::string_view p) {
  std::string out;
  bool in_class = false;
  bool class_start = false;  // just after "[" or "[^"
  bool previous_dash = false;
  const std::string word_class = absl::StrCat("[", kAsciiWord, "]");
  const std::string not_word_class = absl::StrCat("[^", kAsciiWord, "]");
  const std::string after_word = absl::StrCat("(?<=", word_class, ")");
  const std::string after_non_word = absl::StrCat("(?<!", word_class, ")");
  const std::string before_word = absl::StrCat("(?=", word_class, ")");
  const std::string before_non_word = absl::StrCat("(?!", word_class, ")");
  std::size_t i = 0;
  while (i < p.size()) {
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 >= p.size()) {
        return absl::InvalidArgumentError("pattern ends with a backslash");
      }
      const char d = p[i + 1];
      i += 2;
      previous_dash = false;
      class_start = false;
      switch (d) {
        case 'd':
          out += in_class ? "0-9" : "[0-9]";
          break;
        case 'D':
          out += "[^0-9]";  // a nested set inside [...] in ICU
          break;
        case 'w':
          out += in_class ? std::string(kAsciiWord) : word_class;
          break;
        case 'W':
          out += not_word_class;
          break;
        case 's':
        case 'S':
          // ICU's \s is exactly the White_Space property (KH-CNP.md §5.1).
          out += '\\';
          out += d;
          break;
        case 'b':
          if (in_class) {
            out += "\\x{8}";
          } else {
            absl::StrAppend(&out, "(?:", after_word, before_non_word, "|",
                            after_non_word, before_word, ")");
          }
          break;
        case 'B':
          if (in_class) {
            return absl::InvalidArgumentError("\\B inside a character class");
          }
          absl::StrAppend(&out, "(?:", after_word, before_word, "|",
                          after_non_word, before_non_word, ")");
          break;
        case 'v':
          out += "\\x{B}";
          break;
        case 't':
        case 'n':
        case 'r':
        case 'f':
          out += '\\';
          out += d;
          break;
        case '0':
          if (i < p.size() && p[i] >= '0' && p[i] <= '9') {
            return absl::InvalidArgumentError("octal escape in pattern");
          }
          out += "\\x{0}";
          break;
        case 'c': {
          if (i >= p.size() ||
              !absl::ascii_isalpha(static_cast<unsigned char>(p[i]))) {
            return absl::InvalidArgumentError("\\c without a letter");
          }
          absl::StrAppend(&out, "\\x{", absl::Hex(static_cast<int>(p[i]) % 32),
                          "}");
          ++i;
          break;
        }
        case 'x': {
          if (i + 2 > p.size() || HexValue(p[i]) < 0 ||
              HexValue(p[i + 1]) < 0) {
            return absl::InvalidArgumentError("\\x needs two hex digits");
          }
          absl::StrAppend(&out, "\\x", p.substr(i, 2));
          i += 2;
          break;
        }
        case 'u': {
          if (i < p.size() && p[i] == '{') {
            const std::size_t close = p.find('}', i);
            if (close == absl::string_view::npos || close == i + 1) {
              return absl::InvalidArgumentError("bad \\u{...} escape");
            }
            for (std::size_t k = i + 1; k < close; ++k) {
              if (HexValue(p[k]) < 0) {
                return absl::InvalidArgumentError("bad \\u{...} escape");
              }
            }
            absl::StrAppend(&out, "\\x{", p.substr(i + 1, close - i - 1), "}");
            i = close + 1;
            break;
          }
          for (std::size_t k = 0; k < 4; ++k) {
            if (i + k >= p.size() || HexValue(p[i + k]) < 0) {
              return absl::InvalidArgumentError("\\u needs four hex digits");
            }
          }
          absl::StrAppend(&out, "\\u", p.substr(i, 4));
          i += 4;
          break;
        }
        case 'p':
        case 'P': {
          const std::size_t close = p.find('}', i);
          if (i >= p.size() || p[i] != '{' ||
              close == absl::string_view::npos) {
            return absl::InvalidArgumentError("bad \\p{...} escape");
          }
          absl::StrAppend(&out, "\\", std::string(1, d),
                          p.substr(i, close - i + 1));
          i = close + 1;
          break;
        }
        case 'k': {
          const std::size_t close = p.find('>', i);
          if (in_class || i >= p.size() || p[i] != '<' ||
              close == absl::string_view::npos) {
            return absl::InvalidArgumentError("bad \\k<name> escape");
          }
          absl::StrAppend(&out, "\\k", p.substr(i, close - i + 1));
          i = close + 1;
          break;
        }
        default:
          if (d >= '1' && d <= '9') {
            if (in_class) {
              return absl::InvalidArgumentError(
                  "back-reference inside a character class");
            }
            out += '\\';
            out += d;
            while (i < p.size() && p[i] >= '0' && p[i] <= '9') out += p[i++];
          } else if (absl::string_view("^$\\.*+?()[]{}|/-").find(d) !=
                     absl::string_view::npos) {
            out += '\\';
            out += d;
          } else {
            return absl::InvalidArgumentError(absl::StrCat(
                "escape \\", std::string(1, d), " has no ECMA-262 meaning"));
          }
      }
      continue;
    }
    if (in_class) {
      if (c == ']' && !class_start) {
        in_class = false;
        out += ']';
      } else if (c == '[' || c == '&' || c == '$' || c == '^' ||
                 (c == '-' && previous_dash)) {
        // Literal in ECMA-262; set syntax in ICU.
        out += '\\';
        out += c;
      } else {
        out += c;
      }
      previous_dash = c == '-' && !previous_dash;
      class_start = false;
      ++i;
      continue;
    }
    switch (c) {
      case '[':
        if (p.substr(i, 2) == "[]") {
          out += "(?!)";  // matches nothing
          i += 2;
          continue;
        }
        if (p.substr(i, 3) == "[^]") {
          out += "[\\x{0}-\\x{10FFFF}]";  // any character
          i += 3;
          continue;
        }
        in_class = true;
        class_start = true;
        previous_dash = false;
        out += '[';
        if (i + 1 < p.size() && p[i + 1] == '^') {
          out += '^';
          ++i;
        }
        ++i;
        continue;
      case '$':
        out += "\\z";
        break;
      case '.':
        out += "[^\\n\\r\\x{2028}\\x{2029}]";
        break;
      case '(':
        if (p.substr(i, 2) == "(?") {
          const absl::string_view rest = p.substr(i + 2);
          const bool known =
              !rest.empty() && (rest.front() == ':' || rest.front() == '=' ||
                                rest.front() == '!' || rest.front() == '<');
          if (!known || rest.substr(0, 2) == "<>") {
            return absl::InvalidArgumentError(
                "group syntax ECMA-262 does not define");
          }
        }
        out += c;
        break;
      default:
        out += c;
    }
    ++i;
  }
  if (in_class) {
    return absl::InvalidArgumentError("unterminated character class");
  }
  return out;
}

// ---------------------------------------------------------------------------
// Compiled schema

enum TypeBit : unsigned {
  kNull = 1u << 0,
  kBoolean = 1u << 1,
  kObject = 1u << 2,
  kArray = 1u << 3,
  kNumber = 1u << 4,
  kString = 1u << 5,
  kInteger = 1u << 6,
};

struct Node {
  std::string location;  // canonical pointer into the schema document
  std::string name;      // for messages: the property or $defs name
  std::optional<bool> boolean_schema;
  unsigned types = 0;  // 0: any type
  std::vector<std::string> type_names;
  std::optional<Json> const_value;
  std::optional<std::vector<Json>> enum_values;
  std::optional<std::uint64_t> min_length, max_length;
  std::unique_ptr<icu::RegexPattern> pattern;
  std::optional<Json> minimum, maximum;
  std::optional<std::uint64_t> min_properties, max_properties;
  std::vector<std::pair<std::string, const Node*>> properties;  // in order
  std::map<std::string, const Node*, std::less<>> property_index;
  const Node* additional = nullptr;
  std::vector<std::string> required;
  std::optional<std::uint64_t> min_items, max_items;
  const Node* items = nullptr;
  bool unique_items = false;
  const Node* ref = nullptr;
  std::vector<const Node*> all_of, any_of, one_of;
  const Node* not_schema = nullptr;
};

bool IsSchemaContainerKeyword(absl::string_view token) {
  return token == "properties" || token == "$defs" || token == "definitions";
}

// The name messages use for the schema at `tokens`: the last property or
// $defs name on its path ("agency_code", "date_of_birth").
std::string NameFor(const std::vector<std::string>& tokens) {
  for (std::size_t i = tokens.size(); i-- > 1;) {
    if (IsSchemaContainerKeyword(tokens[i - 1])) return tokens[i];
  }
  return "the schema";
}

class Compiler {
 public:
  absl::StatusOr<const Node*> Compile(const SchemaJson& schema,
                                      std::vector<std::string>* tokens) {
    auto node = std::make_unique<Node>();
    Node* n = node.get();
    for (const std::string& token : *tokens) {
      absl::StrAppend(&n->location, "/", EscapeToken(token));
    }
    n->name = NameFor(*tokens);
    nodes_.push_back(std::move(node));
    by_location_[n->location] = n;
    const std::string& at = n->location;

    if (schema.is_boolean()) {
      n->boolean_schema = schema.get<bool>();
      return n;
    }
    if (!schema.is_object()) {
      return Error(at, "a schema must be an object or a boolean");
    }
    for (auto it = schema.begin(); it != schema.end(); ++it) {
      GW_RETURN_IF_ERROR(Keyword(n, it.key(), it.value(), tokens));
    }
    return n;
  }

  // Resolves every $ref and refuses a cycle of in-place applicators.
  absl::Status Finish() {
    for (const PendingRef& ref : refs_) {
      absl::StatusOr<std::string> pointer =
          PointerOfReference(ref.reference, /*allow_plain=*/false);
      if (!pointer.ok()) {
        return Error(ref.node->location,
                     absl::StrCat("$ref: ", pointer.status().message()));
      }
      auto target = by_location_.find(*pointer);
      if (target == by_location_.end()) {
        return Error(ref.node->location,
                     "$ref does not resolve to a schema of this document");
      }
      ref.node->ref = target->second;
    }
    std::map<const Node*, int> state;  // 1: on the path, 2: done
    for (const auto& node : nodes_) {
      GW_RETURN_IF_ERROR(CheckNoCycle(node.get(), &state));
    }
    return absl::OkStatus();
  }

  std::vector<std::unique_ptr<Node>> TakeNodes() { return std::move(nodes_); }
  std::map<std::string, const Node*> TakeIndex() {
    return {by_location_.begin(), by_location_.end()};
  }

 private:
  struct PendingRef {
    Node* node;
    std::string reference;
  };

  static absl::Status Error(absl::string_view location,
                            absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(
        "schema at \"", location.empty() ? "#" : location, "\": ", what));
  }

  absl::StatusOr<const Node*> Sub(const SchemaJson& schema,
                                  std::vector<std::string>* tokens,
                                  std::initializer_list<std::string> path) {
    for (const std::string& token : path) tokens->push_back(token);
    absl::StatusOr<const Node*> node = Compile(schema, tokens);
    for (std::size_t k = 0; k < path.size(); ++k) tokens->pop_back();
    return node;
  }

  static absl::StatusOr<std::uint64_t> Count(const SchemaJson& value,
                                             absl::string_view at,
                                             absl::string_view keyword) {
    if (value.is_number_unsigned()) return value.get<std::uint64_t>();
    if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
      return static_cast<std::uint64_t>(value.get<std::int64_t>());
    }
    if (value.is_number_float()) {
      const double d = value.get<double>();
      if (d >= 0 && std::trunc(d) == d && d < 1.8e19) {
        return static_cast<std::uint64_t>(d);
      }
    }
    return Error(at, absl::StrCat(keyword, " must be a non-negative integer"));
  }

  absl::Status SchemaArray(const SchemaJson& value, absl::string_view keyword,
                           const std::string& at,
                           std::vector<std::string>* tokens,
                           std::vector<const Node*>* out) {
    if (!value.is_array() || value.empty()) {
      return Error(
          at, absl::StrCat(keyword, " must be a non-empty array of schemas"));
    }
    for (std::size_t k = 0; k < value.size(); ++k) {
      GW_ASSIGN_OR_RETURN(
          const Node* sub,
          Sub(value[k], tokens, {std::string(keyword), std::to_string(k)}));
      out->push_back(sub);
    }
    return absl::OkStatus();
  }

  absl::Status SchemaMap(const SchemaJson& value, const std::string& keyword,
                         const std::string& at,
                         std::vector<std::string>* tokens, Node* n) {
    if (!value.is_object()) {
      return Error(at, absl::StrCat(keyword, " must be an object of schemas"));
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
      GW_ASSIGN_OR_RETURN(const Node* sub,
                          Sub(it.value(), tokens, {keyword, it.key()}));
      if (n != nullptr) {
        n->properties.emplace_back(it.key(), sub);
        n->property_index.emplace(it.key(), sub);
      }
    }
    return absl::OkStatus();
  }

  absl::Status Keyword(Node* n, const std::string& key, const SchemaJson& value,
                       std::vector<std::string>* tokens) {
    const std::string& at = n->location;
    if (key == "$schema" || key == "title" || key == "description" ||
        key == "$comment" || key == "contentEncoding") {
      if (!value.is_string()) return Error(at, key + " must be a string");
      return absl::OkStatus();
    }
    if (key == "default" || key == "examples") return absl::OkStatus();
    if (key == "$id") {
      // A nested $id would change the base that "#..." references resolve
      // against; only the root's is accepted.
      if (!tokens->empty()) {
        return Error(at, "$id below the root is not supported");
      }
      if (!value.is_string()) return Error(at, "$id must be a string");
      return absl::OkStatus();
    }
    if (key == "$defs" || key == "definitions") {
      return SchemaMap(value, key, at, tokens, nullptr);
    }
    if (key == "$ref") {
      if (!value.is_string()) return Error(at, "$ref must be a string");
      refs_.push_back(PendingRef{n, value.get<std::string>()});
      return absl::OkStatus();
    }
    if (key == "type") return Type(n, value);
    if (key == "enum") {
      if (!value.is_array()) return Error(at, "enum must be an array");
      std::vector<Json> values;
      for (const SchemaJson& item : value) values.push_back(ToJson(item));
      n->enum_values = std::move(values);
      return absl::OkStatus();
    }
    if (key == "const") {
      n->const_value = ToJson(value);
      return absl::OkStatus();
    }
    if (key == "properties") return SchemaMap(value, key, at, tokens, n);
    if (key == "required") {
      if (!value.is_array()) return Error(at, "required must be an array");
      for (const SchemaJson& item : value) {
        if (!item.is_string()) {
          return Error(at, "required must list strings");
        }
        const std::string& name = item.get_ref<const std::string&>();
        if (std::find(n->required.begin(), n->required.end(), name) !=
            n->required.end()) {
          return Error(at, "required lists a name twice");
        }
        n->required.push_back(name);
      }
      return absl::OkStatus();
    }
    if (key == "additionalProperties") {
      GW_ASSIGN_OR_RETURN(n->additional, Sub(value, tokens, {key}));
      return absl::OkStatus();
    }
    if (key == "items") {
      if (value.is_array()) {
        return Error(at, "the array form of items is not supported");
      }
      GW_ASSIGN_OR_RETURN(n->items, Sub(value, tokens, {key}));
      return absl::OkStatus();
    }
    if (key == "minProperties") {
      GW_ASSIGN_OR_RETURN(n->min_properties, Count(value, at, key));
      return absl::OkStatus();
    }
    if (key == "maxProperties") {
      GW_ASSIGN_OR_RETURN(n->max_properties, Count(value, at, key));
      return absl::OkStatus();
    }
    if (key == "minItems") {
      GW_ASSIGN_OR_RETURN(n->min_items, Count(value, at, key));
      return absl::OkStatus();
    }
    if (key == "maxItems") {
      GW_ASSIGN_OR_RETURN(n->max_items, Count(value, at, key));
      return absl::OkStatus();
    }
    if (key == "minLength") {
      GW_ASSIGN_OR_RETURN(n->min_length, Count(value, at, key));
      return absl::OkStatus();
    }
    if (key == "maxLength") {
      GW_ASSIGN_OR_RETURN(n->max_length, Count(value, at, key));
      return absl::OkStatus();
    }
    if (key == "uniqueItems") {
      if (!value.is_boolean())
        return Error(at, "uniqueItems must be a boolean");
      n->unique_items = value.get<bool>();
      return absl::OkStatus();
    }
    if (key == "minimum" || key == "maximum") {
      if (!value.is_number()) return Error(at, key + " must be a number");
      (key == "minimum" ? n->minimum : n->maximum) = ToJson(value);
      return absl::OkStatus();
    }
    if (key == "pattern") return Pattern(n, value);
    if (key == "allOf") return SchemaArray(value, key, at, tokens, &n->all_of);
    if (key == "anyOf") return SchemaArray(value, key, at, tokens, &n->any_of);
    if (key == "oneOf") return SchemaArray(value, key, at, tokens, &n->one_of);
    if (key == "not") {
      GW_ASSIGN_OR_RETURN(n->not_schema, Sub(value, tokens, {key}));
      return absl::OkStatus();
    }
    return Error(at, absl::StrCat("unsupported keyword \"", key, "\""));
  }

  absl::Status Type(Node* n, const SchemaJson& value) {
    std::vector<std::string> names;
    if (value.is_string()) {
      names.push_back(value.get<std::string>());
    } else if (value.is_array() && !value.empty()) {
      for (const SchemaJson& item : value) {
        if (!item.is_string()) break;
        names.push_back(item.get<std::string>());
      }
      if (names.size() != value.size()) names.clear();
    }
    if (names.empty()) {
      return Error(n->location, "type must be a type name or a list of them");
    }
    static const std::map<std::string, unsigned, std::less<>> kTypes = {
        {"null", kNull},      {"boolean", kBoolean}, {"object", kObject},
        {"array", kArray},    {"number", kNumber},   {"string", kString},
        {"integer", kInteger}};
    for (const std::string& name : names) {
      auto it = kTypes.find(name);
      if (it == kTypes.end()) {
        return Error(n->location, "type names an unknown type");
      }
      if ((n->types & it->second) != 0) {
        return Error(n->location, "type lists a type twice");
      }
      n->types |= it->second;
    }
    n->type_names = std::move(names);
    return absl::OkStatus();
  }

  absl::Status Pattern(Node* n, const SchemaJson& value) {
    if (!value.is_string())
      return Error(n->location, "pattern must be a string");
    absl::StatusOr<std::string> icu_pattern =
        TranslatePattern(value.get_ref<const std::string&>());
    if (!icu_pattern.ok()) {
      return Error(n->location,
                   absl::StrCat("pattern: ", icu_pattern.status().message()));
    }
    UErrorCode status = U_ZERO_ERROR;
    UParseError parse_error;
    n->pattern.reset(icu::RegexPattern::compile(
        icu::UnicodeString::fromUTF8(*icu_pattern), 0, parse_error, status));
    if (U_FAILURE(status) || n->pattern == nullptr) {
      n->pattern.reset();
      return Error(n->location, absl::StrCat("pattern does not compile (",
                                             u_errorName(status), ")"));
    }
    return absl::OkStatus();
  }

  absl::Status CheckNoCycle(const Node* node,
                            std::map<const Node*, int>* state) {
    int& mark = (*state)[node];
    if (mark == 2) return absl::OkStatus();
    if (mark == 1) {
      return Error(node->location,
                   "$ref cycle that never moves into the instance");
    }
    mark = 1;
    std::vector<const Node*> next(node->all_of);
    next.insert(next.end(), node->any_of.begin(), node->any_of.end());
    next.insert(next.end(), node->one_of.begin(), node->one_of.end());
    if (node->ref != nullptr) next.push_back(node->ref);
    if (node->not_schema != nullptr) next.push_back(node->not_schema);
    for (const Node* child : next) {
      GW_RETURN_IF_ERROR(CheckNoCycle(child, state));
    }
    (*state)[node] = 2;
    return absl::OkStatus();
  }

  std::vector<std::unique_ptr<Node>> nodes_;
  std::map<std::string, Node*> by_location_;
  std::vector<PendingRef> refs_;
};

// ---------------------------------------------------------------------------
// Validation

struct Failure {
  std::string pointer;
  std::string message;
  int depth = 0;  // tokens in pointer
};

struct Outcome {
  std::optional<Failure> failure;
  std::int64_t progress = 0;  // members/items that validated before it
  bool ok() const { return !failure.has_value(); }
};

// The instance location being validated: its pointer and token count.
class Location {
 public:
  void Push(absl::string_view token) {
    sizes_.push_back(pointer_.size());
    absl::StrAppend(&pointer_, "/", EscapeToken(token));
  }
  void Push(std::size_t index) {
    sizes_.push_back(pointer_.size());
    absl::StrAppend(&pointer_, "/", index);
  }
  void Pop() {
    pointer_.resize(sizes_.back());
    sizes_.pop_back();
  }
  const std::string& pointer() const { return pointer_; }
  int depth() const { return static_cast<int>(sizes_.size()); }

 private:
  std::string pointer_;
  std::vector<std::size_t> sizes_;
};

std::string Plural(std::uint64_t n, absl::string_view one,
                   absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

class Validator {
 public:
  Outcome Check(const Node* node, const Json& value, Location* at,
                int recursion) const {
    if (recursion > kMaxRecursion) {
      return Fail(*at, "is nested too deeply to validate");
    }
    if (node->boolean_schema.has_value()) {
      if (*node->boolean_schema) return {};
      return Fail(*at, "is not allowed by the schema");
    }
    if (node->types != 0 && !TypeMatches(node->types, value)) {
      return Fail(*at, absl::StrCat("must be of type ",
                                    absl::StrJoin(node->type_names, " or ")));
    }
    if (node->const_value.has_value() &&
        !JsonEqual(*node->const_value, value)) {
      return Fail(*at, "is not the value the schema requires (const)");
    }
    if (node->enum_values.has_value() &&
        std::none_of(node->enum_values->begin(), node->enum_values->end(),
                     [&](const Json& v) { return JsonEqual(v, value); })) {
      return Fail(*at, "is not one of the allowed values");
    }
    Outcome outcome;
    if (value.is_string()) {
      outcome = CheckString(node, value.get_ref<const std::string&>(), *at);
    } else if (value.is_number()) {
      outcome = CheckNumber(node, value, *at);
    } else if (value.is_object()) {
      outcome = CheckObject(node, value, at, recursion);
    } else if (value.is_array()) {
      outcome = CheckArray(node, value, at, recursion);
    }
    if (!outcome.ok()) return outcome;
    return CheckApplicators(node, value, at, recursion, outcome.progress);
  }

 private:
  static Outcome Fail(const Location& at, std::string message) {
    Outcome outcome;
    outcome.failure = Failure{at.pointer(), std::move(message), at.depth()};
    return outcome;
  }

  static bool TypeMatches(unsigned types, const Json& value) {
    switch (value.type()) {
      case Json::value_t::null:
        return (types & kNull) != 0;
      case Json::value_t::boolean:
        return (types & kBoolean) != 0;
      case Json::value_t::object:
        return (types & kObject) != 0;
      case Json::value_t::array:
        return (types & kArray) != 0;
      case Json::value_t::string:
        return (types & kString) != 0;
      case Json::value_t::number_integer:
      case Json::value_t::number_unsigned:
        return (types & (kNumber | kInteger)) != 0;
      case Json::value_t::number_float: {
        if ((types & kNumber) != 0) return true;
        const double d = value.get<double>();
        return (types & kInteger) != 0 && std::isfinite(d) &&
               std::trunc(d) == d;
      }
      default:
        return false;
    }
  }

  static Outcome CheckString(const Node* node, const std::string& s,
                             const Location& at) {
    if (node->min_length.has_value() || node->max_length.has_value()) {
      const std::size_t length = CodePointCount(s);
      if (node->min_length.has_value() && length < *node->min_length) {
        return Fail(at, absl::StrCat("is shorter than ",
                                     Plural(*node->min_length, "character",
                                            "characters")));
      }
      if (node->max_length.has_value() && length > *node->max_length) {
        return Fail(at, absl::StrCat("is longer than ",
                                     Plural(*node->max_length, "character",
                                            "characters")));
      }
    }
    if (node->pattern != nullptr) {
      const icu::UnicodeString input = icu::UnicodeString::fromUTF8(s);
      UErrorCode status = U_ZERO_ERROR;
      std::unique_ptr<icu::RegexMatcher> matcher(
          node->pattern->matcher(input, status));
      if (U_SUCCESS(status) && matcher != nullptr) {
        const int64_t units = input.length();
        const int64_t steps =
            kPatternBaseSteps + units / kPatternCodeUnitsPerStep;
        const int64_t stack =
            kPatternBaseStackBytes + units * kPatternStackBytesPerCodeUnit;
        constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
        matcher->setTimeLimit(static_cast<int32_t>(std::min(steps, kMax)),
                              status);
        matcher->setStackLimit(static_cast<int32_t>(std::min(stack, kMax)),
                               status);
      }
      bool found = false;
      if (U_SUCCESS(status) && matcher != nullptr) {
        found = matcher->find(status);
      }
      if (U_FAILURE(status) || matcher == nullptr) {
        return Fail(at, absl::StrCat("could not be checked against the pattern "
                                     "of ",
                                     node->name, " within its limits"));
      }
      if (!found) {
        return Fail(at,
                    absl::StrCat("does not match the pattern of ", node->name));
      }
    }
    return {};
  }

  static Outcome CheckNumber(const Node* node, const Json& value,
                             const Location& at) {
    if (node->minimum.has_value()) {
      std::optional<int> order = CompareNumbers(value, *node->minimum);
      if (!order.has_value() || *order < 0) {
        return Fail(at, absl::StrCat("is less than the minimum ",
                                     node->minimum->dump()));
      }
    }
    if (node->maximum.has_value()) {
      std::optional<int> order = CompareNumbers(value, *node->maximum);
      if (!order.has_value() || *order > 0) {
        return Fail(at, absl::StrCat("is greater than the maximum ",
                                     node->maximum->dump()));
      }
    }
    return {};
  }

  Outcome CheckObject(const Node* node, const Json& value, Location* at,
                      int recursion) const {
    const std::uint64_t size = value.size();
    if (node->min_properties.has_value() && size < *node->min_properties) {
      return Fail(*at,
                  absl::StrCat("has fewer than ", Plural(*node->min_properties,
                                                         "member", "members")));
    }
    if (node->max_properties.has_value() && size > *node->max_properties) {
      return Fail(*at,
                  absl::StrCat("has more than ", Plural(*node->max_properties,
                                                        "member", "members")));
    }
    Outcome outcome;
    const auto member = [&](const Node* schema, const std::string& name,
                            const Json& child) {
      at->Push(name);
      Outcome result;
      if (schema->boolean_schema.has_value() && !*schema->boolean_schema &&
          schema == node->additional) {
        result = Fail(*at, "member is not allowed here");
      } else {
        result = Check(schema, child, at, recursion + 1);
      }
      at->Pop();
      outcome.progress += result.progress;
      if (!result.ok()) {
        outcome.failure = std::move(result.failure);
        return false;
      }
      ++outcome.progress;
      return true;
    };
    for (const auto& [name, schema] : node->properties) {
      auto it = value.find(name);
      if (it == value.end()) continue;
      if (!member(schema, name, *it)) return outcome;
    }
    if (node->additional != nullptr) {
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (node->property_index.count(it.key()) != 0) continue;
        if (!member(node->additional, it.key(), it.value())) return outcome;
      }
    }
    for (const std::string& name : node->required) {
      if (value.find(name) == value.end()) {
        at->Push(name);
        Outcome missing = Fail(*at, "required member is missing");
        at->Pop();
        missing.progress = outcome.progress;
        return missing;
      }
    }
    return outcome;
  }

  Outcome CheckArray(const Node* node, const Json& value, Location* at,
                     int recursion) const {
    const std::uint64_t size = value.size();
    if (node->min_items.has_value() && size < *node->min_items) {
      return Fail(*at, absl::StrCat("has fewer than ",
                                    Plural(*node->min_items, "item", "items")));
    }
    if (node->max_items.has_value() && size > *node->max_items) {
      return Fail(*at, absl::StrCat("has more than ",
                                    Plural(*node->max_items, "item", "items")));
    }
    Outcome outcome;
    std::unordered_multimap<std::size_t, std::size_t> seen;  // hash -> index
    for (std::size_t i = 0; i < value.size(); ++i) {
      const Json& item = value[i];
      at->Push(i);
      if (node->unique_items) {
        const std::size_t hash = HashJson(item);
        auto [first, last] = seen.equal_range(hash);
        for (auto it = first; it != last; ++it) {
          if (JsonEqual(value[it->second], item)) {
            Outcome duplicate = Fail(*at, "repeats an earlier item");
            at->Pop();
            duplicate.progress = outcome.progress;
            return duplicate;
          }
        }
        seen.emplace(hash, i);
      }
      if (node->items != nullptr) {
        Outcome result = Check(node->items, item, at, recursion + 1);
        outcome.progress += result.progress;
        if (!result.ok()) {
          at->Pop();
          outcome.failure = std::move(result.failure);
          return outcome;
        }
      }
      at->Pop();
      ++outcome.progress;
    }
    return outcome;
  }

  // The failure to report when no branch of anyOf/oneOf matched.
  static Outcome BestBranch(std::vector<Outcome> failures,
                            absl::string_view keyword, const Location& at) {
    int depth = -1;
    std::int64_t progress = -1;
    for (const Outcome& f : failures) {
      if (f.failure->depth > depth ||
          (f.failure->depth == depth && f.progress > progress)) {
        depth = f.failure->depth;
        progress = f.progress;
      }
    }
    std::vector<Outcome*> best;
    for (Outcome& f : failures) {
      if (f.failure->depth == depth && f.progress == progress) {
        best.push_back(&f);
      }
    }
    const Failure& first = *best.front()->failure;
    const bool same_pointer = std::all_of(
        best.begin(), best.end(),
        [&](const Outcome* o) { return o->failure->pointer == first.pointer; });
    const bool same_message = std::all_of(
        best.begin(), best.end(),
        [&](const Outcome* o) { return o->failure->message == first.message; });
    if (best.size() == 1 || (same_pointer && same_message)) {
      return std::move(*best.front());
    }
    const std::string message =
        absl::StrCat("matches none of the alternatives of ", keyword);
    Outcome outcome;
    if (same_pointer) {
      outcome.failure = Failure{first.pointer, message, first.depth};
    } else {
      outcome = Fail(at, message);
    }
    outcome.progress = progress;
    return outcome;
  }

  Outcome CheckApplicators(const Node* node, const Json& value, Location* at,
                           int recursion, std::int64_t progress) const {
    Outcome outcome;
    outcome.progress = progress;
    const auto failed = [&](Outcome result) {
      result.progress += outcome.progress;
      return result;
    };
    if (node->ref != nullptr) {
      Outcome result = Check(node->ref, value, at, recursion + 1);
      if (!result.ok()) return failed(std::move(result));
      outcome.progress += result.progress;
    }
    for (const Node* sub : node->all_of) {
      Outcome result = Check(sub, value, at, recursion + 1);
      if (!result.ok()) return failed(std::move(result));
      outcome.progress += result.progress;
    }
    if (!node->any_of.empty()) {
      std::vector<Outcome> failures;
      bool matched = false;
      for (const Node* sub : node->any_of) {
        Outcome result = Check(sub, value, at, recursion + 1);
        if (result.ok()) {
          outcome.progress += result.progress;
          matched = true;
          break;
        }
        failures.push_back(std::move(result));
      }
      if (!matched)
        return failed(BestBranch(std::move(failures), "anyOf", *at));
    }
    if (!node->one_of.empty()) {
      std::vector<Outcome> failures;
      int matches = 0;
      std::int64_t matched_progress = 0;
      for (const Node* sub : node->one_of) {
        Outcome result = Check(sub, value, at, recursion + 1);
        if (result.ok()) {
          ++matches;
          matched_progress = result.progress;
        } else {
          failures.push_back(std::move(result));
        }
      }
      if (matches == 0) {
        return failed(BestBranch(std::move(failures), "oneOf", *at));
      }
      if (matches > 1) {
        return failed(Fail(*at, "matches more than one alternative of oneOf"));
      }
      outcome.progress += matched_progress;
    }
    if (node->not_schema != nullptr) {
      Outcome result = Check(node->not_schema, value, at, recursion + 1);
      if (result.ok()) {
        return failed(Fail(*at, "matches a schema it must not match (not)"));
      }
    }
    return outcome;
  }
};

}  // namespace

class JsonSchema::Impl {
 public:
  Impl(std::vector<std::unique_ptr<Node>> nodes,
       std::map<std::string, const Node*> index)
      : nodes_(std::move(nodes)), index_(std::move(index)) {}

  const Node* root() const { return nodes_.front().get(); }
  const Node* Find(const std::string& pointer) const {
    auto it = index_.find(pointer);
    return it == index_.end() ? nullptr : it->second;
  }

  std::optional<SchemaViolation> Validate(const Node* node,
                                          const Json& instance) const {
    Location at;
    Outcome outcome = Validator().Check(node, instance, &at, 0);
    if (outcome.ok()) return std::nullopt;
    return SchemaViolation{std::move(outcome.failure->pointer),
                           std::move(outcome.failure->message)};
  }

 private:
  const std::vector<std::unique_ptr<Node>> nodes_;  // [0] is the root
  const std::map<std::string, const Node*> index_;
};

JsonSchema::JsonSchema(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonSchema::~JsonSchema() = default;

absl::StatusOr<std::unique_ptr<JsonSchema>> JsonSchema::Load(
    std::string_view schema_text) {
  absl::StatusOr<SchemaJson> document =
      internal::ParseSchemaDocument(schema_text);
  if (!document.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "schema is not valid JSON: ", document.status().message()));
  }
  Compiler compiler;
  std::vector<std::string> tokens;
  GW_RETURN_IF_ERROR(compiler.Compile(*document, &tokens).status());
  GW_RETURN_IF_ERROR(compiler.Finish());
  std::map<std::string, const Node*> index = compiler.TakeIndex();
  return std::unique_ptr<JsonSchema>(new JsonSchema(
      std::make_unique<Impl>(compiler.TakeNodes(), std::move(index))));
}

std::optional<SchemaViolation> JsonSchema::Validate(
    const nlohmann::json& instance) const {
  return impl_->Validate(impl_->root(), instance);
}

absl::StatusOr<std::optional<SchemaViolation>> JsonSchema::ValidateAt(
    const nlohmann::json& instance, std::string_view pointer_text) const {
  const absl::string_view pointer(pointer_text.data(), pointer_text.size());
  absl::StatusOr<std::string> canonical =
      PointerOfReference(pointer, /*allow_plain=*/true);
  if (!canonical.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("schema pointer: ", canonical.status().message()));
  }
  const Node* node = impl_->Find(*canonical);
  if (node == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("no schema at \"", pointer, "\""));
  }
  return impl_->Validate(node, instance);
}

}  // namespace gw::json
