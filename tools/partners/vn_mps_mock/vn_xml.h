// tools/partners/vn_mps_mock/vn_xml.h
//
// Reading VN-MPS documents as VN-MPS does (VN-MPS.md §3.3, §5.1, §6 step 11
// items 1-2, §8), with libxml2 and ICU and nothing from adapters/:
//
//  * ParseVnXml: the body must be UTF-8 (checked byte by byte before
//    libxml2 sees it; a declared encoding other than UTF-8 is refused too),
//    well-formed and namespace-well-formed, without a DOCTYPE. The parser
//    runs with XML_PARSE_NONET and without NOENT / DTDLOAD / DTDATTR, and a
//    SAX hook stops it at the DOCTYPE itself, before any internal subset or
//    external identifier is read: entity expansion ("billion laughs") and
//    external entities never start.
//  * FirstNonNfcElement: the first element in document order whose own
//    text (text and CDATA children) or attribute values (namespace
//    declarations included) are not in Unicode NFC (UAX #15, ICU).
//  * NodePath: the location of a node as libxml2's xmlGetNodePath writes it
//    (§8); an attribute is located by the element that holds it.
//
// Failure details name line numbers and element names only, never a value.
// Thread safety: pure functions; each call has its own parser context.
// libxml2 must be initialised (xmlInitParser) before threads use it:
// VnMpsFormat does so in its constructor.
#ifndef GW_TOOLS_PARTNERS_VN_MPS_MOCK_VN_XML_H_
#define GW_TOOLS_PARTNERS_VN_MPS_MOCK_VN_XML_H_

#include <libxml/tree.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gw::vn_mps_mock {

inline constexpr char kTipNamespace[] = "urn:vn:mps:tip:1.0";

// Debian's Abseil keeps absl::string_view apart from std::string_view.
inline absl::string_view AsAbsl(std::string_view view) {
  return absl::string_view(view.data(), view.size());
}

struct XmlDocDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocDeleter>;

// The document, or INVALID_ARGUMENT whose message is the MALFORMED_XML
// detail (one English line, no content of the body).
[[nodiscard]] absl::StatusOr<XmlDocPtr> ParseVnXml(std::string_view body);

// Whether `text` is well-formed UTF-8 (no overlong forms, no surrogates, at
// most U+10FFFF). On failure *bad_offset is the offset of the first bad byte.
bool IsUtf8(std::string_view text, size_t* bad_offset = nullptr);

// Whether the UTF-8 `text` is in NFC. REQUIRES: IsUtf8(text).
bool IsNfc(std::string_view text);

// The first `max_chars` code points of the UTF-8 `text`.
std::string CutToChars(std::string_view text, size_t max_chars);

// NFC / NFD of the UTF-8 `text`. REQUIRES: IsUtf8(text).
std::string ToNfc(std::string_view text);
std::string ToNfd(std::string_view text);

// The first element of `doc` in document order that holds non-NFC text or
// attribute values; nullptr when the whole document is NFC.
const xmlNode* FirstNonNfcElement(const xmlDoc* doc);

// xmlGetNodePath of `node` (of its element for an attribute); "" for null.
std::string NodePath(const xmlNode* node);

// "tip:Name" for an element in the VN-MPS namespace, "{ns}Name" for one in
// another namespace, "Name" for one in none: how details name elements.
std::string DisplayName(const xmlNode* element);

// Navigation in a parsed VN-MPS document (elements of the tip namespace,
// whatever prefix the document uses).
bool IsTipElement(const xmlNode* node, std::string_view local_name);
const xmlNode* TipChild(const xmlNode* parent, std::string_view local_name);
std::vector<const xmlNode*> TipChildren(const xmlNode* parent,
                                        std::string_view local_name);
// The text content of an element ("" for null).
std::string TextOf(const xmlNode* element);
// The value of the unprefixed attribute `name` ("" if absent).
std::string AttributeOf(const xmlNode* element, const char* name);

}  // namespace gw::vn_mps_mock

#endif  // GW_TOOLS_PARTNERS_VN_MPS_MOCK_VN_XML_H_
