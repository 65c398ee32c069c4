// gateway/audit/proof_verifier.cc
//
// RFC 9162 §2.1.3.2 walks the proof bit by bit, shifting (fn, sn) = (index,
// size - 1). The same computation is done here in two named steps, which
// also gives the exact proof length up front:
//  * inner: the levels below the point where the paths to `index` and to the
//    last leaf part; there the sibling is left or right by the index bit;
//  * border: above that point every sibling is a complete subtree on the
//    left, one per set bit left in the index.
#include "gateway/audit/proof_verifier.h"

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "gateway/audit/hasher.h"
#include "gateway/util/status_macros.h"

namespace gw::audit {
namespace {

using Proof = absl::Span<const std::string>;

struct ProofShape {
  size_t inner = 0;   // hashes below the parting point, index bit decides
  size_t border = 0;  // hashes above it, all left siblings
};

// The shape of the inclusion proof for `index` < `size`.
ProofShape InclusionShape(uint64_t index, uint64_t size) {
  const uint64_t differ = index ^ (size - 1);
  ProofShape shape;
  shape.inner =
      differ == 0 ? 0 : 64 - static_cast<size_t>(__builtin_clzll(differ));
  shape.border = static_cast<size_t>(
      __builtin_popcountll(shape.inner >= 64 ? 0 : index >> shape.inner));
  return shape;
}

absl::Status CheckHashSize(absl::string_view field, absl::string_view hash) {
  if (hash.size() != kHashSize) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", hash.size(), " bytes, want ", kHashSize));
  }
  return absl::OkStatus();
}

absl::Status CheckProof(Proof proof, size_t want) {
  if (proof.size() != want) {
    return absl::InvalidArgumentError(
        absl::StrCat("proof: ", proof.size(), " hashes, want ", want));
  }
  for (size_t i = 0; i < proof.size(); ++i) {
    GW_RETURN_IF_ERROR(CheckHashSize(absl::StrCat("proof[", i, "]"), proof[i]));
  }
  return absl::OkStatus();
}

absl::Status CheckMatch(absl::string_view field, absl::string_view computed,
                        absl::string_view want) {
  if (computed != want) {
    return absl::DataLossError(absl::StrCat(
        field, " mismatch: computed ", absl::BytesToHexString(computed),
        ", want ", absl::BytesToHexString(want)));
  }
  return absl::OkStatus();
}

// Hashes `seed` up through the inner siblings: bit i of `index` says whether
// the node at level i is a right child (sibling on the left) or a left one.
std::string ChainInner(std::string seed, Proof inner, uint64_t index) {
  for (size_t i = 0; i < inner.size(); ++i) {
    seed = ((index >> i) & 1) ? HashChildren(inner[i], seed)
                              : HashChildren(seed, inner[i]);
  }
  return seed;
}

// Like ChainInner, but uses only the left siblings: the result is the hash
// of the same subtree as it stood before the right-hand leaves were added.
std::string ChainInnerLeftOnly(std::string seed, Proof inner, uint64_t index) {
  for (size_t i = 0; i < inner.size(); ++i) {
    if ((index >> i) & 1) seed = HashChildren(inner[i], seed);
  }
  return seed;
}

// Hashes `seed` up through the border, where every sibling is on the left.
std::string ChainBorder(std::string seed, Proof border) {
  for (const std::string& left : border) seed = HashChildren(left, seed);
  return seed;
}

}  // namespace

absl::StatusOr<std::string> RootFromInclusionProof(absl::string_view leaf_hash,
                                                   uint64_t leaf_index,
                                                   uint64_t tree_size,
                                                   Proof proof) {
  if (leaf_index >= tree_size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "leaf_index: ", leaf_index, ", want < tree_size ", tree_size));
  }
  GW_RETURN_IF_ERROR(CheckHashSize("leaf_hash", leaf_hash));
  const ProofShape shape = InclusionShape(leaf_index, tree_size);
  GW_RETURN_IF_ERROR(CheckProof(proof, shape.inner + shape.border));
  std::string root = ChainInner(std::string(leaf_hash),
                                proof.subspan(0, shape.inner), leaf_index);
  return ChainBorder(std::move(root), proof.subspan(shape.inner));
}

absl::Status VerifyInclusion(absl::string_view leaf_hash, uint64_t leaf_index,
                             uint64_t tree_size, Proof proof,
                             absl::string_view root) {
  GW_RETURN_IF_ERROR(CheckHashSize("root", root));
  GW_ASSIGN_OR_RETURN(
      std::string computed,
      RootFromInclusionProof(leaf_hash, leaf_index, tree_size, proof));
  return CheckMatch("root", computed, root);
}

absl::StatusOr<std::string> RootFromConsistencyProof(
    uint64_t first, uint64_t second, Proof proof,
    absl::string_view first_root) {
  if (first > second) {
    return absl::InvalidArgumentError(
        absl::StrCat("first: ", first, ", want <= second ", second));
  }
  GW_RETURN_IF_ERROR(CheckHashSize("first_root", first_root));
  if (first == second) {  // PROOF(m, D_m) is empty (RFC 9162 §2.1.4.1).
    GW_RETURN_IF_ERROR(CheckProof(proof, 0));
    if (first == 0)
      GW_RETURN_IF_ERROR(CheckMatch("first_root", EmptyRoot(), first_root));
    return std::string(first_root);
  }
  if (first == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "first: 0, an empty proof implies no root for second ", second));
  }
  // The proof starts from the old tree's last border node (its smallest
  // complete subtree), at `level`, index `start`. If that node is the whole
  // old tree (first is a power of two), the old root is the seed.
  const uint32_t level = static_cast<uint32_t>(__builtin_ctzll(first));
  const uint64_t start = (first - 1) >> level;
  const ProofShape shape = InclusionShape(start, ((second - 1) >> level) + 1);
  const size_t seeded = start == 0 ? 0 : 1;
  GW_RETURN_IF_ERROR(CheckProof(proof, seeded + shape.inner + shape.border));
  const std::string seed(seeded ? absl::string_view(proof[0]) : first_root);
  const Proof inner = proof.subspan(seeded, shape.inner);
  const Proof border = proof.subspan(seeded + shape.inner);

  std::string old_root =
      ChainBorder(ChainInnerLeftOnly(seed, inner, start), border);
  GW_RETURN_IF_ERROR(CheckMatch("first_root", old_root, first_root));
  return ChainBorder(ChainInner(seed, inner, start), border);
}

absl::Status VerifyConsistency(uint64_t first, uint64_t second, Proof proof,
                               absl::string_view first_root,
                               absl::string_view second_root) {
  if (first == 0 && second != 0) {
    // Consistent with any tree, if the proof is empty and the old root
    // really is the empty tree's.
    GW_RETURN_IF_ERROR(CheckHashSize("first_root", first_root));
    GW_RETURN_IF_ERROR(CheckHashSize("second_root", second_root));
    GW_RETURN_IF_ERROR(CheckProof(proof, 0));
    return CheckMatch("first_root", EmptyRoot(), first_root);
  }
  GW_ASSIGN_OR_RETURN(
      std::string computed,
      RootFromConsistencyProof(first, second, proof, first_root));
  GW_RETURN_IF_ERROR(CheckHashSize("second_root", second_root));
  return CheckMatch("second_root", computed, second_root);
}

}  // namespace gw::audit
