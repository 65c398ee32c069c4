// tools/gwctl/log_replay.h
//
// LogReplay rebuilds the gateway's audit tree on the auditor's side from the
// entries GetEntries serves (CONTRACT.md §5), the way a certificate-
// transparency monitor does: every leaf hash is recomputed from leaf_data
// (audit::HashLeaf) and the root with audit::CompactRange, so the result can
// be compared with a signed checkpoint without trusting anything else the
// gateway says.
//
// When the recomputed root differs from the signed one, FirstAlteredLeaf
// finds the first leaf whose served bytes are not what the log committed
// to, by bisection: a prefix of k replayed leaves is intact exactly when a
// consistency proof from size k to the signed tree verifies against the
// replayed root at k (RFC 9162 §2.1.4). O(log n) proofs, O(n log n) hashes.
//
// Errors:
//  Add               INVALID_ARGUMENT "leaf N: ..." — the entry is not the
//                    next leaf, its leaf_data is not a gw.v1.AuditEntry, or
//                    the decoded `entry` shown beside it says something else.
//                    On failure the replay is unchanged.
//  FirstAlteredLeaf  the fetcher's own error, unchanged; INVALID_ARGUMENT
//                    "consistency proof K..N: ..." for a malformed proof;
//                    FAILED_PRECONDITION if the replay's size is not
//                    tree_size or its root is the signed one.
// Thread safety: const methods may run concurrently; Add needs exclusive
// access.
#ifndef GW_TOOLS_GWCTL_LOG_REPLAY_H_
#define GW_TOOLS_GWCTL_LOG_REPLAY_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/audit/compact_range.h"
#include "gw/v1/audit.pb.h"

namespace gw::gwctl {

class LogReplay {
 public:
  // Appends `entry`, which must be leaf size().
  [[nodiscard]] absl::Status Add(const gw::v1::LogEntry& entry);

  uint64_t size() const { return range_.size(); }
  // The root of all leaves added so far.
  std::string Root() const { return range_.Root(); }
  // The root of the first `size` leaves. REQUIRES: size <= size().
  std::string RootAt(uint64_t size) const;

 private:
  audit::CompactRange range_;
  std::vector<std::string> leaf_hashes_;
};

// The hashes of the consistency proof between sizes `first` and `second`
// (AuditService.GetConsistencyProof).
using ConsistencyProofFetcher =
    std::function<absl::StatusOr<std::vector<std::string>>(uint64_t first,
                                                           uint64_t second)>;

// The index of the first leaf of `replay` that is not the leaf the signed
// tree of `tree_size` leaves and root `root` holds (see the file comment).
[[nodiscard]] absl::StatusOr<uint64_t> FirstAlteredLeaf(
    const LogReplay& replay, uint64_t tree_size, absl::string_view root,
    const ConsistencyProofFetcher& fetch);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_LOG_REPLAY_H_
