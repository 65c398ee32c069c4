#include "gateway/store/sqlite/sqlite_queries.h"

#include <google/protobuf/util/time_util.h>

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gateway/store/sqlite/sqlite_outbox.h"
#include "gateway/util/status_macros.h"

namespace gw::store::sqlite {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kSelectAlert[] =
    "SELECT payload_sha256, audit_leaf_index, record FROM alerts "
    "WHERE alert_id = ?1";
constexpr char kSelectCaseOwner[] =
    "SELECT owner_agency FROM cases WHERE case_ref = ?1";
constexpr char kSelectCase[] =
    "SELECT owner_agency, state, updated_at_us FROM cases WHERE case_ref = ?1";
constexpr char kSelectCaseShares[] =
    "SELECT agency FROM case_shares WHERE case_ref = ?1 ORDER BY agency";
constexpr char kSelectCaseAlertIds[] =
    "SELECT alert_id FROM alerts WHERE case_ref = ?1 ORDER BY seq";
constexpr char kSelectCaseEvents[] =
    "SELECT event FROM case_events WHERE case_ref = ?1 ORDER BY seq";
constexpr char kSelectCaseUpdate[] =
    "SELECT payload_sha256, audit_leaf_index FROM case_updates "
    "WHERE case_ref = ?1 AND update_id = ?2";
constexpr char kSelectAlertRecordsFrom[] =
    "SELECT seq, alert_id, record FROM alerts WHERE seq > ?1 ORDER BY seq "
    "LIMIT ?2";
constexpr char kAuditLogSize[] =
    "SELECT COALESCE(MAX(leaf_index) + 1, 0) FROM audit_log";

// Runs `stmt` to the end, calling `on_row` for each row.
template <typename OnRow>
absl::Status ForEachRow(Statement& stmt, OnRow on_row) {
  while (true) {
    GW_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return absl::OkStatus();
    GW_RETURN_IF_ERROR(on_row());
  }
}

}  // namespace

int64_t MicrosFromTimestamp(const google::protobuf::Timestamp& timestamp) {
  return TimeUtil::TimestampToMicroseconds(timestamp);
}

google::protobuf::Timestamp TimestampFromMicros(int64_t micros) {
  return TimeUtil::MicrosecondsToTimestamp(micros);
}

absl::Status ParseStored(absl::string_view bytes,
                         google::protobuf::MessageLite* message,
                         absl::string_view what) {
  if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(
        absl::StrCat("sqlite: stored ", what, " does not parse"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<StoredAlert>> FindAlert(
    Connection* db, absl::string_view alert_id) {
  StoredAlert stored;
  {
    GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSelectAlert));
    GW_RETURN_IF_ERROR(stmt.BindAll(alert_id));
    GW_ASSIGN_OR_RETURN(const bool found, stmt.Step());
    if (!found) return std::nullopt;
    stored.payload_sha256 = stmt.ColumnText(0);
    stored.audit_leaf_index = static_cast<uint64_t>(stmt.ColumnInt64(1));
    GW_RETURN_IF_ERROR(
        ParseStored(stmt.ColumnBlob(2), &stored.record, "alert record"));
  }
  GW_RETURN_IF_ERROR(AppendDeliveries(db, alert_id, &stored.record));
  return stored;
}

absl::Status AppendDeliveries(Connection* db, absl::string_view alert_id,
                              gw::v1::AlertRecord* record) {
  GW_ASSIGN_OR_RETURN(std::vector<DeliveryRow> rows,
                      FindDeliveriesOfAlert(db, alert_id));
  for (DeliveryRow& row : rows) {
    *record->add_deliveries() = std::move(row.delivery);
  }
  return absl::OkStatus();
}

absl::Status ForEachStoredAlertRecord(
    Connection* db, int64_t chunk_size,
    const std::function<absl::Status(const std::string& alert_id,
                                     const gw::v1::AlertRecord& record)>& visit,
    const std::function<absl::Status()>& flush) {
  int64_t after = 0;
  while (true) {
    int64_t rows = 0;
    {
      GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSelectAlertRecordsFrom));
      GW_RETURN_IF_ERROR(stmt.BindAll(after, chunk_size));
      GW_RETURN_IF_ERROR(ForEachRow(stmt, [&]() -> absl::Status {
        ++rows;
        after = stmt.ColumnInt64(0);
        gw::v1::AlertRecord record;
        const absl::string_view bytes = stmt.ColumnBlob(2);
        if (!record.ParseFromArray(bytes.data(),
                                   static_cast<int>(bytes.size()))) {
          return absl::DataLossError(
              absl::StrCat("alerts: record at seq ", after, " does not parse"));
        }
        return visit(stmt.ColumnText(1), record);
      }));
    }
    if (rows == 0) return absl::OkStatus();
    GW_RETURN_IF_ERROR(flush());
  }
}

absl::StatusOr<std::optional<std::string>> FindCaseOwner(
    Connection* db, absl::string_view case_ref) {
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSelectCaseOwner));
  GW_RETURN_IF_ERROR(stmt.BindAll(case_ref));
  GW_ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) return std::nullopt;
  return stmt.ColumnText(0);
}

absl::StatusOr<std::optional<gw::v1::CaseStatus>> FindCase(
    Connection* db, absl::string_view case_ref) {
  gw::v1::CaseStatus status;
  {
    GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSelectCase));
    GW_RETURN_IF_ERROR(stmt.BindAll(case_ref));
    GW_ASSIGN_OR_RETURN(const bool found, stmt.Step());
    if (!found) return std::nullopt;
    status.set_case_ref(std::string(case_ref));
    status.set_owner_agency(stmt.ColumnText(0));
    status.set_state(
        static_cast<gw::v1::CaseStatus::State>(stmt.ColumnInt64(1)));
    *status.mutable_updated_at() = TimestampFromMicros(stmt.ColumnInt64(2));
  }
  {
    GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSelectCaseShares));
    GW_RETURN_IF_ERROR(stmt.BindAll(case_ref));
    GW_RETURN_IF_ERROR(ForEachRow(stmt, [&] {
      status.add_shared_with(stmt.ColumnText(0));
      return absl::OkStatus();
    }));
  }
  {
    GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSelectCaseAlertIds));
    GW_RETURN_IF_ERROR(stmt.BindAll(case_ref));
    GW_RETURN_IF_ERROR(ForEachRow(stmt, [&] {
      status.add_alert_ids(stmt.ColumnText(0));
      return absl::OkStatus();
    }));
  }
  {
    GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSelectCaseEvents));
    GW_RETURN_IF_ERROR(stmt.BindAll(case_ref));
    GW_RETURN_IF_ERROR(ForEachRow(stmt, [&] {
      return ParseStored(stmt.ColumnBlob(0), status.add_history(),
                         "case event");
    }));
  }
  return status;
}

absl::StatusOr<std::optional<StoredCaseUpdate>> FindCaseUpdate(
    Connection* db, absl::string_view case_ref, absl::string_view update_id) {
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSelectCaseUpdate));
  GW_RETURN_IF_ERROR(stmt.BindAll(case_ref, update_id));
  GW_ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) return std::nullopt;
  StoredCaseUpdate stored;
  stored.payload_sha256 = stmt.ColumnText(0);
  stored.audit_leaf_index = static_cast<uint64_t>(stmt.ColumnInt64(1));
  return stored;
}

absl::StatusOr<uint64_t> AuditLogSize(Connection* db) {
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kAuditLogSize));
  GW_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (!row) return absl::InternalError("sqlite: audit log size: no row");
  return static_cast<uint64_t>(stmt.ColumnInt64(0));
}

}  // namespace gw::store::sqlite
