#include "gateway/api/alert_service.h"

#include <utility>

#include "gateway/api/delivery_watch_reactor.h"
#include "gateway/api/status_conversion.h"

namespace gw::api {

grpc::ServerUnaryReactor* AlertService::SendAlert(
    grpc::CallbackServerContext* context,
    const gw::v1::SendAlertRequest* request,
    gw::v1::SendAlertResponse* response) {
  auto* reactor = context->DefaultReactor();
  auto caller = gate_->Admit(*context, "gw.v1.AlertService/SendAlert", reactor);
  if (!caller) return reactor;
  gate_->pipeline()->SendAlert(
      *caller, *request,
      [reactor, response](absl::StatusOr<gw::v1::SendAlertResponse> result) {
        if (result.ok()) *response = *std::move(result);
        reactor->Finish(ToGrpcStatus(result.status()));
      });
  return reactor;
}

grpc::ServerUnaryReactor* AlertService::GetAlert(
    grpc::CallbackServerContext* context,
    const gw::v1::GetAlertRequest* request, gw::v1::AlertRecord* response) {
  auto* reactor = context->DefaultReactor();
  auto caller = gate_->Admit(*context, "gw.v1.AlertService/GetAlert", reactor);
  if (!caller) return reactor;
  auto record = queries_->GetAlert(*caller, request->alert_id());
  if (!record.ok()) {
    gate_->Refuse(*caller,
                  {"AlertService.GetAlert",
                   {"alert:" + request->alert_id().substr(0, 128)},
                   ""},
                  record.status(), reactor);
    return reactor;
  }
  *response = *std::move(record);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* AlertService::ListAlerts(
    grpc::CallbackServerContext* context,
    const gw::v1::ListAlertsRequest* request,
    gw::v1::ListAlertsResponse* response) {
  auto* reactor = context->DefaultReactor();
  auto caller =
      gate_->Admit(*context, "gw.v1.AlertService/ListAlerts", reactor);
  if (!caller) return reactor;
  auto page = queries_->ListAlerts(*caller, *request);
  if (!page.ok()) {
    gate_->Refuse(*caller, {"AlertService.ListAlerts", {}, ""}, page.status(),
                  reactor);
    return reactor;
  }
  *response = *std::move(page);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerWriteReactor<gw::v1::DeliveryEvent>* AlertService::WatchDeliveries(
    grpc::CallbackServerContext* context,
    const gw::v1::WatchDeliveriesRequest* request) {
  return new DeliveryWatchReactor(context, *request, gate_, queries_,
                                  delivery_watchers_);
}

}  // namespace gw::api
