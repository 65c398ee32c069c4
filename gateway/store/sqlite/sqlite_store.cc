#include "gateway/store/sqlite/sqlite_store.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <system_error>
#include <utility>
#include <variant>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gateway/store/sqlite/audit_leaf_data.h"
#include "gateway/store/sqlite/sqlite_queries.h"
#include "gateway/store/sqlite/sqlite_schema.h"
#include "gateway/util/status_macros.h"

namespace gw::store {
namespace {

using sqlite::Blob;
using sqlite::Connection;
using sqlite::ConnectionPool;
using sqlite::Statement;
using sqlite::Transaction;

constexpr int kMaxPageSize = 1000;
constexpr int kMaxReadConnections = 64;
// Page cache per connection (PRAGMA cache_size, negative = KiB). SQLite's
// 2 MiB default makes the writer re-read index pages through pread().
constexpr char kWriterCacheSize[] = "PRAGMA cache_size = -65536";  // 64 MiB
constexpr char kReaderCacheSize[] = "PRAGMA cache_size = -16384";  // 16 MiB
// Page tokens: a prefix naming the list, then the decimal seq of the last
// row returned.
constexpr absl::string_view kAlertPageTokenPrefix = "a";
constexpr absl::string_view kCasePageTokenPrefix = "c";

constexpr char kInsertAudit[] =
    "INSERT INTO audit_log(leaf_index, leaf_data, time_us, action, "
    "actor_agency) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr char kInsertAlert[] =
    "INSERT INTO alerts(alert_id, origin_agency, case_ref, kind, "
    "payload_sha256, received_at_us, audit_leaf_index, record) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr char kInsertDelivery[] =
    "INSERT INTO deliveries(alert_id, recipient, message_id, state, "
    "updated_at_us, attempts, next_attempt_at_us, reason, receipt) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr char kInsertCase[] =
    "INSERT INTO cases(case_ref, owner_agency, state, created_at_us, "
    "updated_at_us) VALUES (?1, ?2, ?3, ?4, ?4)";
constexpr char kTouchCase[] =
    "UPDATE cases SET updated_at_us = MAX(updated_at_us, ?2) "
    "WHERE case_ref = ?1";
constexpr char kSetCaseState[] =
    "UPDATE cases SET state = ?2, updated_at_us = ?3 WHERE case_ref = ?1";
constexpr char kInsertCaseShare[] =
    "INSERT OR IGNORE INTO case_shares(case_ref, agency) VALUES (?1, ?2)";
constexpr char kInsertCaseEvent[] =
    "INSERT INTO case_events(case_ref, event) VALUES (?1, ?2)";
constexpr char kInsertCaseUpdate[] =
    "INSERT INTO case_updates(case_ref, update_id, payload_sha256, "
    "audit_leaf_index) VALUES (?1, ?2, ?3, ?4)";
constexpr char kReadAuditLog[] =
    "SELECT leaf_index, leaf_data FROM audit_log WHERE leaf_index >= ?1 "
    "ORDER BY leaf_index LIMIT ?2";

// ---------------------------------------------------------------------------
// Helpers

absl::Status RunCached(Connection* db, absl::string_view sql) {
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(sql));
  return stmt.Run();
}

absl::StatusOr<std::string> Serialize(const google::protobuf::MessageLite& m,
                                      absl::string_view what) {
  std::string bytes;
  if (!m.SerializeToString(&bytes)) {
    return absl::InternalError(absl::StrCat("sqlite: cannot serialize ", what));
  }
  return bytes;
}

// True for the errors that end the whole batch rather than one write.
bool FailsTransaction(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kDataLoss:
      return true;
    default:
      return false;
  }
}

absl::StatusOr<int64_t> SeqFromPageToken(absl::string_view token,
                                         absl::string_view prefix) {
  if (token.empty()) return 0;
  absl::string_view digits = token;
  int64_t seq = 0;
  if (!absl::ConsumePrefix(&digits, prefix) || digits.empty() ||
      !std::all_of(digits.begin(), digits.end(),
                   [](char c) { return absl::ascii_isdigit(c); }) ||
      !absl::SimpleAtoi(digits, &seq) || seq <= 0) {
    return absl::InvalidArgumentError(
        "page_token: not a token issued by this list");
  }
  return seq;
}

