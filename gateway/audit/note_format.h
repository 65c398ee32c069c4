// gateway/audit/note_format.h
//
// Wire constants and text rules of the C2SP signed note
// (https://c2sp.org/signed-note), shared by the signer (signed_note.h,
// checkpoint_signer.h) and the verifier, and by NoteKey (note_key.h):
//
//   <text, ending in "\n">
//   "\n"
//   "— <key name> <base64(4-byte big-endian key id || signature)>\n"   (1+)
//
// A note is valid UTF-8 with no ASCII control characters but newline. A key
// name is non-empty, with no Unicode space and no '+'.
// Thread safety: pure functions.
#ifndef GW_AUDIT_NOTE_FORMAT_H_
#define GW_AUDIT_NOTE_FORMAT_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gw::audit {

// Em dash U+2014 in UTF-8, then a space: the start of a signature line.
inline constexpr absl::string_view kSignatureLinePrefix = "\xE2\x80\x94 ";
// Signature type byte of Ed25519 in the key id and verifier key.
inline constexpr char kEd25519SignatureType = 0x01;
inline constexpr size_t kKeyIdSize = 4;
inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SignatureSize = 64;
// Most signature lines a note may carry (the spec asks for at least 16).
inline constexpr size_t kMaxNoteSignatures = 64;

// OK if `text` is valid UTF-8 without ASCII control characters other than
// "\n". INVALID_ARGUMENT "<field>: ..." otherwise (position, not content).
[[nodiscard]] absl::Status CheckNoteCharacters(absl::string_view field,
                                               absl::string_view text);

// OK if `name` is a valid key name. INVALID_ARGUMENT "<field>: ..." if it is
// empty, not valid UTF-8, or has a control character, a Unicode space
// (White_Space property) or '+'.
[[nodiscard]] absl::Status CheckKeyName(absl::string_view field,
                                        absl::string_view name);

}  // namespace gw::audit

#endif  // GW_AUDIT_NOTE_FORMAT_H_
