// gateway/audit/node_reader.cc
#include "gateway/audit/node_reader.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "gateway/audit/hasher.h"

namespace gw::audit {

absl::StatusOr<std::vector<std::string>> ReadCheckedNodes(
    const NodeReader& reader, absl::Span<const NodeId> ids) {
  if (ids.empty()) return std::vector<std::string>();
  absl::StatusOr<std::vector<std::string>> hashes = reader.ReadNodes(ids);
  if (!hashes.ok()) {
    if (absl::IsNotFound(hashes.status())) {
      return absl::DataLossError(
          absl::StrCat("nodes: ", hashes.status().message()));
    }
    return hashes.status();
  }
  if (hashes->size() != ids.size()) {
    return absl::DataLossError(
        absl::StrCat("nodes: ", hashes->size(), " hashes, want ", ids.size()));
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    if ((*hashes)[i].size() != kHashSize) {
      return absl::DataLossError(absl::StrCat("node ", ids[i].ToString(), ": ",
                                              (*hashes)[i].size(),
                                              " bytes, want ", kHashSize));
    }
  }
  return hashes;
}

}  // namespace gw::audit