std::string PageTokenFromSeq(absl::string_view prefix, int64_t seq) {
  return absl::StrCat(prefix, seq);
}

// Binds `args` (int64_t or text) to parameters 1, 2, ... of `stmt`.
using SqlArg = std::variant<int64_t, std::string>;
absl::Status BindArgs(Statement& stmt, const std::vector<SqlArg>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    GW_RETURN_IF_ERROR(std::visit(
        [&](const auto& value) -> absl::Status {
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<T, std::string>) {
            return stmt.Bind(index, absl::string_view(value));
          } else {
            return stmt.Bind(index, value);
          }
        },
        args[i]));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Writes. Each Apply* returns OK or the error that fails its write (see
// Commit); it may leave partial changes, which Commit rolls back.

absl::StatusOr<uint64_t> AppendAuditEntry(Connection* db,
                                          const gw::v1::AuditEntry& entry,
                                          uint64_t* next_leaf_index) {
  GW_ASSIGN_OR_RETURN(std::string leaf_data, AuditLeafDataFromEntry(entry));
  const uint64_t leaf_index = *next_leaf_index;
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kInsertAudit));
  GW_RETURN_IF_ERROR(stmt.BindAll(static_cast<int64_t>(leaf_index),
                                  Blob{leaf_data},
                                  sqlite::MicrosFromTimestamp(entry.time()),
                                  entry.action(), entry.actor_agency()));
  GW_RETURN_IF_ERROR(stmt.Run());
  ++*next_leaf_index;
  return leaf_index;
}

absl::Status ValidateAcceptAlert(const gw::v1::AlertRecord& record) {
  if (record.alert().alert_id().empty()) {
    return absl::InvalidArgumentError("payload.alert_id: required");
  }
  if (record.alert().case_ref().empty()) {
    return absl::InvalidArgumentError("payload.case_ref: required");
  }
  if (record.alert().origin_agency().empty()) {
    return absl::InvalidArgumentError("payload.origin_agency: required");
  }
  if (record.payload_sha256().empty()) {
    return absl::InvalidArgumentError("record.payload_sha256: required");
  }
  for (int i = 0; i < record.deliveries_size(); ++i) {
    const gw::v1::Delivery& delivery = record.deliveries(i);
    if (delivery.recipient().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("record.deliveries[", i, "].recipient: required"));
    }
    if (delivery.message_id().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("record.deliveries[", i, "].message_id: required"));
    }
  }
  return absl::OkStatus();
}

// The record's bytes as stored in alerts.record: everything but the
// deliveries, which live (and change) in the outbox table.
absl::StatusOr<std::string> SerializeWithoutDeliveries(
    gw::v1::AlertRecord* record) {
  google::protobuf::RepeatedPtrField<gw::v1::Delivery> deliveries;
  deliveries.Swap(record->mutable_deliveries());
  absl::StatusOr<std::string> bytes = Serialize(*record, "alert record");
  record->mutable_deliveries()->Swap(&deliveries);
  return bytes;
}

absl::Status InsertDeliveries(Connection* db,
                              const gw::v1::AlertRecord& record) {
  for (const gw::v1::Delivery& delivery : record.deliveries()) {
    std::optional<std::string> receipt;
    if (delivery.has_receipt()) {
      GW_ASSIGN_OR_RETURN(receipt, Serialize(delivery.receipt(), "receipt"));
    }
    std::optional<int64_t> updated_at;
    if (delivery.has_updated_at()) {
      updated_at = sqlite::MicrosFromTimestamp(delivery.updated_at());
    }
    std::optional<int64_t> next_attempt_at;
    if (delivery.has_next_attempt_at()) {
      next_attempt_at = sqlite::MicrosFromTimestamp(delivery.next_attempt_at());
    }
    GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kInsertDelivery));
    GW_RETURN_IF_ERROR(stmt.BindAll(
        record.alert().alert_id(), delivery.recipient(), delivery.message_id(),
        static_cast<int64_t>(delivery.state()), updated_at,
        static_cast<int64_t>(delivery.attempts()), next_attempt_at,
        delivery.reason(),
        receipt.has_value() ? std::optional<Blob>(Blob{*receipt})
                            : std::nullopt));
    GW_RETURN_IF_ERROR(stmt.Run());
  }
  return absl::OkStatus();
}

