// adapters/vn_mps/xml_doc.h
//
// The libxml2 layer of the VN-MPS codec: safe parsing, NFC normalization
// with locations, XSD validation with locations, and the few tree helpers
// the mapping needs. Every libxml2 pointer is owned by an RAII holder.
//
//  * ParseXml: parses a whole document from memory with XML_PARSE_NONET
//    and without NOENT / DTDLOAD / DTDATTR / XINCLUDE / HUGE. A DOCTYPE is
//    refused the moment the parser sees it (SAX internalSubset hook, then
//    xmlStopParser), before any entity of its internal subset is declared,
//    so no entity is ever expanded (VN-MPS.md §3.3: "DTDs and external
//    entities are refused"). The bytes are decoded as UTF-8, never by
//    detection from the first bytes; bytes that are not UTF-8, any NUL
//    byte (UTF-16 or UCS-4 without a byte-order mark is refused so), a
//    declared encoding other than UTF-8, a document that is not
//    well-formed (namespaces included) or larger than 8 MiB are refused
//    too. Errors: INVALID_ARGUMENT with a one-line message that names the
//    problem and a line/column, never document content.
//    The tree returned holds no comment, processing instruction or CDATA
//    node below the root: CDATA sections are read as text, comments and
//    processing instructions are dropped, and adjacent text is one node.
//    So an element's text is one node, and what NFC judges (below) is the
//    value that xmlNodeGetContent and the XSD read.
//  * NormalizeToNfc: the text of every element (first joined as ParseXml
//    does, for a document from elsewhere) and every attribute value to NFC
//    (VN-MPS.md §5.1); the xmlGetNodePath of each element whose text or
//    attributes changed, once each, in document order.
//  * XsdSchema: a parsed XSD (parsed once; read-only afterwards and shared
//    by threads, as libxml2 allows) and Validate, which creates a
//    validation context per call. The first violation libxml2 reports is
//    returned with the element concerned (an attribute's owner element;
//    VN-MPS.md §8) and a one-line text without values: libxml2's own
//    wording, with "{urn:vn:mps:tip:1.0}" written "tip:", for structural
//    errors (unexpected or missing elements and attributes); for a bad
//    value, "Element 'tip:X': <what is wrong>" without the value, because
//    values may be personal data.
//  * libxml2 errors go to per-context structured handlers; a thread-local
//    structured handler is installed for the duration of each call as a
//    backstop, so nothing is ever printed to stderr.
//
// Thread safety: the free functions are safe to call concurrently on
// different documents; an XsdSchema may be used by any number of threads.
#ifndef GW_ADAPTERS_VN_MPS_XML_DOC_H_
#define GW_ADAPTERS_VN_MPS_XML_DOC_H_

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gw::vn_mps {

struct XmlDocFree {
  void operator()(xmlDoc* doc) const;
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

// Calls xmlInitParser once per process (idempotent, thread-safe).
void InitLibxml();

[[nodiscard]] absl::StatusOr<XmlDocPtr> ParseXml(absl::string_view bytes);

[[nodiscard]] absl::StatusOr<std::vector<std::string>> NormalizeToNfc(
    xmlDoc* doc);

// xmlGetNodePath of `node` ("" for null).
std::string NodePath(const xmlNode* node);

// One failure of a document against the XSD.
struct XsdViolation {
  const xmlNode* element = nullptr;  // never null; into the validated doc
  std::string path;                  // NodePath(element)
  std::string text;                  // one line, no values
  int code = 0;                      // libxml2 xmlParserErrors
};

class XsdSchema {
 public:
  // Parses `xsd`. INTERNAL with libxml2's first message if it does not
  // parse (an embedded schema always does).
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<XsdSchema>> FromMemory(
      absl::string_view xsd);
  ~XsdSchema();
  XsdSchema(const XsdSchema&) = delete;
  XsdSchema& operator=(const XsdSchema&) = delete;

  // nullopt when `doc` validates. INTERNAL when libxml2 cannot validate at
  // all.
  [[nodiscard]] absl::StatusOr<std::optional<XsdViolation>> Validate(
      xmlDoc* doc) const;

 private:
  explicit XsdSchema(xmlSchema* schema) : schema_(schema) {}
  xmlSchema* schema_;  // owned
};

// VN-MPS.xsd (schemas/embedded.h), parsed on first use, shared by all.
[[nodiscard]] absl::StatusOr<std::shared_ptr<const XsdSchema>> VnMpsSchema();

// Tree helpers over a document that validated.
// The element children of `parent`, in order.
std::vector<const xmlNode*> ChildElements(const xmlNode* parent);
// Whether `node` is the element tip:`local`.
bool IsTip(const xmlNode* node, absl::string_view local);
// The local name of an element.
absl::string_view LocalName(const xmlNode* node);
// The text content of `node` (all descendant text).
std::string NodeText(const xmlNode* node);
// The value of the unprefixed attribute `name` ("" if absent).
std::string AttrValue(const xmlNode* node, const char* name);
// The 0-based position of element `node` among the elements of its
// document in document order (root 0); -1 if not found.
int ElementIndex(const xmlDoc* doc, const xmlNode* node);

}  // namespace gw::vn_mps

#endif  // GW_ADAPTERS_VN_MPS_XML_DOC_H_
