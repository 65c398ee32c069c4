// gateway/store/store.h
//
// Store is the gateway's durable state: alerts with their per-recipient
// deliveries (the outbox), cases with their history, and the audit log. No
// other module speaks SQL; callers see only this interface, so the embedded
// SQLite store and a shared PostgreSQL store are interchangeable.
//
// Writes:
//  * Commit() applies a batch of writes in ONE transaction with one durable
//    commit (group commit). Each write in the batch is atomic on its own:
//    its record, its outbox rows and its audit entry are stored together or
//    not at all, and a write that fails (e.g. ALREADY_EXISTS) leaves no trace
//    while the other writes of the batch still commit.
//  * Every successful write appends exactly one audit entry (an
//    UpdateDelivery without `audit` and a SaveCheckpoint append none). A
//    failed write appends nothing; the caller audits the refusal with an
//    AppendAudit.
//  * When Commit() returns OK, every write whose result.status is OK is
//    durable (fsync'd); a crash after that loses none of them.
// Reads:
//  * Reads see only committed data and never block the writer for long.
// Threads: Commit() is called by one thread at a time (the ingest writer).
//  Reads may be called from any number of threads concurrently with each
//  other and with Commit().
#ifndef GW_STORE_STORE_H_
#define GW_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "gateway/audit/node_id.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/audit.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/receipt.pb.h"

