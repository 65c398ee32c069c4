// adapters/kh_cnp/kh_text.h
//
// Text rules of the KH-CNP bodies (KH-CNP.md §5.1, §5.2) over a parsed
// JSON document, and RFC 6901 JSON Pointers into it.
//
//  * NormalizeStrings: every string value of the document (member names
//    are left alone: the schema fixes them) is put in Unicode NFC; in name
//    members (`family`, `given`, `full` of an entry of a `names` array)
//    U+200B ZERO WIDTH SPACE and U+200C ZERO WIDTH NON-JOINER are removed
//    first (§5.2). The JSON Pointer of every value that changed is
//    appended to `changed`, in document order (object members in key
//    order, which is the order of a JCS body). On a value that is not
//    UTF-8, INVALID_ARGUMENT "<pointer>: not valid UTF-8" and *bad_pointer
//    set; the document may then be partly normalized.
//  * IsNameMember: whether a pointer names such a name member.
// Messages never contain the text itself.
// Thread safety: pure functions.
#ifndef GW_ADAPTERS_KH_CNP_KH_TEXT_H_
#define GW_ADAPTERS_KH_CNP_KH_TEXT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace gw::kh_cnp {

// One reference token, escaped ('~' -> "~0", '/' -> "~1").
std::string PointerToken(absl::string_view token);
// The unescaped reference tokens of `pointer` ("" -> none).
std::vector<std::string> PointerTokens(absl::string_view pointer);

// Removes U+200B and U+200C; true if any was there.
bool RemoveZeroWidth(std::string* text);

[[nodiscard]] absl::Status NormalizeStrings(nlohmann::json* document,
                                            std::vector<std::string>* changed,
                                            std::string* bad_pointer);

}  // namespace gw::kh_cnp

#endif  // GW_ADAPTERS_KH_CNP_KH_TEXT_H_
