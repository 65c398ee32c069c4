// adapters/kh_cnp/kh_text.cc
//
// See kh_text.h.
#include "adapters/kh_cnp/kh_text.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/text/normalize.h"

namespace gw::kh_cnp {
namespace {

constexpr absl::string_view kZeroWidthSpace = "\xE2\x80\x8B";      // U+200B
constexpr absl::string_view kZeroWidthNonJoiner = "\xE2\x80\x8C";  // U+200C

bool IsArrayIndex(absl::string_view token) {
  if (token.empty()) return false;
  for (char c : token) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// `path`: the tokens of the value's pointer.
bool IsNameMemberPath(const std::vector<std::string>& path) {
  const size_t n = path.size();
  if (n < 3) return false;
  const std::string& member = path[n - 1];
  return (member == "family" || member == "given" || member == "full") &&
         IsArrayIndex(path[n - 2]) && path[n - 3] == "names";
}

std::string PointerOf(const std::vector<std::string>& path) {
  std::string out;
  for (const std::string& token : path) {
    out.push_back('/');
    out += PointerToken(token);
  }
  return out;
}

absl::Status Walk(nlohmann::json* value, std::vector<std::string>* path,
                  std::vector<std::string>* changed, std::string* bad_pointer) {
  if (value->is_object()) {
    for (auto& [key, member] : value->items()) {
      path->push_back(key);
      absl::Status status = Walk(&member, path, changed, bad_pointer);
      path->pop_back();
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }
  if (value->is_array()) {
    for (size_t i = 0; i < value->size(); ++i) {
      path->push_back(std::to_string(i));
      absl::Status status = Walk(&(*value)[i], path, changed, bad_pointer);
      path->pop_back();
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }
  if (!value->is_string()) return absl::OkStatus();
  std::string& text = value->get_ref<std::string&>();
  std::string work = text;
  const bool stripped = IsNameMemberPath(*path) && RemoveZeroWidth(&work);
  absl::StatusOr<std::string> nfc = text::ToNfc(work);
  if (!nfc.ok()) {
    *bad_pointer = PointerOf(*path);
    return absl::InvalidArgumentError(
        absl::StrCat(*bad_pointer, ": not valid UTF-8"));
  }
  if (stripped || *nfc != text) {
    text = *std::move(nfc);
    changed->push_back(PointerOf(*path));
  }
  return absl::OkStatus();
}

}  // namespace

std::string PointerToken(absl::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<std::string> PointerTokens(absl::string_view pointer) {
  std::vector<std::string> tokens;
  size_t pos = 0;
  while (pos < pointer.size() && pointer[pos] == '/') {
    const size_t end = pointer.find('/', pos + 1);
    const absl::string_view raw = pointer.substr(
        pos + 1, end == absl::string_view::npos ? absl::string_view::npos
                                                : end - pos - 1);
    std::string token;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size()) {
        token.push_back(raw[i + 1] == '1' ? '/' : '~');
        ++i;
      } else {
        token.push_back(raw[i]);
      }
    }
    tokens.push_back(std::move(token));
    if (end == absl::string_view::npos) break;
    pos = end;
  }
  return tokens;
}

bool RemoveZeroWidth(std::string* text) {
  bool removed = false;
  for (absl::string_view mark : {kZeroWidthSpace, kZeroWidthNonJoiner}) {
    for (size_t pos = text->find(mark.data(), 0, mark.size());
         pos != std::string::npos;
         pos = text->find(mark.data(), pos, mark.size())) {
      text->erase(pos, mark.size());
      removed = true;
    }
  }
  return removed;
}

absl::Status NormalizeStrings(nlohmann::json* document,
                              std::vector<std::string>* changed,
                              std::string* bad_pointer) {
  std::vector<std::string> path;
  return Walk(document, &path, changed, bad_pointer);
}

}  // namespace gw::kh_cnp
