// tools/partners/vn_mps_mock/vn_writer.cc
#include "tools/partners/vn_mps_mock/vn_writer.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "tools/partners/vn_mps_mock/vn_xml.h"

namespace gw::vn_mps_mock {
namespace {

constexpr char kDeclaration[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

bool IsXmlSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void AppendEscaped(std::string_view text, bool attribute, std::string* out) {
  for (char c : text) {
    switch (c) {
      case '&':
        out->append("&amp;");
        break;
      case '<':
        out->append("&lt;");
        break;
      case '>':
        out->append("&gt;");
        break;
      case '"':
        out->append(attribute ? "&quot;" : "\"");
        break;
      default:
        out->push_back(c);
    }
  }
}

// Attribute values: one line (a literal line break would be read back as
// a space, and §3.3 writes no character references), trimmed.
std::string AttributeText(std::string_view value, TextForm form) {
  std::string text = WrittenText(value, form);
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  return text;
}

// The text of a leaf element (its text and CDATA children), or nullopt
// when it also has element children.
std::optional<std::string> LeafText(const xmlNode* element) {
  std::string text;
  for (const xmlNode* child = element->children; child != nullptr;
       child = child->next) {
    if (child->type == XML_ELEMENT_NODE) return std::nullopt;
    if ((child->type == XML_TEXT_NODE ||
         child->type == XML_CDATA_SECTION_NODE) &&
        child->content != nullptr) {
      text += reinterpret_cast<const char*>(child->content);
    }
  }
  return text;
}

bool HasElementChildren(const xmlNode* element) {
  for (const xmlNode* child = element->children; child != nullptr;
       child = child->next) {
    if (child->type == XML_ELEMENT_NODE) return true;
  }
  return false;
}

bool OnlySpaceText(const xmlNode* element) {
  for (const xmlNode* child = element->children; child != nullptr;
       child = child->next) {
    if (child->type != XML_TEXT_NODE && child->type != XML_CDATA_SECTION_NODE) {
      continue;
    }
    for (const xmlChar* c = child->content; c != nullptr && *c != 0; ++c) {
      if (!IsXmlSpace(static_cast<char>(*c))) return false;
    }
  }
  return true;
}

// Writes `element` and its subtree; false when it has no §3.3 form.
bool WriteElement(const xmlNode* element, bool root, VnXmlWriter* writer) {
  if (element->ns == nullptr || element->ns->href == nullptr ||
      std::string_view(reinterpret_cast<const char*>(element->ns->href)) !=
          kTipNamespace) {
    return false;
  }
  if (!root && element->nsDef != nullptr) return false;
  XmlAttributes attributes;
  for (const xmlAttr* attr = element->properties; attr != nullptr;
       attr = attr->next) {
    if (attr->ns != nullptr) return false;
    std::string value;
    for (const xmlNode* part = attr->children; part != nullptr;
         part = part->next) {
      if (part->content != nullptr) {
        value += reinterpret_cast<const char*>(part->content);
      }
    }
    attributes.emplace_back(reinterpret_cast<const char*>(attr->name), value);
  }
  const std::string name = reinterpret_cast<const char*>(element->name);
  if (HasElementChildren(element)) {
    if (!OnlySpaceText(element)) return false;  // mixed content
    if (!root) writer->Open(name, attributes);
    for (const xmlNode* child = element->children; child != nullptr;
         child = child->next) {
      if (child->type == XML_ELEMENT_NODE &&
          !WriteElement(child, false, writer)) {
        return false;
      }
    }
    if (!root) writer->Close();
    return true;
  }
  const std::optional<std::string> text = LeafText(element);
  if (!text.has_value() || WrittenText(*text).empty()) return false;
  writer->Leaf(name, *text, attributes);
  return true;
}

}  // namespace

std::string WrittenText(std::string_view text, TextForm form) {
  std::string lines;
  lines.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') {
      lines.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\t') {
      lines.push_back(' ');
    } else {
      lines.push_back(c);
    }
  }
  size_t begin = 0;
  size_t end = lines.size();
  while (begin < end && IsXmlSpace(lines[begin])) ++begin;
  while (end > begin && IsXmlSpace(lines[end - 1])) --end;
  const std::string_view trimmed(lines.data() + begin, end - begin);
  return form == TextForm::kNfc ? ToNfc(trimmed) : ToNfd(trimmed);
}

VnXmlWriter::VnXmlWriter(std::string_view root, TextForm form) : form_(form) {
  out_ = kDeclaration;
  StartTag(root, {}, /*root=*/true);
}

void VnXmlWriter::Indent() { out_.append(2 * open_.size(), ' '); }

void VnXmlWriter::StartTag(std::string_view name,
                           const XmlAttributes& attributes, bool root) {
  Indent();
  absl::StrAppend(&out_, "<tip:", AsAbsl(name));
  if (root) absl::StrAppend(&out_, " xmlns:tip=\"", kTipNamespace, "\"");
  for (const auto& [attribute, value] : attributes) {
    absl::StrAppend(&out_, " ", attribute, "=\"");
    AppendEscaped(AttributeText(value, form_), /*attribute=*/true, &out_);
    out_.push_back('"');
  }
  out_.append(">\n");
  open_.emplace_back(name);
}

void VnXmlWriter::Open(std::string_view name, const XmlAttributes& attributes) {
  StartTag(name, attributes, /*root=*/false);
}

void VnXmlWriter::Leaf(std::string_view name, std::string_view text,
                       const XmlAttributes& attributes) {
  const std::string written = WrittenText(text, form_);
  if (written.empty()) return;
  Indent();
  absl::StrAppend(&out_, "<tip:", AsAbsl(name));
  for (const auto& [attribute, value] : attributes) {
    absl::StrAppend(&out_, " ", attribute, "=\"");
    AppendEscaped(AttributeText(value, form_), /*attribute=*/true, &out_);
    out_.push_back('"');
  }
  out_.push_back('>');
  AppendEscaped(written, /*attribute=*/false, &out_);
  absl::StrAppend(&out_, "</tip:", AsAbsl(name), ">\n");
}

void VnXmlWriter::Close() {
  if (open_.empty()) return;
  const std::string name = open_.back();
  open_.pop_back();
  Indent();
  absl::StrAppend(&out_, "</tip:", AsAbsl(name), ">\n");
}

std::string VnXmlWriter::Finish() {
  while (!open_.empty()) Close();
  return std::move(out_);
}

std::string CanonicalForm(const xmlDoc* doc) {
  const xmlNode* root = xmlDocGetRootElement(const_cast<xmlDoc*>(doc));
  if (root == nullptr || !HasElementChildren(root)) return "";
  // The root's only namespace declaration is xmlns:tip.
  if (root->nsDef == nullptr || root->nsDef->next != nullptr ||
      root->nsDef->prefix == nullptr ||
      std::string_view(reinterpret_cast<const char*>(root->nsDef->prefix)) !=
          "tip" ||
      root->ns != root->nsDef) {
    return "";
  }
  // No root element of VN-MPS.xsd has attributes.
  if (root->properties != nullptr) return "";
  VnXmlWriter writer(reinterpret_cast<const char*>(root->name));
  if (!WriteElement(root, /*root=*/true, &writer)) return "";
  return writer.Finish();
}

}  // namespace gw::vn_mps_mock
