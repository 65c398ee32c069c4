// gateway/store/sqlite/sqlite_schema.h
//
// The SQLite schema as an ordered list of migration steps, and the code that
// brings a database up to date. The schema version lives in the database
// header (PRAGMA user_version), which is transactional like any table.
//
// Guarantees:
//  * MigrateSchema applies every step newer than the database's version, and
//    sets the new version, in ONE write transaction: a crash leaves either
//    the old schema or the new one.
//  * Steps are never edited once released; a change is a new step appended
//    to the list with the next version number.
// Errors:
//  FAILED_PRECONDITION  the database's version is newer than this code knows
//                       ("database schema version N is newer than this
//                       gatewayd (M)")
//  others               from SQLite (sqlite_status.h)
// Threads: call with exclusive use of `db`.
#ifndef GW_STORE_SQLITE_SQLITE_SCHEMA_H_
#define GW_STORE_SQLITE_SQLITE_SCHEMA_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gateway/store/sqlite/sqlite_connection.h"

namespace gw::store::sqlite {

// The schema version this code creates and understands.
int LatestSchemaVersion();

// PRAGMA user_version of `db` (0 for a new, empty database).
[[nodiscard]] absl::StatusOr<int> ReadSchemaVersion(Connection* db);

// Applies the missing migration steps (see above). `db` must be writable
// and not inside a transaction.
[[nodiscard]] absl::Status MigrateSchema(Connection* db);

}  // namespace gw::store::sqlite

#endif  // GW_STORE_SQLITE_SQLITE_SCHEMA_H_
