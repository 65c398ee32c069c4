// gateway/store/sqlite/sqlite_audit_verify.h
//
// VerifyStoredAuditTree is SqliteStore::VerifyAuditTree (store.h): it
// recomputes the audit tree from the stored leaf bytes and checks every
// stored node, the newest kept checkpoint and the head the store committed.
//
// It streams: one pass over audit_log in leaf order, and one cursor per tree
// level over audit_nodes in index order, each node compared as the
// recomputing CompactRange completes it. Memory is O(log n); time is one
// leaf hash and about one node hash and two row reads per leaf.
//
// Errors (DATA_LOSS, the first problem found, in leaf order):
//  "audit log: leaf N is missing (next stored is M)"
//  "audit log: leaf N does not match its stored hash: the entry was altered"
//  "audit log: node (L, i) does not match the hash recomputed from the
//   leaves: the node was altered"
//  "audit log: node (L, i) is missing" / "... is stored but is not a node of
//   the tree of N leaves"
//  "audit log: root at size N differs from the signed checkpoint: history
//   was rewritten"
//  "audit log: root at size N differs from the head this gateway committed:
//   the log was rewritten"
//  "audit log: N leaves stored, but ... covers M: entries were deleted"
// Others from SQLite.
// Threads: as the Connection. Call inside a read transaction on `db` (one
// snapshot), begun after `committed` was taken, so the snapshot holds at
// least committed.size leaves.
#ifndef GW_STORE_SQLITE_SQLITE_AUDIT_VERIFY_H_
#define GW_STORE_SQLITE_SQLITE_AUDIT_VERIFY_H_

#include <cstdint>
#include <functional>

#include "absl/status/status.h"
#include "gateway/store/sqlite/sqlite_connection.h"
#include "gateway/store/store.h"

namespace gw::store::sqlite {

// Leaves between two progress reports.
inline constexpr uint64_t kVerifyProgressEvery = 10000;

// `committed`: the store's head when the check began. `progress` (may be
// empty) is called with (leaves checked, leaves in the snapshot) every
// kVerifyProgressEvery leaves and once at the end.
[[nodiscard]] absl::Status VerifyStoredAuditTree(
    Connection* db, const AuditTreeHead& committed,
    const std::function<void(uint64_t, uint64_t)>& progress);

}  // namespace gw::store::sqlite

#endif  // GW_STORE_SQLITE_SQLITE_AUDIT_VERIFY_H_
