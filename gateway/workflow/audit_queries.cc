#include "gateway/workflow/audit_queries.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gateway/util/proto_time.h"
#include "gateway/util/status_macros.h"

namespace gw::workflow {
namespace {

// The stored bytes always go out as they are, so an auditor can recompute
// the tree and see for itself which leaf is damaged; the decoded entry is
// left unset for bytes that do not decode.
gw::v1::Entries DecodeLeaves(std::vector<store::AuditLeaf> leaves) {
  gw::v1::Entries entries;
  for (auto& leaf : leaves) {
    gw::v1::LogEntry* entry = entries.add_entries();
    entry->set_leaf_index(leaf.leaf_index);
    if (!entry->mutable_entry()->ParseFromString(leaf.leaf_data))
      entry->clear_entry();
    entry->set_leaf_data(std::move(leaf.leaf_data));
  }
  return entries;
}

}  // namespace

absl::StatusOr<gw::v1::Entries> AuditQueries::GetEntries(uint64_t start,
                                                         uint32_t count) const {
  if (count == 0)
    return absl::InvalidArgumentError("count: must be at least 1");
  GW_ASSIGN_OR_RETURN(uint64_t size, store_->AuditLogSize());
  if (start > size) {
    return absl::OutOfRangeError(absl::StrCat(
        "start: ", start, " is beyond the log of ", size, " entries"));
  }
  count = std::min(count, kMaxEntriesPerCall);
  GW_ASSIGN_OR_RETURN(std::vector<store::AuditLeaf> leaves,
                      store_->ReadAuditLog(start, count));
  return DecodeLeaves(std::move(leaves));
}

absl::StatusOr<gw::v1::InclusionProof> AuditQueries::InclusionProof(
    const identity::Principal& caller, uint64_t leaf_index,
    uint64_t tree_size) const {
  if (caller.role != kAuditorRole) {
    GW_ASSIGN_OR_RETURN(std::vector<store::AuditLeaf> leaves,
                        store_->ReadAuditLog(leaf_index, 1));
    gw::v1::AuditEntry entry;
    if (leaves.empty() || !entry.ParseFromString(leaves[0].leaf_data) ||
        entry.actor_agency() != caller.agency) {
      return absl::NotFoundError(
          "leaf_index: no entry of your agency at this index");
    }
  }
  return log_->InclusionProof(leaf_index, tree_size);
}

absl::StatusOr<gw::v1::Entries> AuditQueries::Search(
    const identity::Principal& caller,
    const gw::v1::SearchAuditRequest& request) const {
  store::AuditQuery query;
  query.actor_agency = request.actor_agency();
  if (caller.role != kAuditorRole) {
    if (!query.actor_agency.empty() && query.actor_agency != caller.agency) {
      return absl::PermissionDeniedError(
          "actor_agency: only auditors may search other agencies' entries");
    }
    query.actor_agency = caller.agency;
  }
  query.actor_user = request.actor_user();
  query.action = request.action();
  query.object_id = request.object_id();
  if (request.has_since()) query.since = util::FromTimestamp(request.since());
  if (request.has_until()) query.until = util::FromTimestamp(request.until());
  query.page_token = request.page_token();
  if (request.page_size() < 0)
    return absl::InvalidArgumentError("page_size: must not be negative");
  query.page_size =
      request.page_size() == 0
          ? 100
          : std::min<int>(request.page_size(), kMaxEntriesPerCall);
  GW_ASSIGN_OR_RETURN(store::AuditPage page, store_->SearchAudit(query));
  gw::v1::Entries entries = DecodeLeaves(std::move(page.leaves));
  entries.set_next_page_token(std::move(page.next_page_token));
  return entries;
}

}  // namespace gw::workflow