namespace gw::store {

// Accept one alert. `record` holds the verified CaseAlert, the envelope as
// received, received_at, payload_sha256 and one Delivery per recipient
// (state QUEUED, message_id assigned). In the same transaction the store:
//  * if alert_id is new: stores the record and its deliveries (outbox),
//    creates the case `alert.case_ref` owned by alert.origin_agency (state
//    OPEN, shared with the recipients, a history event with alert_id) or, if
//    the case exists and is owned by alert.origin_agency, adds the new
//    recipients to shared_with and the alert to alert_ids; appends `audit`.
//  * if alert_id exists with the same payload_sha256: changes nothing and
//    reports duplicate = true with the stored record and its first audit
//    leaf index (an idempotent success).
// Errors (result.status):
//  ALREADY_EXISTS     alert_id exists with a different payload_sha256
//  PERMISSION_DENIED  the case exists and is owned by another agency
//
// Inbound alerts (`inbound` set: the alert came from a partner through an
// adapter) are deduplicated first by the partner's message
// (partners/README.md §2.2), before alert_id:
//  * (sender_agency, message_id) seen before with the same received_sha256:
//    changes nothing, duplicate = true, with the record, leaf index and
//    receipt_warnings of that first message (so the partner gets the
//    receipt it got the first time);
//  * seen before with another received_sha256: ALREADY_EXISTS
//    "gw-message-id: <id> was used before for a different payload";
//  * new: handled as above by alert_id; when the alert is stored, the
//    message (id, digest, warnings) is stored with it. An alert_id
//    duplicate under a new message id stores nothing.
// Inbound records carry no deliveries: a gateway never forwards a
// partner's alert onward.
struct InboundOrigin {
  std::string sender_agency;
  std::string message_id;
  // Lowercase hex SHA-256 of what the partner sent (its ICD's digest).
  std::string received_sha256;
  // Remarks for the partner's receipt (e.g. ZAWGYI_CONVERTED).
  std::vector<gw::v1::ReceiptWarning> receipt_warnings;
  // The partner's own bytes and signature, kept so that the partner's
  // signature can be verified again later (e.g. a TH-RTP frame, an LA-MPS
  // .csv/.sig/.done). Empty for native peers, whose envelope is kept.
  std::string evidence = {};
};

struct AcceptAlert {
  gw::v1::AlertRecord record;
  gw::v1::AuditEntry audit;
  std::optional<InboundOrigin> inbound = std::nullopt;
  // More audit entries about the same acceptance (e.g. ENCODING_CONVERTED,
  // partners/MM-MPF.md §5.6), appended right after `audit` in the same
  // transaction when the alert is newly stored; not on a duplicate.
  // WriteResult.audit_leaf_index stays `audit`'s.
  std::vector<gw::v1::AuditEntry> more_audit = {};
};

// Apply one signed case status update. `update` is the verified payload
// (case_ref, owner_agency, state, update_id, updated_by, note). The store
// sets the case state, updated_at = `at`, appends a CaseEvent to history
// and appends `audit`.
// Idempotent by (case_ref, update_id): the same update_id with the same
// payload_sha256 changes nothing and reports duplicate = true.
// Errors (result.status):
//  NOT_FOUND          no such case
//  PERMISSION_DENIED  the case is owned by an agency other than actor_agency
//  ALREADY_EXISTS     update_id reused with a different payload_sha256
struct UpdateCase {
  gw::v1::CaseStatus update;
  std::string actor_agency;
  std::string actor_user;
  std::string payload_sha256;
  absl::Time at;
  gw::v1::AuditEntry audit;
};

// Record the progress of one delivery (the delivery engine, an operator).
// Finds the delivery by `message_id` and sets, from `delivery`: state,
// attempts, next_attempt_at, reason, receipt, and message_id (a new id
// only when an operator re-queues a dead letter, partners/README.md §2.4;
// otherwise the same). updated_at becomes `at`. Appends `audit` when set:
// acknowledged, dead-lettered, cancelled, re-queued. Retry bookkeeping
// (RETRYING with its next attempt time) appends none: it is transport
// noise, and GetAlert shows it anyway.
// State changes the store allows (anything else is FAILED_PRECONDITION, so
// a late engine write cannot undo an operator's decision):
//  ACKNOWLEDGED         final, never changes
//  CANCELLED            only to QUEUED (an operator re-queues it)
//  FAILED               only to QUEUED (re-queue) or CANCELLED
//  QUEUED/SENT/RETRYING to any state
// Errors (result.status):
//  NOT_FOUND            no delivery has message_id
//  FAILED_PRECONDITION  a change the table above forbids
//  ALREADY_EXISTS       the new message_id belongs to another delivery
struct UpdateDelivery {
  std::string message_id;
  gw::v1::Delivery delivery;
  absl::Time at;
  std::optional<gw::v1::AuditEntry> audit = std::nullopt;
};

// Append one audit entry and nothing else (refusals, reads worth auditing).
struct AppendAudit {
  gw::v1::AuditEntry audit;
};

// Keep a signed checkpoint of the audit tree (the newest one kept is checked
// against the recomputed tree at start-up, so a rewritten history is caught).
// Appends no audit entry: a checkpoint is a statement about the log, not an
// action. Idempotent by tree_size.
// Errors: INVALID_ARGUMENT if tree_size is 0 or beyond the log, or root_hash
// is not 32 bytes; DATA_LOSS if root_hash differs from the tree's root at
// that size.
struct SaveCheckpoint {
  gw::v1::Checkpoint checkpoint;
};

// One delivery (outbox row) with what the delivery engine needs to order
// it: per case, per partner, by priority (partners/README.md §2.5).
struct DeliveryRow {
  // Outbox order: acceptance order of the alerts, then recipient order.
  int64_t seq = 0;
  std::string alert_id;
  std::string case_ref;
  std::string origin_agency;
  gw::v1::CaseAlert::Priority priority =
      gw::v1::CaseAlert::PRIORITY_UNSPECIFIED;
  gw::v1::Delivery delivery;
};

struct WriteResult {
  absl::Status status;
  // True when an identical write had already been committed.
  bool duplicate = false;
  // AcceptAlert with `inbound`: true when this (sender, message id) was
  // accepted before with the same digest, i.e. the partner resent the very
  // same message (partners/README.md 2.2), as opposed to the same alert
  // arriving again under a new message id.
  bool duplicate_message = false;
  // Leaf index of this write's audit entry (the first one's if duplicate).
  uint64_t audit_leaf_index = 0;
  // AcceptAlert: the stored record (the first one's if duplicate).
  std::optional<gw::v1::AlertRecord> alert;
  // AcceptAlert and UpdateCase: the case after the write, with history.
  std::optional<gw::v1::CaseStatus> case_status;
  // The exact bytes of this write's audit leaf (the first one's if
  // duplicate); empty for SaveCheckpoint.
  std::string audit_leaf_data;
  // AcceptAlert with `inbound`: the warnings for the partner's receipt
  // (the first message's if duplicate).
  std::vector<gw::v1::ReceiptWarning> receipt_warnings;
  // UpdateDelivery: the delivery after the write.
  std::optional<DeliveryRow> delivery;
  // Filled after the commit by the ingest writer, not by the store: the
  // gateway's signed receipt for this write's audit leaf.
  std::optional<gw::v1::Receipt> receipt;
};

struct Write {
  std::variant<AcceptAlert, UpdateCase, UpdateDelivery, AppendAudit,
               SaveCheckpoint>
      op;
  // Filled in by Store::Commit.
  WriteResult result;
};

// Filters for ListAlerts. Results are ordered by acceptance, oldest first.
struct AlertQuery {
  // If set, only alerts whose origin is this agency or that list it among
  // their recipients (alert.recipients, whether or not this gateway
  // delivers to it: inbound alerts have no deliveries).
  std::string visible_to_agency;
  std::string case_ref;
  gw::v1::CaseAlert::Kind kind = gw::v1::CaseAlert::KIND_UNSPECIFIED;
  std::string origin_agency;
  // Opaque cursor from a previous page's next_page_token; empty = start.
  std::string page_token;
  // 1..1000.
  int page_size = 50;
};

struct AlertPage {
  std::vector<gw::v1::AlertRecord> alerts;
  // Empty when there are no more results.
  std::string next_page_token;
};

// Filters for ListCases. Ordered by creation, oldest first.
struct CaseQuery {
  // If set, only cases owned by this agency or shared with it.
  std::string visible_to_agency;
  gw::v1::CaseStatus::State state = gw::v1::CaseStatus::STATE_UNSPECIFIED;
  std::string page_token;
  int page_size = 50;
};

struct CasePage {
  std::vector<gw::v1::CaseStatus> cases;
  std::string next_page_token;
};

// Filters for ListDeliveries; empty fields match everything. Ordered by
// seq, oldest first.
struct DeliveryQuery {
  std::string recipient;
  std::string alert_id;
  // Any of these states; empty = all.
  std::vector<gw::v1::Delivery::State> states;
  std::string page_token;
  // 1..1000.
  int page_size = 50;
};

struct DeliveryPage {
  std::vector<DeliveryRow> deliveries;
  std::string next_page_token;
};

struct AuditLeaf {
  uint64_t leaf_index = 0;
  // The exact bytes of the entry (deterministic AuditEntry serialization).
  std::string leaf_data;
};

// The audit tree as committed: its size and RFC 9162 root hash (32 bytes;
// SHA-256 of the empty string for an empty log).
struct AuditTreeHead {
  uint64_t size = 0;
  std::string root_hash;
};

// Filters for SearchAudit; empty fields match everything. Ordered by leaf
// index, oldest first.
struct AuditQuery {
  std::string actor_agency;
  std::string actor_user;
  std::string action;
  // Matches entries whose object_ids contain exactly this id.
  std::string object_id;
  // [since, until); InfinitePast/InfiniteFuture for no bound.
  absl::Time since = absl::InfinitePast();
  absl::Time until = absl::InfiniteFuture();
  std::string page_token;
  int page_size = 100;
};

struct AuditPage {
  std::vector<AuditLeaf> leaves;
  std::string next_page_token;
};

class Store {
 public:
  virtual ~Store() = default;

