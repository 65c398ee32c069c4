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
#include "gateway/audit/hasher.h"
#include "gateway/audit/proof_nodes.h"
#include "gateway/store/delivery_rules.h"
#include "gateway/store/sqlite/sqlite_alert_recipients.h"
#include "gateway/store/sqlite/sqlite_audit_log.h"
#include "gateway/store/sqlite/sqlite_audit_verify.h"
#include "gateway/store/sqlite/sqlite_outbox.h"
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
constexpr absl::string_view kDeliveryPageTokenPrefix = "d";
// SearchAudit's token holds the leaf index to resume at, plus one (tokens
// are positive).
constexpr absl::string_view kAuditPageTokenPrefix = "l";
constexpr char kInsertAlert[] =
    "INSERT INTO alerts(alert_id, origin_agency, case_ref, kind, "
    "payload_sha256, received_at_us, audit_leaf_index, record) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
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

// The smallest whole microsecond at or after `t`, so that for
// stored microsecond times "time_us >= CeilUnixMicros(t)" means "at or
// after t" exactly, and likewise for "before".
int64_t CeilUnixMicros(absl::Time t) {
  const int64_t floor = absl::ToUnixMicros(t);  // saturates
  if (floor == std::numeric_limits<int64_t>::max()) return floor;
  return absl::FromUnixMicros(floor) < t ? floor + 1 : floor;
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

// Appends `entry` (see sqlite_audit_log.h) and reports its leaf in
// `result`.
absl::Status AppendEntry(Connection* db, const gw::v1::AuditEntry& entry,
                         audit::CompactRange* range, WriteResult* result) {
  GW_ASSIGN_OR_RETURN(sqlite::AppendedLeaf leaf,
                      sqlite::AppendAuditLeaf(db, entry, range));
  result->audit_leaf_index = leaf.leaf_index;
  result->audit_leaf_data = std::move(leaf.leaf_data);
  return absl::OkStatus();
}

// Reports the audit leaf of the write that `result` duplicates.
absl::Status ReportFirstLeaf(Connection* db, uint64_t leaf_index,
                             WriteResult* result) {
  result->audit_leaf_index = leaf_index;
  GW_ASSIGN_OR_RETURN(result->audit_leaf_data,
                      sqlite::ReadLeafData(db, leaf_index));
  return absl::OkStatus();
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

absl::Status ValidateInbound(const InboundOrigin& inbound,
                             const gw::v1::AlertRecord& record) {
  if (inbound.sender_agency.empty()) {
    return absl::InvalidArgumentError("inbound.sender_agency: required");
  }
  if (inbound.message_id.empty()) {
    return absl::InvalidArgumentError("inbound.message_id: required");
  }
  if (inbound.received_sha256.empty()) {
    return absl::InvalidArgumentError("inbound.received_sha256: required");
  }
  // A gateway never forwards a partner's alert onward (store.h).
  if (record.deliveries_size() > 0) {
    return absl::InvalidArgumentError(
        "record.deliveries: must be empty for an inbound alert");
  }
  return absl::OkStatus();
}

// Reports, as a duplicate, the alert `alert_id` stored by the write whose
// audit leaf is `leaf_index`.
absl::Status ReportDuplicateAlert(Connection* db, absl::string_view alert_id,
                                  uint64_t leaf_index, WriteResult* result) {
  GW_ASSIGN_OR_RETURN(std::optional<sqlite::StoredAlert> stored,
                      sqlite::FindAlert(db, alert_id));
  if (!stored.has_value()) {
    return absl::InternalError(
        "sqlite: inbound_messages names an alert that is not stored");
  }
  result->duplicate = true;
  GW_RETURN_IF_ERROR(ReportFirstLeaf(db, leaf_index, result));
  GW_ASSIGN_OR_RETURN(result->case_status,
                      sqlite::FindCase(db, stored->record.alert().case_ref()));
  result->alert = std::move(stored->record);
  return absl::OkStatus();
}

absl::Status Apply(Connection* db, AcceptAlert& op, audit::CompactRange* range,
                   WriteResult* result) {
  GW_RETURN_IF_ERROR(ValidateAcceptAlert(op.record));
  const gw::v1::CaseAlert& alert = op.record.alert();

  // A partner's message is deduplicated by its id before the alert is
  // (partners/README.md 2.2): an exact resend gets its first answer back.
  if (op.inbound.has_value()) {
    const InboundOrigin& inbound = *op.inbound;
    GW_RETURN_IF_ERROR(ValidateInbound(inbound, op.record));
    GW_ASSIGN_OR_RETURN(std::optional<sqlite::StoredInboundMessage> seen,
                        sqlite::FindInboundMessage(db, inbound.sender_agency,
                                                   inbound.message_id));
    if (seen.has_value()) {
      if (seen->received_sha256 != inbound.received_sha256) {
        return absl::AlreadyExistsError(
            absl::StrCat("gw-message-id: ", inbound.message_id,
                         " was used before for a different payload"));
      }
      GW_RETURN_IF_ERROR(ReportDuplicateAlert(db, seen->alert_id,
                                              seen->audit_leaf_index, result));
      result->duplicate_message = true;
      result->receipt_warnings = std::move(seen->receipt_warnings);
      return absl::OkStatus();
    }
  }

  GW_ASSIGN_OR_RETURN(std::optional<sqlite::StoredAlert> stored,
                      sqlite::FindAlert(db, alert.alert_id()));
  if (stored.has_value()) {
    if (stored->payload_sha256 != op.record.payload_sha256()) {
      return absl::AlreadyExistsError(
          "payload.alert_id: already accepted with a different payload");
    }
    // Under a new message id nothing is stored; this message's own
    // warnings describe the bytes it carried.
    if (op.inbound.has_value()) {
      result->receipt_warnings = op.inbound->receipt_warnings;
    }
    result->duplicate = true;
    GW_RETURN_IF_ERROR(ReportFirstLeaf(db, stored->audit_leaf_index, result));
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

  GW_RETURN_IF_ERROR(AppendEntry(db, op.audit, range, result));
  // Right after `audit`, so the acceptance's entries are consecutive
  // leaves; the result keeps reporting `audit`'s.
  for (const gw::v1::AuditEntry& entry : op.more_audit) {
    GW_RETURN_IF_ERROR(sqlite::AppendAuditLeaf(db, entry, range).status());
  }
  GW_RETURN_IF_ERROR(FileAlertUnderCase(db, op.record, owner.has_value()));
  const int64_t received_at_us =
      sqlite::MicrosFromTimestamp(op.record.received_at());
  {
    GW_ASSIGN_OR_RETURN(std::string record_bytes,
                        SerializeWithoutDeliveries(&op.record));
    GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kInsertAlert));
    GW_RETURN_IF_ERROR(stmt.BindAll(
        alert.alert_id(), alert.origin_agency(), alert.case_ref(),
        static_cast<int64_t>(alert.kind()), op.record.payload_sha256(),
        received_at_us, static_cast<int64_t>(result->audit_leaf_index),
        Blob{record_bytes}));
    GW_RETURN_IF_ERROR(stmt.Run());
  }
  GW_RETURN_IF_ERROR(sqlite::InsertAlertRecipients(db, alert));
  GW_RETURN_IF_ERROR(sqlite::InsertDeliveries(db, op.record));
  if (op.inbound.has_value()) {
    GW_RETURN_IF_ERROR(
        sqlite::InsertInboundMessage(db, *op.inbound, alert.alert_id(),
                                     result->audit_leaf_index, received_at_us));
    result->receipt_warnings = op.inbound->receipt_warnings;
  }

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

absl::Status Apply(Connection* db, UpdateCase& op, audit::CompactRange* range,
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
    GW_RETURN_IF_ERROR(ReportFirstLeaf(db, prior->audit_leaf_index, result));
    GW_ASSIGN_OR_RETURN(result->case_status,
                        sqlite::FindCase(db, update.case_ref()));
    return absl::OkStatus();
  }

  GW_RETURN_IF_ERROR(AppendEntry(db, op.audit, range, result));
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

absl::Status Apply(Connection* db, UpdateDelivery& op,
                   audit::CompactRange* range, WriteResult* result) {
  GW_RETURN_IF_ERROR(ValidateUpdateDelivery(op));
  GW_ASSIGN_OR_RETURN(std::optional<DeliveryRow> current,
                      sqlite::FindDelivery(db, op.message_id));
  if (!current.has_value()) {
    return absl::NotFoundError("message_id: no delivery has this id");
  }
  GW_RETURN_IF_ERROR(
      CheckDeliveryStateChange(current->delivery.state(), op.delivery.state()));
  if (op.delivery.message_id() != op.message_id) {
    GW_ASSIGN_OR_RETURN(std::optional<DeliveryRow> holder,
                        sqlite::FindDelivery(db, op.delivery.message_id()));
    if (holder.has_value()) {
      return absl::AlreadyExistsError(
          "delivery.message_id: belongs to another delivery");
    }
  }
  GW_RETURN_IF_ERROR(
      sqlite::SetDeliveryProgress(db, current->seq, op.delivery, op.at));
  if (op.audit.has_value()) {
    GW_RETURN_IF_ERROR(AppendEntry(db, *op.audit, range, result));
  }
  GW_ASSIGN_OR_RETURN(result->delivery,
                      sqlite::FindDelivery(db, op.delivery.message_id()));
  if (!result->delivery.has_value()) {
    return absl::InternalError("sqlite: delivery missing after update");
  }
  return absl::OkStatus();
}

absl::Status Apply(Connection* db, AppendAudit& op, audit::CompactRange* range,
                   WriteResult* result) {
  return AppendEntry(db, op.audit, range, result);
}

// The verdict on keeping `checkpoint` in the tree `range` (OK or the
// write's refusal), or the error that fails the transaction.
absl::StatusOr<absl::Status> CheckCheckpoint(
    Connection* db, const gw::v1::Checkpoint& checkpoint,
    const audit::CompactRange& range) {
  const uint64_t size = checkpoint.tree_size();
  if (size == 0 || size > range.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint.tree_size: ", size, ", want 1..", range.size(),
                     " (the log's size)"));
  }
  if (checkpoint.root_hash().size() != audit::kHashSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint.root_hash: ", checkpoint.root_hash().size(),
                     " bytes, want ", audit::kHashSize));
  }
  std::string root;
  if (size == range.size()) {
    root = range.Root();
  } else {
    GW_ASSIGN_OR_RETURN(root,
                        audit::RootAtSize(size, sqlite::NodeTableReader(db)));
  }
  if (root != checkpoint.root_hash()) {
    return absl::DataLossError(
        absl::StrCat("checkpoint.root_hash: differs from the tree's root at "
                     "size ",
                     size));
  }
  return absl::OkStatus();
}

