// gateway/audit/proof_nodes.cc
#include "gateway/audit/proof_nodes.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gateway/audit/compact_range.h"
#include "gateway/audit/hasher.h"
#include "gateway/util/status_macros.h"

namespace gw::audit {
namespace {

// Number of bits needed to write x; 0 for 0.
uint32_t BitLength(uint64_t x) {
  return x == 0 ? 0 : 64 - static_cast<uint32_t>(__builtin_clzll(x));
}

uint32_t TrailingZeros(uint64_t x) {
  return x == 0 ? 64 : static_cast<uint32_t>(__builtin_ctzll(x));
}

absl::Status CheckTreeSize(absl::string_view field, uint64_t size) {
  if (size > kMaxTreeSize) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", size, ", want at most ", kMaxTreeSize));
  }
  return absl::OkStatus();
}

// Appends the frontier nodes of a tree of `size` leaves whose levels lie in
// [low, high), lowest level first.
void AppendBorderNodes(uint64_t size, uint32_t low, uint32_t high,
                       std::vector<NodeId>* nodes) {
  for (uint32_t level = low; level < high && level < 64; ++level) {
    if ((size >> level) & 1)
      nodes->push_back(NodeId{level, (size >> level) - 1});
  }
}

// The nodes that prove `start` (complete in the tree of `size` leaves) is
// under the root, in RFC order, without `start` itself:
//  1. the siblings on the path from `start` up to the *fork*: its highest
//     complete ancestor, where the paths to `start` and to leaf `size` part;
//  2. the ephemeral sibling of the fork: the border nodes right of the fork,
//     below its level (none if the fork ends the tree);
//  3. the complete subtrees left of the fork, the border nodes above it.
// Since start.index < size >> start.level, the fork level is well defined,
// and the fork is itself the border node at that level.
void AppendPathNodes(NodeId start, uint64_t size, ProofPlan* plan) {
  const uint64_t end_index = size >> start.level;
  const uint32_t fork_level =
      start.level + BitLength(start.index ^ end_index) - 1;
  for (NodeId id = start; id.level < fork_level; id = id.Parent()) {
    plan->nodes.push_back(id.Sibling());
  }
  plan->ephemeral_begin = plan->nodes.size();
  AppendBorderNodes(size, 0, fork_level, &plan->nodes);
  plan->ephemeral_end = plan->nodes.size();
  if (plan->ephemeral_end - plan->ephemeral_begin < 2) {
    // Zero or one node: nothing to combine, it is an ordinary element.
    plan->ephemeral_begin = plan->ephemeral_end = 0;
  }
  AppendBorderNodes(size, fork_level + 1, 64, &plan->nodes);
}

}  // namespace

absl::StatusOr<ProofPlan> InclusionProofNodes(uint64_t leaf_index,
                                              uint64_t tree_size) {
  GW_RETURN_IF_ERROR(CheckTreeSize("tree_size", tree_size));
  if (tree_size == 0) {
    return absl::InvalidArgumentError("tree_size: 0, want > 0");
  }
  if (leaf_index >= tree_size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "leaf_index: ", leaf_index, ", want < tree_size ", tree_size));
  }
  ProofPlan plan;
  plan.nodes.reserve(2 * static_cast<size_t>(BitLength(tree_size)));
  AppendPathNodes(NodeId{0, leaf_index}, tree_size, &plan);
  return plan;
}

absl::StatusOr<ProofPlan> ConsistencyProofNodes(uint64_t first,
                                                uint64_t second) {
  GW_RETURN_IF_ERROR(CheckTreeSize("second", second));
  if (first > second) {
    return absl::InvalidArgumentError(
        absl::StrCat("first: ", first, ", want <= second ", second));
  }
  ProofPlan plan;
  if (first == second || first == 0) return plan;
  // The old tree's last border node (its smallest complete subtree) is the
  // starting point; the proof is that node, then its path in the new tree.
  // When `first` is a power of two that node is the old root itself, which
  // the verifier already holds, so RFC 9162 leaves it out.
  const uint32_t level = TrailingZeros(first);
  const NodeId start{level, (first >> level) - 1};
  plan.nodes.reserve(1 + 2 * static_cast<size_t>(BitLength(second)));
  if (start.index != 0) plan.nodes.push_back(start);
  AppendPathNodes(start, second, &plan);
  return plan;
}

absl::StatusOr<std::vector<std::string>> BuildProof(const ProofPlan& plan,
                                                    const NodeReader& reader) {
  const size_t begin = plan.ephemeral_begin;
  const size_t end = plan.ephemeral_end;
  if (begin > end || end > plan.nodes.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("plan: ephemeral range [", begin, ", ", end,
                     ") outside its ", plan.nodes.size(), " nodes"));
  }
  GW_ASSIGN_OR_RETURN(std::vector<std::string> hashes,
                      ReadCheckedNodes(reader, plan.nodes));
  if (end - begin < 2) return hashes;
  // Fold the run in place: hashes[begin] becomes the ephemeral node.
  for (size_t i = begin + 1; i < end; ++i) {
    hashes[begin] = HashChildren(hashes[i], hashes[begin]);
  }
  hashes.erase(hashes.begin() + static_cast<std::ptrdiff_t>(begin + 1),
               hashes.begin() + static_cast<std::ptrdiff_t>(end));
  return hashes;
}

absl::StatusOr<std::string> RootAtSize(uint64_t tree_size,
                                       const NodeReader& reader) {
  GW_RETURN_IF_ERROR(CheckTreeSize("tree_size", tree_size));
  if (tree_size == 0) return EmptyRoot();
  // The root is the whole border folded from the right: one ephemeral run.
  ProofPlan plan;
  AppendBorderNodes(tree_size, 0, 64, &plan.nodes);
  plan.ephemeral_begin = 0;
  plan.ephemeral_end = plan.nodes.size();
  GW_ASSIGN_OR_RETURN(std::vector<std::string> root, BuildProof(plan, reader));
  return std::move(root.front());
}

}  // namespace gw::audit
