#include "gateway/store/sqlite/sqlite_schema.h"

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "gateway/store/sqlite/sqlite_alert_recipients.h"
#include "gateway/store/sqlite/sqlite_audit_log.h"
#include "gateway/store/sqlite/sqlite_outbox.h"
#include "gateway/util/status_macros.h"

namespace gw::store::sqlite {
namespace {

struct Migration {
  int version;
  const char* sql;
  // Run after `sql`, in the same transaction, for data SQL cannot derive
  // (e.g. hashes of stored leaves). May be null.
  absl::Status (*backfill)(Connection* db) = nullptr;
};

// Times are microseconds since the Unix epoch (INTEGER). Protobuf blobs are
// the messages' ordinary serialization, except audit_log.leaf_data (the
// deterministic serialization that the Merkle tree hashes).
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE audit_log(
  leaf_index   INTEGER PRIMARY KEY CHECK (leaf_index >= 0),  -- 0-based
  leaf_data    BLOB NOT NULL,     -- deterministic AuditEntry bytes
  time_us      INTEGER NOT NULL,
  action       TEXT NOT NULL,
  actor_agency TEXT NOT NULL
);

CREATE TABLE cases(
  seq           INTEGER PRIMARY KEY,  -- creation order, paging cursor
  case_ref      TEXT NOT NULL UNIQUE,
  owner_agency  TEXT NOT NULL,
  state         INTEGER NOT NULL,     -- gw.v1.CaseStatus.State
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL
);
CREATE INDEX cases_by_owner ON cases(owner_agency);
CREATE INDEX cases_by_state ON cases(state);

CREATE TABLE case_shares(
  case_ref TEXT NOT NULL REFERENCES cases(case_ref),
  agency   TEXT NOT NULL,
  PRIMARY KEY(case_ref, agency)
) WITHOUT ROWID;
CREATE INDEX case_shares_by_agency ON case_shares(agency, case_ref);

CREATE TABLE case_events(
  seq      INTEGER PRIMARY KEY,  -- history order
  case_ref TEXT NOT NULL REFERENCES cases(case_ref),
  event    BLOB NOT NULL         -- gw.v1.CaseEvent
);
CREATE INDEX case_events_by_case ON case_events(case_ref, seq);

-- Idempotency of signed case status updates.
CREATE TABLE case_updates(
  case_ref         TEXT NOT NULL REFERENCES cases(case_ref),
  update_id        TEXT NOT NULL,
  payload_sha256   TEXT NOT NULL,
  audit_leaf_index INTEGER NOT NULL REFERENCES audit_log(leaf_index),
  PRIMARY KEY(case_ref, update_id)
) WITHOUT ROWID;

CREATE TABLE alerts(
  seq              INTEGER PRIMARY KEY,  -- acceptance order, paging cursor
  alert_id         TEXT NOT NULL UNIQUE,
  origin_agency    TEXT NOT NULL,
  case_ref         TEXT NOT NULL REFERENCES cases(case_ref),
  kind             INTEGER NOT NULL,     -- gw.v1.CaseAlert.Kind
  payload_sha256   TEXT NOT NULL,
  received_at_us   INTEGER NOT NULL,
  audit_leaf_index INTEGER NOT NULL REFERENCES audit_log(leaf_index),
  record           BLOB NOT NULL  -- gw.v1.AlertRecord without deliveries
);
-- Covers CaseStatus.alert_ids: no alert row is read to list them.
CREATE INDEX alerts_by_case ON alerts(case_ref, seq, alert_id);
CREATE INDEX alerts_by_origin ON alerts(origin_agency);

-- The durable outbox: one row per (alert, recipient), read and updated by
-- the delivery engine. Row order (seq) is the order of the record's
-- deliveries. NULL times are unset Timestamps.
CREATE TABLE deliveries(
  seq                INTEGER PRIMARY KEY,
  alert_id           TEXT NOT NULL REFERENCES alerts(alert_id),
  recipient          TEXT NOT NULL,
  message_id         TEXT NOT NULL UNIQUE,
  state              INTEGER NOT NULL,  -- gw.v1.Delivery.State
  updated_at_us      INTEGER,
  attempts           INTEGER NOT NULL DEFAULT 0,
  next_attempt_at_us INTEGER,
  reason             TEXT NOT NULL DEFAULT '',
  receipt            BLOB,              -- gw.v1.Receipt once acknowledged
  UNIQUE(alert_id, recipient)
);
CREATE INDEX deliveries_by_state ON deliveries(state, next_attempt_at_us);
)sql"},
    {2, R"sql(
-- Search (SearchAudit): the actor's user, and an index per filter. SQLite
-- appends leaf_index (the rowid) to each index, which is the result order.
ALTER TABLE audit_log ADD COLUMN actor_user TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_by_agency ON audit_log(actor_agency);
CREATE INDEX audit_log_by_user ON audit_log(actor_user);
CREATE INDEX audit_log_by_action ON audit_log(action);
CREATE INDEX audit_log_by_time ON audit_log(time_us);

-- AuditEntry.object_ids, one row per distinct id of a leaf.
CREATE TABLE audit_objects(
  object_id  TEXT NOT NULL,
  leaf_index INTEGER NOT NULL REFERENCES audit_log(leaf_index),
  PRIMARY KEY(object_id, leaf_index)
) WITHOUT ROWID;

-- Every complete node of the RFC 9162 Merkle tree over audit_log
-- (gateway/audit/node_id.h): node (level, idx) covers leaves
-- [idx * 2^level, (idx + 1) * 2^level); level 0 holds the leaf hashes.
-- Written in the transaction that appends the leaf completing it, never
-- changed. Any proof reads O(log n) of them.
CREATE TABLE audit_nodes(
  level INTEGER NOT NULL,
  idx   INTEGER NOT NULL,
  hash  BLOB NOT NULL,     -- 32 bytes
  PRIMARY KEY(level, idx)
) WITHOUT ROWID;

-- Signed checkpoints kept (Store::SaveCheckpoint); the newest is checked
-- against the recomputed tree (VerifyAuditTree).
CREATE TABLE audit_checkpoints(
  tree_size INTEGER PRIMARY KEY CHECK (tree_size > 0),
  root_hash BLOB NOT NULL,  -- 32 bytes
  note      TEXT NOT NULL,  -- C2SP signed note
  time_us   INTEGER         -- NULL if the checkpoint has no time
);
)sql",
     BackfillAuditTables},
    {3, R"sql(
-- What the delivery engine orders the outbox by (partners/README.md 2.5:
-- per case, per partner, by priority), copied from the alert when the row
-- is written so that PendingDeliveries never reads an alert record.
ALTER TABLE deliveries ADD COLUMN case_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN origin_agency TEXT NOT NULL DEFAULT '';
-- gw.v1.CaseAlert.Priority; filled in from the alert records by
-- BackfillDeliveryPriority (sqlite_outbox.h), which SQL cannot parse.
ALTER TABLE deliveries ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
UPDATE deliveries SET (case_ref, origin_agency) =
  (SELECT a.case_ref, a.origin_agency FROM alerts a
   WHERE a.alert_id = deliveries.alert_id);

-- The deliveries still to be sent (QUEUED, SENT, RETRYING) in outbox
-- order: the delivery engine's start-up read walks only these, however
-- many acknowledged rows history holds. A query uses it only when it
-- spells the same literal condition.
CREATE INDEX deliveries_pending ON deliveries(seq) WHERE state IN (1, 2, 4);
-- ListDeliveries by recipient or by one state, each in seq order without a
-- sort (SQLite appends the rowid, seq, to every index). The version-1
-- index on (state, next_attempt_at_us), which no query uses, would order
-- by time instead.
DROP INDEX deliveries_by_state;
CREATE INDEX deliveries_by_state_seq ON deliveries(state);
CREATE INDEX deliveries_by_recipient ON deliveries(recipient);

-- Messages accepted from partners (partners/README.md 2.2): the key
-- (sending agency, message id), the digest of the bytes accepted, and what
-- the first acceptance answered, so an exact duplicate gets the same
-- receipt again. Written with the alert it carried, never changed.
CREATE TABLE inbound_messages(
  sender_agency    TEXT NOT NULL,
  message_id       TEXT NOT NULL,
  received_sha256  TEXT NOT NULL,     -- lowercase hex
  alert_id         TEXT NOT NULL REFERENCES alerts(alert_id),
  audit_leaf_index INTEGER NOT NULL REFERENCES audit_log(leaf_index),
  received_at_us   INTEGER NOT NULL,  -- for the 400-day retention
  -- A gw.v1.Receipt with only `warnings` set (no message of its own holds
  -- a list of ReceiptWarning); NULL when there were none.
  receipt_warnings BLOB,
  PRIMARY KEY(sender_agency, message_id)
) WITHOUT ROWID;
)sql",
     BackfillDeliveryPriority},
    {4, R"sql(
-- The agencies that may list an alert besides its origin (ListAlerts'
-- visible_to_agency): every entry of alert.recipients, whether or not this
-- gateway delivers to it (an inbound alert has no deliveries). Written
-- with the alert, never changed; filled in for the alerts stored before
-- by BackfillAlertRecipients (sqlite_alert_recipients.h), which SQL cannot
-- do: the recipients are in the record blob. Keyed by agency first, so
-- ListAlerts' EXISTS probe per alert is one primary-key lookup, and an
-- agency's alerts are one range of it.
CREATE TABLE alert_recipients(
  agency   TEXT NOT NULL,
  alert_id TEXT NOT NULL REFERENCES alerts(alert_id),
  PRIMARY KEY(agency, alert_id)
) WITHOUT ROWID;
)sql",
     BackfillAlertRecipients},
    {5, R"sql(
-- The partner's own signed bytes of an inbound message (a TH-RTP frame, an
-- LA-MPS .csv with its .sig and .done, a signed HTTP request), kept with
-- the record so the partner's signature can be verified again years later
-- (TH-RTP.md 6, LA-MPS.md 6.3). NULL for native peers, whose DSSE envelope
-- is stored with the alert.
ALTER TABLE inbound_messages ADD COLUMN evidence BLOB;
)sql",
     nullptr},
};

