// gateway/audit/node_reader.h
//
// NodeReader is how proof building reads the hashes of complete tree nodes
// (node_id.h) from wherever the log keeps them: gateway/store implements it
// over its node table, tests over a map. gateway/audit never writes nodes;
// CompactRange::Append reports the ones to store.
//
// Contract for implementations of ReadNodes(ids):
//  * On success, returns exactly one hash per id, in the order of `ids`.
//  * A node it does not hold: NOT_FOUND (any message), or an empty string in
//    its slot. Either way callers here report DATA_LOSS, since a complete
//    node of an existing tree size must be stored.
//  * Any other error (UNAVAILABLE, ABORTED, ...) is passed through unchanged
//    so the caller can retry.
//  * ReadNodes is const; it must be safe to call concurrently if the caller
//    builds proofs concurrently.
#ifndef GW_AUDIT_NODE_READER_H_
#define GW_AUDIT_NODE_READER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "gateway/audit/node_id.h"

namespace gw::audit {

class NodeReader {
 public:
  virtual ~NodeReader() = default;

  [[nodiscard]] virtual absl::StatusOr<std::vector<std::string>> ReadNodes(
      absl::Span<const NodeId> ids) const = 0;
};

// Calls reader.ReadNodes(ids) once (not at all if `ids` is empty) and checks
// the answer. Errors:
//  DATA_LOSS  the reader said NOT_FOUND; returned a different number of
//             hashes than ids ("nodes: N hashes, want M"); or a hash is not
//             32 bytes ("node (L, i): N bytes, want 32")
//  other      the reader's own error, unchanged
[[nodiscard]] absl::StatusOr<std::vector<std::string>> ReadCheckedNodes(
    const NodeReader& reader, absl::Span<const NodeId> ids);

}  // namespace gw::audit

#endif  // GW_AUDIT_NODE_READER_H_
