#include "gateway/store/sqlite/sqlite_connection.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/store/sqlite/sqlite_status.h"

namespace gw::store::sqlite {

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(
    const std::string& path, Mode mode, absl::Duration busy_timeout) {
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  flags |= mode == Mode::kReadWrite
               ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
               : SQLITE_OPEN_READONLY;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // sqlite3_open_v2 allocates a handle even on failure (unless out of
  // memory); own it before anything else.
  SqliteDbPtr db(raw);
  if (rc != SQLITE_OK) {
    return StatusFromSqlite(rc, db.get(), "open database");
  }
  const int64_t timeout_ms =
      std::clamp<int64_t>(absl::ToInt64Milliseconds(busy_timeout), 0,
                          std::numeric_limits<int>::max());
  if (const int busy_rc =
          sqlite3_busy_timeout(db.get(), static_cast<int>(timeout_ms));
      busy_rc != SQLITE_OK) {
    return StatusFromSqlite(busy_rc, db.get(), "set busy timeout");
  }
  return std::unique_ptr<Connection>(new Connection(std::move(db)));
}

Connection::Connection(SqliteDbPtr db) : db_(std::move(db)) {}

absl::Status Connection::Exec(const std::string& sql) {
  const int rc =
      sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return StatusFromSqlite(rc, db_.get(), "exec");
  return absl::OkStatus();
}

absl::StatusOr<Statement> Connection::Prepare(absl::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc =
        sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &raw, &tail);
    SqliteStatementPtr stmt(raw);
    if (rc != SQLITE_OK) return StatusFromSqlite(rc, db_.get(), "prepare");
    if (stmt == nullptr) {
      return absl::InternalError("sqlite: prepare: empty SQL statement");
    }
    if (tail != nullptr && tail != sql.data() + sql.size()) {
      return absl::InternalError(
          "sqlite: prepare: more than one SQL statement in one Prepare()");
    }
    auto cached = std::make_unique<CachedStatement>();
    cached->stmt = std::move(stmt);
    it = cache_.emplace(std::string(sql), std::move(cached)).first;
  }
  CachedStatement& cached = *it->second;
  if (cached.in_use) {
    return absl::InternalError(
        absl::StrCat("sqlite: statement already in use: ", sql.substr(0, 60)));
  }
  return Statement(cached.stmt.get(), db_.get(), &cached.in_use);
}

bool Connection::InTransaction() const {
  return sqlite3_get_autocommit(db_.get()) == 0;
}

int64_t Connection::Changes() const { return sqlite3_changes64(db_.get()); }

absl::StatusOr<Transaction> Transaction::Begin(Connection* db, Kind kind) {
  absl::StatusOr<Statement> begin =
      db->Prepare(kind == Kind::kWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  if (!begin.ok()) return begin.status();
  if (absl::Status status = begin->Run(); !status.ok()) return status;
  return Transaction(db);
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() { Rollback(); }

absl::Status Transaction::Commit() {
  if (db_ == nullptr) {
    return absl::InternalError("sqlite: commit: no open transaction");
  }
  absl::Status status;
  if (absl::StatusOr<Statement> commit = db_->Prepare("COMMIT"); commit.ok()) {
    status = commit->Run();
  } else {
    status = commit.status();
  }
  if (!status.ok()) {
    Rollback();
    return status;
  }
  db_ = nullptr;
  return absl::OkStatus();
}

void Transaction::Rollback() {
  Connection* db = std::exchange(db_, nullptr);
  // SQLite may already have rolled back by itself (after SQLITE_FULL or
  // SQLITE_IOERR); ROLLBACK would then fail with "no transaction is active".
  if (db == nullptr || !db->InTransaction()) return;
  // A failed ROLLBACK cannot be reported from a destructor; SQLite rolls
  // the transaction back when the connection closes in any case, and the
  // caller already returns the error that led here.
  if (absl::StatusOr<Statement> rollback = db->Prepare("ROLLBACK");
      rollback.ok()) {
    rollback->Run().IgnoreError();
  }
}

}  // namespace gw::store::sqlite
