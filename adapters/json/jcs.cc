// adapters/json/jcs.cc
//
// nlohmann::json is the parser; what it does not check itself is checked in
// a SAX handler that builds the value: nlohmann keeps the last of two
// duplicate members and accepts any number, and its lexer silently skips a
// byte-order mark, so the BOM is refused before parsing. The SAX interface
// reports no byte positions except for syntax errors, so the input is read
// through an iterator that records how far the lexer has read.
// Nothing here throws: the handler returns false to stop the parser, and the
// only exception nlohmann could still raise (allocation) is caught.
//
// Canonical is a small writer rather than dump(): dump() orders members by
// UTF-8 bytes (std::map), which differs from RFC 8785's UTF-16 order for
// supplementary characters against U+E000..U+FFFF, and it would throw on a
// string that is not UTF-8.
#include "adapters/json/jcs.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <exception>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "adapters/json/json_internal.h"

namespace gw::json {
namespace {

constexpr char kStrictJsonErrorUrl[] = "gw.adapters.json/strict_json_error";

// ---------------------------------------------------------------------------
// Parsing

// A forward iterator over the text that remembers the furthest byte the
// lexer has dereferenced, which gives error offsets for checks made in the
// SAX handler.
class CountingIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator() = default;
  CountingIterator(const char* p, const char** furthest)
      : p_(p), furthest_(furthest) {}

  reference operator*() const {
    if (furthest_ != nullptr && p_ + 1 > *furthest_) *furthest_ = p_ + 1;
    return *p_;
  }
  CountingIterator& operator++() {
    ++p_;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator old = *this;
    ++p_;
    return old;
  }
  bool operator==(const CountingIterator& other) const {
    return p_ == other.p_;
  }
  bool operator!=(const CountingIterator& other) const {
    return p_ != other.p_;
  }

