// adapters/text/utf8_check.cc
#include "adapters/text/utf8_check.h"

#include <unicode/utf8.h>

#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace gw::text::internal {

int64_t FirstInvalidUtf8(std::string_view bytes) {
  constexpr size_t kMax = std::numeric_limits<int32_t>::max();
  if (bytes.size() > kMax) return static_cast<int64_t>(kMax);
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  const int32_t length = static_cast<int32_t>(bytes.size());
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return start;
  }
  return -1;
}

absl::Status CheckUtf8(std::string_view bytes) {
  const int64_t bad = FirstInvalidUtf8(bytes);
  if (bad < 0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("input is not valid UTF-8 at byte offset ", bad));
}

absl::StatusOr<icu::UnicodeString> ToUnicode(std::string_view utf8) {
  if (absl::Status s = CheckUtf8(utf8); !s.ok()) return s;
  return icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
}

}  // namespace gw::text::internal
