// gateway/audit/signed_note.h
//
// Signing and verifying C2SP signed notes (c2sp.org/signed-note) with the
// gateway's Ed25519 key. The signature covers the note text (the body,
// final newline included) byte for byte; the key is identified by its name
// and key id (note_key.h), and the line format is in note_format.h:
//
//   <body>\n— <key name> <base64(key id || 64-byte Ed25519 signature)>\n
//
// Thread safety: pure functions; concurrent calls are safe (Signer::Sign and
// Verifier::Verify are const and thread-safe).
#ifndef GW_AUDIT_SIGNED_NOTE_H_
#define GW_AUDIT_SIGNED_NOTE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"

namespace gw::audit {

// The note made of `body` and one signature line by `signer` under
// `key_name`. Deterministic: Ed25519 signs without randomness, so the same
// body, name and key give the same note.
// Errors:
//  INVALID_ARGUMENT  "body: ..." empty, not ending in "\n", not UTF-8 or with
//                    a control character; "key_name: ..." (CheckKeyName);
//                    "cert_der: ..." the signer's key is not Ed25519
//  other             the signer's own failure (INTERNAL, RESOURCE_EXHAUSTED)
[[nodiscard]] absl::StatusOr<std::string> SignNote(
    absl::string_view body, absl::string_view key_name,
    const crypto::Signer& signer);

// The text of `note` if it carries a valid signature by the key of
// `verifier`'s certificate under `key_name`. Signature lines by other keys
// (another name or id) are checked for form and otherwise ignored, as the
// spec requires; several lines by this key must all verify.
// Errors:
//  INVALID_ARGUMENT  "key_name: ..." or "cert_der: ..." (not Ed25519), as
//                    SignNote; "note: ..." not UTF-8, a control character,
//                    no blank line before the signatures, no signature line,
//                    more than kMaxNoteSignatures; "note.signatures[i]: ..."
//                    a line not of the form above or not canonical base64
//  UNAUTHENTICATED   "note: no signature by key <vkey>" (none by this name
//                    and key id: unknown key or wrong key name), or
//                    "note.signatures[i]: signature does not verify"
[[nodiscard]] absl::StatusOr<std::string> VerifyNote(
    absl::string_view note, absl::string_view key_name,
    const crypto::Verifier& verifier);

}  // namespace gw::audit

#endif  // GW_AUDIT_SIGNED_NOTE_H_
