#include "gateway/api/case_service.h"

#include <utility>

#include "gateway/api/case_watch_reactor.h"
#include "gateway/api/status_conversion.h"
#include "gateway/audit/log_origin.h"

namespace gw::api {

grpc::ServerUnaryReactor* CaseService::GetCaseStatus(
    grpc::CallbackServerContext* context,
    const gw::v1::GetCaseStatusRequest* request, gw::v1::CaseStatus* response) {
  auto* reactor = context->DefaultReactor();
  auto caller =
      gate_->Admit(*context, "gw.v1.CaseService/GetCaseStatus", reactor);
  if (!caller) return reactor;
  auto status = queries_->GetCase(*caller, request->case_ref());
  if (!status.ok()) {
    gate_->Refuse(*caller,
                  {"CaseService.GetCaseStatus",
                   {"case:" + request->case_ref().substr(0, 128)},
                   ""},
                  status.status(), reactor);
    return reactor;
  }
  *response = *std::move(status);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* CaseService::ListCases(
    grpc::CallbackServerContext* context,
    const gw::v1::ListCasesRequest* request,
    gw::v1::ListCasesResponse* response) {
  auto* reactor = context->DefaultReactor();
  auto caller = gate_->Admit(*context, "gw.v1.CaseService/ListCases", reactor);
  if (!caller) return reactor;
  auto page = queries_->ListCases(*caller, *request);
  if (!page.ok()) {
    gate_->Refuse(*caller, {"CaseService.ListCases", {}, ""}, page.status(),
                  reactor);
    return reactor;
  }
  *response = *std::move(page);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* CaseService::UpdateCaseStatus(
    grpc::CallbackServerContext* context,
    const gw::v1::UpdateCaseStatusRequest* request,
    gw::v1::CaseStatus* response) {
  auto* reactor = context->DefaultReactor();
  auto caller =
      gate_->Admit(*context, "gw.v1.CaseService/UpdateCaseStatus", reactor);
  if (!caller) return reactor;
  gate_->pipeline()->UpdateCaseStatus(
      *caller, *request,
      [context, reactor,
       response](absl::StatusOr<ingest::CaseUpdateResult> result) {
        if (result.ok()) {
          *response = std::move(result->status);
          // CaseStatus has no receipt field: the receipt rides in the
          // trailing metadata, binary protobuf.
          if (result->receipt.has_value()) {
            context->AddTrailingMetadata(audit::kReceiptTrailer,
                                         result->receipt->SerializeAsString());
          }
        }
        reactor->Finish(ToGrpcStatus(result.status()));
      });
  return reactor;
}

grpc::ServerWriteReactor<gw::v1::CaseStatus>* CaseService::WatchCase(
    grpc::CallbackServerContext* context,
    const gw::v1::WatchCaseRequest* request) {
  return new CaseWatchReactor(context, *request, gate_, queries_, watchers_);
}

}  // namespace gw::api
