#include "gateway/store/sqlite/sqlite_audit_log.h"

#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/audit/hasher.h"
#include "gateway/store/sqlite/audit_leaf_data.h"
#include "gateway/store/sqlite/sqlite_queries.h"
#include "gateway/util/status_macros.h"

namespace gw::store::sqlite {
namespace {

constexpr char kInsertAudit[] =
    "INSERT INTO audit_log(leaf_index, leaf_data, time_us, action, "
    "actor_agency, actor_user) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr char kInsertAuditObject[] =
    "INSERT OR IGNORE INTO audit_objects(object_id, leaf_index) "
    "VALUES (?1, ?2)";
constexpr char kInsertAuditNode[] =
    "INSERT INTO audit_nodes(level, idx, hash) VALUES (?1, ?2, ?3)";
constexpr char kSelectAuditNode[] =
    "SELECT hash FROM audit_nodes WHERE level = ?1 AND idx = ?2";
constexpr char kSelectLeafData[] =
    "SELECT leaf_data FROM audit_log WHERE leaf_index = ?1";
constexpr char kSelectLeavesFrom[] =
    "SELECT leaf_index, leaf_data FROM audit_log WHERE leaf_index >= ?1 "
    "ORDER BY leaf_index LIMIT ?2";
constexpr char kSetActorUser[] =
    "UPDATE audit_log SET actor_user = ?2 WHERE leaf_index = ?1";
constexpr char kInsertCheckpoint[] =
    "INSERT OR IGNORE INTO audit_checkpoints(tree_size, root_hash, note, "
    "time_us) VALUES (?1, ?2, ?3, ?4)";
constexpr char kSelectLatestCheckpoint[] =
    "SELECT tree_size, root_hash, note, time_us FROM audit_checkpoints "
    "ORDER BY tree_size DESC LIMIT 1";

// Leaves read per chunk by the backfill.
constexpr int64_t kBackfillChunk = 4096;

constexpr uint64_t kMaxInt64 =
    static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

// The tree rows an appended leaf adds: its audit_objects rows and the nodes
// `range` completes with it. `*range` advances.
absl::Status IndexLeaf(Connection* db, uint64_t leaf_index,
                       const gw::v1::AuditEntry& entry,
                       absl::string_view leaf_data,
                       audit::CompactRange* range) {
  for (const std::string& object_id : entry.object_ids()) {
    GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kInsertAuditObject));
    GW_RETURN_IF_ERROR(
        stmt.BindAll(object_id, static_cast<int64_t>(leaf_index)));
    GW_RETURN_IF_ERROR(stmt.Run());
  }
  if (range->size() != leaf_index) {
    return absl::InternalError(absl::StrCat("audit tree: appending leaf ",
                                            leaf_index, " to a tree of ",
                                            range->size()));
  }
  // At most 64 nodes; the visitor cannot fail, so collect, then store.
  std::vector<std::pair<audit::NodeId, std::string>> nodes;
  GW_RETURN_IF_ERROR(
      range->Append(audit::HashLeaf(leaf_data),
                    [&](audit::NodeId id, absl::string_view hash) {
                      nodes.emplace_back(id, std::string(hash));
                    }));
  for (const auto& [id, hash] : nodes) {
    GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kInsertAuditNode));
    GW_RETURN_IF_ERROR(stmt.BindAll(static_cast<int64_t>(id.level),
                                    static_cast<int64_t>(id.index),
                                    Blob{hash}));
    GW_RETURN_IF_ERROR(stmt.Run());
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<std::string>> NodeTableReader::ReadNodes(
    absl::Span<const audit::NodeId> ids) const {
  std::vector<std::string> hashes;
  hashes.reserve(ids.size());
  GW_ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kSelectAuditNode));
  for (const audit::NodeId& id : ids) {
    bool found = false;
    if (id.level < 64 && id.index <= kMaxInt64) {
      GW_RETURN_IF_ERROR(stmt.BindAll(static_cast<int64_t>(id.level),
                                      static_cast<int64_t>(id.index)));
      GW_ASSIGN_OR_RETURN(found, stmt.Step());
    }
    if (!found) {
      return absl::NotFoundError(
          absl::StrCat("audit_nodes: node ", id.ToString(), " is not stored"));
    }
    const absl::string_view hash = stmt.ColumnBlob(0);
    if (hash.size() != audit::kHashSize) {
      return absl::DataLossError(
          absl::StrCat("audit_nodes: node ", id.ToString(), ": ", hash.size(),
                       " bytes, want ", audit::kHashSize));
    }
    hashes.emplace_back(hash);
    GW_RETURN_IF_ERROR(stmt.Reset());
  }
  return hashes;
}

