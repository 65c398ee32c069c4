// gateway/audit/checkpoint_verifier.h
//
// VerifyCheckpoint is what an auditor, gwctl or the gateway itself runs on a
// Checkpoint.note (CONTRACT.md §5) before trusting its root: the signed note
// must carry a valid signature by the gateway key (signed_note.h), its text
// must be a well-formed checkpoint (checkpoint.h), and it must come from the
// expected log (origin). The caller then checks tree_size and root_hash
// against the proto fields or proofs.
// Thread safety: pure function.
#ifndef GW_AUDIT_CHECKPOINT_VERIFIER_H_
#define GW_AUDIT_CHECKPOINT_VERIFIER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/audit/checkpoint.h"
#include "gateway/crypto/verifier.h"

namespace gw::audit {

// The checkpoint in `note`. Errors: those of VerifyNote (INVALID_ARGUMENT for
// a malformed note, UNAUTHENTICATED for no valid signature by the key) and
// of ParseCheckpointBody; INVALID_ARGUMENT "origin: ..." if the origin line
// is not `origin`.
[[nodiscard]] absl::StatusOr<CheckpointBody> VerifyCheckpoint(
    absl::string_view note, absl::string_view origin,
    absl::string_view key_name, const crypto::Verifier& verifier);

}  // namespace gw::audit

#endif  // GW_AUDIT_CHECKPOINT_VERIFIER_H_
