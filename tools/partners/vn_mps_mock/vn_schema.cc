// tools/partners/vn_mps_mock/vn_schema.cc
#include "tools/partners/vn_mps_mock/vn_schema.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "schemas/embedded.h"
#include "tools/partners/vn_mps_mock/vn_xml.h"

namespace gw::vn_mps_mock {
namespace {

constexpr size_t kErrorTextChars = 200;  // ShortTextType of VN-MPS.xsd

struct FirstError {
  bool seen = false;
  const xmlNode* node = nullptr;
  int code = 0;
  std::string message;
};

void OnValidationError(void* user_data, xmlErrorPtr error) {
  auto* first = static_cast<FirstError*>(user_data);
  if (error == nullptr || error->level < XML_ERR_ERROR || first->seen) return;
  first->seen = true;
  first->node = static_cast<const xmlNode*>(error->node);
  first->code = error->code;
  first->message = error->message == nullptr ? "" : error->message;
}

void OnSchemaParseError(void* user_data, xmlErrorPtr error) {
  auto* text = static_cast<std::string*>(user_data);
  if (error == nullptr || error->level < XML_ERR_ERROR || !text->empty()) {
    return;
  }
  *text = error->message == nullptr ? "unknown error" : error->message;
}

// The text between the first "'" after `marker` and the next "'".
std::string QuotedAfter(std::string_view text, std::string_view marker) {
  const size_t at = text.find(marker);
  if (at == std::string_view::npos) return "";
  const size_t open = at + marker.size();
  const size_t close = text.find('\'', open);
  if (close == std::string_view::npos) return "";
  return std::string(text.substr(open, close - open));
}

// Rewrites a message that quotes a value of the document: keeps who
// ("Element 'tip:X', attribute 'y'"), the facet or the type, drops the
// value.
std::string WithoutValue(std::string_view message) {
  std::string who;
  if (absl::StartsWith(AsAbsl(message), "Element '")) {
    const size_t end = message.find("': ");
    if (end != std::string_view::npos)
      who = std::string(message.substr(0, end + 1));
  }
  std::string what;
  const std::string facet = QuotedAfter(message, "[facet '");
  if (!facet.empty()) {
    what = absl::StrCat("[facet '", facet,
                        "'] The value does not satisfy this facet");
  } else {
    std::string type;
    for (const char* marker : {"of the atomic type '", "of the list type '",
                               "of the union type '"}) {
      type = QuotedAfter(message, marker);
      if (!type.empty()) break;
    }
    what = type.empty()
               ? std::string("The value is not valid")
               : absl::StrCat("The value is not a valid value of the type '",
                              type, "'");
  }
  return absl::StrCat(who, who.empty() ? "" : ": ", what, " (value withheld).");
}

}  // namespace

std::string SchemaErrorText(int /*code*/, const std::string& libxml_message) {
  std::string text = absl::StrReplaceAll(
      libxml_message, {{absl::StrCat("{", kTipNamespace, "}"), "tip:"}});
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  text = std::string(absl::StripAsciiWhitespace(text));
  if (absl::StrContains(text, "value '") ||
      absl::StrContains(text, "valid value")) {
    text = WithoutValue(text);
  }
  text = CutToChars(text, kErrorTextChars);
  text = std::string(absl::StripAsciiWhitespace(text));
  if (text.empty()) text = "The document does not validate against VN-MPS.xsd.";
  return text;
}

absl::StatusOr<std::unique_ptr<VnMpsSchema>> VnMpsSchema::Load() {
  xmlInitParser();
  xmlSchemaParserCtxtPtr parser = xmlSchemaNewMemParserCtxt(
      embedded::kVnMpsXsd.data(), static_cast<int>(embedded::kVnMpsXsd.size()));
  if (parser == nullptr) {
    return absl::InternalError("libxml2 cannot read the embedded VN-MPS.xsd");
  }
  std::string error;
  xmlSchemaSetParserStructuredErrors(parser, OnSchemaParseError, &error);
  xmlSchemaPtr schema = xmlSchemaParse(parser);
  xmlSchemaFreeParserCtxt(parser);
  if (schema == nullptr) {
    return absl::InternalError(
        absl::StrCat("libxml2 refuses the embedded VN-MPS.xsd: ",
                     absl::StripAsciiWhitespace(error)));
  }
  return std::unique_ptr<VnMpsSchema>(new VnMpsSchema(schema));
}

VnMpsSchema::~VnMpsSchema() { xmlSchemaFree(schema_); }

std::optional<SchemaViolation> VnMpsSchema::Validate(const xmlDoc* doc) const {
  xmlSchemaValidCtxtPtr context = xmlSchemaNewValidCtxt(schema_);
  if (context == nullptr) {
    return SchemaViolation{"", "the XML Schema validator cannot start", true};
  }
  FirstError first;
  xmlSchemaSetValidStructuredErrors(context, OnValidationError, &first);
  // libxml2 takes a non-const document but only reads it.
  const int rc = xmlSchemaValidateDoc(context, const_cast<xmlDoc*>(doc));
  xmlSchemaFreeValidCtxt(context);
  if (rc == 0) return std::nullopt;
  if (rc < 0) {
    return SchemaViolation{"", "the XML Schema validator failed", true};
  }
  if (!first.seen) {
    return SchemaViolation{"", SchemaErrorText(0, ""), false};
  }
  return SchemaViolation{NodePath(first.node),
                         SchemaErrorText(first.code, first.message), false};
}

}  // namespace gw::vn_mps_mock
