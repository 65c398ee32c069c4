// adapters/vn_mps/xml_doc.cc
//
// See xml_doc.h for the contract.
#include "adapters/vn_mps/xml_doc.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include <cstring>
#include <mutex>
#include <string_view>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "adapters/text/normalize.h"
#include "adapters/vn_mps/vn_format.h"
#include "schemas/embedded.h"

namespace gw::vn_mps {
namespace {

// gw::text takes std::string_view; our Abseil's string_view is its own type.
std::string_view Std(absl::string_view s) { return {s.data(), s.size()}; }

// Frees what libxml2 allocated with xmlMalloc.
struct XmlCharFree {
  void operator()(xmlChar* p) const { xmlFree(p); }
};
using XmlCharPtr = std::unique_ptr<xmlChar, XmlCharFree>;

struct ParserCtxtFree {
  void operator()(xmlParserCtxt* p) const { xmlFreeParserCtxt(p); }
};
struct SchemaParserCtxtFree {
  void operator()(xmlSchemaParserCtxt* p) const { xmlSchemaFreeParserCtxt(p); }
};
struct SchemaValidCtxtFree {
  void operator()(xmlSchemaValidCtxt* p) const { xmlSchemaFreeValidCtxt(p); }
};

const char* AsChars(const xmlChar* s) {
  return reinterpret_cast<const char*>(s);
}

void IgnoreError(void* /*data*/, xmlErrorPtr /*error*/) {}

// Installs a do-nothing thread-local structured handler for libxml2 errors
// that reach no context (out of memory and the like), and puts the
// previous one back: libxml2 would otherwise print them to stderr.
class ErrorBackstop {
 public:
  ErrorBackstop()
      : previous_(xmlStructuredError),
        previous_context_(xmlStructuredErrorContext) {
    xmlSetStructuredErrorFunc(nullptr, &IgnoreError);
  }
  ~ErrorBackstop() { xmlSetStructuredErrorFunc(previous_context_, previous_); }
  ErrorBackstop(const ErrorBackstop&) = delete;
  ErrorBackstop& operator=(const ErrorBackstop&) = delete;

