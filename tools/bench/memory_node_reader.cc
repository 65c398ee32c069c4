// tools/bench/memory_node_reader.cc
#include "tools/bench/memory_node_reader.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gateway/audit/hasher.h"

namespace gw::bench {

absl::Status MemoryNodeReader::Put(audit::NodeId id, absl::string_view hash) {
  if (hash.size() != audit::kHashSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "node ", id.ToString(), ": ", hash.size(), " bytes, want 32"));
  }
  if (id.level >= levels_.size()) levels_.resize(id.level + 1);
  std::string& level = levels_[id.level];
  const size_t next = level.size() / audit::kHashSize;
  if (id.index != next) {
    return absl::InvalidArgumentError(absl::StrCat(
        "node ", id.ToString(), ": out of order, want index ", next));
  }
  level.append(hash.data(), hash.size());
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> MemoryNodeReader::ReadNodes(
    absl::Span<const audit::NodeId> ids) const {
  std::vector<std::string> hashes;
  hashes.reserve(ids.size());
  for (const audit::NodeId& id : ids) {
    const size_t stored = id.level < levels_.size()
                              ? levels_[id.level].size() / audit::kHashSize
                              : 0;
    if (id.index >= stored) {
      return absl::NotFoundError(
          absl::StrCat("node ", id.ToString(), ": not stored"));
    }
    hashes.push_back(levels_[id.level].substr(id.index * audit::kHashSize,
                                              audit::kHashSize));
  }
  return hashes;
}

size_t MemoryNodeReader::size() const {
  size_t nodes = 0;
  for (const std::string& level : levels_)
    nodes += level.size() / audit::kHashSize;
  return nodes;
}

}  // namespace gw::bench
