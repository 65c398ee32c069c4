// gateway/workflow/audit_queries.h
//
// AuditQueries answers AuditService reads with the access rules of
// CONTRACT.md §4: auditors read the whole log; any other caller may prove
// and search only the entries of its own agency's actions.
//
// Errors: INVALID_ARGUMENT naming the request field ("count: ...",
// "page_token: ..."), OUT_OF_RANGE for sizes or starts beyond today's log,
// NOT_FOUND for an entry the caller may not see (as if absent),
// PERMISSION_DENIED for a search of another agency's entries. Entries whose
// stored bytes do not decode are returned with leaf_data only.
// Ownership: `store` and `log` are not owned and must outlive this object.
// Thread safety: all methods may be called concurrently.
#ifndef GW_WORKFLOW_AUDIT_QUERIES_H_
#define GW_WORKFLOW_AUDIT_QUERIES_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "gateway/identity/principal.h"
#include "gateway/ingest/audit_log.h"
#include "gateway/store/store.h"
#include "gw/v1/audit.pb.h"

namespace gw::workflow {

inline constexpr char kAuditorRole[] = "auditor";

class AuditQueries {
 public:
  // Most entries one GetEntries or SearchAudit page returns.
  static constexpr uint32_t kMaxEntriesPerCall = 1000;

  AuditQueries(store::Store* store, ingest::AuditLog* log)
      : store_(store), log_(log) {}

  // Entries [start, start + count), count capped at kMaxEntriesPerCall.
  [[nodiscard]] absl::StatusOr<gw::v1::Entries> GetEntries(
      uint64_t start, uint32_t count) const;

  [[nodiscard]] absl::StatusOr<gw::v1::InclusionProof> InclusionProof(
      const identity::Principal& caller, uint64_t leaf_index,
      uint64_t tree_size) const;

  [[nodiscard]] absl::StatusOr<gw::v1::Entries> Search(
      const identity::Principal& caller,
      const gw::v1::SearchAuditRequest& request) const;

 private:
  store::Store* const store_;    // not owned
  ingest::AuditLog* const log_;  // not owned
};

}  // namespace gw::workflow

#endif  // GW_WORKFLOW_AUDIT_QUERIES_H_