 private:
  xmlStructuredErrorFunc previous_;
  void* previous_context_;
};

// What the parser callbacks learn; ctxt->_private points to it.
struct ParseState {
  bool doctype = false;
  bool failed = false;
  int code = 0;
  int line = 0;
  int column = 0;
};

ParseState* StateOf(void* ctx) {
  auto* ctxt = static_cast<xmlParserCtxt*>(ctx);
  return ctxt == nullptr ? nullptr : static_cast<ParseState*>(ctxt->_private);
}

// SAX internalSubset: called as soon as "<!DOCTYPE name ..." is read,
// before the internal subset's declarations. Stopping here means no entity
// is ever declared, let alone expanded.
void OnDoctype(void* ctx, const xmlChar* /*name*/,
               const xmlChar* /*external_id*/, const xmlChar* /*system_id*/) {
  if (ParseState* state = StateOf(ctx)) state->doctype = true;
  xmlStopParser(static_cast<xmlParserCtxt*>(ctx));
}

void OnParserError(void* ctx, xmlErrorPtr error) {
  ParseState* state = StateOf(ctx);
  if (state == nullptr || error == nullptr || error->level < XML_ERR_ERROR) {
    return;
  }
  if (!state->failed) {
    state->failed = true;
    state->code = error->code;
    state->line = error->line;
    state->column = error->int2;
  }
}

// The first error of a schema parse or validation.
struct CapturedError {
  bool set = false;
  int code = 0;
  std::string message;
  const xmlNode* node = nullptr;
};

void OnSchemaError(void* data, xmlErrorPtr error) {
  auto* captured = static_cast<CapturedError*>(data);
  if (captured == nullptr || error == nullptr || captured->set ||
      error->level < XML_ERR_ERROR) {
    return;
  }
  captured->set = true;
  captured->code = error->code;
  captured->message = error->message != nullptr ? error->message : "";
  captured->node = static_cast<const xmlNode*>(error->node);
}

absl::Status Malformed(std::string what) {
  return absl::InvalidArgumentError(std::move(what));
}

// Normalizes one text node to NFC; true if it changed.
absl::StatusOr<bool> NormalizeTextNode(xmlNode* node) {
  if (node->content == nullptr) return false;
  const absl::string_view text(AsChars(node->content));
  absl::StatusOr<bool> nfc = text::IsNfc(Std(text));
  if (!nfc.ok())
    return absl::InternalError("NFC check of a parsed text failed");
  if (*nfc) return false;
  absl::StatusOr<std::string> normalized = text::ToNfc(Std(text));
  if (!normalized.ok()) {
    return absl::InternalError("NFC normalization of a parsed text failed");
  }
  xmlNodeSetContent(node,
                    reinterpret_cast<const xmlChar*>(normalized->c_str()));
  return true;
}

bool IsTextLike(const xmlNode* node) {
  return node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE;
}

bool IsCommentOrPi(const xmlNode* node) {
  return node->type == XML_COMMENT_NODE || node->type == XML_PI_NODE;
}

void FreeNode(xmlNode* node) {
  xmlUnlinkNode(node);
  xmlFreeNode(node);
}

// Drops the comments and processing instructions among the children of
// `parent` and merges each run of adjacent text and CDATA children into one
// text node: what xmlNodeGetContent and the XSD read is the join, so NFC
// must judge the join too ("e<!---->&#x301;" is NFC node by node).
void JoinTextChildren(xmlNode* parent) {
  xmlNode* child = parent->children;
  while (child != nullptr) {
    xmlNode* next = child->next;
    if (IsCommentOrPi(child)) {
      FreeNode(child);
    } else if (IsTextLike(child)) {
      if (child->type == XML_CDATA_SECTION_NODE) {
        // ParseXml reads CDATA as text (XML_PARSE_NOCDATA); a document
        // built otherwise gets the same tree.
        xmlNode* text = xmlNewDocText(child->doc, child->content);
        if (text != nullptr) {
          xmlReplaceNode(child, text);
          xmlFreeNode(child);
          child = text;
        }
      }
      while (next != nullptr && (IsTextLike(next) || IsCommentOrPi(next))) {
        xmlNode* after = next->next;
        if (IsTextLike(next) && next->content != nullptr) {
          xmlNodeAddContent(child, next->content);
        }
        FreeNode(next);
        next = after;
      }
    }
    child = next;
  }
}

// JoinTextChildren for `element`, its attributes and every element below.
void JoinTexts(xmlNode* element) {
  for (xmlAttr* attr = element->properties; attr != nullptr;
       attr = attr->next) {
    JoinTextChildren(reinterpret_cast<xmlNode*>(attr));
  }
  JoinTextChildren(element);
  for (xmlNode* child = element->children; child != nullptr;
       child = child->next) {
    // Depth is bounded by libxml2's own nesting limit (256 without HUGE).
    if (child->type == XML_ELEMENT_NODE) JoinTexts(child);
  }
}

absl::Status NormalizeElement(xmlNode* element,
                              std::vector<std::string>* changed) {
  bool element_changed = false;
  for (xmlAttr* attr = element->properties; attr != nullptr;
       attr = attr->next) {
    for (xmlNode* child = attr->children; child != nullptr;
         child = child->next) {
      if (!IsTextLike(child)) continue;
      absl::StatusOr<bool> did = NormalizeTextNode(child);
      if (!did.ok()) return did.status();
      element_changed = element_changed || *did;
    }
  }
  for (xmlNode* child = element->children; child != nullptr;
       child = child->next) {
    if (!IsTextLike(child)) continue;
    absl::StatusOr<bool> did = NormalizeTextNode(child);
    if (!did.ok()) return did.status();
    element_changed = element_changed || *did;
  }
  if (element_changed) changed->push_back(NodePath(element));
  for (xmlNode* child = element->children; child != nullptr;
       child = child->next) {
    if (child->type != XML_ELEMENT_NODE) continue;
    // Depth is bounded by libxml2's own nesting limit (256 without HUGE).
    if (absl::Status s = NormalizeElement(child, changed); !s.ok()) return s;
  }
  return absl::OkStatus();
}

bool InTipNamespace(const xmlNode* node) {
  return node->ns != nullptr && node->ns->href != nullptr &&
         std::strcmp(AsChars(node->ns->href), kNamespace) == 0;
}

// "tip:Name" for our namespace, the qualified name as written otherwise.
std::string ElementName(const xmlNode* node) {
  const std::string local = AsChars(node->name);
  if (InTipNamespace(node)) return absl::StrCat(kPrefix, ":", local);
  if (node->ns != nullptr && node->ns->prefix != nullptr) {
    return absl::StrCat(AsChars(node->ns->prefix), ":", local);
  }
  return local;
}

// Whether libxml2's message for `code` names elements and attributes only
// (never a value), so it can be passed on as it is.
bool IsStructural(int code) {
  switch (code) {
    case XML_SCHEMAV_ELEMENT_CONTENT:
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_1:
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_3:
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_4:
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_1:
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_2:
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_4:
    case XML_SCHEMAV_CVC_ELT_1:
    case XML_SCHEMAV_DOCUMENT_ELEMENT_MISSING:
      return true;
    default:
      return false;
  }
}

std::string WhatIsWrong(int code) {
  switch (code) {
    case XML_SCHEMAV_CVC_PATTERN_VALID:
      return "the value does not match the pattern of its type";
    case XML_SCHEMAV_CVC_ENUMERATION_VALID:
      return "the value is not one of the values its type allows";
    case XML_SCHEMAV_CVC_LENGTH_VALID:
    case XML_SCHEMAV_CVC_MINLENGTH_VALID:
    case XML_SCHEMAV_CVC_MAXLENGTH_VALID:
      return "the length of the value is outside the bounds of its type";
    case XML_SCHEMAV_CVC_MININCLUSIVE_VALID:
    case XML_SCHEMAV_CVC_MAXINCLUSIVE_VALID:
    case XML_SCHEMAV_CVC_MINEXCLUSIVE_VALID:
    case XML_SCHEMAV_CVC_MAXEXCLUSIVE_VALID:
      return "the value is outside the range of its type";
    case XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1:
    case XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_2:
    case XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_3:
      return "the value is not a valid value of its type";
    default:
      return "the value is not valid against VN-MPS.xsd";
  }
}

// The "Element 'X'" or "Element 'X', attribute 'y'" that starts a
// libxml2 validity message: names only, never the value that follows.
std::string NamesPrefix(absl::string_view message) {
  constexpr absl::string_view kElement = "Element '";
  constexpr absl::string_view kAttribute = ", attribute '";
  if (!absl::StartsWith(message, kElement)) return "";
  size_t end = message.find('\'', kElement.size());
  if (end == absl::string_view::npos) return "";
  if (message.substr(end + 1, kAttribute.size()) == kAttribute) {
    end = message.find('\'', end + 1 + kAttribute.size());
    if (end == absl::string_view::npos) return "";
  }
  if (message.substr(end + 1, 1) != ":") return "";
  return std::string(message.substr(0, end + 1));
}

// libxml2's message on one line.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return std::string(absl::StripAsciiWhitespace(text));
}

}  // namespace

