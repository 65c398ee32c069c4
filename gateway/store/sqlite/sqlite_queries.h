// gateway/store/sqlite/sqlite_queries.h
//
// The store's lookups on one Connection, shared by the writer (inside
// Commit's transaction) and the read pool: each runs cached prepared
// statements and turns rows into gw.v1 messages.
//
// Guarantees: a lookup reads only; absence is an empty std::optional, never
// an error.
// Errors: from SQLite (sqlite_status.h); DATA_LOSS when a stored protobuf
// blob does not parse.
// Threads: as the Connection (one thread at a time).
#ifndef GW_STORE_SQLITE_SQLITE_QUERIES_H_
#define GW_STORE_SQLITE_SQLITE_QUERIES_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/store/sqlite/sqlite_connection.h"
#include "google/protobuf/timestamp.pb.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"

namespace gw::store::sqlite {

// Microseconds since the Unix epoch, the unit of every *_us column.
int64_t MicrosFromTimestamp(const google::protobuf::Timestamp& timestamp);
google::protobuf::Timestamp TimestampFromMicros(int64_t micros);

// Parses a stored protobuf blob; DATA_LOSS "sqlite: stored <what> ..." if it
// does not parse.
[[nodiscard]] absl::Status ParseStored(absl::string_view bytes,
                                       google::protobuf::MessageLite* message,
                                       absl::string_view what);

struct StoredAlert {
  std::string payload_sha256;
  uint64_t audit_leaf_index = 0;
  // With its deliveries, in the order they were accepted.
  gw::v1::AlertRecord record;
};

// The alert `alert_id` with its deliveries.
[[nodiscard]] absl::StatusOr<std::optional<StoredAlert>> FindAlert(
    Connection* db, absl::string_view alert_id);

// Appends the deliveries of `alert_id` to record->deliveries.
[[nodiscard]] absl::Status AppendDeliveries(Connection* db,
                                            absl::string_view alert_id,
                                            gw::v1::AlertRecord* record);

// For schema backfills of what SQL cannot derive from a record blob: reads
// every stored alert record (without deliveries) in seq order, `chunk_size`
// alerts at a time, calling `visit(alert_id, record)` for each; after each
// chunk, once no statement reads alerts any more, calls `flush()`, where the
// backfill writes what it collected. So memory stays bounded by one chunk,
// and no statement steps over a table while rows change.
// DATA_LOSS "alerts: record at seq N does not parse"; errors of `visit` and
// `flush` end the walk.
[[nodiscard]] absl::Status ForEachStoredAlertRecord(
    Connection* db, int64_t chunk_size,
    const std::function<absl::Status(const std::string& alert_id,
                                     const gw::v1::AlertRecord& record)>& visit,
    const std::function<absl::Status()>& flush);

// The owner agency of case `case_ref`.
[[nodiscard]] absl::StatusOr<std::optional<std::string>> FindCaseOwner(
    Connection* db, absl::string_view case_ref);

// The case with shared_with (sorted), alert_ids (acceptance order) and
// history (oldest first).
[[nodiscard]] absl::StatusOr<std::optional<gw::v1::CaseStatus>> FindCase(
    Connection* db, absl::string_view case_ref);

struct StoredCaseUpdate {
  std::string payload_sha256;
  uint64_t audit_leaf_index = 0;
};

// The update `update_id` already applied to case `case_ref`.
[[nodiscard]] absl::StatusOr<std::optional<StoredCaseUpdate>> FindCaseUpdate(
    Connection* db, absl::string_view case_ref, absl::string_view update_id);

// The number of audit entries, which is also the next leaf index.
[[nodiscard]] absl::StatusOr<uint64_t> AuditLogSize(Connection* db);

}  // namespace gw::store::sqlite

#endif  // GW_STORE_SQLITE_SQLITE_QUERIES_H_
