// tools/partners/la_mps_mock/la_store.h
//
// What the mock LA-MPS keeps under --store, so that a restarted mock answers
// exactly as the first one did (shared/partners/LA-MPS.md §7.2: message
// ids, digests and .ack bytes kept at least 400 days):
//   final/<id>.ack          the original .ack of a final message, byte for
//                           byte (written first)
//   final/<id>.json         {"csv_sha256", "status", "received_at",
//                            "summary": {...}, "files": stamps} — its
//                           presence makes the id final (written second)
//   partner_ref.json        {"year": Y, "last": N}: the partner_ref counter
//   received/<id>.csv|.sig|.done   the files of each ACCEPTED message
//   received.jsonl          one JSON object per line, appended (journal)
//   receipts/<id>.ack       SHA-256 of the peer's last journaled .ack for
//                           our message <id> (not journaled twice)
// Every write uses the atomic protocol of la_files.h, so a crash leaves
// either the old or the new state.
// Errors: absl::Status naming the path. Thread safety: not thread-safe; one
// mock process per store.
#ifndef GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_STORE_H_
#define GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_STORE_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace gw::la_mps_mock {

struct FinalState {
  std::string csv_sha256;
  std::string status;       // ACCEPTED or REJECTED
  std::string received_at;  // as in the .ack
  std::string ack;          // the original .ack bytes
  nlohmann::json summary;   // message_type, case_ref, ids (for the journal)
  std::string files;        // stamps of the files last handled under this id
};

class MockStore {
 public:
  // Creates the directories if needed and loads every final state.
  static absl::StatusOr<std::unique_ptr<MockStore>> Open(
      const std::string& dir);

  const FinalState* Lookup(const std::string& id) const;
  absl::Status SaveFinal(const std::string& id, FinalState state);
  // Records that `files` (stamps) were handled as a duplicate or conflict,
  // so a restarted mock does not answer the same files again.
  absl::Status UpdateFiles(const std::string& id, const std::string& files);

  // The next counter value for partner references of `year` (1, 2, ...),
  // persisted before it is returned.
  absl::StatusOr<int> NextPartnerRefNumber(int year);

  // Whether the peer's receipt for our message `id` with these bytes
  // (SHA-256 hex) was journaled already; and recording that it was.
  bool ReceiptSeen(const std::string& id, const std::string& ack_sha256) const;
  absl::Status MarkReceiptSeen(const std::string& id,
                               const std::string& ack_sha256);

  absl::Status KeepReceived(const std::string& id, absl::string_view csv,
                            absl::string_view sig, absl::string_view done);
  absl::Status Journal(const nlohmann::json& entry);

  const std::string& dir() const { return dir_; }

 private:
  explicit MockStore(std::string dir) : dir_(std::move(dir)) {}
  absl::Status WriteMeta(const std::string& id, const FinalState& state);

  std::string dir_;
  std::map<std::string, FinalState> finals_;
  std::map<std::string, std::string> receipts_seen_;  // id → ack SHA-256
};

}  // namespace gw::la_mps_mock

#endif  // GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_STORE_H_
