// adapters/json/json_internal.h
//
// Private to gw_json: the strict parser of jcs.cc reused for schema
// documents, which need their members in document order (a schema's
// `properties` order decides which of two failures is reported first) and
// numbers of any kind (a schema may say "minimum": -1.5). Duplicates, a
// byte-order mark and bad UTF-8 are refused as in ParseStrictJson; nesting
// up to kMaxSchemaDepth.
// Thread safety: pure function.
#ifndef GW_ADAPTERS_JSON_JSON_INTERNAL_H_
#define GW_ADAPTERS_JSON_JSON_INTERNAL_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace gw::json::internal {

inline constexpr int kMaxSchemaDepth = 256;

[[nodiscard]] absl::StatusOr<nlohmann::ordered_json> ParseSchemaDocument(
    std::string_view text);

}  // namespace gw::json::internal

#endif  // GW_ADAPTERS_JSON_JSON_INTERNAL_H_
