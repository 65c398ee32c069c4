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
//  * Audit leaf indexes are 0-based and dense, assigned in commit order.
// Audit leaf data: the deterministic serialization of gw.v1.AuditEntry
//  (audit_leaf_data.h), stored as given and returned byte for byte by
//  ReadAuditLog().
// Paging: page tokens are opaque to callers; a token from one list is
//  refused by the other with INVALID_ARGUMENT "page_token: ...". page_size is
//  clamped to 1..1000.
// Schema: versioned migrations (sqlite_schema.h) run in one transaction at
//  Open(); opening a database written by a newer gatewayd fails with
//  FAILED_PRECONDITION and leaves the file untouched.
// Threads: Commit() takes a writer mutex and uses the only read-write
//  connection. Reads run on a pool of `read_connections` read-only
//  connections, each read in its own read transaction (a consistent
//  snapshot), concurrently with each other and with Commit(); a read waits
//  only when every pooled connection is busy. All methods are thread-safe.
// Files: `path`, `path`-wal and `path`-shm. One gatewayd process per file.
#ifndef GW_STORE_SQLITE_SQLITE_STORE_H_
#define GW_STORE_SQLITE_SQLITE_STORE_H_

#include <cstdint>
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
  //  DATA_LOSS            the file is not a SQLite database
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
  [[nodiscard]] absl::StatusOr<uint64_t> AuditLogSize() override;
  [[nodiscard]] absl::StatusOr<std::vector<AuditLeaf>> ReadAuditLog(
      uint64_t start, uint64_t count) override;

 private:
  SqliteStore(std::unique_ptr<sqlite::Connection> writer,
              std::vector<std::unique_ptr<sqlite::Connection>> readers);

  [[nodiscard]] absl::Status CommitLocked(absl::Span<Write* const> batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mu_);

  absl::Mutex writer_mu_;
  // Declared before readers_ so it is closed last: the last connection to
  // close checkpoints the WAL, which a read-only connection cannot do.
  const std::unique_ptr<sqlite::Connection> writer_
      ABSL_PT_GUARDED_BY(writer_mu_);
  sqlite::ConnectionPool readers_;
};

}  // namespace gw::store

#endif  // GW_STORE_SQLITE_SQLITE_STORE_H_
