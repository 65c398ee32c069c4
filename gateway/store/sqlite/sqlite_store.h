// gateway/store/sqlite/sqlite_store.h
//
// SqliteStore is the embedded Store (store.h): one SQLite 3 database file
// holding alerts with their outbox rows, cases with their history, and the
// audit log. It implements store.h's contract exactly; this comment adds
// what is specific to SQLite.
//
// Durability:
//  * WAL journal, synchronous=FULL (Options::synchronous_full): when
//    Commit() returns OK the WAL has been fsync'd, so the batch survives a
//    crash or power loss. One Commit() is one transaction and one fsync, no
//    matter how many writes the batch holds (group commit).
//    synchronous_full = false selects synchronous=NORMAL: still crash-safe
//    for the process, but the last commits may be lost on power failure.
//  * foreign_keys=ON; every child row references its parent.
//  * temp_store=MEMORY on the writer: the per-write savepoint journals stay
//    in memory (on disk they cost a pwrite per page per write).
// Commit():
//  * BEGIN IMMEDIATE; per write a SAVEPOINT, released on success and rolled
//    back to when the write fails its own checks (ALREADY_EXISTS,
//    PERMISSION_DENIED, NOT_FOUND; INVALID_ARGUMENT for a missing id or an
//    update whose payload owner_agency is not the case's owner; INTERNAL for
//    a broken invariant such as a reused message_id): that write
//    leaves no trace, its batch-mates still commit. Then one COMMIT.
//  * The batch as a whole fails, nothing is applied, and every write's
//    result.status repeats the error, when SQLite reports BUSY/LOCKED
//    (ABORTED: retry the batch), FULL/IOERR/READONLY (UNAVAILABLE), NOMEM
//    (RESOURCE_EXHAUSTED) or corruption (DATA_LOSS).
//  * Audit leaf indexes are 0-based and dense, assigned in commit order. A
//    newly stored alert takes `audit` and then its `more_audit` entries as
//    consecutive leaves, in its savepoint.
//  * A SaveCheckpoint refused for its root (DATA_LOSS) fails only its own
//    write, like the other per-write refusals.
//  * Beyond store.h, INVALID_ARGUMENT refuses: an AcceptAlert whose
//    `inbound` lacks sender_agency, message_id or received_sha256, or whose
//    record has deliveries ("record.deliveries: must be empty for an
//    inbound alert"); an UpdateDelivery without message_id,
//    delivery.message_id or delivery.state.
//  * An inbound alert that duplicates a stored alert_id under a new message
//    id (store.h: stores nothing) reports its own receipt_warnings: they
//    describe the bytes of that message.
//  * An UpdateDelivery that store.h's state table forbids is refused with
//    FAILED_PRECONDITION "delivery.state: the delivery is <current> ...
//    cannot become <wanted> ..." (checked after NOT_FOUND, before the new
//    message id's ALREADY_EXISTS).
//  * UpdateDelivery ignores delivery.recipient and delivery.updated_at (the
//    recipient never changes; updated_at is `at`). Without `audit` it
//    leaves audit_leaf_index 0 and audit_leaf_data empty.
// Outbox (sqlite_outbox.h): each deliveries row carries its alert's
//  case_ref, origin_agency and priority. PendingDeliveries reads only the
//  partial index deliveries_pending (state IN (1, 2, 4)) and those rows, in
//  one read snapshot: its cost grows with the pending rows, not with the
//  outbox history. ListDeliveries pages by seq through an index for an
//  alert, a recipient, one state or the pending states (FindDeliveries in
//  sqlite_outbox.h for the rest). Partner messages are kept in
//  inbound_messages, one row per (sender_agency, message_id), written with
//  their alert and kept for good (no purge yet; received_at_us is there for
//  the 400-day retention of partners/README.md 2.2); InboundMessageDigest
//  is one primary-key lookup there.
// Alert visibility: alert_recipients holds one row per (recipient agency,
//  alert), written with the alert from alert.recipients (inbound alerts
//  included, which have no deliveries). ListAlerts with visible_to_agency
//  walks alerts in seq order and probes that table's primary key once per
//  alert not from the agency.
// Audit leaf data: the deterministic serialization of gw.v1.AuditEntry
//  (audit_leaf_data.h), stored as given and returned byte for byte by
//  ReadAuditLog() and SearchAudit().
// Audit tree (sqlite_audit_log.h):
//  * Each appended leaf stores, in its write's savepoint, the complete
//    Merkle nodes it completes (table audit_nodes) and its object ids
//    (audit_objects). A write rolled back, or a batch whose transaction
//    fails, leaves neither rows nor leaves in the in-memory tree.
//  * The store keeps the tree's frontier (audit::CompactRange, O(log n)
//    hashes) in memory. Open() loads it with popcount(size) node reads, never
//    a scan; AuditHead() is served from memory and changes only after a
//    COMMIT, so a proof up to the head a reader saw finds every node.
//  * ReadAuditNodes: one read transaction on a pooled reader, one indexed
//    lookup per id on one cached statement. About 20-45 us for the ~21
//    nodes of an inclusion proof at 100k leaves (CPU time, measured by
//    tests/unit/gateway/store/audit_tree_test.cc on a shared 2-core box).
//  * VerifyAuditTree streams the whole log once on one pooled reader
//    (sqlite_audit_verify.h): about 0.2-0.4 s of CPU per 100k leaves,
//    memory O(log n). Meant for start-up and for operators; it holds one
//    read snapshot (and so delays WAL checkpoints) while it runs.
//  * Commit refuses (DATA_LOSS) if the database holds a different number of
//    leaves than the in-memory tree: another process wrote the file.
// Paging: page tokens are opaque to callers; a token from one list is
//  refused by the others with INVALID_ARGUMENT "page_token: ...". page_size
//  is clamped to 1..1000.
// Schema: versioned migrations (sqlite_schema.h) run in one transaction at
//  Open(); opening a database written by a newer gatewayd fails with
//  FAILED_PRECONDITION and leaves the file untouched. Migration 2 (the tree
//  tables) backfills a version-1 log by replaying its leaves, once;
//  migration 3 (outbox columns, inbound_messages) copies case_ref and
//  origin_agency onto the existing deliveries and parses each stored alert
//  record once for its priority; migration 4 (alert_recipients) parses each
//  stored alert record once more for its recipients.
//  Open() also fails with DATA_LOSS if a frontier node of the stored tree is
//  missing or not 32 bytes.
// Threads: Commit() takes a writer mutex and uses the only read-write
//  connection. Reads run on a pool of `read_connections` read-only
//  connections, each read in its own read transaction (a consistent
//  snapshot), concurrently with each other and with Commit(); a read waits
//  only when every pooled connection is busy. All methods are thread-safe.
// Files: `path`, `path`-wal and `path`-shm. One gatewayd process per file.
#ifndef GW_STORE_SQLITE_SQLITE_STORE_H_
#define GW_STORE_SQLITE_SQLITE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "gateway/audit/compact_range.h"
#include "gateway/audit/node_id.h"
#include "gateway/store/sqlite/sqlite_connection.h"
#include "gateway/store/sqlite/sqlite_connection_pool.h"
#include "gateway/store/store.h"

