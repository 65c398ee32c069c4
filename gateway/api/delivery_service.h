// gateway/api/delivery_service.h
//
// DeliveryService (proto/gw/v1/delivery.proto): what operators see and do
// about deliveries to partners. Thin callback-API handlers: each admits the
// caller through the Gatekeeper (policies/rules.textproto lets only the home
// agency's admins call), checks the request, and hands it on:
//  * ListDeliveries -> Store::ListDeliveries (page_size 0 means 50);
//  * RetryDelivery / CancelDelivery -> DeliveryOperations (the delivery
//    engine), which audits each success.
// Every refusal (policy, a malformed request, or the engine's answer) is
// audited with the caller as actor before it is answered.
// Errors: INVALID_ARGUMENT naming the field ("page_size: ...",
// "states[1]: ...", "message_id: ...", "reason: ..."); the page token's
// errors from the store; NOT_FOUND / FAILED_PRECONDITION from the engine
// (delivery_operations.h). Messages never echo the caller's reason text.
// Ownership: every pointer is not owned and must outlive the service.
// Thread safety: all handlers may run concurrently.
#ifndef GW_API_DELIVERY_SERVICE_H_
#define GW_API_DELIVERY_SERVICE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gateway/api/gatekeeper.h"
#include "gateway/delivery/delivery_operations.h"
#include "gateway/store/store.h"
#include "gw/v1/delivery.grpc.pb.h"

namespace gw::api {

class DeliveryService final : public gw::v1::DeliveryService::CallbackService {
 public:
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 1000;
  static constexpr size_t kMaxReasonBytes = 500;

  DeliveryService(const Gatekeeper* gate, store::Store* store,
                  delivery::DeliveryOperations* operations)
      : gate_(gate), store_(store), operations_(operations) {}

  grpc::ServerUnaryReactor* ListDeliveries(
      grpc::CallbackServerContext* context,
      const gw::v1::ListDeliveriesRequest* request,
      gw::v1::ListDeliveriesResponse* response) override;
  grpc::ServerUnaryReactor* RetryDelivery(
      grpc::CallbackServerContext* context,
      const gw::v1::RetryDeliveryRequest* request,
      gw::v1::DeliveryRecord* response) override;
  grpc::ServerUnaryReactor* CancelDelivery(
      grpc::CallbackServerContext* context,
      const gw::v1::CancelDeliveryRequest* request,
      gw::v1::DeliveryRecord* response) override;

 private:
  // Answers `done` from the engine: the record, or the audited refusal.
  delivery::DeliveryOperations::Done Answer(const identity::Principal& caller,
                                            ingest::AuditFacts facts,
                                            grpc::ServerUnaryReactor* reactor,
                                            gw::v1::DeliveryRecord* response);

  const Gatekeeper* const gate_;                    // not owned
  store::Store* const store_;                       // not owned
  delivery::DeliveryOperations* const operations_;  // not owned
};

// The request checks, exposed for tests. OK or INVALID_ARGUMENT naming the
// field.
absl::Status CheckMessageId(absl::string_view message_id);
absl::Status CheckCancelReason(absl::string_view reason);

// The wire form of a store row.
gw::v1::DeliveryRecord ToDeliveryRecord(const store::DeliveryRow& row);

}  // namespace gw::api

#endif  // GW_API_DELIVERY_SERVICE_H_
