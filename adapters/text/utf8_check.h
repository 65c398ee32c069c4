// adapters/text/utf8_check.h
//
// Private helpers of gw_text (not part of its interface): UTF-8 validation
// with the position of the first bad byte, and conversion to ICU's UTF-16
// strings, so that every function of the toolkit reports invalid input
// with the same message, "input is not valid UTF-8 at byte offset N".
// Thread safety: pure functions.
#ifndef GW_ADAPTERS_TEXT_UTF8_CHECK_H_
#define GW_ADAPTERS_TEXT_UTF8_CHECK_H_

#include <unicode/unistr.h>

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"

namespace gw::text::internal {

// Byte offset of the first ill-formed sequence, or -1 if `bytes` is valid
// UTF-8 (ICU's definition: no overlongs, surrogates or values > U+10FFFF).
// Input longer than INT32_MAX bytes reports offset INT32_MAX.
int64_t FirstInvalidUtf8(std::string_view bytes);

// OK, or INVALID_ARGUMENT "input is not valid UTF-8 at byte offset N".
absl::Status CheckUtf8(std::string_view bytes);

// Validated conversion to UTF-16.
absl::StatusOr<icu::UnicodeString> ToUnicode(std::string_view utf8);

}  // namespace gw::text::internal

#endif  // GW_ADAPTERS_TEXT_UTF8_CHECK_H_
