// gateway/store/sqlite/sqlite_handles.h
//
// RAII owners for SQLite handles: each is a std::unique_ptr whose deleter
// releases the handle with the matching SQLite call. Every sqlite3* and
// sqlite3_stmt* the store creates is held by one of these; nothing calls
// sqlite3_close_v2 or sqlite3_finalize by hand.
//
// Destroy statements before their database: sqlite3_close_v2 on a database
// with live statements only turns it into a zombie that the last
// sqlite3_finalize closes, so the order is safe either way, but it keeps
// file handles open longer than needed.
#ifndef GW_STORE_SQLITE_SQLITE_HANDLES_H_
#define GW_STORE_SQLITE_SQLITE_HANDLES_H_

#include <sqlite3.h>

#include <memory>

namespace gw::store::sqlite {

struct SqliteDbDeleter {
  // The result code is ignored: a destructor cannot report it, and
  // sqlite3_close_v2 releases the handle in every case.
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};

struct SqliteStatementDeleter {
  // sqlite3_finalize repeats the statement's last error, which was already
  // reported where the statement was stepped.
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};

using SqliteDbPtr = std::unique_ptr<sqlite3, SqliteDbDeleter>;
using SqliteStatementPtr =
    std::unique_ptr<sqlite3_stmt, SqliteStatementDeleter>;

}  // namespace gw::store::sqlite

#endif  // GW_STORE_SQLITE_SQLITE_HANDLES_H_