absl::Status InsertCaseEvent(Connection* db, absl::string_view case_ref,
                             const gw::v1::CaseEvent& event) {
  GW_ASSIGN_OR_RETURN(std::string bytes, Serialize(event, "case event"));
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kInsertCaseEvent));
  GW_RETURN_IF_ERROR(stmt.BindAll(case_ref, Blob{bytes}));
  return stmt.Run();
}

// Creates the case of a first alert, or touches the existing one; then
// shares it with the alert's recipients.
absl::Status FileAlertUnderCase(Connection* db,
                                const gw::v1::AlertRecord& record,
                                bool case_exists) {
  const gw::v1::CaseAlert& alert = record.alert();
  const int64_t received_at_us =
      sqlite::MicrosFromTimestamp(record.received_at());
  if (case_exists) {
    GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kTouchCase));
    GW_RETURN_IF_ERROR(stmt.BindAll(alert.case_ref(), received_at_us));
    GW_RETURN_IF_ERROR(stmt.Run());
  } else {
    {
      GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kInsertCase));
      GW_RETURN_IF_ERROR(stmt.BindAll(
          alert.case_ref(), alert.origin_agency(),
          static_cast<int64_t>(gw::v1::CaseStatus::OPEN), received_at_us));
      GW_RETURN_IF_ERROR(stmt.Run());
    }
    gw::v1::CaseEvent opened;
    opened.set_state(gw::v1::CaseStatus::OPEN);
    *opened.mutable_at() = record.received_at();
    opened.set_actor_agency(alert.origin_agency());
    opened.set_actor_user(alert.originator());
    opened.set_alert_id(alert.alert_id());
    opened.set_payload_sha256(record.payload_sha256());
    GW_RETURN_IF_ERROR(InsertCaseEvent(db, alert.case_ref(), opened));
  }
  for (const std::string& recipient : alert.recipients()) {
    if (recipient == alert.origin_agency()) continue;
    GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kInsertCaseShare));
    GW_RETURN_IF_ERROR(stmt.BindAll(alert.case_ref(), recipient));
    GW_RETURN_IF_ERROR(stmt.Run());
  }
  return absl::OkStatus();
}

absl::Status Apply(Connection* db, AcceptAlert& op, uint64_t* next_leaf_index,
                   WriteResult* result) {
  GW_RETURN_IF_ERROR(ValidateAcceptAlert(op.record));
  const gw::v1::CaseAlert& alert = op.record.alert();

  GW_ASSIGN_OR_RETURN(std::optional<sqlite::StoredAlert> stored,
                      sqlite::FindAlert(db, alert.alert_id()));
  if (stored.has_value()) {
    if (stored->payload_sha256 != op.record.payload_sha256()) {
      return absl::AlreadyExistsError(
          "payload.alert_id: already accepted with a different payload");
    }
    result->duplicate = true;
    result->audit_leaf_index = stored->audit_leaf_index;
    GW_ASSIGN_OR_RETURN(
        result->case_status,
        sqlite::FindCase(db, stored->record.alert().case_ref()));
    result->alert = std::move(stored->record);
    return absl::OkStatus();
  }

  GW_ASSIGN_OR_RETURN(std::optional<std::string> owner,
                      sqlite::FindCaseOwner(db, alert.case_ref()));
  if (owner.has_value() && *owner != alert.origin_agency()) {
    return absl::PermissionDeniedError(
        "payload.case_ref: the case is owned by another agency");
  }

  GW_ASSIGN_OR_RETURN(result->audit_leaf_index,
                      AppendAuditEntry(db, op.audit, next_leaf_index));
  GW_RETURN_IF_ERROR(FileAlertUnderCase(db, op.record, owner.has_value()));
  {
    GW_ASSIGN_OR_RETURN(std::string record_bytes,
                        SerializeWithoutDeliveries(&op.record));
    GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kInsertAlert));
    GW_RETURN_IF_ERROR(stmt.BindAll(
        alert.alert_id(), alert.origin_agency(), alert.case_ref(),
        static_cast<int64_t>(alert.kind()), op.record.payload_sha256(),
        sqlite::MicrosFromTimestamp(op.record.received_at()),
        static_cast<int64_t>(result->audit_leaf_index), Blob{record_bytes}));
    GW_RETURN_IF_ERROR(stmt.Run());
  }
  GW_RETURN_IF_ERROR(InsertDeliveries(db, op.record));

  GW_ASSIGN_OR_RETURN(result->case_status,
                      sqlite::FindCase(db, alert.case_ref()));
  if (!result->case_status.has_value()) {
    return absl::InternalError("sqlite: case missing after insert");
  }
  result->alert = op.record;
  return absl::OkStatus();
}