namespace gw::store {

struct SqliteStoreOptions {
  // Read-only connections in the read pool: how many reads run at once.
  // 1..64.
  int read_connections = 4;
  // synchronous=FULL (durable across power loss) rather than NORMAL.
  bool synchronous_full = true;
  // How long a statement waits for a lock held by another connection
  // before failing with ABORTED.
  absl::Duration busy_timeout = absl::Seconds(5);
};

class SqliteStore final : public Store {
 public:
  using Options = SqliteStoreOptions;

  // Opens (creating if missing, with its parent directory) the database at
  // `path`, a file name, and migrates its schema to the current version.
  // Errors:
  //  INVALID_ARGUMENT     path empty or not a file name (":memory:", "file:"
  //                       URIs); options out of range
  //  FAILED_PRECONDITION  the database's schema is newer than this code
  //  UNAVAILABLE          the directory or file cannot be created or opened
  //  DATA_LOSS            the file is not a SQLite database, or the audit
  //                       tree lacks a frontier node ("audit log: cannot
  //                       load the tree of N leaves: ...")
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(
      const std::string& path, Options options = Options());

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;
  ~SqliteStore() override = default;

  [[nodiscard]] absl::Status Commit(absl::Span<Write* const> batch) override
      ABSL_LOCKS_EXCLUDED(writer_mu_);

