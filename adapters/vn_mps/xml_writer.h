// adapters/vn_mps/xml_writer.h
//
// XmlWriter: the exact serialization of VN-MPS.md §3.3, so that our bytes
// are those any conforming VN-MPS implementation writes for the same
// content (and the examples are reproduced byte for byte):
//  * the declaration line, then the root element carrying the only
//    namespace declaration xmlns:tip="urn:vn:mps:tip:1.0" as its first
//    attribute; every element prefixed tip:, attributes unprefixed;
//  * one element per line, two spaces of indent per level, LF line ends
//    (also after the root end tag); an element with children has its start
//    and end tags on lines of their own, a leaf is <tip:N>text</tip:N>;
//  * escapes: & < > in text, and " too in attribute values; nothing else.
// The writer escapes; it does not judge content. Callers hand it text that
// the §3.3 item 7 / §5.3 rules have already shaped (vn_text.h) and leave
// out absent optional elements; an empty text is written as given, and
// the XSD then refuses it.
//
// Every element is written with the canonical field it comes from, so that
// a failure of the finished document against the XSD, reported at the
// n-th element in document order, can be named in the canonical message's
// terms (fields()).
//
// Thread safety: none (one writer per document).
#ifndef GW_ADAPTERS_VN_MPS_XML_WRITER_H_
#define GW_ADAPTERS_VN_MPS_XML_WRITER_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace gw::vn_mps {

// One unprefixed attribute (script or lang); empty name: none.
struct XmlAttr {
  absl::string_view name;
  absl::string_view value;
};

class XmlWriter {
 public:
  // Writes the declaration and the start tag of the root `name` (local
  // name, e.g. "CaseAlertMessage").
  XmlWriter(absl::string_view name, absl::string_view field);

  XmlWriter(const XmlWriter&) = delete;
  XmlWriter& operator=(const XmlWriter&) = delete;

  // Start tag of an element with children.
  void Open(absl::string_view name, absl::string_view field, XmlAttr attr = {});
  // End tag of the innermost open element (never the root: Finish()).
  void Close();
  // A leaf element with its text.
  void Leaf(absl::string_view name, absl::string_view text,
            absl::string_view field, XmlAttr attr = {});

  // Closes every open element and the root; the document.
  std::string Finish() &&;

  // The canonical field of each element, in document order (root first).
  const std::vector<std::string>& fields() const { return fields_; }

 private:
  void StartTag(absl::string_view name, XmlAttr attr);

  std::string out_;
  std::vector<std::string> open_;  // local names, root first
  std::vector<std::string> fields_;
};

// `text` with & < > escaped (and " when `attribute`).
std::string EscapeXml(absl::string_view text, bool attribute);

}  // namespace gw::vn_mps

#endif  // GW_ADAPTERS_VN_MPS_XML_WRITER_H_