  // Applies `batch` as described above, filling each write's result.
  // Returns non-OK only when the transaction as a whole failed (I/O error,
  // disk full, database locked: ABORTED or UNAVAILABLE or INTERNAL); then no
  // write of the batch was applied and their results are unspecified.
  // Writes are applied in order, so a later write sees an earlier one.
  [[nodiscard]] virtual absl::Status Commit(absl::Span<Write* const> batch) = 0;

  // NOT_FOUND if there is no such alert.
  [[nodiscard]] virtual absl::StatusOr<gw::v1::AlertRecord> GetAlert(
      absl::string_view alert_id) = 0;
  // INVALID_ARGUMENT "page_token: ..." for a token this store did not issue.
  [[nodiscard]] virtual absl::StatusOr<AlertPage> ListAlerts(
      const AlertQuery& query) = 0;

  // The case with shared_with, alert_ids and full history (oldest first).
  // NOT_FOUND if there is no such case.
  [[nodiscard]] virtual absl::StatusOr<gw::v1::CaseStatus> GetCase(
      absl::string_view case_ref) = 0;
  [[nodiscard]] virtual absl::StatusOr<CasePage> ListCases(
      const CaseQuery& query) = 0;

  // Deliveries still to be sent (QUEUED, SENT, RETRYING), by seq: what the
  // delivery engine resumes at start-up. Reads indexed columns only, no
  // alert record (fast with a million rows queued).
  [[nodiscard]] virtual absl::StatusOr<std::vector<DeliveryRow>>
  PendingDeliveries() = 0;
  // INVALID_ARGUMENT "page_token: ..." for a token this store did not issue.
  [[nodiscard]] virtual absl::StatusOr<DeliveryPage> ListDeliveries(
      const DeliveryQuery& query) = 0;
  // NOT_FOUND if no delivery has this message id.
  [[nodiscard]] virtual absl::StatusOr<DeliveryRow> GetDelivery(
      absl::string_view message_id) = 0;
  // The received digest of a partner message stored with an inbound
  // AcceptAlert (so an exact resend can be recognised before its
  // signatures are checked again); NOT_FOUND if none.
  [[nodiscard]] virtual absl::StatusOr<std::string> InboundMessageDigest(
      absl::string_view sender_agency, absl::string_view message_id) = 0;
  // The partner's own signed bytes kept with that message
  // (InboundOrigin.evidence; empty for native peers); NOT_FOUND if no such
  // message.
  [[nodiscard]] virtual absl::StatusOr<std::string> InboundMessageEvidence(
      absl::string_view sender_agency, absl::string_view message_id) = 0;

