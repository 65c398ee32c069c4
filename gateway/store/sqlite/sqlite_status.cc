#include "gateway/store/sqlite/sqlite_status.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace gw::store::sqlite {

absl::Status StatusFromSqlite(int rc, sqlite3* db, absl::string_view what) {
  const int primary = rc & 0xff;
  // sqlite3_errmsg describes the most recent failure on `db`; use it only
  // when it is about this result code.
  const char* text = (db != nullptr && (sqlite3_errcode(db) & 0xff) == primary)
                         ? sqlite3_errmsg(db)
                         : sqlite3_errstr(rc);
  std::string message =
      absl::StrCat("sqlite: ", what, ": ", text, " (", primary, ")");
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::AbortedError(message);
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_NOLFS:
    case SQLITE_PROTOCOL:
    case SQLITE_READONLY:
      return absl::UnavailableError(message);
    case SQLITE_NOMEM:
      return absl::ResourceExhaustedError(message);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(message);
    default:
      return absl::InternalError(message);
  }
}

}  // namespace gw::store::sqlite
