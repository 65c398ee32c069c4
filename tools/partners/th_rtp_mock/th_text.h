// tools/partners/th_rtp_mock/th_text.h
//
// TIS-620 text of ICD TH-RTP §5.1, for the mock partner: the permitted byte
// sets of `A` and `T` fields, and conversion between UTF-8 and TIS-620 with
// ICU's "TIS-620" converter (windows-874-2000) and STOP callbacks, never
// substitution.
//
// Errors: INVALID_ARGUMENT with a message that names the problem but never
// quotes the text (it may be a person's name).
// Thread safety: pure functions, safe from any thread (each call opens its
// own converter).
#ifndef GW_TOOLS_PARTNERS_TH_RTP_MOCK_TH_TEXT_H_
#define GW_TOOLS_PARTNERS_TH_RTP_MOCK_TH_TEXT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gw::th_rtp_mock {

// `A` fields: 20-7E.
bool IsPermittedAsciiByte(uint8_t byte);
// `T` fields: 20-7E, A1-DA, DF-FB, and LF (0A) when `allow_lf` (NR.TEXT).
bool IsPermittedThaiByte(uint8_t byte, bool allow_lf);

// Decodes TIS-620 bytes to UTF-8 in NFC. INVALID_ARGUMENT if a byte is not
// a permitted `T` byte (LF allowed when `allow_lf`) or ICU refuses it.
[[nodiscard]] absl::StatusOr<std::string> Tis620ToUtf8(absl::string_view bytes,
                                                       bool allow_lf);

// Encodes UTF-8 text (normalised to NFC first) to TIS-620. Every character
// must lie in the set R of §5.3 (U+0020-007E, U+0E01-0E3A, U+0E3F-0E5B, and
// LF when `allow_lf`); the mock never folds or substitutes its own text.
// INVALID_ARGUMENT for ill-formed UTF-8 or a character outside R.
[[nodiscard]] absl::StatusOr<std::string> Utf8ToTis620(absl::string_view utf8,
                                                       bool allow_lf);

}  // namespace gw::th_rtp_mock

#endif  // GW_TOOLS_PARTNERS_TH_RTP_MOCK_TH_TEXT_H_
