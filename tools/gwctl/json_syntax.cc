#include "tools/gwctl/json_syntax.h"

#include <nlohmann/json.hpp>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace gw::gwctl {
namespace {

using Json = nlohmann::json;

// Accepts every event; remembers the first syntax error and stops there
// (returning false ends the parse without throwing).
class ErrorPositionSax final : public nlohmann::json_sax<Json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return Enter(); }
  bool key(string_t&) override { return true; }
  bool end_object() override { return Leave(); }
  bool start_array(std::size_t) override { return Enter(); }
  bool end_array() override { return Leave(); }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& error) override {
    failed_ = true;
    position_ = position;
    message_ = error.what();
    return false;
  }

  bool failed() const { return failed_; }
  std::size_t position() const { return position_; }
  const std::string& message() const { return message_; }

 private:
  bool Enter() {
    if (++depth_ <= kMaxJsonDepth) return true;
    failed_ = true;
    message_ = absl::StrCat("nested deeper than ", kMaxJsonDepth, " levels");
    too_deep_ = true;
    return false;
  }
  bool Leave() {
    --depth_;
    return true;
  }

  int depth_ = 0;
  bool failed_ = false;
  bool too_deep_ = false;
  std::size_t position_ = 0;
  std::string message_;
};

// 1-based line and column (in UTF-8 code points) of byte `offset`.
std::string LineColumn(absl::string_view text, std::size_t offset) {
  if (offset > text.size()) offset = text.size();
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column;
    }
  }
  return absl::StrCat(line, ":", column);
}

// nlohmann's text reads "[json.exception.parse_error.101] parse error at line
// 1, column 4: syntax error while parsing value - ..."; keep the reason.
std::string Reason(const std::string& what) {
  absl::string_view text = what;
  if (auto colon = text.find(": "); colon != absl::string_view::npos)
    text.remove_prefix(colon + 2);
  return std::string(text);
}

}  // namespace

absl::Status CheckJsonSyntax(absl::string_view text) {
  ErrorPositionSax sax;
  const std::string owned(text);
  Json::sax_parse(owned, &sax, nlohmann::detail::input_format_t::json,
                  /*strict=*/true);
  if (!sax.failed()) return absl::OkStatus();
  // The position is just past the byte that broke the syntax; name that byte.
  const std::size_t offset = sax.position() > 0 ? sax.position() - 1 : 0;
  return absl::InvalidArgumentError(
      absl::StrCat(LineColumn(text, offset), ": ", Reason(sax.message())));
}

}  // namespace gw::gwctl
