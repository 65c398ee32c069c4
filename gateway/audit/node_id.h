// gateway/audit/node_id.h
//
// NodeId names one node of the audit Merkle tree by position, independent of
// the tree's size: level 0 holds the leaves, and node (level L, index i)
// covers leaves [i * 2^L, (i + 1) * 2^L). A node is *complete* in a tree of
// size n when it covers no leaf at or beyond n; the hash of a complete node
// never changes as the log grows, which is why only complete nodes are
// stored (gateway/store keys its node table by NodeId) and why proofs are
// planned over complete nodes only (proof_nodes.h).
//
// Value type: copyable, comparable (level first, then index), hashable with
// absl::Hash. Thread safety: none needed.
#ifndef GW_AUDIT_NODE_ID_H_
#define GW_AUDIT_NODE_ID_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <utility>

namespace gw::audit {

struct NodeId {
  uint32_t level = 0;
  uint64_t index = 0;

  // The node one level up that contains this one.
  constexpr NodeId Parent() const { return NodeId{level + 1, index >> 1}; }
  // The other child of Parent().
  constexpr NodeId Sibling() const { return NodeId{level, index ^ 1}; }
  // First leaf covered, and one past the last. REQUIRES: level < 64 and the
  // result fits in 64 bits (true for every node of a tree of < 2^63 leaves).
  constexpr uint64_t FirstLeaf() const { return index << level; }
  constexpr uint64_t EndLeaf() const { return (index + 1) << level; }

  // "(level, index)", e.g. "(3, 17)"; for messages and test names.
  std::string ToString() const;

  template <typename H>
  friend H AbslHashValue(H h, const NodeId& id) {
    return H::combine(std::move(h), id.level, id.index);
  }
};

constexpr bool operator==(const NodeId& a, const NodeId& b) {
  return a.level == b.level && a.index == b.index;
}
constexpr bool operator!=(const NodeId& a, const NodeId& b) {
  return !(a == b);
}
constexpr bool operator<(const NodeId& a, const NodeId& b) {
  return a.level != b.level ? a.level < b.level : a.index < b.index;
}

std::ostream& operator<<(std::ostream& os, const NodeId& id);

}  // namespace gw::audit

#endif  // GW_AUDIT_NODE_ID_H_
