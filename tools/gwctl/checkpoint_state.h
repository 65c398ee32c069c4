// tools/gwctl/checkpoint_state.h
//
// The audit checkpoint `gwctl audit verify-log` remembers between runs, as a
// certificate-transparency monitor does: the last checkpoint it verified
// (gw.v1.Checkpoint as proto3 JSON, signed note included), so that the next
// run can demand a consistency proof from it to the new one. The file is
// only a memory: verify-log verifies its note again before trusting it.
//
// Default location: var/gwctl/audit-<AGENCY>.checkpoint under the working
// directory, AGENCY being the gateway's (--server-agency).
//
// Errors:
//  LoadCheckpointState  INVALID_ARGUMENT "<path>: ..." not a Checkpoint;
//                       PERMISSION_DENIED / UNAVAILABLE the file cannot be
//                       read. A missing file is not an error: nullopt.
//  SaveCheckpointState  as WriteFileAtomically (output_file.h).
// Thread safety: pure functions over the file system.
#ifndef GW_TOOLS_GWCTL_CHECKPOINT_STATE_H_
#define GW_TOOLS_GWCTL_CHECKPOINT_STATE_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gw/v1/audit.pb.h"

namespace gw::gwctl {

std::string DefaultCheckpointStatePath(absl::string_view agency);

[[nodiscard]] absl::StatusOr<std::optional<gw::v1::Checkpoint>>
LoadCheckpointState(const std::string& path);

[[nodiscard]] absl::Status SaveCheckpointState(
    const std::string& path, const gw::v1::Checkpoint& checkpoint);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_CHECKPOINT_STATE_H_
