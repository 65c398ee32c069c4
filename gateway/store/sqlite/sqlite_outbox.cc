#include "gateway/store/sqlite/sqlite_outbox.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/store/sqlite/sqlite_queries.h"
#include "gateway/util/status_macros.h"

namespace gw::store::sqlite {
namespace {

// deliveries_pending (sqlite_schema.cc) indexes exactly these states, and
// SQLite uses a partial index only for a query that spells its condition
// the same way, so the SQL below writes the numbers out.
static_assert(gw::v1::Delivery::QUEUED == 1 && gw::v1::Delivery::SENT == 2 &&
                  gw::v1::Delivery::RETRYING == 4,
              "deliveries_pending is defined on state IN (1, 2, 4)");

bool ArePendingStates(const std::set<int>& states) {
  return states == std::set<int>{1, 2, 4};
}

// The columns ReadRow reads, in its order.
#define GW_DELIVERY_ROW_COLUMNS                                          \
  "seq, alert_id, case_ref, origin_agency, priority, recipient, state, " \
  "message_id, updated_at_us, attempts, next_attempt_at_us, reason, "    \
  "receipt"

constexpr char kInsertDelivery[] =
    "INSERT INTO deliveries(alert_id, recipient, message_id, state, "
    "updated_at_us, attempts, next_attempt_at_us, reason, receipt, "
    "case_ref, origin_agency, priority) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
constexpr char kSelectDeliveriesOfAlert[] =
    "SELECT " GW_DELIVERY_ROW_COLUMNS
    " FROM deliveries WHERE alert_id = ?1 ORDER BY seq";
constexpr char kSelectDelivery[] =
    "SELECT " GW_DELIVERY_ROW_COLUMNS " FROM deliveries WHERE message_id = ?1";
// INDEXED BY: the start-up read must never fall back to a scan of the
// whole outbox history, whatever the planner estimates.
constexpr char kSelectPending[] =
    "SELECT " GW_DELIVERY_ROW_COLUMNS
    " FROM deliveries INDEXED BY deliveries_pending "
    "WHERE state IN (1, 2, 4) ORDER BY seq";
constexpr char kSetProgress[] =
    "UPDATE deliveries SET message_id = ?2, state = ?3, updated_at_us = ?4, "
    "attempts = ?5, next_attempt_at_us = ?6, reason = ?7, receipt = ?8 "
    "WHERE seq = ?1";
constexpr char kSelectInbound[] =
    "SELECT received_sha256, alert_id, audit_leaf_index, receipt_warnings "
    "FROM inbound_messages WHERE sender_agency = ?1 AND message_id = ?2";
constexpr char kSelectInboundEvidence[] =
    "SELECT evidence FROM inbound_messages "
    "WHERE sender_agency = ?1 AND message_id = ?2";
constexpr char kInsertInbound[] =
    "INSERT INTO inbound_messages(sender_agency, message_id, "
    "received_sha256, alert_id, audit_leaf_index, received_at_us, "
    "receipt_warnings, evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr char kSetPriority[] =
    "UPDATE deliveries SET priority = ?2 WHERE alert_id = ?1";

// Alerts read per chunk by the backfill.
constexpr int64_t kBackfillChunk = 1024;

std::optional<int64_t> OptionalMicros(
    bool has, const google::protobuf::Timestamp& timestamp) {
  if (!has) return std::nullopt;
  return MicrosFromTimestamp(timestamp);
}

absl::StatusOr<std::optional<std::string>> OptionalReceipt(
    const gw::v1::Delivery& delivery) {
  if (!delivery.has_receipt()) return std::nullopt;
  std::string bytes;
  if (!delivery.receipt().SerializeToString(&bytes)) {
    return absl::InternalError("sqlite: cannot serialize delivery receipt");
  }
  return bytes;
}

std::optional<Blob> AsBlob(const std::optional<std::string>& bytes) {
  if (!bytes.has_value()) return std::nullopt;
  return Blob{*bytes};
}

// Reads the GW_DELIVERY_ROW_COLUMNS of the current row.
absl::Status ReadRow(const Statement& stmt, DeliveryRow* row) {
  row->seq = stmt.ColumnInt64(0);
  row->alert_id = stmt.ColumnText(1);
  row->case_ref = stmt.ColumnText(2);
  row->origin_agency = stmt.ColumnText(3);
  row->priority = static_cast<gw::v1::CaseAlert::Priority>(stmt.ColumnInt64(4));
  gw::v1::Delivery& delivery = row->delivery;
  delivery.set_recipient(stmt.ColumnText(5));
  delivery.set_state(static_cast<gw::v1::Delivery::State>(stmt.ColumnInt64(6)));
  delivery.set_message_id(stmt.ColumnText(7));
  if (std::optional<int64_t> at = stmt.ColumnOptionalInt64(8)) {
    *delivery.mutable_updated_at() = TimestampFromMicros(*at);
  }
  delivery.set_attempts(static_cast<uint32_t>(stmt.ColumnInt64(9)));
  if (std::optional<int64_t> at = stmt.ColumnOptionalInt64(10)) {
    *delivery.mutable_next_attempt_at() = TimestampFromMicros(*at);
  }
  delivery.set_reason(stmt.ColumnText(11));
  if (!stmt.ColumnIsNull(12)) {
    GW_RETURN_IF_ERROR(ParseStored(
        stmt.ColumnBlob(12), delivery.mutable_receipt(), "delivery receipt"));
  }
  return absl::OkStatus();
}

// Steps `stmt` to the end, appending each row to `rows`.
absl::Status ReadRows(Statement& stmt, std::vector<DeliveryRow>* rows) {
  while (true) {
    GW_ASSIGN_OR_RETURN(const bool found, stmt.Step());
    if (!found) return absl::OkStatus();
    GW_RETURN_IF_ERROR(ReadRow(stmt, &rows->emplace_back()));
  }
}

}  // namespace

absl::Status InsertDeliveries(Connection* db,
                              const gw::v1::AlertRecord& record) {
  const gw::v1::CaseAlert& alert = record.alert();
  for (const gw::v1::Delivery& delivery : record.deliveries()) {
    GW_ASSIGN_OR_RETURN(const std::optional<std::string> receipt,
                        OptionalReceipt(delivery));
    GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kInsertDelivery));
    GW_RETURN_IF_ERROR(stmt.BindAll(
        alert.alert_id(), delivery.recipient(), delivery.message_id(),
        static_cast<int64_t>(delivery.state()),
        OptionalMicros(delivery.has_updated_at(), delivery.updated_at()),
        static_cast<int64_t>(delivery.attempts()),
        OptionalMicros(delivery.has_next_attempt_at(),
                       delivery.next_attempt_at()),
        delivery.reason(), AsBlob(receipt), alert.case_ref(),
        alert.origin_agency(), static_cast<int64_t>(alert.priority())));
    GW_RETURN_IF_ERROR(stmt.Run());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<DeliveryRow>> FindDeliveriesOfAlert(
    Connection* db, absl::string_view alert_id) {
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSelectDeliveriesOfAlert));
  GW_RETURN_IF_ERROR(stmt.BindAll(alert_id));
  std::vector<DeliveryRow> rows;
  GW_RETURN_IF_ERROR(ReadRows(stmt, &rows));
  return rows;
}

