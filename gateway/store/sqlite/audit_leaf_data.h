// gateway/store/sqlite/audit_leaf_data.h
//
// AuditLeafDataFromEntry returns the leaf data of an audit entry: the bytes
// that the store keeps in the log and the Merkle tree hashes
// (CONTRACT.md §5). They are the DETERMINISTIC protobuf serialization of the
// AuditEntry (io::CodedOutputStream::SetSerializationDeterministic), so the
// same entry always gives the same bytes within one protobuf version. Nobody
// re-serializes an entry to verify it: the stored bytes are the truth, and
// auditors hash them as served (Entries.entries[i].leaf_data).
//
// Not SQLite-specific: a PostgreSQL store must produce identical bytes, so
// this may move up to gateway/store/ once a second store exists.
// Errors: INTERNAL if protobuf fails to serialize (e.g. over 2 GiB).
// Threads: a pure function, safe from any thread.
#ifndef GW_STORE_SQLITE_AUDIT_LEAF_DATA_H_
#define GW_STORE_SQLITE_AUDIT_LEAF_DATA_H_

#include <string>

#include "absl/status/statusor.h"
#include "gw/v1/audit.pb.h"

namespace gw::store {

[[nodiscard]] absl::StatusOr<std::string> AuditLeafDataFromEntry(
    const gw::v1::AuditEntry& entry);

}  // namespace gw::store

#endif  // GW_STORE_SQLITE_AUDIT_LEAF_DATA_H_
