// gateway/audit/note_key.h
//
// NoteKey is the public identity of an Ed25519 signed-note key
// (c2sp.org/signed-note): a key name, the 32-byte RFC 8032 public key, and
// the key id that signature lines carry,
//
//   key id = SHA-256(key name || 0x0A || 0x01 || public key)[:4]
//
// read as a big-endian uint32. The vkey form, which auditors configure in
// tools that speak signed notes (Go's golang.org/x/mod/sumdb/note among
// them), is
//
//   <key name>+<key id, 8 lowercase hex digits>+<base64(0x01 || public key)>
//
// The gateway's key comes from its signing certificate (`<AGENCY>/
// signing.crt`, CONTRACT.md §5), so FromCertificateDer is the usual way in.
// Value type, immutable after creation; safe to share between threads.
#ifndef GW_AUDIT_NOTE_KEY_H_
#define GW_AUDIT_NOTE_KEY_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gw::audit {

// The key id of an Ed25519 key, as above. REQUIRES: nothing (any bytes).
uint32_t NoteKeyId(absl::string_view key_name, absl::string_view public_key);

// The raw 32-byte Ed25519 public key of a DER certificate.
// INVALID_ARGUMENT "cert_der: ..." if it does not parse or its key is not
// Ed25519.
[[nodiscard]] absl::StatusOr<std::string> Ed25519PublicKeyFromCertificateDer(
    absl::string_view cert_der);

class NoteKey {
 public:
  // Errors: INVALID_ARGUMENT "key_name: ..." (see CheckKeyName,
  // note_format.h) or "public_key: N bytes, want 32".
  [[nodiscard]] static absl::StatusOr<NoteKey> FromPublicKey(
      absl::string_view key_name, absl::string_view public_key);
  // The key of the certificate `cert_der` under `key_name`; errors as
  // FromPublicKey and Ed25519PublicKeyFromCertificateDer.
  [[nodiscard]] static absl::StatusOr<NoteKey> FromCertificateDer(
      absl::string_view key_name, absl::string_view cert_der);
  // Parses the vkey form. INVALID_ARGUMENT "vkey: ..." if it is not three
  // '+'-separated fields, the id is not 8 lowercase hex digits, the key is
  // not canonical base64 of 0x01 followed by 32 bytes, or the id does not
  // match the name and key.
  [[nodiscard]] static absl::StatusOr<NoteKey> FromVerifierKey(
      absl::string_view vkey);

  const std::string& name() const { return name_; }
  // 32 raw bytes.
  const std::string& public_key() const { return public_key_; }
  uint32_t key_id() const { return key_id_; }
  // The vkey form; FromVerifierKey(VerifierKey()) gives this key back.
  std::string VerifierKey() const;

 private:
  NoteKey(std::string name, std::string public_key);

  std::string name_;
  std::string public_key_;
  uint32_t key_id_;
};

}  // namespace gw::audit

#endif  // GW_AUDIT_NOTE_KEY_H_