// A refused checkpoint is reported in result->status and Apply returns OK:
// its DATA_LOSS must not read as a failed transaction (FailsTransaction),
// and it has written nothing to roll back.
absl::Status Apply(Connection* db, SaveCheckpoint& op,
                   audit::CompactRange* range, WriteResult* result) {
  GW_ASSIGN_OR_RETURN(absl::Status verdict,
                      CheckCheckpoint(db, op.checkpoint, *range));
  if (!verdict.ok()) {
    result->status = std::move(verdict);
    return absl::OkStatus();
  }
  GW_ASSIGN_OR_RETURN(const bool inserted,
                      sqlite::InsertCheckpoint(db, op.checkpoint));
  result->duplicate = !inserted;
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
  // Each write's SAVEPOINT keeps the pages it first touches in a
  // sub-journal. On disk (the default) that is a pwrite per page per write,
  // and once it has spilled SQLite never truncates it within the
  // transaction; in memory it is a memcpy, truncated at every RELEASE.
  GW_RETURN_IF_ERROR(db->Exec("PRAGMA temp_store = MEMORY"));
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
  // The tree's frontier: popcount(size) node reads, never a scan.
  audit::CompactRange range;
  {
    GW_ASSIGN_OR_RETURN(
        Transaction txn,
        Transaction::Begin(writer.get(), Transaction::Kind::kRead));
    GW_ASSIGN_OR_RETURN(const uint64_t size,
                        sqlite::AuditLogSize(writer.get()));
    absl::StatusOr<audit::CompactRange> stored =
        audit::CompactRange::FromReader(size,
                                        sqlite::NodeTableReader(writer.get()));
    if (!stored.ok()) {
      return absl::Status(
          stored.status().code(),
          absl::StrCat("audit log: cannot load the tree of ", size,
                       " leaves: ", stored.status().message()));
    }
    range = *std::move(stored);
    GW_RETURN_IF_ERROR(txn.Commit());
  }

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
      new SqliteStore(std::move(writer), std::move(readers), std::move(range)));
}

