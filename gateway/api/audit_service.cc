#include "gateway/api/audit_service.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/api/unimplemented.h"
#include "gateway/util/status_macros.h"

namespace gw::api {

absl::StatusOr<gw::v1::Entries> ReadEntries(store::Store& store, uint64_t start, uint32_t count) {
  if (count == 0) return absl::InvalidArgumentError("count: must be at least 1");
  GW_ASSIGN_OR_RETURN(uint64_t size, store.AuditLogSize());
  if (start > size) {
    return absl::OutOfRangeError(absl::StrCat("start: ", start, " is beyond the log of ", size,
                                              " entries"));
  }
  count = std::min(count, AuditService::kMaxEntriesPerCall);
  GW_ASSIGN_OR_RETURN(std::vector<store::AuditLeaf> leaves, store.ReadAuditLog(start, count));
  gw::v1::Entries entries;
  for (auto& leaf : leaves) {
    gw::v1::LogEntry* entry = entries.add_entries();
    entry->set_leaf_index(leaf.leaf_index);
    if (!entry->mutable_entry()->ParseFromString(leaf.leaf_data)) {
      return absl::DataLossError(
          absl::StrCat("audit leaf ", leaf.leaf_index, " does not decode as gw.v1.AuditEntry"));
    }
    entry->set_leaf_data(std::move(leaf.leaf_data));
  }
  return entries;
}

grpc::ServerUnaryReactor* AuditService::GetEntries(grpc::CallbackServerContext* context,
                                                   const gw::v1::GetEntriesRequest* request,
                                                   gw::v1::Entries* response) {
  auto* reactor = context->DefaultReactor();
  auto caller = gate_->Admit(*context, "gw.v1.AuditService/GetEntries", reactor);
  if (!caller) return reactor;
  auto entries = ReadEntries(*store_, request->start(), request->count());
  if (!entries.ok()) {
    gate_->Refuse(*caller, {"AuditService.GetEntries", {}, ""}, entries.status(), reactor);
    return reactor;
  }
  *response = *std::move(entries);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* AuditService::GetCheckpoint(grpc::CallbackServerContext* context,
                                                      const gw::v1::GetCheckpointRequest*,
                                                      gw::v1::Checkpoint*) {
  return NewUnimplementedUnary(context, "gw.v1.AuditService/GetCheckpoint");
}

grpc::ServerUnaryReactor* AuditService::GetInclusionProof(
    grpc::CallbackServerContext* context, const gw::v1::GetInclusionProofRequest*,
    gw::v1::InclusionProof*) {
  return NewUnimplementedUnary(context, "gw.v1.AuditService/GetInclusionProof");
}

grpc::ServerUnaryReactor* AuditService::GetConsistencyProof(
    grpc::CallbackServerContext* context, const gw::v1::GetConsistencyProofRequest*,
    gw::v1::ConsistencyProof*) {
  return NewUnimplementedUnary(context, "gw.v1.AuditService/GetConsistencyProof");
}

grpc::ServerUnaryReactor* AuditService::SearchAudit(grpc::CallbackServerContext* context,
                                                    const gw::v1::SearchAuditRequest*,
                                                    gw::v1::Entries*) {
  return NewUnimplementedUnary(context, "gw.v1.AuditService/SearchAudit");
}

}  // namespace gw::api