absl::Status ValidateUpdateCase(const UpdateCase& op) {
  if (op.update.case_ref().empty()) {
    return absl::InvalidArgumentError("payload.case_ref: required");
  }
  if (op.update.update_id().empty()) {
    return absl::InvalidArgumentError("payload.update_id: required");
  }
  if (op.update.state() == gw::v1::CaseStatus::STATE_UNSPECIFIED) {
    return absl::InvalidArgumentError("payload.state: required");
  }
  if (op.actor_agency.empty()) {
    return absl::InvalidArgumentError("actor_agency: required");
  }
  if (op.payload_sha256.empty()) {
    return absl::InvalidArgumentError("payload_sha256: required");
  }
  return absl::OkStatus();
}

absl::Status Apply(Connection* db, UpdateCase& op, uint64_t* next_leaf_index,
                   WriteResult* result) {
  GW_RETURN_IF_ERROR(ValidateUpdateCase(op));
  const gw::v1::CaseStatus& update = op.update;

  GW_ASSIGN_OR_RETURN(std::optional<std::string> owner,
                      sqlite::FindCaseOwner(db, update.case_ref()));
  if (!owner.has_value()) {
    return absl::NotFoundError("payload.case_ref: no such case");
  }
  if (*owner != op.actor_agency) {
    return absl::PermissionDeniedError(
        "payload.case_ref: the case is owned by another agency");
  }
  if (!update.owner_agency().empty() && update.owner_agency() != *owner) {
    return absl::InvalidArgumentError(
        "payload.owner_agency: not the owner of the case");
  }

  GW_ASSIGN_OR_RETURN(
      std::optional<sqlite::StoredCaseUpdate> prior,
      sqlite::FindCaseUpdate(db, update.case_ref(), update.update_id()));
  if (prior.has_value()) {
    if (prior->payload_sha256 != op.payload_sha256) {
      return absl::AlreadyExistsError(
          "payload.update_id: already used with a different payload");
    }
    result->duplicate = true;
    result->audit_leaf_index = prior->audit_leaf_index;
    GW_ASSIGN_OR_RETURN(result->case_status,
                        sqlite::FindCase(db, update.case_ref()));
    return absl::OkStatus();
  }

  GW_ASSIGN_OR_RETURN(result->audit_leaf_index,
                      AppendAuditEntry(db, op.audit, next_leaf_index));
  const int64_t at_us = absl::ToUnixMicros(op.at);
  {
    GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kInsertCaseUpdate));
    GW_RETURN_IF_ERROR(
        stmt.BindAll(update.case_ref(), update.update_id(), op.payload_sha256,
                     static_cast<int64_t>(result->audit_leaf_index)));
    GW_RETURN_IF_ERROR(stmt.Run());
  }
  {
    GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kSetCaseState));
    GW_RETURN_IF_ERROR(stmt.BindAll(
        update.case_ref(), static_cast<int64_t>(update.state()), at_us));
    GW_RETURN_IF_ERROR(stmt.Run());
  }
  gw::v1::CaseEvent event;
  event.set_state(update.state());
  *event.mutable_at() = sqlite::TimestampFromMicros(at_us);
  event.set_actor_agency(op.actor_agency);
  event.set_actor_user(op.actor_user.empty() ? update.updated_by()
                                             : op.actor_user);
  *event.mutable_note() = update.note();
  event.set_update_id(update.update_id());
  event.set_payload_sha256(op.payload_sha256);
  GW_RETURN_IF_ERROR(InsertCaseEvent(db, update.case_ref(), event));

  GW_ASSIGN_OR_RETURN(result->case_status,
                      sqlite::FindCase(db, update.case_ref()));
  return absl::OkStatus();
}

absl::Status Apply(Connection* db, AppendAudit& op, uint64_t* next_leaf_index,
                   WriteResult* result) {
  GW_ASSIGN_OR_RETURN(result->audit_leaf_index,
                      AppendAuditEntry(db, op.audit, next_leaf_index));
  return absl::OkStatus();
}

