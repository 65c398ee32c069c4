// tools/bench/memory_node_reader.h
//
// MemoryNodeReader holds every complete node of an audit tree in memory, one
// contiguous array of 32-byte hashes per level, and serves them through the
// audit::NodeReader interface. The benchmarks build proofs through it to
// tell the cost of proof building itself from the cost of SQLite reads.
//
//   MemoryNodeReader nodes;
//   GW_RETURN_IF_ERROR(range.Append(leaf_hash, nodes.Visitor()));
//
// Guarantees: ReadNodes follows node_reader.h (one hash per id, in order;
// NOT_FOUND "node (L, i): not stored" for a node never put). Put must see the
// nodes of each level in index order, which is the order
// CompactRange::Append reports them in; Put returns INVALID_ARGUMENT
// otherwise. Memory: 32 bytes per node, about 64 bytes per leaf.
// Thread safety: const methods may run concurrently; Put needs exclusive
// access.
#ifndef GW_TOOLS_BENCH_MEMORY_NODE_READER_H_
#define GW_TOOLS_BENCH_MEMORY_NODE_READER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "gateway/audit/node_id.h"
#include "gateway/audit/node_reader.h"

namespace gw::bench {

class MemoryNodeReader final : public audit::NodeReader {
 public:
  // Stores node `id`; see the file comment for the order required.
  [[nodiscard]] absl::Status Put(audit::NodeId id, absl::string_view hash);

  absl::StatusOr<std::vector<std::string>> ReadNodes(
      absl::Span<const audit::NodeId> ids) const override;

  // Number of nodes stored.
  size_t size() const;

 private:
  // levels_[L] is the concatenation of the hashes of nodes (L, 0), (L, 1)...
  std::vector<std::string> levels_;
};

}  // namespace gw::bench

#endif  // GW_TOOLS_BENCH_MEMORY_NODE_READER_H_
