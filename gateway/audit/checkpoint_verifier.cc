// gateway/audit/checkpoint_verifier.cc
#include "gateway/audit/checkpoint_verifier.h"

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/audit/signed_note.h"
#include "gateway/util/status_macros.h"

namespace gw::audit {

absl::StatusOr<CheckpointBody> VerifyCheckpoint(
    absl::string_view note, absl::string_view origin,
    absl::string_view key_name, const crypto::Verifier& verifier) {
  GW_ASSIGN_OR_RETURN(std::string body, VerifyNote(note, key_name, verifier));
  GW_ASSIGN_OR_RETURN(CheckpointBody checkpoint, ParseCheckpointBody(body));
  if (checkpoint.origin != origin) {
    return absl::InvalidArgumentError("origin: not this log's origin");
  }
  return checkpoint;
}

}  // namespace gw::audit