absl::Status ConfigureWriter(Connection* db,
                             const SqliteStoreOptions& options) {
  {
    GW_ASSIGN_OR_RETURN(Statement stmt,
                        db->Prepare("PRAGMA journal_mode = WAL"));
    GW_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    const std::string mode = row ? stmt.ColumnText(0) : std::string();
    if (mode != "wal") {
      return absl::UnavailableError(absl::StrCat(
          "sqlite: cannot enable WAL journal mode (journal_mode is '", mode,
          "')"));
    }
  }
  GW_RETURN_IF_ERROR(db->Exec(kWriterCacheSize));
  GW_RETURN_IF_ERROR(db->Exec(options.synchronous_full
                                  ? "PRAGMA synchronous = FULL"
                                  : "PRAGMA synchronous = NORMAL"));
  return db->Exec("PRAGMA foreign_keys = ON");
}

}  // namespace

// ---------------------------------------------------------------------------
// Open

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    const std::string& path, Options options) {
  if (path.empty()) return absl::InvalidArgumentError("path: required");
  if (path == ":memory:" || absl::StartsWith(path, "file:")) {
    return absl::InvalidArgumentError("path: must name a database file");
  }
  if (options.read_connections < 1 ||
      options.read_connections > kMaxReadConnections) {
    return absl::InvalidArgumentError(
        absl::StrCat("options.read_connections: want 1..", kMaxReadConnections,
                     ", got ", options.read_connections));
  }
  if (const std::filesystem::path parent =
          std::filesystem::path(path).parent_path();
      !parent.empty()) {
    std::error_code error;
    std::filesystem::create_directories(parent, error);
    if (error) {
      return absl::UnavailableError(absl::StrCat(
          "path: cannot create the parent directory: ", error.message()));
    }
  }

  GW_ASSIGN_OR_RETURN(std::unique_ptr<Connection> writer,
                      Connection::Open(path, Connection::Mode::kReadWrite,
                                       options.busy_timeout));
  GW_RETURN_IF_ERROR(ConfigureWriter(writer.get(), options));
  GW_RETURN_IF_ERROR(sqlite::MigrateSchema(writer.get()));

  std::vector<std::unique_ptr<Connection>> readers;
  readers.reserve(static_cast<size_t>(options.read_connections));
  for (int i = 0; i < options.read_connections; ++i) {
    GW_ASSIGN_OR_RETURN(std::unique_ptr<Connection> reader,
                        Connection::Open(path, Connection::Mode::kReadOnly,
                                         options.busy_timeout));
    GW_RETURN_IF_ERROR(reader->Exec(kReaderCacheSize));
    readers.push_back(std::move(reader));
  }
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(std::move(writer), std::move(readers)));
}

SqliteStore::SqliteStore(std::unique_ptr<Connection> writer,
                         std::vector<std::unique_ptr<Connection>> readers)
    : writer_(std::move(writer)), readers_(std::move(readers)) {}

// ---------------------------------------------------------------------------
// Commit

absl::Status SqliteStore::Commit(absl::Span<Write* const> batch) {
  if (batch.empty()) return absl::OkStatus();
  absl::MutexLock lock(&writer_mu_);
  absl::Status status = CommitLocked(batch);
  if (!status.ok()) {
    for (Write* write : batch) {
      write->result = WriteResult();
      write->result.status = status;
    }
  }
  return status;
}

absl::Status SqliteStore::CommitLocked(absl::Span<Write* const> batch) {
  Connection* db = writer_.get();
  GW_ASSIGN_OR_RETURN(Transaction txn,
                      Transaction::Begin(db, Transaction::Kind::kWrite));
  GW_ASSIGN_OR_RETURN(uint64_t next_leaf_index, sqlite::AuditLogSize(db));
  for (Write* write : batch) {
    write->result = WriteResult();
    GW_RETURN_IF_ERROR(RunCached(db, "SAVEPOINT gw_write"));
    const uint64_t first_leaf_index = next_leaf_index;
    absl::Status status = std::visit(
        [&](auto& op) {
          return Apply(db, op, &next_leaf_index, &write->result);
        },
        write->op);
    if (!status.ok()) {
      // SQLite rolls back the whole transaction by itself after some
      // errors; then the batch is lost whatever the code says.
      if (FailsTransaction(status) || !db->InTransaction()) return status;
      write->result = WriteResult();
      write->result.status = std::move(status);
      next_leaf_index = first_leaf_index;
      GW_RETURN_IF_ERROR(RunCached(db, "ROLLBACK TO gw_write"));
    }
    GW_RETURN_IF_ERROR(RunCached(db, "RELEASE gw_write"));
  }
  return txn.Commit();
}

