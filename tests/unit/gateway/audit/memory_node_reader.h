// tests/unit/gateway/audit/memory_node_reader.h
//
// MemoryNodeReader is an in-memory NodeReader fake, filled only from
// CompactRange::Append's visitor through Put() (so a proof plan that asks for
// anything else fails with NOT_FOUND). It counts ReadNodes calls and node
// reads, and has switches to play a broken store: fail every read with a
// status, or drop / truncate one stored hash.
#ifndef GW_TESTS_UNIT_GATEWAY_AUDIT_MEMORY_NODE_READER_H_
#define GW_TESTS_UNIT_GATEWAY_AUDIT_MEMORY_NODE_READER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "gateway/audit/node_id.h"
#include "gateway/audit/node_reader.h"

namespace gw::audit::testing {

class MemoryNodeReader : public NodeReader {
 public:
  absl::StatusOr<std::vector<std::string>> ReadNodes(
      absl::Span<const NodeId> ids) const override {
    ++calls_;
    reads_ += ids.size();
    if (!fail_with_.ok()) return fail_with_;
    std::vector<std::string> hashes;
    hashes.reserve(ids.size());
    for (const NodeId& id : ids) {
      auto it = nodes_.find(id);
      if (it == nodes_.end()) {
        return absl::NotFoundError(absl::StrCat(id.ToString(), " not stored"));
      }
      hashes.push_back(it->second);
    }
    return hashes;
  }

  // Stores one node; call it from CompactRange::Append's visitor.
  void Put(NodeId id, absl::string_view hash) {
    nodes_[id] = std::string(hash);
  }
  void FailWith(absl::Status status) { fail_with_ = std::move(status); }
  void Erase(NodeId id) { nodes_.erase(id); }

  size_t calls() const { return calls_; }
  size_t reads() const { return reads_; }
  size_t stored() const { return nodes_.size(); }
  void ResetCounters() { calls_ = reads_ = 0; }

 private:
  absl::flat_hash_map<NodeId, std::string> nodes_;
  absl::Status fail_with_;
  mutable size_t calls_ = 0;
  mutable size_t reads_ = 0;
};

}  // namespace gw::audit::testing

#endif  // GW_TESTS_UNIT_GATEWAY_AUDIT_MEMORY_NODE_READER_H_