 private:
  const char* p_ = nullptr;
  const char** furthest_ = nullptr;
};

std::string EscapePointerToken(absl::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

struct ParseOptions {
  int max_depth = kMaxStrictJsonDepth;
  bool integers_only = true;  // 0 .. 2^53-1
};

// Builds a J (nlohmann::json or ordered_json) like nlohmann's own
// json_sax_dom_parser, with the checks nlohmann does not make.
template <typename J>
class StrictDomBuilder {
 public:
  using number_integer_t = typename J::number_integer_t;
  using number_unsigned_t = typename J::number_unsigned_t;
  using number_float_t = typename J::number_float_t;
  using string_t = typename J::string_t;
  using binary_t = typename J::binary_t;

  StrictDomBuilder(const ParseOptions& options, const char* begin,
                   const char** furthest)
      : options_(options), begin_(begin), furthest_(furthest) {}

  bool null() { return AddScalar(J(nullptr)); }
  bool boolean(bool value) { return AddScalar(J(value)); }
  bool number_integer(number_integer_t value) {
    // nlohmann reports only numbers written with a minus sign here ("-0"
    // included); non-negative ones come as number_unsigned.
    if (options_.integers_only) {
      return FailNumber("is negative");
    }
    return AddScalar(J(value));
  }
  bool number_unsigned(number_unsigned_t value) {
    if (options_.integers_only && value > kMaxStrictJsonInteger) {
      return FailNumber("is larger than 2^53-1");
    }
    return AddScalar(J(value));
  }
  bool number_float(number_float_t value, const string_t& /*text*/) {
    if (options_.integers_only) {
      // Also an integer too large for 64 bits, which nlohmann reads as a
      // float.
      return FailNumber("is not an integer from 0 to 2^53-1");
    }
    return AddScalar(J(value));
  }
  bool string(string_t& value) { return AddScalar(J(std::move(value))); }
  bool binary(binary_t& /*value*/) {
    // JSON text has no binary values; only the binary formats produce them.
    return Fail(StrictJsonError::Kind::kSyntax, "unexpected binary value", "");
  }

  bool start_object(std::size_t /*elements*/) {
    return Open(J(J::value_t::object));
  }
  bool key(string_t& name) {
    Frame& frame = frames_.back();
    auto& object = frame.container->template get_ref<typename J::object_t&>();
    if (object.find(name) != object.end()) {
      frame.key = std::move(name);
      std::string pointer = PointerOfNextValue();
      std::string what =
          absl::StrCat("duplicate member name at \"", pointer, "\"");
      return Fail(StrictJsonError::Kind::kDuplicateMember, std::move(what),
                  std::move(pointer));
    }
    frame.key = std::move(name);
    return true;
  }
  bool end_object() {
    frames_.pop_back();
    return true;
  }
  bool start_array(std::size_t /*elements*/) {
    return Open(J(J::value_t::array));
  }
  bool end_array() {
    frames_.pop_back();
    return true;
  }

  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& /*error*/) {
    // nlohmann's message quotes the input ("last read: ..."), so it is not
    // used: a message must never carry message content.
    error_ = StrictJsonError{StrictJsonError::Kind::kSyntax, position, ""};
    message_ = absl::StrCat("not valid UTF-8 JSON (stopped at byte offset ",
                            position, ")");
    return false;
  }

  J TakeRoot() { return std::move(root_); }
  const std::optional<StrictJsonError>& error() const { return error_; }
  const std::string& message() const { return message_; }

 private:
  struct Frame {
    J* container;     // not owned: inside root_
    std::string key;  // objects: the member being read
  };

  std::size_t Offset() const {
    return static_cast<std::size_t>(*furthest_ - begin_);
  }

  // The pointer of the value about to be added to the innermost open
  // container ("" for a root value). In an outer array the open child is
  // its last element; in the innermost one the next value is appended.
  std::string PointerOfNextValue() const {
    std::string pointer;
    for (std::size_t i = 0; i < frames_.size(); ++i) {
      const Frame& frame = frames_[i];
      if (frame.container->is_array()) {
        const std::size_t size = frame.container->size();
        absl::StrAppend(&pointer, "/",
                        i + 1 < frames_.size() ? size - 1 : size);
      } else {
        absl::StrAppend(&pointer, "/", EscapePointerToken(frame.key));
      }
    }
    return pointer;
  }

  bool Fail(StrictJsonError::Kind kind, std::string what, std::string pointer) {
    const std::size_t offset = Offset();
    error_ = StrictJsonError{kind, offset, std::move(pointer)};
    message_ = absl::StrCat(what, " (byte offset ", offset, ")");
    return false;
  }
  bool FailNumber(absl::string_view what) {
    std::string pointer = PointerOfNextValue();
    std::string message = absl::StrCat("number at \"", pointer, "\" ", what);
    return Fail(StrictJsonError::Kind::kNumber, std::move(message),
                std::move(pointer));
  }

  // Places `value` where the next value goes and returns its address.
  J* Place(J&& value) {
    if (frames_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Frame& frame = frames_.back();
    if (frame.container->is_array()) {
      auto& array = frame.container->template get_ref<typename J::array_t&>();
      array.push_back(std::move(value));
      return &array.back();
    }
    auto& object = frame.container->template get_ref<typename J::object_t&>();
    auto inserted = object.emplace(frame.key, std::move(value));
    return &inserted.first->second;
  }
  bool AddScalar(J&& value) {
    Place(std::move(value));
    return true;
  }
  bool Open(J&& container) {
    if (static_cast<int>(frames_.size()) >= options_.max_depth) {
      std::string pointer = PointerOfNextValue();
      std::string what = absl::StrCat(
          "nesting deeper than ", options_.max_depth, " at \"", pointer, "\"");
      return Fail(StrictJsonError::Kind::kTooDeep, std::move(what),
                  std::move(pointer));
    }
    // Pointers into the parent stay valid: a container receives no other
    // element while its last one is still open.
    J* placed = Place(std::move(container));
    frames_.push_back(Frame{placed, ""});
    return true;
  }

  const ParseOptions options_;
  const char* const begin_;
  const char** const furthest_;  // not owned
  J root_;
  std::vector<Frame> frames_;
  std::optional<StrictJsonError> error_;
  std::string message_;
};

absl::Status ErrorStatus(const StrictJsonError& error,
                         absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kStrictJsonErrorUrl,
                    absl::Cord(absl::StrCat(static_cast<int>(error.kind), "|",
                                            error.offset, "|", error.pointer)));
  return status;
}

template <typename J>
absl::StatusOr<J> ParseWith(absl::string_view text,
                            const ParseOptions& options) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") {
    return ErrorStatus(
        StrictJsonError{StrictJsonError::Kind::kByteOrderMark, 0, ""},
        "starts with a byte-order mark (byte offset 0)");
  }
  // nlohmann's lexer takes a NUL byte for the end of the input, so "{}\0x"
  // would pass with its tail unread. No JSON text contains a raw NUL (in a
  // string it must be escaped), so one anywhere is refused here.
  if (const std::size_t nul = text.find('\0'); nul != absl::string_view::npos) {
    return ErrorStatus(StrictJsonError{StrictJsonError::Kind::kSyntax, nul, ""},
                       absl::StrCat("not valid UTF-8 JSON (NUL byte at byte "
                                    "offset ",
                                    nul, ")"));
  }
  const char* begin = text.data();
  const char* furthest = begin;
  StrictDomBuilder<J> builder(options, begin, &furthest);
  bool parsed = false;
  try {
    parsed = J::sax_parse(CountingIterator(begin, &furthest),
                          CountingIterator(begin + text.size(), &furthest),
                          &builder, nlohmann::json::input_format_t::json,
                          /*strict=*/true, /*ignore_comments=*/false);
  } catch (const std::exception&) {
    // Only allocation can fail here; nothing of the input is in the text.
    return absl::ResourceExhaustedError("out of memory while parsing JSON");
  }
  if (!parsed || builder.error().has_value()) {
    if (!builder.error().has_value()) {
      return absl::InvalidArgumentError("not valid JSON");
    }
    return ErrorStatus(*builder.error(), builder.message());
  }
  return builder.TakeRoot();
}

