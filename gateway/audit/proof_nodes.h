// gateway/audit/proof_nodes.h
//
// Which stored nodes an RFC 9162 proof needs, computed apart from fetching
// them (the split of transparency-dev/merkle's proof/proof.go): plan the node
// ids, read them through a NodeReader in one batch, then combine.
//
// A ProofPlan lists only *complete* nodes (node_id.h), the ones
// CompactRange::Append reports and the store keeps. Every proof element is
// one complete node, except at most one: the "ephemeral" node on the right
// border of the tree, the root of a subtree that is not complete at this
// tree size. Its hash is never stored; BuildProof computes it from the run of
// complete nodes nodes[ephemeral_begin, ephemeral_end), which the plan lists
// lowest (rightmost) first, hashing them together right to left. A plan
// needs O(log n) nodes: at most 2 * 64.
//
//   GW_ASSIGN_OR_RETURN(ProofPlan plan, InclusionProofNodes(index, size));
//   GW_ASSIGN_OR_RETURN(std::vector<std::string> hashes,
//                       BuildProof(plan, reader));   // one ReadNodes call
//
// Guarantees:
//  * BuildProof returns the proof hashes of RFC 9162 §2.1.3.1 (inclusion:
//    PATH(m, D_n)) or §2.1.4.1 (consistency: PROOF(m, D_n)), in RFC order,
//    byte for byte; they pass VerifyInclusion / VerifyConsistency
//    (proof_verifier.h) against the roots at those sizes.
//  * A proof depends only on the leaves below its tree size, so the same
//    request gives the same bytes forever.
//  * The plan functions are pure; BuildProof and RootAtSize read through the
//    reader (once, and not at all when no node is needed) and write nothing.
// Errors:
//  INVALID_ARGUMENT  tree_size == 0, leaf_index >= tree_size, first > second,
//                    or a size above kMaxTreeSize (compact_range.h); message
//                    "field: actual, want expected"
//  DATA_LOSS         a node the log must hold is missing or not 32 bytes
//                    (ReadCheckedNodes, node_reader.h)
//  other             the reader's own error (UNAVAILABLE, ABORTED, ...)
// These functions do not know the log's current size: refusing a tree_size
// beyond today's log (OUT_OF_RANGE) is the caller's job.
// Thread safety: all functions are reentrant; concurrent calls are safe if
// the reader's are.
#ifndef GW_AUDIT_PROOF_NODES_H_
#define GW_AUDIT_PROOF_NODES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/audit/node_id.h"
#include "gateway/audit/node_reader.h"

namespace gw::audit {

struct ProofPlan {
  // The complete nodes to read, in proof order (see the file comment).
  std::vector<NodeId> nodes;
  // nodes[ephemeral_begin, ephemeral_end) make up one proof element; an
  // empty range when the proof has no ephemeral node.
  size_t ephemeral_begin = 0;
  size_t ephemeral_end = 0;

  // The number of hashes the built proof has.
  size_t ProofSize() const {
    const size_t run = ephemeral_end - ephemeral_begin;
    return run == 0 ? nodes.size() : nodes.size() - run + 1;
  }
};

// The plan for the inclusion proof of leaf `leaf_index` in the tree of
// `tree_size` leaves (RFC 9162 §2.1.3.1).
[[nodiscard]] absl::StatusOr<ProofPlan> InclusionProofNodes(uint64_t leaf_index,
                                                            uint64_t tree_size);

// The plan for the consistency proof between the trees of `first` and
// `second` leaves (RFC 9162 §2.1.4.1). The proof is empty (a plan with no
// nodes) when first == second, and when first == 0: the empty tree is a
// prefix of every tree.
[[nodiscard]] absl::StatusOr<ProofPlan> ConsistencyProofNodes(uint64_t first,
                                                              uint64_t second);

// Reads plan.nodes with one reader.ReadNodes call and combines them into the
// proof hashes. Also INVALID_ARGUMENT if the plan's ephemeral range is not
// within its nodes (a plan not made by the functions above).
[[nodiscard]] absl::StatusOr<std::vector<std::string>> BuildProof(
    const ProofPlan& plan, const NodeReader& reader);

// The root hash of the tree as it stood at `tree_size` leaves, from the
// popcount(tree_size) complete nodes of its frontier
// (CompactRange::NodesForSize); EmptyRoot() for 0 without reading.
// Errors as BuildProof, INVALID_ARGUMENT for tree_size > kMaxTreeSize.
[[nodiscard]] absl::StatusOr<std::string> RootAtSize(uint64_t tree_size,
                                                     const NodeReader& reader);

}  // namespace gw::audit

#endif  // GW_AUDIT_PROOF_NODES_H_
