// gateway/api/alert_service.h
//
// AlertService (CONTRACT.md §4): thin callback-API handlers that admit the
// caller, hand SendAlert to the ingest pipeline and reads to Queries, and
// map the outcome with ToGrpcStatus. WatchDeliveries streams the delivery
// engine's events for one alert to its origin agency
// (delivery_watch_reactor.h).
// Ownership: every pointer is not owned and must outlive the service.
#ifndef GW_API_ALERT_SERVICE_H_
#define GW_API_ALERT_SERVICE_H_

#include "gateway/api/gatekeeper.h"
#include "gateway/delivery/delivery_watchers.h"
#include "gateway/workflow/queries.h"
#include "gw/v1/alert.grpc.pb.h"

namespace gw::api {

class AlertService final : public gw::v1::AlertService::CallbackService {
 public:
  AlertService(const Gatekeeper* gate, const workflow::Queries* queries,
               delivery::DeliveryWatchers* delivery_watchers)
      : gate_(gate), queries_(queries), delivery_watchers_(delivery_watchers) {}

  grpc::ServerUnaryReactor* SendAlert(
      grpc::CallbackServerContext* context,
      const gw::v1::SendAlertRequest* request,
      gw::v1::SendAlertResponse* response) override;
  grpc::ServerUnaryReactor* GetAlert(grpc::CallbackServerContext* context,
                                     const gw::v1::GetAlertRequest* request,
                                     gw::v1::AlertRecord* response) override;
  grpc::ServerUnaryReactor* ListAlerts(
      grpc::CallbackServerContext* context,
      const gw::v1::ListAlertsRequest* request,
      gw::v1::ListAlertsResponse* response) override;
  grpc::ServerWriteReactor<gw::v1::DeliveryEvent>* WatchDeliveries(
      grpc::CallbackServerContext* context,
      const gw::v1::WatchDeliveriesRequest* request) override;

 private:
  const Gatekeeper* const gate_;            // not owned
  const workflow::Queries* const queries_;  // not owned
  // Not owned; null only through the transitional constructor.
  delivery::DeliveryWatchers* const delivery_watchers_;
};

}  // namespace gw::api

#endif  // GW_API_ALERT_SERVICE_H_
