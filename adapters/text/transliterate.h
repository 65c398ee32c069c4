// adapters/text/transliterate.h
//
// Runs an ICU transform by its id, e.g. "Any-Latin; Latin-ASCII", or with a
// filter, "[^\u000A\u0020-\u007E] Latin-ASCII" (TH-RTP.md §5.3). Each id is
// compiled once and cached for the life of the process.
// Errors: INVALID_ARGUMENT for an id ICU cannot compile ("transform '...':
// <ICU error>") or input that is not UTF-8.
// Thread safety: may be called concurrently (ICU transliterators are not
// thread-safe, so each call works on its own clone or under a lock).
#ifndef GW_ADAPTERS_TEXT_TRANSLITERATE_H_
#define GW_ADAPTERS_TEXT_TRANSLITERATE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace gw::text {

[[nodiscard]] absl::StatusOr<std::string> Transliterate(
    std::string_view transform_id, std::string_view utf8);

}  // namespace gw::text

#endif  // GW_ADAPTERS_TEXT_TRANSLITERATE_H_
