#include "gateway/api/audit_service.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace gw::api {

template <typename Response, typename Answer>
grpc::ServerUnaryReactor* AuditService::Serve(
    grpc::CallbackServerContext* context, absl::string_view rpc,
    Response* response, Answer answer) {
  auto* reactor = context->DefaultReactor();
  auto caller = gate_->Admit(*context, rpc, reactor);
  if (!caller) return reactor;
  absl::StatusOr<Response> result = answer(*caller);
  if (!result.ok()) {
    gate_->Refuse(*caller, {AuditActionOf(rpc), {}, ""}, result.status(),
                  reactor);
    return reactor;
  }
  *response = *std::move(result);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* AuditService::GetCheckpoint(
    grpc::CallbackServerContext* context, const gw::v1::GetCheckpointRequest*,
    gw::v1::Checkpoint* response) {
  return Serve(
      context, "gw.v1.AuditService/GetCheckpoint", response,
      [this](const identity::Principal&) { return log_->Checkpoint(); });
}

grpc::ServerUnaryReactor* AuditService::GetInclusionProof(
    grpc::CallbackServerContext* context,
    const gw::v1::GetInclusionProofRequest* request,
    gw::v1::InclusionProof* response) {
  return Serve(context, "gw.v1.AuditService/GetInclusionProof", response,
               [this, request](const identity::Principal& caller) {
                 return queries_->InclusionProof(caller, request->leaf_index(),
                                                 request->tree_size());
               });
}

grpc::ServerUnaryReactor* AuditService::GetConsistencyProof(
    grpc::CallbackServerContext* context,
    const gw::v1::GetConsistencyProofRequest* request,
    gw::v1::ConsistencyProof* response) {
  return Serve(context, "gw.v1.AuditService/GetConsistencyProof", response,
               [this, request](const identity::Principal&) {
                 return log_->ConsistencyProof(request->first(),
                                               request->second());
               });
}

grpc::ServerUnaryReactor* AuditService::GetEntries(
    grpc::CallbackServerContext* context,
    const gw::v1::GetEntriesRequest* request, gw::v1::Entries* response) {
  return Serve(context, "gw.v1.AuditService/GetEntries", response,
               [this, request](const identity::Principal&) {
                 return queries_->GetEntries(request->start(),
                                             request->count());
               });
}

grpc::ServerUnaryReactor* AuditService::SearchAudit(
    grpc::CallbackServerContext* context,
    const gw::v1::SearchAuditRequest* request, gw::v1::Entries* response) {
  return Serve(context, "gw.v1.AuditService/SearchAudit", response,
               [this, request](const identity::Principal& caller) {
                 return queries_->Search(caller, *request);
               });
}

}  // namespace gw::api
