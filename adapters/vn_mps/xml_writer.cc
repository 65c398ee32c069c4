// adapters/vn_mps/xml_writer.cc
//
// See xml_writer.h for the contract.
#include "adapters/vn_mps/xml_writer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/vn_mps/vn_format.h"

namespace gw::vn_mps {
namespace {

void Indent(size_t depth, std::string* out) { out->append(2 * depth, ' '); }

void EndTag(absl::string_view name, std::string* out) {
  absl::StrAppend(out, "</");
  absl::StrAppend(out, kPrefix);
  out->push_back(':');
  absl::StrAppend(out, name);
  absl::StrAppend(out, ">\n");
}

}  // namespace

std::string EscapeXml(absl::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out.append("&amp;");
        break;
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      case '"':
        if (attribute) {
          out.append("&quot;");
        } else {
          out.push_back(c);
        }
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

XmlWriter::XmlWriter(absl::string_view name, absl::string_view field) {
  absl::StrAppend(&out_, kDeclaration);
  absl::StrAppend(&out_, "<");
  absl::StrAppend(&out_, kPrefix);
  out_.push_back(':');
  absl::StrAppend(&out_, name);
  absl::StrAppend(&out_, " xmlns:");
  absl::StrAppend(&out_, kPrefix);
  absl::StrAppend(&out_, "=\"");
  absl::StrAppend(&out_, kNamespace);
  absl::StrAppend(&out_, "\">\n");
  open_.emplace_back(name);
  fields_.emplace_back(field);
}

void XmlWriter::StartTag(absl::string_view name, XmlAttr attr) {
  Indent(open_.size(), &out_);
  out_.push_back('<');
  absl::StrAppend(&out_, kPrefix);
  out_.push_back(':');
  absl::StrAppend(&out_, name);
  if (!attr.name.empty()) {
    out_.push_back(' ');
    absl::StrAppend(&out_, attr.name);
    absl::StrAppend(&out_, "=\"");
    absl::StrAppend(&out_, EscapeXml(attr.value, /*attribute=*/true));
    out_.push_back('"');
  }
  out_.push_back('>');
}

void XmlWriter::Open(absl::string_view name, absl::string_view field,
                     XmlAttr attr) {
  StartTag(name, attr);
  out_.push_back('\n');
  open_.emplace_back(name);
  fields_.emplace_back(field);
}

void XmlWriter::Close() {
  if (open_.size() <= 1) return;  // the root is closed by Finish()
  Indent(open_.size() - 1, &out_);
  EndTag(open_.back(), &out_);
  open_.pop_back();
}

void XmlWriter::Leaf(absl::string_view name, absl::string_view text,
                     absl::string_view field, XmlAttr attr) {
  StartTag(name, attr);
  absl::StrAppend(&out_, EscapeXml(text, /*attribute=*/false));
  EndTag(name, &out_);
  fields_.emplace_back(field);
}

std::string XmlWriter::Finish() && {
  while (open_.size() > 1) Close();
  EndTag(open_.front(), &out_);
  open_.clear();
  return std::move(out_);
}

}  // namespace gw::vn_mps
