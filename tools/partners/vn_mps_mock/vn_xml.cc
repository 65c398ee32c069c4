// tools/partners/vn_mps_mock/vn_xml.cc
#include "tools/partners/vn_mps_mock/vn_xml.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlstring.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <climits>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace gw::vn_mps_mock {
namespace {

// What the SAX hooks learn while libxml2 parses one body.
struct ParseState {
  bool doctype = false;
  bool have_error = false;
  int error_line = 0;
  int error_code = 0;
  std::string error_message;
};

ParseState* StateOf(void* user_data) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(user_data);
  return static_cast<ParseState*>(ctxt->_private);
}

// SAX internalSubset: called as soon as "<!DOCTYPE name [ExternalID]" is
// read, before the internal subset. Stopping here means that no entity
// declaration is ever parsed and no external identifier is ever resolved.
void OnDoctype(void* user_data, const xmlChar* /*name*/,
               const xmlChar* /*external_id*/, const xmlChar* /*system_id*/) {
  StateOf(user_data)->doctype = true;
  xmlStopParser(static_cast<xmlParserCtxtPtr>(user_data));
}

// Keeps the first error. libxml2 messages name tags and entities, and for
// encoding errors quote some bytes ("Bytes: 0x.."): those are cut off.
void OnError(void* user_data, xmlErrorPtr error) {
  if (error == nullptr || error->level < XML_ERR_ERROR) return;
  ParseState* state = StateOf(user_data);
  if (state->have_error) return;
  state->have_error = true;
  state->error_line = error->line;
  state->error_code = error->code;
  std::string message = error->message == nullptr ? "" : error->message;
  for (const char* cut : {"\n", "Bytes:"}) {
    const size_t at = message.find(cut);
    if (at != std::string::npos) message.resize(at);
  }
  message = CutToChars(message, 120);
  state->error_message = std::string(absl::StripAsciiWhitespace(message));
}

struct ParserCtxtDeleter {
  void operator()(xmlParserCtxt* ctxt) const { xmlFreeParserCtxt(ctxt); }
};

const icu::Normalizer2* Nfc() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status) || nfc == nullptr) abort();  // ICU data missing
  return nfc;
}

const icu::Normalizer2* Nfd() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status) || nfd == nullptr) abort();
  return nfd;
}

bool IsAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string Normalize(const icu::Normalizer2* form, std::string_view text) {
  const icu::UnicodeString in = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString out = form->normalize(in, status);
  if (U_FAILURE(status)) abort();  // cannot happen for valid UTF-8 input
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

std::string XmlString(xmlChar* owned) {
  if (owned == nullptr) return "";
  std::string text(reinterpret_cast<const char*>(owned));
  xmlFree(owned);
  return text;
}

bool IsNfcXml(const xmlChar* text) {
  return text == nullptr || IsNfc(reinterpret_cast<const char*>(text));
}

// Whether the element's own text, its attribute values or its namespace
// declarations are not NFC.
bool HoldsNonNfc(const xmlNode* element) {
  for (const xmlNs* ns = element->nsDef; ns != nullptr; ns = ns->next) {
    if (!IsNfcXml(ns->href)) return true;
  }
  for (const xmlAttr* attr = element->properties; attr != nullptr;
       attr = attr->next) {
    for (const xmlNode* part = attr->children; part != nullptr;
         part = part->next) {
      if (!IsNfcXml(part->content)) return true;
    }
  }
  for (const xmlNode* child = element->children; child != nullptr;
       child = child->next) {
    if ((child->type == XML_TEXT_NODE ||
         child->type == XML_CDATA_SECTION_NODE) &&
        !IsNfcXml(child->content)) {
      return true;
    }
  }
  return false;
}

const xmlNode* FirstNonNfcIn(const xmlNode* element) {
  if (HoldsNonNfc(element)) return element;
  for (const xmlNode* child = element->children; child != nullptr;
       child = child->next) {
    if (child->type != XML_ELEMENT_NODE) continue;
    if (const xmlNode* found = FirstNonNfcIn(child)) return found;
  }
  return nullptr;
}

}  // namespace

bool IsUtf8(std::string_view text, size_t* bad_offset) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    size_t len = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      if (bad_offset != nullptr) *bad_offset = i;
      return false;
    }
    if (i + len > n) {
      if (bad_offset != nullptr) *bad_offset = i;
      return false;
    }
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) {
        if (bad_offset != nullptr) *bad_offset = i;
        return false;
      }
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    const bool overlong =
        (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      if (bad_offset != nullptr) *bad_offset = i;
      return false;
    }
    i += len;
  }
  return true;
}

bool IsNfc(std::string_view text) {
  if (IsAscii(text)) return true;
  const icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  UErrorCode status = U_ZERO_ERROR;
  const UBool normalized = Nfc()->isNormalized(s, status);
  return U_SUCCESS(status) && normalized;
}

std::string CutToChars(std::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars == max_chars) return std::string(text.substr(0, i));
    ++chars;
  }
  return std::string(text);
}

std::string ToNfc(std::string_view text) {
  return IsAscii(text) ? std::string(text) : Normalize(Nfc(), text);
}