// ---------------------------------------------------------------------------
// UTF-8 helpers for the writer

// Decodes one code point at s[*i] and advances *i; returns -1 and advances
// by one byte for an ill-formed sequence (overlong, surrogate, > U+10FFFF,
// truncated).
int32_t DecodeUtf8(absl::string_view s, std::size_t* i) {
  const auto byte = [&](std::size_t k) {
    return static_cast<unsigned char>(s[k]);
  };
  const unsigned char b0 = byte(*i);
  if (b0 < 0x80) {
    ++*i;
    return b0;
  }
  int length = 0;
  int32_t cp = 0;
  int32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
    cp = b0 & 0x1F;
    min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    cp = b0 & 0x0F;
    min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    cp = b0 & 0x07;
    min = 0x10000;
  } else {
    ++*i;
    return -1;
  }
  if (*i + length > s.size()) {
    ++*i;
    return -1;
  }
  for (int k = 1; k < length; ++k) {
    const unsigned char b = byte(*i + k);
    if ((b & 0xC0) != 0x80) {
      ++*i;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*i;
    return -1;
  }
  *i += length;
  return cp;
}

constexpr int32_t kReplacement = 0xFFFD;

// The first UTF-16 code unit of `cp`.
int32_t FirstUtf16Unit(int32_t cp) {
  return cp < 0x10000 ? cp : 0xD800 + ((cp - 0x10000) >> 10);
}

// RFC 8785 §3.2.3: compare member names as arrays of UTF-16 code units.
// UTF-8 byte order equals code point order, which differs from UTF-16 order
// only where a supplementary character (surrogates D800..DFFF) meets one of
// U+E000..U+FFFF.
bool Utf16Less(absl::string_view a, absl::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    int32_t ca = DecodeUtf8(a, &i);
    int32_t cb = DecodeUtf8(b, &j);
    if (ca < 0) ca = kReplacement;
    if (cb < 0) cb = kReplacement;
    if (ca == cb) continue;
    const int32_t ua = FirstUtf16Unit(ca);
    const int32_t ub = FirstUtf16Unit(cb);
    if (ua != ub) return ua < ub;
    // Same lead surrogate: the trail units are in code point order.
    return ca < cb;
  }
  return i >= a.size() && j < b.size();
}