  // Number of audit entries so far.
  [[nodiscard]] virtual absl::StatusOr<uint64_t> AuditLogSize() = 0;
  // Up to `count` entries from `start` (fewer at the end of the log).
  [[nodiscard]] virtual absl::StatusOr<std::vector<AuditLeaf>> ReadAuditLog(
      uint64_t start, uint64_t count) = 0;

  // The audit tree (CONTRACT.md §5). Every write that appends an audit leaf
  // also stores, in the same transaction, the complete tree nodes it
  // creates (audit/compact_range.h), so any proof needs only O(log n) node
  // reads.
  // The committed head. Cheap (kept in memory).
  [[nodiscard]] virtual absl::StatusOr<AuditTreeHead> AuditHead() = 0;
  // The hashes of complete nodes `ids`, in order, in one read.
  // NOT_FOUND naming the first missing node; DATA_LOSS if one is not 32
  // bytes.
  [[nodiscard]] virtual absl::StatusOr<std::vector<std::string>> ReadAuditNodes(
      absl::Span<const audit::NodeId> ids) = 0;
  // The newest checkpoint kept with SaveCheckpoint; NOT_FOUND if none.
  [[nodiscard]] virtual absl::StatusOr<gw::v1::Checkpoint>
  LatestCheckpoint() = 0;
  // Entries matching `query`.
  [[nodiscard]] virtual absl::StatusOr<AuditPage> SearchAudit(
      const AuditQuery& query) = 0;
  // Recomputes the whole tree from the stored leaf bytes and checks it
  // against the stored nodes and the newest kept checkpoint. Reports
  // progress through `progress(done, total)` if given (may be null).
  // DATA_LOSS naming the first leaf or node that does not match.
  [[nodiscard]] virtual absl::Status VerifyAuditTree(
      const std::function<void(uint64_t, uint64_t)>& progress) = 0;
};

}  // namespace gw::store

#endif  // GW_STORE_STORE_H_
