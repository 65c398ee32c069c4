// adapters/vn_mps/vn_text.cc
//
// See vn_text.h for the contract.
#include "adapters/vn_mps/vn_text.h"

#include <cstdint>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/text/normalize.h"

namespace gw::vn_mps {
namespace {

// gw::text takes std::string_view; our Abseil's string_view is its own type.
std::string_view Std(absl::string_view s) { return {s.data(), s.size()}; }

// Decodes the code point at `text[*i]` of valid UTF-8 and advances `*i`.
uint32_t Next(absl::string_view text, size_t* i) {
  const auto byte = [&](size_t k) {
    return static_cast<uint32_t>(static_cast<unsigned char>(text[k]));
  };
  const uint32_t b0 = byte(*i);
  if (b0 < 0x80) {
    *i += 1;
    return b0;
  }
  if ((b0 & 0xE0) == 0xC0) {
    const uint32_t cp = ((b0 & 0x1F) << 6) | (byte(*i + 1) & 0x3F);
    *i += 2;
    return cp;
  }
  if ((b0 & 0xF0) == 0xE0) {
    const uint32_t cp = ((b0 & 0x0F) << 12) | ((byte(*i + 1) & 0x3F) << 6) |
                        (byte(*i + 2) & 0x3F);
    *i += 3;
    return cp;
  }
  const uint32_t cp = ((b0 & 0x07) << 18) | ((byte(*i + 1) & 0x3F) << 12) |
                      ((byte(*i + 2) & 0x3F) << 6) | (byte(*i + 3) & 0x3F);
  *i += 4;
  return cp;
}

void Append(uint32_t cp, std::string* out) {
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

bool IsControl(uint32_t cp) { return cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F); }
bool IsNonCharacter(uint32_t cp) { return cp == 0xFFFE || cp == 0xFFFF; }

enum class Kind { kShort, kLong };

// The control-character step of ShortText / LongText (before NFC: removing
// a control between a letter and its mark could otherwise leave non-NFC).
std::string MapControls(absl::string_view text, Kind kind) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const uint32_t cp = Next(text, &i);
    if (cp == '\r') {
      if (i < text.size() && text[i] == '\n') ++i;  // CR LF is one break
      out.push_back(kind == Kind::kShort ? ' ' : '\n');
    } else if (cp == '\n') {
      out.push_back(kind == Kind::kShort ? ' ' : '\n');
    } else if (cp == '\t') {
      out.push_back(' ');
    } else if (IsNonCharacter(cp)) {
      continue;
    } else if (IsControl(cp)) {
      // C1 controls are XML characters; only short texts (\p{Cc}) lose
      // them.
      if (kind == Kind::kLong && cp >= 0x7F) Append(cp, &out);
    } else {
      Append(cp, &out);
    }
  }
  return out;
}

absl::string_view Trim(absl::string_view text, absl::string_view blanks) {
  const size_t first = text.find_first_not_of(blanks);
  if (first == absl::string_view::npos) return absl::string_view();
  const size_t last = text.find_last_not_of(blanks);
  return text.substr(first, last - first + 1);
}

absl::Status NotUtf8(absl::string_view field) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": not valid UTF-8"));
}

absl::StatusOr<std::string> Shape(absl::string_view value,
                                  absl::string_view field, Kind kind) {
  if (!text::IsValidUtf8(Std(value))) return NotUtf8(field);
  absl::StatusOr<std::string> nfc = text::ToNfc(MapControls(value, kind));
  if (!nfc.ok()) return NotUtf8(field);
  return std::string(Trim(*nfc, kind == Kind::kShort ? " " : " \n"));
}

}  // namespace

absl::StatusOr<std::string> PlainText(absl::string_view value,
                                      absl::string_view field) {
  if (!text::IsValidUtf8(Std(value))) return NotUtf8(field);
  absl::StatusOr<std::string> nfc = text::ToNfc(Std(value));
  if (!nfc.ok()) return NotUtf8(field);
  return *std::move(nfc);
}

absl::StatusOr<std::string> ShortText(absl::string_view value,
                                      absl::string_view field) {
  return Shape(value, field, Kind::kShort);
}

absl::StatusOr<std::string> LongText(absl::string_view value,
                                     absl::string_view field) {
  return Shape(value, field, Kind::kLong);
}

size_t CodePoints(absl::string_view text) {
  size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string ValidUtf8(absl::string_view bytes) {
  if (text::IsValidUtf8(Std(bytes))) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size() + 16);
  size_t i = 0;
  while (i < bytes.size()) {
    const auto lead = static_cast<unsigned char>(bytes[i]);
    const size_t length = lead < 0x80             ? 1
                          : (lead & 0xE0) == 0xC0 ? 2
                          : (lead & 0xF0) == 0xE0 ? 3
                          : (lead & 0xF8) == 0xF0 ? 4
                                                  : 0;
    // The project's validator judges each sequence (overlongs, surrogates,
    // range), so "valid" means the same here as everywhere else.
    if (length > 0 && i + length <= bytes.size() &&
        text::IsValidUtf8(Std(bytes.substr(i, length)))) {
      out.append(bytes.data() + i, length);
      i += length;
    } else {
      Append(0xFFFD, &out);
      ++i;
    }
  }
  return out;
}

absl::string_view CodePointPrefix(absl::string_view text, size_t max_chars) {
  size_t i = 0;
  size_t count = 0;
  while (i < text.size() && count < max_chars) {
    Next(text, &i);
    ++count;
  }
  return text.substr(0, i);
}

std::string CutShortText(absl::string_view value, size_t max_chars) {
  absl::StatusOr<std::string> shaped = ShortText(ValidUtf8(value), "text");
  std::string text = shaped.ok() ? *std::move(shaped) : std::string();
  if (CodePoints(text) <= max_chars) return text;
  return std::string(Trim(CodePointPrefix(text, max_chars), " "));
}

}  // namespace gw::vn_mps
