// gateway/audit/checkpoint_signer.cc
#include "gateway/audit/checkpoint_signer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/audit/checkpoint.h"
#include "gateway/audit/hasher.h"
#include "gateway/audit/signed_note.h"
#include "gateway/util/status_macros.h"

namespace gw::audit {

absl::StatusOr<std::unique_ptr<CheckpointSigner>> CheckpointSigner::Create(
    absl::string_view origin, absl::string_view key_name,
    const crypto::Signer* signer) {
  if (signer == nullptr) return absl::InvalidArgumentError("signer: null");
  // Formatting a sample body checks the origin once, here.
  CheckpointBody sample{std::string(origin), 0, EmptyRoot(), {}};
  GW_RETURN_IF_ERROR(FormatCheckpointBody(sample).status());
  GW_ASSIGN_OR_RETURN(
      NoteKey key, NoteKey::FromCertificateDer(key_name, signer->cert_der()));
  return std::unique_ptr<CheckpointSigner>(
      new CheckpointSigner(std::string(origin), std::move(key), signer));
}

absl::StatusOr<std::string> CheckpointSigner::Sign(
    uint64_t tree_size, absl::string_view root_hash) const {
  CheckpointBody checkpoint{origin_, tree_size, std::string(root_hash), {}};
  GW_ASSIGN_OR_RETURN(std::string body, FormatCheckpointBody(checkpoint));
  return SignNote(body, key_.name(), *signer_);
}

}  // namespace gw::audit
