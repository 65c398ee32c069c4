// gateway/audit/checkpoint.h
//
// The text of a C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the body
// of the signed note in Checkpoint.note (CONTRACT.md §5),
//
//   <origin>\n
//   <tree size, decimal, no leading zeros>\n
//   <root hash, base64 of 32 bytes>\n
//   [<extension line>\n ...]
//
// FormatCheckpointBody and ParseCheckpointBody are an encoder/decoder pair:
// Parse(Format(c)) == c for every c Format accepts, and Format(Parse(t)) == t
// for every t Parse accepts. Signing is checkpoint_signer.h's job.
// Thread safety: pure functions.
#ifndef GW_AUDIT_CHECKPOINT_H_
#define GW_AUDIT_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gw::audit {

struct CheckpointBody {
  std::string origin;  // the log's identity, non-empty
  uint64_t tree_size = 0;
  std::string root_hash;                // 32 raw bytes
  std::vector<std::string> extensions;  // opaque lines, each non-empty

  friend bool operator==(const CheckpointBody& a, const CheckpointBody& b) {
    return a.origin == b.origin && a.tree_size == b.tree_size &&
           a.root_hash == b.root_hash && a.extensions == b.extensions;
  }
};

// The checkpoint text. INVALID_ARGUMENT if origin or an extension line is
// empty, has a newline or another control character, or is not UTF-8
// ("origin: ...", "extensions[i]: ..."), or root_hash is not 32 bytes
// ("root_hash: N bytes, want 32").
[[nodiscard]] absl::StatusOr<std::string> FormatCheckpointBody(
    const CheckpointBody& checkpoint);

// Parses checkpoint text strictly. INVALID_ARGUMENT, one message per check:
//  "body: ..."          not ending in a newline, or fewer than 3 lines
//  "origin: ..."        empty or with bad characters
//  "tree_size: ..."     not decimal digits, a leading zero, or over 2^64-1
//  "root_hash: ..."     not canonical base64, or not 32 bytes
//  "extensions[i]: ..." an empty extension line or bad characters
[[nodiscard]] absl::StatusOr<CheckpointBody> ParseCheckpointBody(
    absl::string_view body);

}  // namespace gw::audit

#endif  // GW_AUDIT_CHECKPOINT_H_
