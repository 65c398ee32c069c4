// gateway/store/sqlite/sqlite_status.h
//
// StatusFromSqlite maps a SQLite result code to an absl::Status whose code
// tells the caller what to do next (STYLE.md "Errors"):
//
//   SQLITE_BUSY, SQLITE_LOCKED                        ABORTED (retry the
//                                                     transaction)
//   SQLITE_FULL, SQLITE_IOERR, SQLITE_CANTOPEN,
//   SQLITE_NOLFS, SQLITE_PROTOCOL, SQLITE_READONLY    UNAVAILABLE (disk full
//                                                     or failing; retry later)
//   SQLITE_NOMEM                                      RESOURCE_EXHAUSTED
//   SQLITE_CORRUPT, SQLITE_NOTADB                     DATA_LOSS
//   anything else (CONSTRAINT, MISUSE, RANGE, ...)    INTERNAL (our bug)
//
// The message reads "sqlite: <what>: <sqlite3_errmsg> (<primary code>)".
// SQLite messages name tables, columns and constraints, never bound values,
// so no personal data reaches the message. Pure function; thread-safe if
// `db` is not used concurrently.
#ifndef GW_STORE_SQLITE_SQLITE_STATUS_H_
#define GW_STORE_SQLITE_SQLITE_STATUS_H_

#include <sqlite3.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gw::store::sqlite {

// `rc` must not be SQLITE_OK, SQLITE_ROW or SQLITE_DONE. `db` may be null
// (then the generic text of `rc` is used).
[[nodiscard]] absl::Status StatusFromSqlite(int rc, sqlite3* db,
                                            absl::string_view what);

}  // namespace gw::store::sqlite

#endif  // GW_STORE_SQLITE_SQLITE_STATUS_H_
