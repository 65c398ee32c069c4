// gateway/audit/hasher.h
//
// The RFC 6962 / RFC 9162 §2.1.1 Merkle tree hash over SHA-256, as used by the
// audit log (CONTRACT.md §5):
//
//   leaf hash  = SHA-256(0x00 || leaf data)
//   node hash  = SHA-256(0x01 || left child hash || right child hash)
//   empty tree = SHA-256("")
//
// The two prefix bytes separate the domains of leaves and interior nodes, so
// no leaf can be passed off as a node (second-preimage resistance).
//
// Guarantees: every function returns exactly kHashSize (32) bytes. They cannot
// fail (gw::crypto::Sha256 aborts rather than return a wrong digest) and are
// safe to call from any thread.
#ifndef GW_AUDIT_HASHER_H_
#define GW_AUDIT_HASHER_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace gw::audit {

// Size of every hash in the tree, in bytes.
inline constexpr size_t kHashSize = 32;
// Domain-separation bytes (RFC 6962 §2.1).
inline constexpr char kLeafHashPrefix = 0x00;
inline constexpr char kNodeHashPrefix = 0x01;

// SHA-256(0x00 || leaf_data): the hash of one audit entry's exact bytes.
std::string HashLeaf(absl::string_view leaf_data);

// SHA-256(0x01 || left || right). REQUIRES: both are kHashSize bytes (the
// function hashes whatever it is given; callers check sizes of untrusted
// input before calling).
std::string HashChildren(absl::string_view left, absl::string_view right);

// SHA-256(""): the root hash of the tree with no leaves (RFC 9162 §2.1.1).
const std::string& EmptyRoot();

}  // namespace gw::audit

#endif  // GW_AUDIT_HASHER_H_