void XmlDocFree::operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }

void InitLibxml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

absl::StatusOr<XmlDocPtr> ParseXml(absl::string_view bytes) {
  InitLibxml();
  if (bytes.size() > kMaxBodyBytes) {
    return Malformed("document: larger than 8 MiB (VN-MPS.md §9)");
  }
  if (bytes.empty()) {
    return Malformed("document: not well-formed XML (empty)");
  }
  // NUL is valid UTF-8 but no XML character; refusing it first also rules
  // out UTF-16 and UCS-4 without a byte-order mark, which libxml2 would
  // otherwise detect from "<\0?\0" and the like.
  if (bytes.find('\0') != absl::string_view::npos) {
    return Malformed(
        "document: contains a NUL byte; VN-MPS documents are UTF-8 "
        "(VN-MPS.md §5.1)");
  }
  if (!text::IsValidUtf8(Std(bytes))) {
    return Malformed("document: not UTF-8 (VN-MPS.md §5.1)");
  }
  ErrorBackstop backstop;
  std::unique_ptr<xmlParserCtxt, ParserCtxtFree> ctxt(xmlNewParserCtxt());
  if (ctxt == nullptr || ctxt->sax == nullptr) {
    return absl::ResourceExhaustedError("libxml2: cannot create a parser");
  }
  ParseState state;
  ctxt->_private = &state;
  ctxt->sax->internalSubset = &OnDoctype;
  ctxt->sax->serror = &OnParserError;
  // Decoded as UTF-8, whatever the first bytes look like (no encoding
  // detection). No entity substitution, DTD loading, default attributes,
  // XInclude or huge documents; no network, ever. CDATA is read as text.
  XmlDocPtr doc(xmlCtxtReadMemory(
      ctxt.get(), bytes.data(), static_cast<int>(bytes.size()), nullptr,
      "UTF-8", XML_PARSE_NONET | XML_PARSE_NOCDATA));
  if (state.doctype) {
    return Malformed(
        "document: a DOCTYPE declaration is present; VN-MPS documents carry "
        "none, and DTDs and entities are refused (VN-MPS.md §3.3)");
  }
  if (state.failed || !ctxt->wellFormed || !ctxt->nsWellFormed ||
      doc == nullptr) {
    return Malformed(absl::StrCat(
        "document: not well-formed XML (libxml2 error ", state.code,
        " at line ", state.line, ", column ", state.column, ")"));
  }
  // The decoding is forced, but a document declaring another encoding
  // than UTF-8 is refused all the same (§5.1). libxml2 records the
  // declaration in the document for UTF-16 and in the input otherwise.
  for (const xmlChar* declared :
       {static_cast<const xmlChar*>(doc->encoding),
        ctxt->input != nullptr ? ctxt->input->encoding : nullptr}) {
    if (declared != nullptr &&
        !absl::EqualsIgnoreCase(AsChars(declared), "UTF-8")) {
      return Malformed(
          "document: declares an encoding other than UTF-8 (VN-MPS.md "
          "§5.1)");
    }
  }
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr) {
    return Malformed("document: no root element");
  }
  JoinTexts(root);
  return doc;
}

