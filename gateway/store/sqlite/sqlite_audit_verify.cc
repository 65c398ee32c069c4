#include "gateway/store/sqlite/sqlite_audit_verify.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gateway/audit/compact_range.h"
#include "gateway/audit/hasher.h"
#include "gateway/store/sqlite/sqlite_audit_log.h"
#include "gateway/store/sqlite/sqlite_queries.h"
#include "gateway/util/status_macros.h"

namespace gw::store::sqlite {
namespace {

constexpr char kSelectAllLeaves[] =
    "SELECT leaf_index, leaf_data FROM audit_log ORDER BY leaf_index";
constexpr char kSelectNodeAboveLevel[] =
    "SELECT level, idx FROM audit_nodes WHERE level >= ?1 "
    "ORDER BY level, idx LIMIT 1";

audit::NodeId NodeAt(int64_t level, int64_t index) {
  return audit::NodeId{static_cast<uint32_t>(level),
                       static_cast<uint64_t>(index)};
}

// The stored nodes, one cursor per level in index order, checked against
// the nodes a recomputing CompactRange completes (which come per level in
// index order, from 0 without gaps).
class StoredNodeCursors {
 public:
  explicit StoredNodeCursors(Connection* db) : db_(db) {}

  // The next stored node of `id.level` must be `id`, with `hash`.
  absl::Status Expect(audit::NodeId id, absl::string_view hash) {
    while (levels_.size() <= id.level) {
      // One statement text per level, so the cursors are distinct cached
      // statements that step side by side.
      GW_ASSIGN_OR_RETURN(
          Statement stmt,
          db_->Prepare(absl::StrCat("SELECT idx, hash FROM audit_nodes WHERE "
                                    "level = ",
                                    levels_.size(), " ORDER BY idx")));
      levels_.push_back(std::make_unique<Statement>(std::move(stmt)));
    }
    Statement& stmt = *levels_[id.level];
    GW_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) {
      return absl::DataLossError(
          absl::StrCat("audit log: node ", id.ToString(), " is missing"));
    }
    const audit::NodeId stored = NodeAt(id.level, stmt.ColumnInt64(0));
    if (stored.index > id.index) {
      return absl::DataLossError(
          absl::StrCat("audit log: node ", id.ToString(), " is missing"));
    }
    if (stored.index < id.index) {
      return absl::DataLossError(absl::StrCat(
          "audit log: node ", stored.ToString(),
          " is stored but is not a node of the tree (next expected is ",
          id.ToString(), ")"));
    }
    if (stmt.ColumnBlob(1) != hash) {
      if (id.level == 0) {
        return absl::DataLossError(
            absl::StrCat("audit log: leaf ", id.index,
                         " does not match its stored hash: the entry was "
                         "altered"));
      }
      return absl::DataLossError(absl::StrCat(
          "audit log: node ", id.ToString(),
          " does not match the hash recomputed from the leaves: the node was "
          "altered"));
    }
    return absl::OkStatus();
  }

  // No node may be stored beyond the ones expected so far, in a tree of
  // `size` leaves.
  absl::Status ExpectNoMore(uint64_t size) {
    for (size_t level = 0; level < levels_.size(); ++level) {
      Statement& stmt = *levels_[level];
      GW_ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (row) {
        return Extra(NodeAt(static_cast<int64_t>(level), stmt.ColumnInt64(0)),
                     size);
      }
    }
    GW_ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kSelectNodeAboveLevel));
    GW_RETURN_IF_ERROR(stmt.BindAll(static_cast<int64_t>(levels_.size())));
    GW_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (row)
      return Extra(NodeAt(stmt.ColumnInt64(0), stmt.ColumnInt64(1)), size);
    return absl::OkStatus();
  }

 private:
  static absl::Status Extra(audit::NodeId id, uint64_t size) {
    return absl::DataLossError(absl::StrCat(
        "audit log: node ", id.ToString(),
        " is stored but is not a node of the tree of ", size, " leaves"));
  }

  Connection* db_;  // not owned
  // Statement is movable but not assignable; heap slots keep it simple.
  std::vector<std::unique_ptr<Statement>> levels_;
};

// The roots the recomputed tree must have at the sizes someone vouched for.
absl::Status CheckRoots(const audit::CompactRange& range,
                        const std::optional<gw::v1::Checkpoint>& checkpoint,
                        const AuditTreeHead& committed) {
  const bool at_checkpoint =
      checkpoint.has_value() && checkpoint->tree_size() == range.size();
  const bool at_head = committed.size == range.size();
  if (!at_checkpoint && !at_head) return absl::OkStatus();
  const std::string root = range.Root();
  if (at_checkpoint && root != checkpoint->root_hash()) {
    return absl::DataLossError(absl::StrCat(
        "audit log: root at size ", range.size(),
        " differs from the signed checkpoint: history was rewritten"));
  }
  if (at_head && root != committed.root_hash) {
    return absl::DataLossError(absl::StrCat(
        "audit log: root at size ", range.size(),
        " differs from the head this gateway committed: the log was "
        "rewritten"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status VerifyStoredAuditTree(
    Connection* db, const AuditTreeHead& committed,
    const std::function<void(uint64_t, uint64_t)>& progress) {
  GW_ASSIGN_OR_RETURN(const uint64_t size, AuditLogSize(db));
  GW_ASSIGN_OR_RETURN(const std::optional<gw::v1::Checkpoint> checkpoint,
                      FindLatestCheckpoint(db));
  if (committed.size > size) {
    return absl::DataLossError(absl::StrCat("audit log: ", size,
                                            " leaves stored, but this gateway "
                                            "committed ",
                                            committed.size,
                                            ": entries were deleted"));
  }
  if (checkpoint.has_value() && checkpoint->tree_size() > size) {
    return absl::DataLossError(
        absl::StrCat("audit log: ", size,
                     " leaves stored, but the signed checkpoint covers ",
                     checkpoint->tree_size(), ": entries were deleted"));
  }

  audit::CompactRange range;
  StoredNodeCursors nodes(db);
  GW_RETURN_IF_ERROR(CheckRoots(range, checkpoint, committed));
  {
    GW_ASSIGN_OR_RETURN(Statement leaves, db->Prepare(kSelectAllLeaves));
    while (range.size() < size) {
      GW_ASSIGN_OR_RETURN(const bool row, leaves.Step());
      const uint64_t want = range.size();
      const uint64_t got =
          row ? static_cast<uint64_t>(leaves.ColumnInt64(0)) : size;
      if (got != want) {
        return absl::DataLossError(absl::StrCat("audit log: leaf ", want,
                                                " is missing (next stored is ",
                                                got, ")"));
      }
      absl::Status node_status;
      GW_RETURN_IF_ERROR(
          range.Append(audit::HashLeaf(leaves.ColumnBlob(1)),
                       [&](audit::NodeId id, absl::string_view hash) {
                         if (node_status.ok())
                           node_status = nodes.Expect(id, hash);
                       }));
      GW_RETURN_IF_ERROR(node_status);
      GW_RETURN_IF_ERROR(CheckRoots(range, checkpoint, committed));
      if (progress && range.size() % kVerifyProgressEvery == 0) {
        progress(range.size(), size);
      }
    }
  }
  GW_RETURN_IF_ERROR(nodes.ExpectNoMore(size));
  if (progress && (size == 0 || size % kVerifyProgressEvery != 0)) {
    progress(size, size);
  }
  return absl::OkStatus();
}

}  // namespace gw::store::sqlite
