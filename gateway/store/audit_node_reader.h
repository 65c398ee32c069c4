// gateway/store/audit_node_reader.h
//
// StoreNodeReader lets the audit library (audit/proof_nodes.h) read the
// complete tree nodes a proof needs from a Store: one ReadAuditNodes call
// per proof.
// Ownership: `store` is not owned and must outlive the reader.
// Thread safety: as the store's reads (safe concurrently).
#ifndef GW_STORE_AUDIT_NODE_READER_H_
#define GW_STORE_AUDIT_NODE_READER_H_

#include <string>
#include <vector>

#include "gateway/audit/node_reader.h"
#include "gateway/store/store.h"

namespace gw::store {

class StoreNodeReader final : public audit::NodeReader {
 public:
  explicit StoreNodeReader(Store* store) : store_(store) {}

  absl::StatusOr<std::vector<std::string>> ReadNodes(
      absl::Span<const audit::NodeId> ids) const override {
    return store_->ReadAuditNodes(ids);
  }

 private:
  Store* const store_;  // not owned
};

}  // namespace gw::store

#endif  // GW_STORE_AUDIT_NODE_READER_H_
