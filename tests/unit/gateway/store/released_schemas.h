// tests/unit/gateway/store/released_schemas.h
//
// The SQLite schemas as released, frozen here so migration tests can build
// a database exactly as an older gatewayd left it (sqlite_schema.cc must
// never change a released step; these copies make a change show up as a
// failing migration test rather than go unnoticed). Each ends by setting
// PRAGMA user_version.
#ifndef GW_TESTS_UNIT_GATEWAY_STORE_RELEASED_SCHEMAS_H_
#define GW_TESTS_UNIT_GATEWAY_STORE_RELEASED_SCHEMAS_H_

namespace gw::store {

// Version 1: run on an empty database.
inline constexpr char kSchemaVersion1[] = R"sql(
CREATE TABLE audit_log(
  leaf_index   INTEGER PRIMARY KEY CHECK (leaf_index >= 0),
  leaf_data    BLOB NOT NULL,
  time_us      INTEGER NOT NULL,
  action       TEXT NOT NULL,
  actor_agency TEXT NOT NULL
);
CREATE TABLE cases(
  seq INTEGER PRIMARY KEY, case_ref TEXT NOT NULL UNIQUE,
  owner_agency TEXT NOT NULL, state INTEGER NOT NULL,
  created_at_us INTEGER NOT NULL, updated_at_us INTEGER NOT NULL);
CREATE INDEX cases_by_owner ON cases(owner_agency);
CREATE INDEX cases_by_state ON cases(state);
CREATE TABLE case_shares(
  case_ref TEXT NOT NULL REFERENCES cases(case_ref), agency TEXT NOT NULL,
  PRIMARY KEY(case_ref, agency)) WITHOUT ROWID;
CREATE INDEX case_shares_by_agency ON case_shares(agency, case_ref);
CREATE TABLE case_events(
  seq INTEGER PRIMARY KEY, case_ref TEXT NOT NULL REFERENCES cases(case_ref),
  event BLOB NOT NULL);
CREATE INDEX case_events_by_case ON case_events(case_ref, seq);
CREATE TABLE case_updates(
  case_ref TEXT NOT NULL REFERENCES cases(case_ref), update_id TEXT NOT NULL,
  payload_sha256 TEXT NOT NULL,
  audit_leaf_index INTEGER NOT NULL REFERENCES audit_log(leaf_index),
  PRIMARY KEY(case_ref, update_id)) WITHOUT ROWID;
CREATE TABLE alerts(
  seq INTEGER PRIMARY KEY, alert_id TEXT NOT NULL UNIQUE,
  origin_agency TEXT NOT NULL,
  case_ref TEXT NOT NULL REFERENCES cases(case_ref), kind INTEGER NOT NULL,
  payload_sha256 TEXT NOT NULL, received_at_us INTEGER NOT NULL,
  audit_leaf_index INTEGER NOT NULL REFERENCES audit_log(leaf_index),
  record BLOB NOT NULL);
CREATE INDEX alerts_by_case ON alerts(case_ref, seq, alert_id);
CREATE INDEX alerts_by_origin ON alerts(origin_agency);
CREATE TABLE deliveries(
  seq INTEGER PRIMARY KEY, alert_id TEXT NOT NULL REFERENCES alerts(alert_id),
  recipient TEXT NOT NULL, message_id TEXT NOT NULL UNIQUE,
  state INTEGER NOT NULL, updated_at_us INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at_us INTEGER,
  reason TEXT NOT NULL DEFAULT '', receipt BLOB, UNIQUE(alert_id, recipient));
CREATE INDEX deliveries_by_state ON deliveries(state, next_attempt_at_us);
PRAGMA user_version = 1;
)sql";

// Version 2: run on a version-1 database (the SQL of migration step 2, which
// has a backfill: run it on an empty audit log, or insert the tree rows
// yourself).
inline constexpr char kSchemaStep2[] = R"sql(
ALTER TABLE audit_log ADD COLUMN actor_user TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_by_agency ON audit_log(actor_agency);
CREATE INDEX audit_log_by_user ON audit_log(actor_user);
CREATE INDEX audit_log_by_action ON audit_log(action);
CREATE INDEX audit_log_by_time ON audit_log(time_us);
CREATE TABLE audit_objects(
  object_id  TEXT NOT NULL,
  leaf_index INTEGER NOT NULL REFERENCES audit_log(leaf_index),
  PRIMARY KEY(object_id, leaf_index)
) WITHOUT ROWID;
CREATE TABLE audit_nodes(
  level INTEGER NOT NULL,
  idx   INTEGER NOT NULL,
  hash  BLOB NOT NULL,
  PRIMARY KEY(level, idx)
) WITHOUT ROWID;
CREATE TABLE audit_checkpoints(
  tree_size INTEGER PRIMARY KEY CHECK (tree_size > 0),
  root_hash BLOB NOT NULL,
  note      TEXT NOT NULL,
  time_us   INTEGER
);
PRAGMA user_version = 2;
)sql";

// Version 3: run on a version-2 database (the SQL of migration step 3, which
// has a backfill: run it before adding alerts, or set deliveries.priority
// yourself).
inline constexpr char kSchemaStep3[] = R"sql(
ALTER TABLE deliveries ADD COLUMN case_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN origin_agency TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
UPDATE deliveries SET (case_ref, origin_agency) =
  (SELECT a.case_ref, a.origin_agency FROM alerts a
   WHERE a.alert_id = deliveries.alert_id);
CREATE INDEX deliveries_pending ON deliveries(seq) WHERE state IN (1, 2, 4);
DROP INDEX deliveries_by_state;
CREATE INDEX deliveries_by_state_seq ON deliveries(state);
CREATE INDEX deliveries_by_recipient ON deliveries(recipient);
CREATE TABLE inbound_messages(
  sender_agency    TEXT NOT NULL,
  message_id       TEXT NOT NULL,
  received_sha256  TEXT NOT NULL,
  alert_id         TEXT NOT NULL REFERENCES alerts(alert_id),
  audit_leaf_index INTEGER NOT NULL REFERENCES audit_log(leaf_index),
  received_at_us   INTEGER NOT NULL,
  receipt_warnings BLOB,
  PRIMARY KEY(sender_agency, message_id)
) WITHOUT ROWID;
PRAGMA user_version = 3;
)sql";

}  // namespace gw::store

#endif  // GW_TESTS_UNIT_GATEWAY_STORE_RELEASED_SCHEMAS_H_