absl::StatusOr<std::optional<DeliveryRow>> FindDelivery(
    Connection* db, absl::string_view message_id) {
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSelectDelivery));
  GW_RETURN_IF_ERROR(stmt.BindAll(message_id));
  GW_ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) return std::nullopt;
  DeliveryRow row;
  GW_RETURN_IF_ERROR(ReadRow(stmt, &row));
  return row;
}

absl::Status SetDeliveryProgress(Connection* db, int64_t seq,
                                 const gw::v1::Delivery& delivery,
                                 absl::Time at) {
  GW_ASSIGN_OR_RETURN(const std::optional<std::string> receipt,
                      OptionalReceipt(delivery));
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSetProgress));
  GW_RETURN_IF_ERROR(stmt.BindAll(
      seq, delivery.message_id(), static_cast<int64_t>(delivery.state()),
      absl::ToUnixMicros(at), static_cast<int64_t>(delivery.attempts()),
      OptionalMicros(delivery.has_next_attempt_at(),
                     delivery.next_attempt_at()),
      delivery.reason(), AsBlob(receipt)));
  return stmt.Run();
}

absl::StatusOr<std::vector<DeliveryRow>> FindPendingDeliveries(Connection* db) {
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSelectPending));
  std::vector<DeliveryRow> rows;
  GW_RETURN_IF_ERROR(ReadRows(stmt, &rows));
  return rows;
}

