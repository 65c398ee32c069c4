// gateway/audit/note_format.cc
#include "gateway/audit/note_format.h"

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace gw::audit {
namespace {

// Decodes the UTF-8 sequence at text[*pos], advancing *pos. Returns false on
// an invalid, overlong or surrogate sequence.
bool NextCodePoint(absl::string_view text, size_t* pos, uint32_t* cp) {
  const auto byte = [&](size_t i) {
    return static_cast<uint8_t>(text[*pos + i]);
  };
  const uint8_t lead = byte(0);
  size_t length;
  uint32_t min;
  if (lead < 0x80) {
    *cp = lead;
    *pos += 1;
    return true;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, min = 0x80, *cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, min = 0x800, *cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, min = 0x10000, *cp = lead & 0x07;
  } else {
    return false;
  }
  if (text.size() - *pos < length) return false;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return false;
    *cp = (*cp << 6) | (byte(i) & 0x3F);
  }
  if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) {
    return false;
  }
  *pos += length;
  return true;
}

// Unicode White_Space code points (what Go's unicode.IsSpace accepts).
bool IsUnicodeSpace(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

}  // namespace

absl::Status CheckNoteCharacters(absl::string_view field,
                                 absl::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    const size_t at = pos;
    uint32_t cp;
    if (!NextCodePoint(text, &pos, &cp)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": not valid UTF-8 at byte ", at));
    }
    if (cp < 0x20 && cp != '\n') {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": control character at byte ", at));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckKeyName(absl::string_view field, absl::string_view name) {
  if (name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": empty"));
  }
  for (size_t pos = 0; pos < name.size();) {
    const size_t at = pos;
    uint32_t cp;
    if (!NextCodePoint(name, &pos, &cp)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": not valid UTF-8 at byte ", at));
    }
    if (cp < 0x20 || IsUnicodeSpace(cp) || cp == '+') {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": space, '+' or control character at byte ", at));
    }
  }
  return absl::OkStatus();
}

}  // namespace gw::audit
