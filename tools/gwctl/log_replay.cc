// tools/gwctl/log_replay.cc
#include "tools/gwctl/log_replay.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/audit/hasher.h"
#include "gateway/audit/proof_verifier.h"
#include "google/protobuf/util/message_differencer.h"

namespace gw::gwctl {

absl::Status LogReplay::Add(const gw::v1::LogEntry& entry) {
  const uint64_t index = size();
  if (entry.leaf_index() != index) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf ", index, ": the gateway sent leaf ",
                     entry.leaf_index(), " in its place"));
  }
  gw::v1::AuditEntry decoded;
  if (!decoded.ParseFromString(entry.leaf_data())) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf ", index, ": leaf_data is not a gw.v1.AuditEntry"));
  }
  if (entry.has_entry() && !google::protobuf::util::MessageDifferencer::Equals(
                               decoded, entry.entry())) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf ", index,
                     ": the entry shown differs from its leaf_data, the "
                     "bytes the log hashed"));
  }
  std::string leaf_hash = audit::HashLeaf(entry.leaf_data());
  // Cannot fail: the hash is 32 bytes and no log reaches kMaxTreeSize.
  if (absl::Status appended =
          range_.Append(leaf_hash, [](audit::NodeId, absl::string_view) {});
      !appended.ok()) {
    return appended;
  }
  leaf_hashes_.push_back(std::move(leaf_hash));
  return absl::OkStatus();
}

std::string LogReplay::RootAt(uint64_t size) const {
  audit::CompactRange prefix;
  for (uint64_t i = 0; i < size && i < leaf_hashes_.size(); ++i) {
    static_cast<void>(prefix.Append(leaf_hashes_[i],
                                    [](audit::NodeId, absl::string_view) {}));
  }
  return prefix.Root();
}

absl::StatusOr<uint64_t> FirstAlteredLeaf(
    const LogReplay& replay, uint64_t tree_size, absl::string_view root,
    const ConsistencyProofFetcher& fetch) {
  if (replay.size() != tree_size || replay.Root() == root) {
    return absl::FailedPreconditionError(
        "replay: not a complete replay of a tree with another root");
  }
  // Invariant: the first `intact` leaves match, the first `broken` do not.
  uint64_t intact = 0;
  uint64_t broken = tree_size;
  while (broken - intact > 1) {
    const uint64_t mid = intact + (broken - intact) / 2;
    absl::StatusOr<std::vector<std::string>> proof = fetch(mid, tree_size);
    if (!proof.ok()) return proof.status();
    const absl::Status consistent = audit::VerifyConsistency(
        mid, tree_size, *proof, replay.RootAt(mid), root);
    if (consistent.ok()) {
      intact = mid;
    } else if (absl::IsDataLoss(consistent)) {
      broken = mid;
    } else {
      return absl::InvalidArgumentError(absl::StrCat("consistency proof ", mid,
                                                     "..", tree_size, ": ",
                                                     consistent.message()));
    }
  }
  return broken - 1;
}

}  // namespace gw::gwctl
