// adapters/vn_mps/vn_text.h
//
// The text rules of VN-MPS.md for what the gateway writes: every string in
// NFC (§5.1), short texts per §5.3, long texts per §3.3 item 7, and texts
// cut to a character limit (README §2.11: ErrorText 200 characters).
//
//  * PlainText (codes, identifiers, numbers, anything the XSD constrains
//    by pattern): NFC, nothing else; the XSD judges the value.
//  * ShortText (NameTextType, FullNameTextType, ShortTextType): TAB, LF and
//    CR become a space (CR LF one space), every other control character
//    (\p{Cc}) and the non-characters U+FFFE/U+FFFF are dropped, then NFC,
//    then leading and trailing spaces are trimmed. The result holds no
//    control character and neither starts nor ends with white space.
//  * LongText (LanguageTextType): CR LF and CR become LF, TAB a space, the
//    other C0 controls and U+FFFE/U+FFFF are dropped, then NFC, then
//    leading and trailing white space (space, LF) is trimmed.
// An empty result means "nothing to write": callers leave optional
// elements out and let the XSD refuse a required one.
// Errors: INVALID_ARGUMENT "<field>: not valid UTF-8" (the field is the
// caller's canonical path; the value is never quoted).
// Thread safety: pure functions.
#ifndef GW_ADAPTERS_VN_MPS_VN_TEXT_H_
#define GW_ADAPTERS_VN_MPS_VN_TEXT_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gw::vn_mps {

[[nodiscard]] absl::StatusOr<std::string> PlainText(absl::string_view value,
                                                    absl::string_view field);
[[nodiscard]] absl::StatusOr<std::string> ShortText(absl::string_view value,
                                                    absl::string_view field);
[[nodiscard]] absl::StatusOr<std::string> LongText(absl::string_view value,
                                                   absl::string_view field);

// ShortText of `value` cut to at most `max_chars` code points (then
// trimmed again); invalid UTF-8 is replaced by U+FFFD first. Never fails:
// for texts we compose ourselves (ErrorText).
std::string CutShortText(absl::string_view value, size_t max_chars);

// `bytes` as valid UTF-8: every well-formed sequence kept, every byte that
// does not start one replaced by U+FFFD. For texts of unknown origin that
// end up in a proto3 string (reasons), which must be valid UTF-8.
std::string ValidUtf8(absl::string_view bytes);

// The longest prefix of valid UTF-8 `text` with at most `max_chars` code
// points: never ends inside a character.
absl::string_view CodePointPrefix(absl::string_view text, size_t max_chars);

// The number of code points of valid UTF-8 `text`.
size_t CodePoints(absl::string_view text);

}  // namespace gw::vn_mps

#endif  // GW_ADAPTERS_VN_MPS_VN_TEXT_H_
