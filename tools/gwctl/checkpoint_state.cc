// tools/gwctl/checkpoint_state.cc
#include "tools/gwctl/checkpoint_state.h"

#include "absl/strings/str_cat.h"
#include "gateway/util/file.h"
#include "tools/gwctl/message_file.h"
#include "tools/gwctl/output_file.h"
#include "tools/gwctl/readable_output.h"

namespace gw::gwctl {

std::string DefaultCheckpointStatePath(absl::string_view agency) {
  return absl::StrCat("var/gwctl/audit-", agency, ".checkpoint");
}

absl::StatusOr<std::optional<gw::v1::Checkpoint>> LoadCheckpointState(
    const std::string& path) {
  absl::StatusOr<std::string> text = util::ReadFile(path);
  if (absl::IsNotFound(text.status())) return std::nullopt;
  if (!text.ok()) return text.status();
  gw::v1::Checkpoint checkpoint;
  if (absl::Status parsed = ParseJsonMessage(*text, path, &checkpoint);
      !parsed.ok()) {
    return parsed;
  }
  return checkpoint;
}

absl::Status SaveCheckpointState(const std::string& path,
                                 const gw::v1::Checkpoint& checkpoint) {
  absl::StatusOr<std::string> json = ToJson(checkpoint, /*multiline=*/true);
  if (!json.ok()) return json.status();
  return WriteFileAtomically(path, *json);
}

}  // namespace gw::gwctl
