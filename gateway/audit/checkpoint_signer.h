// gateway/audit/checkpoint_signer.h
//
// CheckpointSigner signs the audit log's checkpoints: for a tree size and
// root hash it returns the C2SP tlog-checkpoint text (checkpoint.h) signed
// as a C2SP signed note (signed_note.h) with the gateway's Ed25519 key, the
// Checkpoint.note of CONTRACT.md §5. It only signs: which size to sign, and
// never signing two inconsistent trees, is the caller's job.
//
// Guarantees: Sign is deterministic (same size and root, same note), and
// every note it returns passes VerifyCheckpoint (checkpoint_verifier.h) with
// the same origin and key name and a Verifier of the signer's certificate.
// Ownership and threads: `signer` is not owned and must outlive this object.
// Sign() is const and safe to call concurrently.
#ifndef GW_AUDIT_CHECKPOINT_SIGNER_H_
#define GW_AUDIT_CHECKPOINT_SIGNER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/audit/note_key.h"
#include "gateway/crypto/signer.h"

namespace gw::audit {

class CheckpointSigner {
 public:
  // `origin` is the log's identity line; `key_name` names the key in the
  // signature line (C2SP recommends the same text as the origin).
  // Errors: INVALID_ARGUMENT "origin: ...", "key_name: ...", or "cert_der:
  // public key is not Ed25519" for a signer of another algorithm.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<CheckpointSigner>> Create(
      absl::string_view origin, absl::string_view key_name,
      const crypto::Signer* signer);

  CheckpointSigner(const CheckpointSigner&) = delete;
  CheckpointSigner& operator=(const CheckpointSigner&) = delete;

  // The signed note for the tree of `tree_size` leaves and root `root_hash`.
  // Errors: INVALID_ARGUMENT "root_hash: N bytes, want 32"; the signer's
  // own failure (INTERNAL).
  [[nodiscard]] absl::StatusOr<std::string> Sign(
      uint64_t tree_size, absl::string_view root_hash) const;

  // The public key, for publishing its vkey form (NoteKey::VerifierKey).
  const NoteKey& key() const { return key_; }
  const std::string& origin() const { return origin_; }

 private:
  CheckpointSigner(std::string origin, NoteKey key,
                   const crypto::Signer* signer)
      : origin_(std::move(origin)), key_(std::move(key)), signer_(signer) {}

  const std::string origin_;
  const NoteKey key_;
  const crypto::Signer* const signer_;  // not owned
};

}  // namespace gw::audit

#endif  // GW_AUDIT_CHECKPOINT_SIGNER_H_