// ---------------------------------------------------------------------------
// Reads

absl::StatusOr<gw::v1::AlertRecord> SqliteStore::GetAlert(
    absl::string_view alert_id) {
  ConnectionPool::Lease db = readers_.Acquire();
  GW_ASSIGN_OR_RETURN(Transaction txn,
                      Transaction::Begin(db.get(), Transaction::Kind::kRead));
  GW_ASSIGN_OR_RETURN(std::optional<sqlite::StoredAlert> stored,
                      sqlite::FindAlert(db.get(), alert_id));
  GW_RETURN_IF_ERROR(txn.Commit());
  if (!stored.has_value()) {
    return absl::NotFoundError("alert_id: no such alert");
  }
  return std::move(stored->record);
}

absl::StatusOr<AlertPage> SqliteStore::ListAlerts(const AlertQuery& query) {
  GW_ASSIGN_OR_RETURN(
      const int64_t after,
      SeqFromPageToken(query.page_token, kAlertPageTokenPrefix));
  const int page_size = std::clamp(query.page_size, 1, kMaxPageSize);

  // One statement text per combination of filters, each cached on first
  // use, so every filter can use its index.
  std::string sql = "SELECT seq, alert_id, record FROM alerts WHERE seq > ?";
  std::vector<SqlArg> args = {after};
  if (!query.visible_to_agency.empty()) {
    absl::StrAppend(&sql,
                    " AND (origin_agency = ? OR EXISTS (SELECT 1 FROM "
                    "deliveries d WHERE d.alert_id = alerts.alert_id AND "
                    "d.recipient = ?))");
    args.push_back(query.visible_to_agency);
    args.push_back(query.visible_to_agency);
  }
  if (!query.case_ref.empty()) {
    absl::StrAppend(&sql, " AND case_ref = ?");
    args.push_back(query.case_ref);
  }
  if (query.kind != gw::v1::CaseAlert::KIND_UNSPECIFIED) {
    absl::StrAppend(&sql, " AND kind = ?");
    args.push_back(static_cast<int64_t>(query.kind));
  }
  if (!query.origin_agency.empty()) {
    absl::StrAppend(&sql, " AND origin_agency = ?");
    args.push_back(query.origin_agency);
  }
  absl::StrAppend(&sql, " ORDER BY seq LIMIT ?");
  // One row more than the page tells whether another page follows.
  args.push_back(static_cast<int64_t>(page_size) + 1);

  ConnectionPool::Lease db = readers_.Acquire();
  GW_ASSIGN_OR_RETURN(Transaction txn,
                      Transaction::Begin(db.get(), Transaction::Kind::kRead));
  AlertPage page;
  int64_t last_seq = 0;
  bool more = false;
  {
    GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(sql));
    GW_RETURN_IF_ERROR(BindArgs(stmt, args));
    while (true) {
      GW_ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) break;
      if (static_cast<int>(page.alerts.size()) == page_size) {
        more = true;
        break;
      }
      last_seq = stmt.ColumnInt64(0);
      gw::v1::AlertRecord& record = page.alerts.emplace_back();
      GW_RETURN_IF_ERROR(
          sqlite::ParseStored(stmt.ColumnBlob(2), &record, "alert record"));
    }
  }
  for (gw::v1::AlertRecord& record : page.alerts) {
    GW_RETURN_IF_ERROR(
        sqlite::AppendDeliveries(db.get(), record.alert().alert_id(), &record));
  }
  GW_RETURN_IF_ERROR(txn.Commit());
  if (more)
    page.next_page_token = PageTokenFromSeq(kAlertPageTokenPrefix, last_seq);
  return page;
}