absl::StatusOr<std::vector<DeliveryRow>> FindDeliveries(
    Connection* db, const DeliveryQuery& query, int64_t after_seq,
    int64_t limit) {
  // One statement text per combination of filters (and number of states),
  // each cached on first use.
  const std::set<int> states(query.states.begin(), query.states.end());
  const bool pending = ArePendingStates(states);
  std::string sql = "SELECT " GW_DELIVERY_ROW_COLUMNS " FROM deliveries";
  // The planner cannot tell that the partial index is small, and would
  // sort every pending row for each page. An alert has few deliveries, so
  // its own index stays the better choice there.
  if (pending && query.alert_id.empty()) {
    absl::StrAppend(&sql, " INDEXED BY deliveries_pending");
  }
  absl::StrAppend(&sql, " WHERE seq > ?");
  if (!query.recipient.empty()) absl::StrAppend(&sql, " AND recipient = ?");
  if (!query.alert_id.empty()) absl::StrAppend(&sql, " AND alert_id = ?");
  if (pending) {
    absl::StrAppend(&sql, " AND state IN (1, 2, 4)");
  } else if (!states.empty()) {
    absl::StrAppend(&sql, " AND state IN (?");
    for (size_t i = 1; i < states.size(); ++i) absl::StrAppend(&sql, ", ?");
    absl::StrAppend(&sql, ")");
  }
  absl::StrAppend(&sql, " ORDER BY seq LIMIT ?");

  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(sql));
  int index = 0;
  GW_RETURN_IF_ERROR(stmt.Bind(++index, after_seq));
  if (!query.recipient.empty()) {
    GW_RETURN_IF_ERROR(stmt.Bind(++index, absl::string_view(query.recipient)));
  }
  if (!query.alert_id.empty()) {
    GW_RETURN_IF_ERROR(stmt.Bind(++index, absl::string_view(query.alert_id)));
  }
  if (!pending) {
    for (int state : states) {
      GW_RETURN_IF_ERROR(stmt.Bind(++index, static_cast<int64_t>(state)));
    }
  }
  GW_RETURN_IF_ERROR(stmt.Bind(++index, limit));
  std::vector<DeliveryRow> rows;
  GW_RETURN_IF_ERROR(ReadRows(stmt, &rows));
  return rows;
}

absl::StatusOr<std::optional<StoredInboundMessage>> FindInboundMessage(
    Connection* db, absl::string_view sender_agency,
    absl::string_view message_id) {
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSelectInbound));
  GW_RETURN_IF_ERROR(stmt.BindAll(sender_agency, message_id));
  GW_ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) return std::nullopt;
  StoredInboundMessage stored;
  stored.received_sha256 = stmt.ColumnText(0);
  stored.alert_id = stmt.ColumnText(1);
  stored.audit_leaf_index = static_cast<uint64_t>(stmt.ColumnInt64(2));
  if (!stmt.ColumnIsNull(3)) {
    gw::v1::Receipt holder;
    GW_RETURN_IF_ERROR(
        ParseStored(stmt.ColumnBlob(3), &holder, "inbound receipt warnings"));
    stored.receipt_warnings.assign(holder.warnings().begin(),
                                   holder.warnings().end());
  }
  return stored;
}

absl::StatusOr<std::optional<std::string>> FindInboundEvidence(
    Connection* db, absl::string_view sender_agency,
    absl::string_view message_id) {
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSelectInboundEvidence));
  GW_RETURN_IF_ERROR(stmt.BindAll(sender_agency, message_id));
  GW_ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) return std::nullopt;
  if (stmt.ColumnIsNull(0)) return std::string();
  return std::string(stmt.ColumnBlob(0));
}

absl::Status InsertInboundMessage(Connection* db, const InboundOrigin& inbound,
                                  absl::string_view alert_id,
                                  uint64_t audit_leaf_index,
                                  int64_t received_at_us) {
  std::optional<std::string> warnings;
  if (!inbound.receipt_warnings.empty()) {
    gw::v1::Receipt holder;
    holder.mutable_warnings()->Add(inbound.receipt_warnings.begin(),
                                   inbound.receipt_warnings.end());
    warnings.emplace();
    if (!holder.SerializeToString(&*warnings)) {
      return absl::InternalError(
          "sqlite: cannot serialize inbound receipt warnings");
    }
  }
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kInsertInbound));
  GW_RETURN_IF_ERROR(stmt.BindAll(
      inbound.sender_agency, inbound.message_id, inbound.received_sha256,
      alert_id, static_cast<int64_t>(audit_leaf_index), received_at_us,
      AsBlob(warnings),
      AsBlob(inbound.evidence.empty()
                 ? std::nullopt
                 : std::optional<std::string>(inbound.evidence))));
  return stmt.Run();
}

absl::Status BackfillDeliveryPriority(Connection* db) {
  std::vector<std::pair<std::string, int64_t>> priorities;
  return ForEachStoredAlertRecord(
      db, kBackfillChunk,
      [&](const std::string& alert_id, const gw::v1::AlertRecord& record) {
        // The column defaults to 0 (PRIORITY_UNSPECIFIED).
        if (record.alert().priority() != 0) {
          priorities.emplace_back(alert_id, record.alert().priority());
        }
        return absl::OkStatus();
      },
      [&]() -> absl::Status {
        for (const auto& [alert_id, priority] : priorities) {
          GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSetPriority));
          GW_RETURN_IF_ERROR(stmt.BindAll(alert_id, priority));
          GW_RETURN_IF_ERROR(stmt.Run());
        }
        priorities.clear();
        return absl::OkStatus();
      });
}

}  // namespace gw::store::sqlite

#undef GW_DELIVERY_ROW_COLUMNS