int VersionOfLastStep() {
  return kMigrations[sizeof(kMigrations) / sizeof(kMigrations[0]) - 1].version;
}

}  // namespace

int LatestSchemaVersion() { return VersionOfLastStep(); }

absl::StatusOr<int> ReadSchemaVersion(Connection* db) {
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare("PRAGMA user_version"));
  GW_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) {
    return absl::InternalError("sqlite: PRAGMA user_version returned no row");
  }
  return static_cast<int>(stmt.ColumnInt64(0));
}

absl::Status MigrateSchema(Connection* db) {
  GW_ASSIGN_OR_RETURN(Transaction txn,
                      Transaction::Begin(db, Transaction::Kind::kWrite));
  GW_ASSIGN_OR_RETURN(const int current, ReadSchemaVersion(db));
  const int latest = LatestSchemaVersion();
  if (current > latest) {
    return absl::FailedPreconditionError(
        absl::StrCat("database schema version ", current,
                     " is newer than this gatewayd (", latest, ")"));
  }
  if (current == latest) return txn.Commit();
  for (const Migration& step : kMigrations) {
    if (step.version <= current) continue;
    if (absl::Status status = db->Exec(step.sql); !status.ok()) {
      return absl::Status(status.code(),
                          absl::StrCat("schema migration to version ",
                                       step.version, ": ", status.message()));
    }
    if (step.backfill == nullptr) continue;
    if (absl::Status status = step.backfill(db); !status.ok()) {
      return absl::Status(status.code(),
                          absl::StrCat("schema migration to version ",
                                       step.version, ": ", status.message()));
    }
  }
  // PRAGMA takes no bound parameters; `latest` is our own integer.
  GW_RETURN_IF_ERROR(db->Exec(absl::StrCat("PRAGMA user_version = ", latest)));
  return txn.Commit();
}

}  // namespace gw::store::sqlite
