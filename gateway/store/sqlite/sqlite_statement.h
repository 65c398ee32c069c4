// gateway/store/sqlite/sqlite_statement.h
//
// Statement is a borrowed use of one prepared statement from a Connection's
// cache (sqlite_connection.h): bind, step, read columns. When the Statement
// is destroyed, the prepared statement is reset and its bindings cleared, so
// the next user starts clean even after an error.
//
//   GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSelectAlert));
//   GW_RETURN_IF_ERROR(stmt.BindAll(alert_id));
//   GW_ASSIGN_OR_RETURN(bool found, stmt.Step());
//
// Binding: parameters are numbered from 1. Text and blobs are copied
// (SQLITE_TRANSIENT), so the bound value may die before Step(). An empty
// string binds as '' (never NULL); NULL is bound only through Null or an
// empty std::optional.
// Errors: every SQLite result code is checked and mapped by
// StatusFromSqlite (sqlite_status.h).
// Ownership and threads: the Statement must not outlive its Connection, and
// is used by one thread at a time (as is the Connection).
#ifndef GW_STORE_SQLITE_SQLITE_STATEMENT_H_
#define GW_STORE_SQLITE_SQLITE_STATEMENT_H_

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gw::store::sqlite {

// Binds `bytes` as a BLOB rather than TEXT.
struct Blob {
  absl::string_view bytes;
};
// Binds SQL NULL.
struct Null {};

class Statement {
 public:
  // `stmt` belongs to the connection `db`; `*in_use` is set while this
  // Statement lives (the cache refuses to hand the statement out twice).
  Statement(sqlite3_stmt* stmt, sqlite3* db, bool* in_use);
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  [[nodiscard]] absl::Status Bind(int index, int64_t value);
  [[nodiscard]] absl::Status Bind(int index, std::optional<int64_t> value);
  [[nodiscard]] absl::Status Bind(int index, absl::string_view text);
  [[nodiscard]] absl::Status Bind(int index, Blob blob);
  [[nodiscard]] absl::Status Bind(int index, std::optional<Blob> blob);
  [[nodiscard]] absl::Status Bind(int index, Null);

  // Binds `args` to parameters 1, 2, ... in order; stops at the first error.
  template <typename... Args>
  [[nodiscard]] absl::Status BindAll(const Args&... args) {
    absl::Status status;
    int index = 0;
    ((status.ok() ? (void)(status = Bind(++index, args)) : (void)0), ...);
    return status;
  }

  // Steps once: true when a row is ready, false when the statement is done.
  [[nodiscard]] absl::StatusOr<bool> Step();
  // Steps a statement that must finish without returning a row.
  [[nodiscard]] absl::Status Run();
  // Rewinds the statement so it can be stepped again (to run one query for
  // many keys); bindings are kept until rebound. Returns the error of the
  // last Step() if it failed (already reported there), else OK.
  [[nodiscard]] absl::Status Reset();

  // Column accessors for the current row (after Step() returned true).
  // Columns are numbered from 0. Views are valid until the next Step() or
  // the Statement's destruction.
  int64_t ColumnInt64(int column) const;
  std::optional<int64_t> ColumnOptionalInt64(int column) const;
  bool ColumnIsNull(int column) const;
  std::string ColumnText(int column) const;
  absl::string_view ColumnBlob(int column) const;

 private:
  [[nodiscard]] absl::Status CheckBind(int rc, int index) const;
  // A short description of the SQL for error messages.
  std::string What(absl::string_view verb) const;

  sqlite3_stmt* stmt_;
  sqlite3* db_;
  bool* in_use_;
};

}  // namespace gw::store::sqlite

#endif  // GW_STORE_SQLITE_SQLITE_STATEMENT_H_
