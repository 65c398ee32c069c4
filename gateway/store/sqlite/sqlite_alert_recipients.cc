#include "gateway/store/sqlite/sqlite_alert_recipients.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "gateway/store/sqlite/sqlite_queries.h"
#include "gateway/util/status_macros.h"

namespace gw::store::sqlite {
namespace {

// OR IGNORE: a recipient listed twice is one row.
constexpr char kInsertRecipient[] =
    "INSERT OR IGNORE INTO alert_recipients(agency, alert_id) VALUES (?1, ?2)";

// Alerts parsed per chunk by the backfill.
constexpr int64_t kBackfillChunk = 1024;

absl::Status InsertRecipient(Connection* db, absl::string_view agency,
                             absl::string_view alert_id) {
  GW_ASSIGN_OR_RETURN(Statement stmt, db->Prepare(kInsertRecipient));
  GW_RETURN_IF_ERROR(stmt.BindAll(agency, alert_id));
  return stmt.Run();
}

}  // namespace

absl::Status InsertAlertRecipients(Connection* db,
                                   const gw::v1::CaseAlert& alert) {
  for (const std::string& agency : alert.recipients()) {
    GW_RETURN_IF_ERROR(InsertRecipient(db, agency, alert.alert_id()));
  }
  return absl::OkStatus();
}

absl::Status BackfillAlertRecipients(Connection* db) {
  // (agency, alert_id) pairs of the current chunk.
  std::vector<std::pair<std::string, std::string>> rows;
  return ForEachStoredAlertRecord(
      db, kBackfillChunk,
      [&](const std::string& alert_id, const gw::v1::AlertRecord& record) {
        for (const std::string& agency : record.alert().recipients()) {
          rows.emplace_back(agency, alert_id);
        }
        return absl::OkStatus();
      },
      [&]() -> absl::Status {
        for (const auto& [agency, alert_id] : rows) {
          GW_RETURN_IF_ERROR(InsertRecipient(db, agency, alert_id));
        }
        rows.clear();
        return absl::OkStatus();
      });
}

}  // namespace gw::store::sqlite