SqliteStore::SqliteStore(std::unique_ptr<Connection> writer,
                         std::vector<std::unique_ptr<Connection>> readers,
                         audit::CompactRange range)
    : writer_(std::move(writer)),
      readers_(std::move(readers)),
      range_(std::move(range)) {
  head_.size = range_.size();
  head_.root_hash = range_.Root();
}

// ---------------------------------------------------------------------------
// Commit

absl::Status SqliteStore::Commit(absl::Span<Write* const> batch) {
  if (batch.empty()) return absl::OkStatus();
  absl::MutexLock lock(&writer_mu_);
  // A failed transaction leaves the tree as it was; the copy is O(log n).
  audit::CompactRange before = range_;
  absl::Status status = CommitLocked(batch);
  if (!status.ok()) {
    range_ = std::move(before);
    for (Write* write : batch) {
      write->result = WriteResult();
      write->result.status = status;
    }
    return status;
  }
  if (range_.size() != before.size()) {
    // Published only now that the leaves and nodes are committed, so a
    // reader can build any proof up to the head it sees.
    AuditTreeHead head{range_.size(), range_.Root()};
    absl::MutexLock head_lock(&head_mu_);
    head_ = std::move(head);
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::CommitLocked(absl::Span<Write* const> batch) {
  Connection* db = writer_.get();
  GW_ASSIGN_OR_RETURN(Transaction txn,
                      Transaction::Begin(db, Transaction::Kind::kWrite));
  GW_ASSIGN_OR_RETURN(const uint64_t stored_size, sqlite::AuditLogSize(db));
  if (stored_size != range_.size()) {
    return absl::DataLossError(absl::StrCat(
        "audit log: ", stored_size, " leaves stored but the tree has ",
        range_.size(), " (did another process write the database?)"));
  }
  for (Write* write : batch) {
    write->result = WriteResult();
    GW_RETURN_IF_ERROR(RunCached(db, "SAVEPOINT gw_write"));
    // The write's leaf leaves the range with its savepoint.
    audit::CompactRange before_write = range_;
    absl::Status status = std::visit(
        [&](auto& op) { return Apply(db, op, &range_, &write->result); },
        write->op);
    if (!status.ok()) {
      // SQLite rolls back the whole transaction by itself after some
      // errors; then the batch is lost whatever the code says.
      if (FailsTransaction(status) || !db->InTransaction()) return status;
      write->result = WriteResult();
      write->result.status = std::move(status);
      range_ = std::move(before_write);
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
                    "alert_recipients r WHERE r.agency = ? AND "
                    "r.alert_id = alerts.alert_id))");
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

absl::StatusOr<std::vector<DeliveryRow>> SqliteStore::PendingDeliveries() {
  ConnectionPool::Lease db = readers_.Acquire();
  GW_ASSIGN_OR_RETURN(Transaction txn,
                      Transaction::Begin(db.get(), Transaction::Kind::kRead));
  GW_ASSIGN_OR_RETURN(std::vector<DeliveryRow> rows,
                      sqlite::FindPendingDeliveries(db.get()));
  GW_RETURN_IF_ERROR(txn.Commit());
  return rows;
}

absl::StatusOr<DeliveryPage> SqliteStore::ListDeliveries(
    const DeliveryQuery& query) {
  GW_ASSIGN_OR_RETURN(
      const int64_t after,
      SeqFromPageToken(query.page_token, kDeliveryPageTokenPrefix));
  const int page_size = std::clamp(query.page_size, 1, kMaxPageSize);
  ConnectionPool::Lease db = readers_.Acquire();
  // One row more than the page tells whether another page follows.
  GW_ASSIGN_OR_RETURN(
      std::vector<DeliveryRow> rows,
      sqlite::FindDeliveries(db.get(), query, after,
                             static_cast<int64_t>(page_size) + 1));
  DeliveryPage page;
  if (static_cast<int>(rows.size()) > page_size) {
    rows.resize(static_cast<size_t>(page_size));
    page.next_page_token =
        PageTokenFromSeq(kDeliveryPageTokenPrefix, rows.back().seq);
  }
  page.deliveries = std::move(rows);
  return page;
}

absl::StatusOr<DeliveryRow> SqliteStore::GetDelivery(
    absl::string_view message_id) {
  ConnectionPool::Lease db = readers_.Acquire();
  GW_ASSIGN_OR_RETURN(std::optional<DeliveryRow> row,
                      sqlite::FindDelivery(db.get(), message_id));
  if (!row.has_value()) {
    return absl::NotFoundError("message_id: no delivery has this id");
  }
  return std::move(*row);
}

absl::StatusOr<std::string> SqliteStore::InboundMessageDigest(
    absl::string_view sender_agency, absl::string_view message_id) {
  ConnectionPool::Lease db = readers_.Acquire();
  GW_ASSIGN_OR_RETURN(
      std::optional<sqlite::StoredInboundMessage> stored,
      sqlite::FindInboundMessage(db.get(), sender_agency, message_id));
  if (!stored.has_value()) {
    return absl::NotFoundError(
        "message_id: no message of this sender has this id");
  }
  return std::move(stored->received_sha256);
}

absl::StatusOr<std::string> SqliteStore::InboundMessageEvidence(
    absl::string_view sender_agency, absl::string_view message_id) {
  ConnectionPool::Lease db = readers_.Acquire();
  GW_ASSIGN_OR_RETURN(
      std::optional<std::string> evidence,
      sqlite::FindInboundEvidence(db.get(), sender_agency, message_id));
  if (!evidence.has_value()) {
    return absl::NotFoundError(
        "message_id: no message of this sender has this id");
  }
  return *std::move(evidence);
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

// ---------------------------------------------------------------------------
// Audit tree

absl::StatusOr<AuditTreeHead> SqliteStore::AuditHead() {
  absl::MutexLock lock(&head_mu_);
  return head_;
}

absl::StatusOr<std::vector<std::string>> SqliteStore::ReadAuditNodes(
    absl::Span<const audit::NodeId> ids) {
  if (ids.empty()) return std::vector<std::string>();
  ConnectionPool::Lease db = readers_.Acquire();
  GW_ASSIGN_OR_RETURN(Transaction txn,
                      Transaction::Begin(db.get(), Transaction::Kind::kRead));
  GW_ASSIGN_OR_RETURN(std::vector<std::string> hashes,
                      sqlite::NodeTableReader(db.get()).ReadNodes(ids));
  GW_RETURN_IF_ERROR(txn.Commit());
  return hashes;
}

absl::StatusOr<gw::v1::Checkpoint> SqliteStore::LatestCheckpoint() {
  ConnectionPool::Lease db = readers_.Acquire();
  GW_ASSIGN_OR_RETURN(std::optional<gw::v1::Checkpoint> checkpoint,
                      sqlite::FindLatestCheckpoint(db.get()));
  if (!checkpoint.has_value()) {
    return absl::NotFoundError("checkpoint: none kept yet");
  }
  return std::move(*checkpoint);
}

absl::StatusOr<AuditPage> SqliteStore::SearchAudit(const AuditQuery& query) {
  GW_ASSIGN_OR_RETURN(
      const int64_t resume,
      SeqFromPageToken(query.page_token, kAuditPageTokenPrefix));
  const int page_size = std::clamp(query.page_size, 1, kMaxPageSize);

  // As ListAlerts: one cached statement text per combination of filters.
  std::string sql =
      "SELECT leaf_index, leaf_data FROM audit_log WHERE leaf_index >= ?";
  std::vector<SqlArg> args = {resume == 0 ? 0 : resume - 1};
  if (!query.actor_agency.empty()) {
    absl::StrAppend(&sql, " AND actor_agency = ?");
    args.push_back(query.actor_agency);
  }
  if (!query.actor_user.empty()) {
    absl::StrAppend(&sql, " AND actor_user = ?");
    args.push_back(query.actor_user);
  }
  if (!query.action.empty()) {
    absl::StrAppend(&sql, " AND action = ?");
    args.push_back(query.action);
  }
  if (!query.object_id.empty()) {
    absl::StrAppend(&sql,
                    " AND leaf_index IN (SELECT leaf_index FROM audit_objects "
                    "WHERE object_id = ?)");
    args.push_back(query.object_id);
  }
  if (query.since != absl::InfinitePast()) {
    absl::StrAppend(&sql, " AND time_us >= ?");
    args.push_back(CeilUnixMicros(query.since));
  }
  if (query.until != absl::InfiniteFuture()) {
    absl::StrAppend(&sql, " AND time_us < ?");
    args.push_back(CeilUnixMicros(query.until));
  }
  absl::StrAppend(&sql, " ORDER BY leaf_index LIMIT ?");
  args.push_back(static_cast<int64_t>(page_size) + 1);

  ConnectionPool::Lease db = readers_.Acquire();
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(sql));
  GW_RETURN_IF_ERROR(BindArgs(stmt, args));
  AuditPage page;
  while (true) {
    GW_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    const uint64_t leaf_index = static_cast<uint64_t>(stmt.ColumnInt64(0));
    if (static_cast<int>(page.leaves.size()) == page_size) {
      page.next_page_token = PageTokenFromSeq(
          kAuditPageTokenPrefix, static_cast<int64_t>(leaf_index) + 1);
      break;
    }
    page.leaves.push_back(
        AuditLeaf{leaf_index, std::string(stmt.ColumnBlob(1))});
  }
  return page;
}

absl::Status SqliteStore::VerifyAuditTree(
    const std::function<void(uint64_t, uint64_t)>& progress) {
  // The head first, then the snapshot: it holds at least the head's leaves.
  GW_ASSIGN_OR_RETURN(const AuditTreeHead committed, AuditHead());
  ConnectionPool::Lease db = readers_.Acquire();
  GW_ASSIGN_OR_RETURN(Transaction txn,
                      Transaction::Begin(db.get(), Transaction::Kind::kRead));
  GW_RETURN_IF_ERROR(
      sqlite::VerifyStoredAuditTree(db.get(), committed, progress));
  return txn.Commit();
}

}  // namespace gw::store
