// tools/partners/la_mps_mock/la_store.cc
#include "tools/partners/la_mps_mock/la_store.h"

#include "absl/strings/str_cat.h"
#include "gateway/util/status_macros.h"
#include "tools/partners/la_mps_mock/la_files.h"

namespace gw::la_mps_mock {
namespace {

absl::StatusOr<nlohmann::json> ParseJsonFile(const std::string& path,
                                             const std::string& bytes) {
  nlohmann::json json = nlohmann::json::parse(bytes, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return absl::DataLossError(
        absl::StrCat(path, ": not a JSON object (the store is damaged)"));
  }
  return json;
}

}  // namespace

absl::StatusOr<std::unique_ptr<MockStore>> MockStore::Open(
    const std::string& dir) {
  GW_RETURN_IF_ERROR(MakeDirs(dir + "/final"));
  GW_RETURN_IF_ERROR(MakeDirs(dir + "/received"));
  GW_RETURN_IF_ERROR(MakeDirs(dir + "/receipts"));
  std::unique_ptr<MockStore> store(new MockStore(dir));
  GW_ASSIGN_OR_RETURN(const std::vector<std::string> receipt_ids,
                      ListMessageIds(dir + "/receipts", "ack"));
  for (const std::string& id : receipt_ids) {
    GW_ASSIGN_OR_RETURN(
        const std::optional<std::string> sha,
        ReadFileIfExists(absl::StrCat(dir, "/receipts/", id, ".ack")));
    if (sha.has_value()) store->receipts_seen_[id] = *sha;
  }
  // final/<id>.json are not exchange file names; list the .ack files.
  GW_ASSIGN_OR_RETURN(const std::vector<std::string> ids,
                      ListMessageIds(dir + "/final", "ack"));
  for (const std::string& id : ids) {
    const std::string meta_path = absl::StrCat(dir, "/final/", id, ".json");
    GW_ASSIGN_OR_RETURN(std::optional<std::string> meta,
                        ReadFileIfExists(meta_path));
    if (!meta.has_value()) continue;  // crashed between .ack and .json
    GW_ASSIGN_OR_RETURN(
        const std::optional<std::string> ack,
        ReadFileIfExists(absl::StrCat(dir, "/final/", id, ".ack")));
    GW_ASSIGN_OR_RETURN(const nlohmann::json json,
                        ParseJsonFile(meta_path, *meta));
    FinalState state;
    state.csv_sha256 = json.value("csv_sha256", "");
    state.status = json.value("status", "");
    state.received_at = json.value("received_at", "");
    state.summary = json.value("summary", nlohmann::json::object());
    state.files = json.value("files", "");
    state.ack = ack.value_or("");
    if (state.csv_sha256.size() != 64 || state.ack.empty()) {
      return absl::DataLossError(
          absl::StrCat(meta_path, ": incomplete final state"));
    }
    store->finals_[id] = std::move(state);
  }
  return store;
}

const FinalState* MockStore::Lookup(const std::string& id) const {
  const auto it = finals_.find(id);
  return it == finals_.end() ? nullptr : &it->second;
}

absl::Status MockStore::WriteMeta(const std::string& id,
                                  const FinalState& state) {
  const nlohmann::json meta = {{"csv_sha256", state.csv_sha256},
                               {"status", state.status},
                               {"received_at", state.received_at},
                               {"summary", state.summary},
                               {"files", state.files}};
  return WriteFileAtomic(dir_ + "/final", id + ".json", meta.dump() + "\n");
}

absl::Status MockStore::SaveFinal(const std::string& id, FinalState state) {
  GW_RETURN_IF_ERROR(WriteFileAtomic(dir_ + "/final", id + ".ack", state.ack));
  GW_RETURN_IF_ERROR(WriteMeta(id, state));
  finals_[id] = std::move(state);
  return absl::OkStatus();
}

absl::Status MockStore::UpdateFiles(const std::string& id,
                                    const std::string& files) {
  auto it = finals_.find(id);
  if (it == finals_.end()) return absl::OkStatus();
  if (it->second.files == files) return absl::OkStatus();
  FinalState updated = it->second;
  updated.files = files;
  GW_RETURN_IF_ERROR(WriteMeta(id, updated));
  it->second = std::move(updated);
  return absl::OkStatus();
}

absl::StatusOr<int> MockStore::NextPartnerRefNumber(int year) {
  const std::string path = dir_ + "/partner_ref.json";
  GW_ASSIGN_OR_RETURN(const std::optional<std::string> bytes,
                      ReadFileIfExists(path));
  int last = 0;
  if (bytes.has_value()) {
    GW_ASSIGN_OR_RETURN(const nlohmann::json json, ParseJsonFile(path, *bytes));
    if (json.value("year", 0) == year) last = json.value("last", 0);
  }
  const nlohmann::json next = {{"year", year}, {"last", last + 1}};
  GW_RETURN_IF_ERROR(
      WriteFileAtomic(dir_, "partner_ref.json", next.dump() + "\n"));
  return last + 1;
}

bool MockStore::ReceiptSeen(const std::string& id,
                            const std::string& ack_sha256) const {
  const auto it = receipts_seen_.find(id);
  return it != receipts_seen_.end() && it->second == ack_sha256;
}

absl::Status MockStore::MarkReceiptSeen(const std::string& id,
                                        const std::string& ack_sha256) {
  GW_RETURN_IF_ERROR(
      WriteFileAtomic(dir_ + "/receipts", id + ".ack", ack_sha256));
  receipts_seen_[id] = ack_sha256;
  return absl::OkStatus();
}

absl::Status MockStore::KeepReceived(const std::string& id,
                                     absl::string_view csv,
                                     absl::string_view sig,
                                     absl::string_view done) {
  const std::string dir = dir_ + "/received";
  GW_RETURN_IF_ERROR(WriteFileAtomic(dir, id + ".csv", csv));
  GW_RETURN_IF_ERROR(WriteFileAtomic(dir, id + ".sig", sig));
  return WriteFileAtomic(dir, id + ".done", done);
}

absl::Status MockStore::Journal(const nlohmann::json& entry) {
  return AppendLine(
      dir_ + "/received.jsonl",
      entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace gw::la_mps_mock