void AppendUtf8(int32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// RFC 8785 §3.2.2.2.
void WriteString(absl::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t start = i;
      const int32_t cp = DecodeUtf8(s, &i);
      if (cp < 0) {
        AppendUtf8(kReplacement, out);
      } else {
        out->append(s.data() + start, i - start);
      }
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

// RFC 8785 §3.2.2.3: the ECMAScript Number.prototype.toString form of an
// IEEE 754 double, from the shortest digits that round-trip.
void WriteDouble(double value, std::string* out) {
  if (!std::isfinite(value)) {
    out->append("null");
    return;
  }
  if (value == 0) {  // also -0
    out->push_back('0');
    return;
  }
  if (value < 0) {
    out->push_back('-');
    value = -value;
  }
  char buffer[64];
  const std::to_chars_result result = std::to_chars(
      buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  if (result.ec != std::errc()) {
    out->append("null");  // cannot happen: 64 bytes hold any double
    return;
  }
  // "d[.ddd]e[+-]xx": digits and the exponent n with value = 0.digits*10^n.
  const absl::string_view text(buffer, result.ptr - buffer);
  const std::size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = 0;
  absl::string_view exponent_text = text.substr(e + 1);
  if (!exponent_text.empty() && exponent_text.front() == '+') {
    exponent_text.remove_prefix(1);
  }
  if (!absl::SimpleAtoi(exponent_text, &exponent)) {
    out->append("null");  // cannot happen: to_chars wrote it
    return;
  }
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;
  if (k <= n && n <= 21) {
    out->append(digits);
    out->append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out->append(digits, 0, static_cast<std::size_t>(n));
    out->push_back('.');
    out->append(digits, static_cast<std::size_t>(n), std::string::npos);
  } else if (-6 < n && n <= 0) {
    out->append("0.");
    out->append(static_cast<std::size_t>(-n), '0');
    out->append(digits);
  } else {
    out->push_back(digits[0]);
    if (k > 1) {
      out->push_back('.');
      out->append(digits, 1, std::string::npos);
    }
    out->push_back('e');
    out->push_back(n - 1 >= 0 ? '+' : '-');
    absl::StrAppend(out, std::abs(n - 1));
  }
}

constexpr std::uint64_t kExactDoubleLimit = std::uint64_t{1} << 53;

void WriteValue(const nlohmann::json& value, std::string* out) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      std::vector<const nlohmann::json::object_t::value_type*> members;
      const auto& object = value.get_ref<const nlohmann::json::object_t&>();
      members.reserve(object.size());
      for (const auto& member : object) members.push_back(&member);
      std::sort(members.begin(), members.end(),
                [](const auto* a, const auto* b) {
                  return Utf16Less(a->first, b->first);
                });
      out->push_back('{');
      bool first = true;
      for (const auto* member : members) {
        if (!first) out->push_back(',');
        first = false;
        WriteString(member->first, out);
        out->push_back(':');
        WriteValue(member->second, out);
      }
      out->push_back('}');
      return;
    }
    case nlohmann::json::value_t::array: {
      out->push_back('[');
      bool first = true;
      for (const nlohmann::json& item : value) {
        if (!first) out->push_back(',');
        first = false;
        WriteValue(item, out);
      }
      out->push_back(']');
      return;
    }
    case nlohmann::json::value_t::string:
      WriteString(value.get_ref<const std::string&>(), out);
      return;
    case nlohmann::json::value_t::boolean:
      out->append(value.get<bool>() ? "true" : "false");
      return;
    case nlohmann::json::value_t::number_unsigned: {
      const std::uint64_t n = value.get<std::uint64_t>();
      if (n <= kExactDoubleLimit) {
        absl::StrAppend(out, n);
      } else {
        WriteDouble(static_cast<double>(n), out);
      }
      return;
    }
    case nlohmann::json::value_t::number_integer: {
      const std::int64_t n = value.get<std::int64_t>();
      const std::uint64_t magnitude =
          n < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(n)
                : static_cast<std::uint64_t>(n);
      if (magnitude <= kExactDoubleLimit) {
        absl::StrAppend(out, n);
      } else {
        WriteDouble(static_cast<double>(n), out);
      }
      return;
    }
    case nlohmann::json::value_t::number_float:
      WriteDouble(value.get<double>(), out);
      return;
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::binary:
    case nlohmann::json::value_t::discarded:
      out->append("null");
      return;
  }
  out->append("null");
}

}  // namespace

absl::StatusOr<nlohmann::json> ParseStrictJson(std::string_view text) {
  return ParseWith<nlohmann::json>(absl::string_view(text.data(), text.size()),
                                   ParseOptions{});
}

std::string Canonical(const nlohmann::json& value) {
  std::string out;
  WriteValue(value, &out);
  return out;
}

std::optional<StrictJsonError> StrictJsonErrorOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kStrictJsonErrorUrl);
  if (!payload.has_value()) return std::nullopt;
  const std::string text(*payload);
  std::vector<absl::string_view> parts =
      absl::StrSplit(text, absl::MaxSplits('|', 2));
  int kind = 0;
  std::size_t offset = 0;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &kind) ||
      !absl::SimpleAtoi(parts[1], &offset) ||
      kind < static_cast<int>(StrictJsonError::Kind::kSyntax) ||
      kind > static_cast<int>(StrictJsonError::Kind::kNumber)) {
    return std::nullopt;
  }
  return StrictJsonError{static_cast<StrictJsonError::Kind>(kind), offset,
                         std::string(parts[2])};
}

namespace internal {

absl::StatusOr<nlohmann::ordered_json> ParseSchemaDocument(
    std::string_view text) {
  ParseOptions options;
  options.max_depth = kMaxSchemaDepth;
  options.integers_only = false;
  return ParseWith<nlohmann::ordered_json>(
      absl::string_view(text.data(), text.size()), options);
}

}  // namespace internal
}  // namespace gw::json