absl::StatusOr<gw::v1::CaseStatus> SqliteStore::GetCase(
    absl::string_view case_ref) {
  ConnectionPool::Lease db = readers_.Acquire();
  GW_ASSIGN_OR_RETURN(Transaction txn,
                      Transaction::Begin(db.get(), Transaction::Kind::kRead));
  GW_ASSIGN_OR_RETURN(std::optional<gw::v1::CaseStatus> status,
                      sqlite::FindCase(db.get(), case_ref));
  GW_RETURN_IF_ERROR(txn.Commit());
  if (!status.has_value()) {
    return absl::NotFoundError("case_ref: no such case");
  }
  return std::move(*status);
}

absl::StatusOr<CasePage> SqliteStore::ListCases(const CaseQuery& query) {
  GW_ASSIGN_OR_RETURN(const int64_t after,
                      SeqFromPageToken(query.page_token, kCasePageTokenPrefix));
  const int page_size = std::clamp(query.page_size, 1, kMaxPageSize);

  std::string sql = "SELECT seq, case_ref FROM cases WHERE seq > ?";
  std::vector<SqlArg> args = {after};
  if (!query.visible_to_agency.empty()) {
    absl::StrAppend(&sql,
                    " AND (owner_agency = ? OR EXISTS (SELECT 1 FROM "
                    "case_shares s WHERE s.case_ref = cases.case_ref AND "
                    "s.agency = ?))");
    args.push_back(query.visible_to_agency);
    args.push_back(query.visible_to_agency);
  }
  if (query.state != gw::v1::CaseStatus::STATE_UNSPECIFIED) {
    absl::StrAppend(&sql, " AND state = ?");
    args.push_back(static_cast<int64_t>(query.state));
  }
  absl::StrAppend(&sql, " ORDER BY seq LIMIT ?");
  args.push_back(static_cast<int64_t>(page_size) + 1);

  ConnectionPool::Lease db = readers_.Acquire();
  GW_ASSIGN_OR_RETURN(Transaction txn,
                      Transaction::Begin(db.get(), Transaction::Kind::kRead));
  std::vector<std::string> case_refs;
  int64_t last_seq = 0;
  bool more = false;
  {
    GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(sql));
    GW_RETURN_IF_ERROR(BindArgs(stmt, args));
    while (true) {
      GW_ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) break;
      if (static_cast<int>(case_refs.size()) == page_size) {
        more = true;
        break;
      }
      last_seq = stmt.ColumnInt64(0);
      case_refs.push_back(stmt.ColumnText(1));
    }
  }
  CasePage page;
  page.cases.reserve(case_refs.size());
  for (const std::string& case_ref : case_refs) {
    GW_ASSIGN_OR_RETURN(std::optional<gw::v1::CaseStatus> status,
                        sqlite::FindCase(db.get(), case_ref));
    if (!status.has_value()) {
      return absl::InternalError("sqlite: listed case vanished in snapshot");
    }
    page.cases.push_back(std::move(*status));
  }
  GW_RETURN_IF_ERROR(txn.Commit());
  if (more)
    page.next_page_token = PageTokenFromSeq(kCasePageTokenPrefix, last_seq);
  return page;
}

absl::StatusOr<uint64_t> SqliteStore::AuditLogSize() {
  ConnectionPool::Lease db = readers_.Acquire();
  return sqlite::AuditLogSize(db.get());
}

absl::StatusOr<std::vector<AuditLeaf>> SqliteStore::ReadAuditLog(
    uint64_t start, uint64_t count) {
  constexpr uint64_t kMaxInt64 =
      static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  std::vector<AuditLeaf> leaves;
  if (count == 0 || start > kMaxInt64) return leaves;
  ConnectionPool::Lease db = readers_.Acquire();
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kReadAuditLog));
  GW_RETURN_IF_ERROR(
      stmt.BindAll(static_cast<int64_t>(start),
                   static_cast<int64_t>(std::min(count, kMaxInt64))));
  while (true) {
    GW_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    const uint64_t want = start + leaves.size();
    const uint64_t got = static_cast<uint64_t>(stmt.ColumnInt64(0));
    if (got != want) {
      return absl::DataLossError(absl::StrCat("sqlite: audit_log: leaf ", want,
                                              " missing (next stored is ", got,
                                              ")"));
    }
    AuditLeaf& leaf = leaves.emplace_back();
    leaf.leaf_index = got;
    leaf.leaf_data = std::string(stmt.ColumnBlob(1));
  }
  return leaves;
}

}  // namespace gw::store