absl::StatusOr<AppendedLeaf> AppendAuditLeaf(Connection* db,
                                             const gw::v1::AuditEntry& entry,
                                             audit::CompactRange* range) {
  AppendedLeaf leaf;
  GW_ASSIGN_OR_RETURN(leaf.leaf_data, AuditLeafDataFromEntry(entry));
  leaf.leaf_index = range->size();
  {
    GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kInsertAudit));
    GW_RETURN_IF_ERROR(
        stmt.BindAll(static_cast<int64_t>(leaf.leaf_index),
                     Blob{leaf.leaf_data}, MicrosFromTimestamp(entry.time()),
                     entry.action(), entry.actor_agency(), entry.actor_user()));
    GW_RETURN_IF_ERROR(stmt.Run());
  }
  GW_RETURN_IF_ERROR(
      IndexLeaf(db, leaf.leaf_index, entry, leaf.leaf_data, range));
  return leaf;
}

absl::StatusOr<std::string> ReadLeafData(Connection* db, uint64_t leaf_index) {
  if (leaf_index > kMaxInt64) {
    return absl::NotFoundError("audit_log: no such leaf");
  }
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSelectLeafData));
  GW_RETURN_IF_ERROR(stmt.BindAll(static_cast<int64_t>(leaf_index)));
  GW_ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("audit_log: leaf ", leaf_index, " is not stored"));
  }
  return std::string(stmt.ColumnBlob(0));
}

absl::Status BackfillAuditTables(Connection* db) {
  audit::CompactRange range;
  while (true) {
    // Read a chunk, then write: no statement steps over audit_log while
    // audit_log rows change.
    std::vector<std::pair<uint64_t, std::string>> chunk;
    {
      GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSelectLeavesFrom));
      GW_RETURN_IF_ERROR(
          stmt.BindAll(static_cast<int64_t>(range.size()), kBackfillChunk));
      while (true) {
        GW_ASSIGN_OR_RETURN(const bool row, stmt.Step());
        if (!row) break;
        chunk.emplace_back(static_cast<uint64_t>(stmt.ColumnInt64(0)),
                           std::string(stmt.ColumnBlob(1)));
      }
    }
    if (chunk.empty()) return absl::OkStatus();
    for (const auto& [leaf_index, leaf_data] : chunk) {
      if (leaf_index != range.size()) {
        return absl::DataLossError(
            absl::StrCat("audit_log: leaf ", range.size(),
                         " missing (next stored is ", leaf_index, ")"));
      }
      gw::v1::AuditEntry entry;
      if (!entry.ParseFromString(leaf_data)) {
        return absl::DataLossError(
            absl::StrCat("audit_log: leaf ", leaf_index, " does not parse"));
      }
      if (!entry.actor_user().empty()) {
        GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSetActorUser));
        GW_RETURN_IF_ERROR(
            stmt.BindAll(static_cast<int64_t>(leaf_index), entry.actor_user()));
        GW_RETURN_IF_ERROR(stmt.Run());
      }
      GW_RETURN_IF_ERROR(IndexLeaf(db, leaf_index, entry, leaf_data, &range));
    }
  }
}

absl::StatusOr<bool> InsertCheckpoint(Connection* db,
                                      const gw::v1::Checkpoint& checkpoint) {
  std::optional<int64_t> time_us;
  if (checkpoint.has_time()) time_us = MicrosFromTimestamp(checkpoint.time());
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kInsertCheckpoint));
  GW_RETURN_IF_ERROR(stmt.BindAll(static_cast<int64_t>(checkpoint.tree_size()),
                                  Blob{checkpoint.root_hash()},
                                  checkpoint.note(), time_us));
  GW_RETURN_IF_ERROR(stmt.Run());
  return db->Changes() > 0;
}

absl::StatusOr<std::optional<gw::v1::Checkpoint>> FindLatestCheckpoint(
    Connection* db) {
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSelectLatestCheckpoint));
  GW_ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) return std::nullopt;
  gw::v1::Checkpoint checkpoint;
  checkpoint.set_tree_size(static_cast<uint64_t>(stmt.ColumnInt64(0)));
  checkpoint.set_root_hash(std::string(stmt.ColumnBlob(1)));
  checkpoint.set_note(stmt.ColumnText(2));
  if (std::optional<int64_t> at = stmt.ColumnOptionalInt64(3)) {
    *checkpoint.mutable_time() = TimestampFromMicros(*at);
  }
  return checkpoint;
}

}  // namespace gw::store::sqlite
