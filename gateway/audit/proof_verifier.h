// gateway/audit/proof_verifier.h
//
// Verification of RFC 9162 inclusion (§2.1.3.2) and consistency (§2.1.4.2)
// proofs over the audit tree (hasher.h). Each check first computes the root
// the proof implies, then compares it with the root the caller trusts (from
// a verified checkpoint): RootFrom*Proof do the first step alone, Verify*
// both. This is the code partners and auditors rely on offline, so it reads
// only its arguments: no store, no clock, no key.
//
// Errors, chosen so a caller can tell a broken request from a lying log:
//  INVALID_ARGUMENT  malformed input, whatever the tree: a hash that is not
//                    32 bytes ("proof[2]: 31 bytes, want 32", "leaf_hash:",
//                    "root:", "first_root:", "second_root:"), leaf_index >=
//                    tree_size, first > second, or a proof of the wrong
//                    length for the sizes ("proof: N hashes, want M")
//  DATA_LOSS         a well-formed proof that leads to another root:
//                    "root mismatch: computed <hex>, want <hex>" (consistency:
//                    "first_root mismatch: ..." / "second_root mismatch: ...")
// Consistency edge cases (RFC 9162 §2.1.4): first == second needs an empty
// proof and equal roots; first == 0 needs an empty proof and first_root ==
// EmptyRoot(), and is consistent with any second tree.
//
// Proof hashes are taken as a Span of std::string (a std::vector<std::string>
// converts); copy a proto's repeated bytes into a vector first.
// Thread safety: pure functions, safe from any thread.
#ifndef GW_AUDIT_PROOF_VERIFIER_H_
#define GW_AUDIT_PROOF_VERIFIER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace gw::audit {

// The root of the tree of `tree_size` leaves implied by `proof` for the leaf
// hash `leaf_hash` at `leaf_index`. INVALID_ARGUMENT as above.
[[nodiscard]] absl::StatusOr<std::string> RootFromInclusionProof(
    absl::string_view leaf_hash, uint64_t leaf_index, uint64_t tree_size,
    absl::Span<const std::string> proof);

// OK if `proof` shows the leaf hash `leaf_hash` at `leaf_index` in the tree
// of `tree_size` leaves whose root is `root`.
[[nodiscard]] absl::Status VerifyInclusion(absl::string_view leaf_hash,
                                           uint64_t leaf_index,
                                           uint64_t tree_size,
                                           absl::Span<const std::string> proof,
                                           absl::string_view root);

// The root of the tree of `second` leaves implied by `proof`, after checking
// that the proof also yields `first_root` for the first `first` leaves
// (DATA_LOSS "first_root mismatch: ..." if not). For first == second it is
// first_root. For 0 == first < second no root follows from the (empty)
// proof: INVALID_ARGUMENT; VerifyConsistency handles that case.
[[nodiscard]] absl::StatusOr<std::string> RootFromConsistencyProof(
    uint64_t first, uint64_t second, absl::Span<const std::string> proof,
    absl::string_view first_root);

// OK if `proof` shows that the tree of `first` leaves with root `first_root`
// is a prefix of the tree of `second` leaves with root `second_root`.
[[nodiscard]] absl::Status VerifyConsistency(
    uint64_t first, uint64_t second, absl::Span<const std::string> proof,
    absl::string_view first_root, absl::string_view second_root);

}  // namespace gw::audit

#endif  // GW_AUDIT_PROOF_VERIFIER_H_
