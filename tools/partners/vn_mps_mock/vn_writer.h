// tools/partners/vn_mps_mock/vn_writer.h
//
// The serialization of VN-MPS.md §3.3, written by the mock itself: the
// declaration line, `xmlns:tip` as the root's first and only namespace
// declaration, every element prefixed `tip`, one element per line indented
// two spaces per level, leaves on one line, LF line ends (also after the
// root end tag), no empty elements, escapes & < > (and " in attributes)
// only, text trimmed, CR LF / CR written as LF, TAB as a space, and all
// text in NFC (or, for the mock's deliberately non-NFC samples, NFD).
//
// VnXmlWriter builds a document element by element; CanonicalForm writes
// a parsed document in the same form, so that "are these bytes the §3.3
// form of their own content?" is CanonicalForm(doc) == bytes.
//
// Thread safety: a VnXmlWriter is used by one thread; the functions are
// pure. REQUIRES: every text handed to the writer is UTF-8.
#ifndef GW_TOOLS_PARTNERS_VN_MPS_MOCK_VN_WRITER_H_
#define GW_TOOLS_PARTNERS_VN_MPS_MOCK_VN_WRITER_H_

#include <libxml/tree.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gw::vn_mps_mock {

// Unprefixed attributes, in the order written.
using XmlAttributes = std::vector<std::pair<std::string, std::string>>;

enum class TextForm { kNfc, kNfd };

class VnXmlWriter {
 public:
  // Starts the document: declaration line and the start tag of `root`
  // (local name, without "tip:").
  explicit VnXmlWriter(std::string_view root, TextForm form = TextForm::kNfc);

  // An element with children; Close() ends it.
  void Open(std::string_view name, const XmlAttributes& attributes = {});
  // A leaf element. Omitted when its text is empty after trimming (§3.3:
  // absent elements are omitted, there are no empty elements).
  void Leaf(std::string_view name, std::string_view text,
            const XmlAttributes& attributes = {});
  void Close();
  // Closes every open element (the root included) and returns the bytes.
  std::string Finish();

 private:
  void Indent();
  void StartTag(std::string_view name, const XmlAttributes& attributes,
                bool root);

  TextForm form_;
  std::string out_;
  std::vector<std::string> open_;
};

// `text` as §3.3 rule 7 writes it, before escaping: line breaks as LF, TAB
// as space, trimmed, in `form`.
std::string WrittenText(std::string_view text, TextForm form = TextForm::kNfc);

// The §3.3 form of `doc`'s content; "" when no §3.3 document has this
// content (an element outside the tip namespace, a prefixed attribute,
// mixed content, an empty element).
std::string CanonicalForm(const xmlDoc* doc);

}  // namespace gw::vn_mps_mock

#endif  // GW_TOOLS_PARTNERS_VN_MPS_MOCK_VN_WRITER_H_
