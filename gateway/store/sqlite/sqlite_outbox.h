// gateway/store/sqlite/sqlite_outbox.h
//
// The outbox and inbox tables on one Connection: the deliveries (one row
// per alert and recipient, what the delivery engine sends) and
// inbound_messages (what partners sent us, for deduplication by message id,
// partners/README.md 2.2). SqliteStore calls these inside its transactions
// and its read snapshots; schema migration 3 calls
// BackfillDeliveryPriority.
//
// Guarantees:
//  * Every deliveries row carries its alert's case_ref, origin_agency and
//    priority, so a DeliveryRow is read from the deliveries table alone and
//    no alert record is parsed (FindPendingDeliveries walks the partial
//    index deliveries_pending, see sqlite_schema.cc).
//  * Rows come back in seq order (the outbox order: acceptance order of
//    the alerts, then the order of each record's deliveries).
//  * Lookups report absence as an empty std::optional, never an error.
//  * Nothing here commits or rolls back: the caller owns the transaction.
// Errors: from SQLite (sqlite_status.h); DATA_LOSS when a stored blob does
// not parse ("sqlite: stored delivery receipt does not parse", ...).
// Threads: as the Connection (one thread at a time).
#ifndef GW_STORE_SQLITE_SQLITE_OUTBOX_H_
#define GW_STORE_SQLITE_SQLITE_OUTBOX_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gateway/store/sqlite/sqlite_connection.h"
#include "gateway/store/store.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/receipt.pb.h"

namespace gw::store::sqlite {

// Inserts one deliveries row per record.deliveries (in order, so seq
// follows it), with the alert's case_ref, origin_agency and priority.
// A message_id already in the outbox fails with the UNIQUE constraint
// (INTERNAL): ids are the caller's to make unique.
[[nodiscard]] absl::Status InsertDeliveries(Connection* db,
                                            const gw::v1::AlertRecord& record);

// The deliveries of `alert_id`, in seq order.
[[nodiscard]] absl::StatusOr<std::vector<DeliveryRow>> FindDeliveriesOfAlert(
    Connection* db, absl::string_view alert_id);

// The delivery whose current message id is `message_id`.
[[nodiscard]] absl::StatusOr<std::optional<DeliveryRow>> FindDelivery(
    Connection* db, absl::string_view message_id);

// Sets the progress of delivery `seq` from `delivery` (message_id, state,
// attempts, next_attempt_at, reason, receipt; unset times and receipt are
// stored as NULL) and updated_at to `at`. Does not check anything: the
// caller applies UpdateDelivery's rules first.
[[nodiscard]] absl::Status SetDeliveryProgress(Connection* db, int64_t seq,
                                               const gw::v1::Delivery& delivery,
                                               absl::Time at);

// Every delivery in state QUEUED, SENT or RETRYING, in seq order.
[[nodiscard]] absl::StatusOr<std::vector<DeliveryRow>> FindPendingDeliveries(
    Connection* db);

// Up to `limit` deliveries with seq > `after_seq` that match the filters
// of `query` (its page fields are ignored), in seq order. A page costs
// O(page) index steps when filtering by alert, by recipient, by one state
// or by exactly the pending states; any other set of states sorts the
// matching rows after `after_seq` (meant for the few dead letters and
// cancellations, not for the acknowledged history).
[[nodiscard]] absl::StatusOr<std::vector<DeliveryRow>> FindDeliveries(
    Connection* db, const DeliveryQuery& query, int64_t after_seq,
    int64_t limit);

// A partner message already accepted.
struct StoredInboundMessage {
  std::string received_sha256;
  std::string alert_id;
  uint64_t audit_leaf_index = 0;
  std::vector<gw::v1::ReceiptWarning> receipt_warnings;
};

// The evidence kept with the message `message_id` of `sender_agency` ("" if
// none was kept); nullopt if there is no such message.
[[nodiscard]] absl::StatusOr<std::optional<std::string>> FindInboundEvidence(
    Connection* db, absl::string_view sender_agency,
    absl::string_view message_id);

// The message `message_id` of `sender_agency`.
[[nodiscard]] absl::StatusOr<std::optional<StoredInboundMessage>>
FindInboundMessage(Connection* db, absl::string_view sender_agency,
                   absl::string_view message_id);

// Records that `inbound` carried alert `alert_id`, accepted at
// `received_at_us` with audit leaf `audit_leaf_index`. The key must be new
// (PRIMARY KEY: INTERNAL otherwise).
[[nodiscard]] absl::Status InsertInboundMessage(Connection* db,
                                                const InboundOrigin& inbound,
                                                absl::string_view alert_id,
                                                uint64_t audit_leaf_index,
                                                int64_t received_at_us);

// Schema migration 3: sets deliveries.priority from each alert's stored
// record (the migration's SQL copies case_ref and origin_agency, which
// alerts has as columns). Streams the alerts in chunks (bounded memory).
// DATA_LOSS "alerts: record at seq N does not parse" fails the migration.
[[nodiscard]] absl::Status BackfillDeliveryPriority(Connection* db);

}  // namespace gw::store::sqlite

#endif  // GW_STORE_SQLITE_SQLITE_OUTBOX_H_
