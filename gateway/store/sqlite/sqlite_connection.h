// gateway/store/sqlite/sqlite_connection.h
//
// Connection owns one sqlite3 handle and a cache of its prepared statements.
// Prepare(sql) compiles `sql` once per connection (SQLITE_PREPARE_PERSISTENT)
// and afterwards hands out the cached statement, so the hot path never
// re-parses SQL. Transaction is the RAII scope of BEGIN ... COMMIT: a
// Transaction destroyed without Commit() rolls back.
//
// Errors: every SQLite result code is checked and mapped by StatusFromSqlite
// (sqlite_status.h).
// Ownership and threads: a Connection is opened with SQLITE_OPEN_NOMUTEX and
// must be used by one thread at a time; its Statements and Transactions must
// not outlive it.
#ifndef GW_STORE_SQLITE_SQLITE_CONNECTION_H_
#define GW_STORE_SQLITE_SQLITE_CONNECTION_H_

#include <sqlite3.h>

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gateway/store/sqlite/sqlite_handles.h"
#include "gateway/store/sqlite/sqlite_statement.h"

namespace gw::store::sqlite {

class Connection {
 public:
  enum class Mode {
    // Opens or creates the database file for reading and writing.
    kReadWrite,
    // Opens an existing database read-only.
    kReadOnly,
  };

  // Opens `path` (a file name, not a URI) with extended result codes and
  // the given busy timeout. UNAVAILABLE if the file cannot be opened.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const std::string& path, Mode mode, absl::Duration busy_timeout);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more SQL statements once, without caching (pragmas, DDL).
  [[nodiscard]] absl::Status Exec(const std::string& sql);

  // The cached prepared statement for `sql` (exactly one SQL statement).
  // INTERNAL if the same statement is already in use on this connection
  // (a nested use of one query would otherwise reset the outer loop).
  [[nodiscard]] absl::StatusOr<Statement> Prepare(absl::string_view sql);

  // True between BEGIN and COMMIT/ROLLBACK (sqlite3_get_autocommit == 0).
  // SQLite rolls a transaction back by itself after some errors (e.g.
  // SQLITE_FULL, SQLITE_IOERR); then this turns false.
  bool InTransaction() const;

  // Changes made by the most recent INSERT/UPDATE/DELETE.
  int64_t Changes() const;

  sqlite3* raw() const { return db_.get(); }

 private:
  struct CachedStatement {
    SqliteStatementPtr stmt;
    bool in_use = false;
  };

  explicit Connection(SqliteDbPtr db);

  // Declared first so it is destroyed last, after every cached statement.
  SqliteDbPtr db_;
  // Values are heap nodes so Statement can keep a pointer to `in_use`.
  absl::flat_hash_map<std::string, std::unique_ptr<CachedStatement>> cache_;
};

// A transaction on one Connection: BEGIN on Begin(), COMMIT on Commit(),
// ROLLBACK when destroyed uncommitted (also after a failed Commit()).
class Transaction {
 public:
  enum class Kind {
    // BEGIN DEFERRED: a consistent read snapshot from the first read on.
    kRead,
    // BEGIN IMMEDIATE: takes the write lock now, so the transaction cannot
    // fail later with SQLITE_BUSY on lock upgrade.
    kWrite,
  };

  [[nodiscard]] static absl::StatusOr<Transaction> Begin(Connection* db,
                                                         Kind kind);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  // COMMIT. On error the transaction is rolled back (here or by the
  // destructor) and the error returned.
  [[nodiscard]] absl::Status Commit();

 private:
  explicit Transaction(Connection* db) : db_(db) {}
  void Rollback();

  Connection* db_;  // null once committed or moved from
};

}  // namespace gw::store::sqlite

#endif  // GW_STORE_SQLITE_SQLITE_CONNECTION_H_
