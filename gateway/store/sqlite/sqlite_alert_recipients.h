// gateway/store/sqlite/sqlite_alert_recipients.h
//
// The alert_recipients table on one Connection: one row per (agency,
// alert) for every entry of an alert's recipients, what ListAlerts'
// visible_to_agency filter reads (store.h: visible to the origin and to
// every recipient, whether or not this gateway delivers to it, since an
// inbound alert has no deliveries). SqliteStore writes it with each newly
// stored alert; schema migration 4 calls BackfillAlertRecipients for the
// alerts stored before.
//
// Guarantees:
//  * A recipient listed twice in one alert is stored once.
//  * Nothing here commits or rolls back: the caller owns the transaction.
// Errors: from SQLite (sqlite_status.h); the foreign key fails (INTERNAL)
// if the alert is not stored yet. BackfillAlertRecipients: DATA_LOSS
// "alerts: record at seq N does not parse".
// Threads: as the Connection (one thread at a time).
#ifndef GW_STORE_SQLITE_SQLITE_ALERT_RECIPIENTS_H_
#define GW_STORE_SQLITE_SQLITE_ALERT_RECIPIENTS_H_

#include "absl/status/status.h"
#include "gateway/store/sqlite/sqlite_connection.h"
#include "gw/v1/alert.pb.h"

namespace gw::store::sqlite {

// Records alert.recipients as the agencies that may list `alert`, which
// must already be in the alerts table.
[[nodiscard]] absl::Status InsertAlertRecipients(
    Connection* db, const gw::v1::CaseAlert& alert);

// Schema migration 4: fills alert_recipients from each stored alert record,
// parsed once, in chunks (bounded memory).
[[nodiscard]] absl::Status BackfillAlertRecipients(Connection* db);

}  // namespace gw::store::sqlite

#endif  // GW_STORE_SQLITE_SQLITE_ALERT_RECIPIENTS_H_