  [[nodiscard]] absl::StatusOr<gw::v1::AlertRecord> GetAlert(
      absl::string_view alert_id) override;
  [[nodiscard]] absl::StatusOr<AlertPage> ListAlerts(
      const AlertQuery& query) override;
  [[nodiscard]] absl::StatusOr<gw::v1::CaseStatus> GetCase(
      absl::string_view case_ref) override;
  [[nodiscard]] absl::StatusOr<CasePage> ListCases(
      const CaseQuery& query) override;
  [[nodiscard]] absl::StatusOr<std::vector<DeliveryRow>> PendingDeliveries()
      override;
  [[nodiscard]] absl::StatusOr<DeliveryPage> ListDeliveries(
      const DeliveryQuery& query) override;
  [[nodiscard]] absl::StatusOr<DeliveryRow> GetDelivery(
      absl::string_view message_id) override;
  [[nodiscard]] absl::StatusOr<std::string> InboundMessageEvidence(
      absl::string_view sender_agency, absl::string_view message_id) override;
  [[nodiscard]] absl::StatusOr<std::string> InboundMessageDigest(
      absl::string_view sender_agency, absl::string_view message_id) override;
  [[nodiscard]] absl::StatusOr<uint64_t> AuditLogSize() override;
  [[nodiscard]] absl::StatusOr<std::vector<AuditLeaf>> ReadAuditLog(
      uint64_t start, uint64_t count) override;

  [[nodiscard]] absl::StatusOr<AuditTreeHead> AuditHead() override
      ABSL_LOCKS_EXCLUDED(head_mu_);
  [[nodiscard]] absl::StatusOr<std::vector<std::string>> ReadAuditNodes(
      absl::Span<const audit::NodeId> ids) override;
  [[nodiscard]] absl::StatusOr<gw::v1::Checkpoint> LatestCheckpoint() override;
  [[nodiscard]] absl::StatusOr<AuditPage> SearchAudit(
      const AuditQuery& query) override;
  [[nodiscard]] absl::Status VerifyAuditTree(
      const std::function<void(uint64_t, uint64_t)>& progress) override
      ABSL_LOCKS_EXCLUDED(head_mu_);

 private:
  SqliteStore(std::unique_ptr<sqlite::Connection> writer,
              std::vector<std::unique_ptr<sqlite::Connection>> readers,
              audit::CompactRange range);

  [[nodiscard]] absl::Status CommitLocked(absl::Span<Write* const> batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mu_);

  absl::Mutex writer_mu_;
  // Declared before readers_ so it is closed last: the last connection to
  // close checkpoints the WAL, which a read-only connection cannot do.
  const std::unique_ptr<sqlite::Connection> writer_
      ABSL_PT_GUARDED_BY(writer_mu_);
  sqlite::ConnectionPool readers_;
  // The committed tree plus, during Commit, the batch's leaves so far.
  audit::CompactRange range_ ABSL_GUARDED_BY(writer_mu_);
  // Taken after writer_mu_ when both are held, never across I/O.
  absl::Mutex head_mu_ ABSL_ACQUIRED_AFTER(writer_mu_);
  // The committed head, published after each COMMIT that grew the log.
  AuditTreeHead head_ ABSL_GUARDED_BY(head_mu_);
};

}  // namespace gw::store

#endif  // GW_STORE_SQLITE_SQLITE_STORE_H_
