// gateway/audit/compact_range.h
//
// CompactRange is the right frontier of the audit tree at one size n: the
// hashes of the complete nodes (node_id.h) that together cover leaves
// [0, n), one per set bit of n, largest (leftmost) first. It is all the state
// needed to append leaves and to compute the root, O(log n) hashes in memory.
//
//   CompactRange range;                       // the empty tree
//   GW_RETURN_IF_ERROR(range.Append(HashLeaf(entry_bytes),
//       [&](NodeId id, absl::string_view hash) { batch.PutNode(id, hash); }));
//   std::string root = range.Root();          // checkpoint root for size()
//
// Guarantees:
//  * Append reports every node that becomes complete, exactly once over the
//    life of the log: the new leaf (0, n) first, then each ancestor completed
//    by it, lowest first. Storing exactly these nodes is enough for every
//    proof of proof_nodes.h and for FromNodes/FromReader at any size.
//  * Root() is the RFC 9162 §2.1.1 MTH of the first size() leaves
//    (EmptyRoot() for size 0); it equals the root of a tree built any other
//    way from the same leaves.
//  * A failed Append leaves the range unchanged and reports nothing.
// Errors (Append):
//  INVALID_ARGUMENT     "leaf_hash: N bytes, want 32"
//  FAILED_PRECONDITION  the tree already has kMaxTreeSize leaves
// Thread safety: const methods may run concurrently; Append needs exclusive
// access. Copyable and movable (a snapshot is a copy).
#ifndef GW_AUDIT_COMPACT_RANGE_H_
#define GW_AUDIT_COMPACT_RANGE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/audit/node_id.h"
#include "gateway/audit/node_reader.h"

namespace gw::audit {

// Largest tree the audit code handles: 2^63 leaves, so that every leaf
// position and tree size fits in an int64 column as well.
inline constexpr uint64_t kMaxTreeSize = uint64_t{1} << 63;

class CompactRange {
 public:
  // Receives one newly complete node; `hash` is valid only during the call.
  using NodeVisitor =
      absl::FunctionRef<void(NodeId id, absl::string_view hash)>;

  // The empty tree.
  CompactRange() = default;

  // The complete nodes whose hashes make up the frontier of a tree of `size`
  // leaves, largest first: for each set bit L of size, from the top, the node
  // (L, (size >> L) - 1). Empty for size 0. REQUIRES: size <= kMaxTreeSize.
  static std::vector<NodeId> NodesForSize(uint64_t size);

  // Rebuilds the range of `size` leaves from the hashes of
  // NodesForSize(size), in that order.
  // Errors:
  //  INVALID_ARGUMENT  size > kMaxTreeSize
  //  DATA_LOSS         wrong number of hashes ("hashes: N, want M") or a hash
  //                    that is not 32 bytes ("node (L, i): N bytes, want 32")
  [[nodiscard]] static absl::StatusOr<CompactRange> FromNodes(
      uint64_t size, std::vector<std::string> hashes);

  // FromNodes with hashes read in one call through `reader`; errors as
  // FromNodes and ReadCheckedNodes (node_reader.h).
  [[nodiscard]] static absl::StatusOr<CompactRange> FromReader(
      uint64_t size, const NodeReader& reader);

  // Appends the leaf whose hash is `leaf_hash` (HashLeaf of the entry bytes)
  // and calls `visit` for each node it completes (see Guarantees).
  [[nodiscard]] absl::Status Append(absl::string_view leaf_hash,
                                    NodeVisitor visit);

  // The root hash of the tree of size() leaves. O(log n) hashes.
  std::string Root() const;

  uint64_t size() const { return size_; }
  // The frontier hashes, matching NodesForSize(size()) one for one.
  const std::vector<std::string>& hashes() const { return hashes_; }

 private:
  CompactRange(uint64_t size, std::vector<std::string> hashes)
      : size_(size), hashes_(std::move(hashes)) {}

  uint64_t size_ = 0;
  std::vector<std::string> hashes_;
};

}  // namespace gw::audit

#endif  // GW_AUDIT_COMPACT_RANGE_H_