absl::StatusOr<std::vector<std::string>> NormalizeToNfc(xmlDoc* doc) {
  std::vector<std::string> changed;
  xmlNode* root = xmlDocGetRootElement(doc);
  if (root == nullptr) return changed;
  JoinTexts(root);  // already done for a document of ParseXml
  if (absl::Status s = NormalizeElement(root, &changed); !s.ok()) return s;
  return changed;
}

std::string NodePath(const xmlNode* node) {
  if (node == nullptr) return "";
  XmlCharPtr path(xmlGetNodePath(node));
  return path == nullptr ? std::string() : std::string(AsChars(path.get()));
}

absl::StatusOr<std::unique_ptr<XsdSchema>> XsdSchema::FromMemory(
    absl::string_view xsd) {
  InitLibxml();
  ErrorBackstop backstop;
  std::unique_ptr<xmlSchemaParserCtxt, SchemaParserCtxtFree> parser(
      xmlSchemaNewMemParserCtxt(xsd.data(), static_cast<int>(xsd.size())));
  if (parser == nullptr) {
    return absl::InternalError("libxml2: cannot create a schema parser");
  }
  CapturedError captured;
  xmlSchemaSetParserStructuredErrors(parser.get(), &OnSchemaError, &captured);
  xmlSchema* schema = xmlSchemaParse(parser.get());
  if (schema == nullptr) {
    return absl::InternalError(
        absl::StrCat("VN-MPS.xsd does not parse: ", OneLine(captured.message)));
  }
  return std::unique_ptr<XsdSchema>(new XsdSchema(schema));
}

XsdSchema::~XsdSchema() { xmlSchemaFree(schema_); }

