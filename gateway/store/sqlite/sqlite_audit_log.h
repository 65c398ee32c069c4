// gateway/store/sqlite/sqlite_audit_log.h
//
// The audit log's tables (CONTRACT.md §5) on one Connection: appending a
// leaf together with everything derived from it, reading tree nodes, and
// keeping checkpoints. SqliteStore calls these inside its transactions;
// schema migration 2 calls BackfillAuditTables.
//
// Tables (sqlite_schema.cc): audit_log (the leaves, the truth), audit_nodes
// (every complete Merkle node, audit/node_id.h, level 0 = leaf hashes),
// audit_objects (object id -> leaf, for search) and audit_checkpoints.
//
// Guarantees:
//  * AppendAuditLeaf writes the leaf row, its audit_objects rows and exactly
//    the nodes that range->Append reports, so after every committed
//    transaction audit_nodes holds every complete node of the tree of
//    AuditLogSize() leaves and nothing else.
//  * Nothing here commits or rolls back: the caller owns the transaction.
// Errors: from SQLite (sqlite_status.h); DATA_LOSS when stored bytes are not
// what they must be (a node that is not 32 bytes, a leaf that does not
// parse during backfill).
// Threads: as the Connection (one thread at a time).
#ifndef GW_STORE_SQLITE_SQLITE_AUDIT_LOG_H_
#define GW_STORE_SQLITE_SQLITE_AUDIT_LOG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "gateway/audit/compact_range.h"
#include "gateway/audit/node_id.h"
#include "gateway/audit/node_reader.h"
#include "gateway/store/sqlite/sqlite_connection.h"
#include "gw/v1/audit.pb.h"

namespace gw::store::sqlite {

// Reads audit_nodes on `db` (not owned, must outlive the reader), one
// prepared-statement lookup per id on the caller's transaction, so a batch
// of ids reads one snapshot. Follows the NodeReader contract: NOT_FOUND
// "audit_nodes: node (L, i) is not stored" for the first missing id,
// DATA_LOSS "audit_nodes: node (L, i): N bytes, want 32". Not thread-safe
// (its Connection is not), so each thread needs its own reader.
class NodeTableReader final : public audit::NodeReader {
 public:
  explicit NodeTableReader(Connection* db) : db_(db) {}

  [[nodiscard]] absl::StatusOr<std::vector<std::string>> ReadNodes(
      absl::Span<const audit::NodeId> ids) const override;

 private:
  Connection* db_;  // not owned
};

struct AppendedLeaf {
  uint64_t leaf_index = 0;
  // The deterministic AuditEntry bytes (audit_leaf_data.h) as stored.
  std::string leaf_data;
};

// Appends `entry` as leaf range->size() and appends its leaf hash to
// `*range` (not owned), storing each node the range completes. On error
// `*range` may already hold the leaf: the caller restores its own copy as
// it rolls back the statements (SqliteStore does both per write).
[[nodiscard]] absl::StatusOr<AppendedLeaf> AppendAuditLeaf(
    Connection* db, const gw::v1::AuditEntry& entry,
    audit::CompactRange* range);

// The stored bytes of leaf `leaf_index`; NOT_FOUND if there is none.
[[nodiscard]] absl::StatusOr<std::string> ReadLeafData(Connection* db,
                                                       uint64_t leaf_index);

// Schema migration 2: fills actor_user, audit_objects and audit_nodes for
// the leaves a version-1 database holds, replaying them in order through a
// CompactRange. Streams the log in chunks (bounded memory). DATA_LOSS
// "audit_log: leaf N does not parse" or "... leaf N missing" if the stored
// log is broken, which fails the migration.
[[nodiscard]] absl::Status BackfillAuditTables(Connection* db);

// Keeps `checkpoint` (already validated by the caller) unless one of the same
// tree_size is kept; returns false in that case (the first one stays).
[[nodiscard]] absl::StatusOr<bool> InsertCheckpoint(
    Connection* db, const gw::v1::Checkpoint& checkpoint);

// The kept checkpoint with the largest tree_size, if any.
[[nodiscard]] absl::StatusOr<std::optional<gw::v1::Checkpoint>>
FindLatestCheckpoint(Connection* db);

}  // namespace gw::store::sqlite

#endif  // GW_STORE_SQLITE_SQLITE_AUDIT_LOG_H_
