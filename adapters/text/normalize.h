// adapters/text/normalize.h
//
// Unicode validity and normalization (partners/README.md §2.7: every
// Unicode link carries NFC; non-NFC input is normalized and reported).
// Errors: INVALID_ARGUMENT "input is not valid UTF-8 at byte offset N"
// (never the text itself). Thread safety: every function may be called
// concurrently.
#ifndef GW_ADAPTERS_TEXT_NORMALIZE_H_
#define GW_ADAPTERS_TEXT_NORMALIZE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace gw::text {

// True if `bytes` is well-formed UTF-8 (no surrogates, no overlongs).
bool IsValidUtf8(std::string_view bytes);

// `utf8` in Normalization Form C.
[[nodiscard]] absl::StatusOr<std::string> ToNfc(std::string_view utf8);

// Whether `utf8` is already in NFC.
[[nodiscard]] absl::StatusOr<bool> IsNfc(std::string_view utf8);

}  // namespace gw::text

#endif  // GW_ADAPTERS_TEXT_NORMALIZE_H_