absl::StatusOr<std::optional<XsdViolation>> XsdSchema::Validate(
    xmlDoc* doc) const {
  ErrorBackstop backstop;
  std::unique_ptr<xmlSchemaValidCtxt, SchemaValidCtxtFree> valid(
      xmlSchemaNewValidCtxt(schema_));
  if (valid == nullptr) {
    return absl::InternalError("libxml2: cannot create a validation context");
  }
  CapturedError captured;
  xmlSchemaSetValidStructuredErrors(valid.get(), &OnSchemaError, &captured);
  const int result = xmlSchemaValidateDoc(valid.get(), doc);
  if (result == 0) return std::optional<XsdViolation>();
  if (result < 0 && !captured.set) {
    return absl::InternalError("libxml2: schema validation failed internally");
  }
  XsdViolation violation;
  violation.code = captured.code;
  const xmlNode* node = captured.node;
  const xmlNode* attribute = nullptr;
  if (node != nullptr && node->type == XML_ATTRIBUTE_NODE) {
    attribute = node;
    node = node->parent;
  }
  if (node == nullptr || node->type != XML_ELEMENT_NODE) {
    node = xmlDocGetRootElement(doc);
  }
  violation.element = node;
  violation.path = NodePath(node);
  const std::string tip_message = absl::StrReplaceAll(
      captured.message,
      {{absl::StrCat("{", kNamespace, "}"), absl::StrCat(kPrefix, ":")}});
  if (IsStructural(captured.code)) {
    violation.text = OneLine(tip_message);
  } else {
    std::string subject = NamesPrefix(tip_message);
    if (subject.empty()) {
      subject = absl::StrCat(
          "Element '", node != nullptr ? ElementName(node) : "", "'",
          attribute != nullptr
              ? absl::StrCat(", attribute '", AsChars(attribute->name), "'")
              : "");
    }
    violation.text =
        absl::StrCat(subject, ": ", WhatIsWrong(captured.code), ".");
  }
  return std::optional<XsdViolation>(std::move(violation));
}

absl::StatusOr<std::shared_ptr<const XsdSchema>> VnMpsSchema() {
  static const absl::StatusOr<std::shared_ptr<const XsdSchema>>* schema = [] {
    absl::StatusOr<std::unique_ptr<XsdSchema>> parsed =
        XsdSchema::FromMemory(absl::string_view(embedded::kVnMpsXsd.data(),
                                                embedded::kVnMpsXsd.size()));
    if (!parsed.ok()) {
      return new absl::StatusOr<std::shared_ptr<const XsdSchema>>(
          parsed.status());
    }
    return new absl::StatusOr<std::shared_ptr<const XsdSchema>>(
        std::shared_ptr<const XsdSchema>(*std::move(parsed)));
  }();
  return *schema;
}

std::vector<const xmlNode*> ChildElements(const xmlNode* parent) {
  std::vector<const xmlNode*> out;
  if (parent == nullptr) return out;
  for (const xmlNode* child = parent->children; child != nullptr;
       child = child->next) {
    if (child->type == XML_ELEMENT_NODE) out.push_back(child);
  }
  return out;
}

bool IsTip(const xmlNode* node, absl::string_view local) {
  return node != nullptr && node->type == XML_ELEMENT_NODE &&
         InTipNamespace(node) && local == AsChars(node->name);
}

absl::string_view LocalName(const xmlNode* node) {
  return node == nullptr || node->name == nullptr ? absl::string_view()
                                                  : AsChars(node->name);
}

std::string NodeText(const xmlNode* node) {
  if (node == nullptr) return "";
  XmlCharPtr content(xmlNodeGetContent(node));
  return content == nullptr ? std::string()
                            : std::string(AsChars(content.get()));
}

std::string AttrValue(const xmlNode* node, const char* name) {
  if (node == nullptr) return "";
  XmlCharPtr value(
      xmlGetNoNsProp(node, reinterpret_cast<const xmlChar*>(name)));
  return value == nullptr ? std::string() : std::string(AsChars(value.get()));
}

int ElementIndex(const xmlDoc* doc, const xmlNode* target) {
  int index = 0;
  std::vector<const xmlNode*> stack;
  const xmlNode* root = xmlDocGetRootElement(doc);
  if (root != nullptr) stack.push_back(root);
  while (!stack.empty()) {
    const xmlNode* node = stack.back();
    stack.pop_back();
    if (node == target) return index;
    ++index;
    std::vector<const xmlNode*> children = ChildElements(node);
    for (auto it = children.rbegin(); it != children.rend(); ++it) {
      stack.push_back(*it);
    }
  }
  return -1;
}

}  // namespace gw::vn_mps