std::string ToNfd(std::string_view text) {
  return IsAscii(text) ? std::string(text) : Normalize(Nfd(), text);
}

absl::StatusOr<XmlDocPtr> ParseVnXml(std::string_view body) {
  if (body.empty()) {
    return absl::InvalidArgumentError("the body is empty, not an XML document");
  }
  if (body.size() > static_cast<size_t>(INT_MAX)) {
    return absl::InvalidArgumentError("the body is too large to parse");
  }
  size_t bad = 0;
  if (!IsUtf8(body, &bad)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the body is not UTF-8 (invalid byte sequence at offset ", bad, ")"));
  }
  if (const size_t nul = body.find('\0'); nul != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the body contains a NUL byte at offset ", nul,
        ", which XML does not allow (UTF-16 and UCS-4 are not accepted)"));
  }
  std::unique_ptr<xmlParserCtxt, ParserCtxtDeleter> ctxt(
      xmlCreateMemoryParserCtxt(body.data(), static_cast<int>(body.size())));
  if (ctxt == nullptr || ctxt->sax == nullptr) {
    return absl::ResourceExhaustedError("libxml2 cannot create a parser");
  }
  // NONET: nothing is ever fetched. No NOENT (entities are not substituted),
  // no DTDLOAD / DTDATTR / DTDVALID (no external subset is read).
  xmlCtxtUseOptions(ctxt.get(),
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  ParseState state;
  ctxt->_private = &state;
  ctxt->sax->internalSubset = OnDoctype;
  ctxt->sax->externalSubset = nullptr;
  ctxt->sax->serror = OnError;
  ctxt->sax->initialized = XML_SAX2_MAGIC;
  xmlParseDocument(ctxt.get());
  XmlDocPtr doc(ctxt->myDoc);
  ctxt->myDoc = nullptr;

  if (state.doctype) {
    return absl::InvalidArgumentError(
        "the document contains a DOCTYPE declaration, which VN-MPS refuses "
        "(VN-MPS.md §3.3)");
  }
  if (!ctxt->wellFormed || !ctxt->nsWellFormed || doc == nullptr) {
    std::string detail = "the body is not well-formed XML";
    if (state.have_error) {
      absl::StrAppend(&detail, " (line ", state.error_line, ": ",
                      state.error_message, ")");
    }
    return absl::InvalidArgumentError(detail);
  }
  if (doc->encoding != nullptr &&
      xmlStrcasecmp(doc->encoding, BAD_CAST "UTF-8") != 0) {
    return absl::InvalidArgumentError(
        "the XML declaration names an encoding other than UTF-8");
  }
  if (xmlDocGetRootElement(doc.get()) == nullptr) {
    return absl::InvalidArgumentError("the document has no root element");
  }
  return doc;
}

const xmlNode* FirstNonNfcElement(const xmlDoc* doc) {
  const xmlNode* root = xmlDocGetRootElement(doc);
  return root == nullptr ? nullptr : FirstNonNfcIn(root);
}

std::string NodePath(const xmlNode* node) {
  if (node == nullptr) return "";
  if (node->type == XML_ATTRIBUTE_NODE) node = node->parent;
  if (node == nullptr) return "";
  return XmlString(xmlGetNodePath(node));
}

std::string DisplayName(const xmlNode* element) {
  if (element == nullptr) return "";
  const std::string name = reinterpret_cast<const char*>(element->name);
  if (element->ns == nullptr || element->ns->href == nullptr) return name;
  const char* href = reinterpret_cast<const char*>(element->ns->href);
  if (std::string_view(href) == kTipNamespace) return "tip:" + name;
  return absl::StrCat("{", href, "}", name);
}

bool IsTipElement(const xmlNode* node, std::string_view local_name) {
  return node != nullptr && node->type == XML_ELEMENT_NODE &&
         node->ns != nullptr && node->ns->href != nullptr &&
         std::string_view(reinterpret_cast<const char*>(node->ns->href)) ==
             kTipNamespace &&
         std::string_view(reinterpret_cast<const char*>(node->name)) ==
             local_name;
}

const xmlNode* TipChild(const xmlNode* parent, std::string_view local_name) {
  if (parent == nullptr) return nullptr;
  for (const xmlNode* child = parent->children; child != nullptr;
       child = child->next) {
    if (IsTipElement(child, local_name)) return child;
  }
  return nullptr;
}

std::vector<const xmlNode*> TipChildren(const xmlNode* parent,
                                        std::string_view local_name) {
  std::vector<const xmlNode*> found;
  if (parent == nullptr) return found;
  for (const xmlNode* child = parent->children; child != nullptr;
       child = child->next) {
    if (IsTipElement(child, local_name)) found.push_back(child);
  }
  return found;
}

std::string TextOf(const xmlNode* element) {
  if (element == nullptr) return "";
  return XmlString(xmlNodeGetContent(element));
}

std::string AttributeOf(const xmlNode* element, const char* name) {
  if (element == nullptr) return "";
  return XmlString(xmlGetNoNsProp(element, BAD_CAST name));
}

}  // namespace gw::vn_mps_mock
