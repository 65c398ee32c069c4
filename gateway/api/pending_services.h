// gateway/api/pending_services.h
//
// The services of the contract that this release does not serve yet:
// RepatriationService. Every RPC answers
// UNIMPLEMENTED naming itself (unimplemented.h); each class is replaced by
// the real service when its capability lands.
#ifndef GW_API_PENDING_SERVICES_H_
#define GW_API_PENDING_SERVICES_H_

#include "gw/v1/repatriation.grpc.pb.h"

namespace gw::api {

class PendingRepatriationService final
    : public gw::v1::RepatriationService::CallbackService {
 public:
  grpc::ServerUnaryReactor* SubmitRequest(
      grpc::CallbackServerContext* context,
      const gw::v1::SubmitRepatriationRequest*,
      gw::v1::RepatriationRecord*) override;
  grpc::ServerUnaryReactor* GetRequest(grpc::CallbackServerContext* context,
                                       const gw::v1::GetRepatriationRequest*,
                                       gw::v1::RepatriationRecord*) override;
  grpc::ServerUnaryReactor* ListRequests(
      grpc::CallbackServerContext* context,
      const gw::v1::ListRepatriationRequests*,
      gw::v1::ListRepatriationResponse*) override;
  grpc::ServerUnaryReactor* Review(grpc::CallbackServerContext* context,
                                   const gw::v1::ReviewRequest*,
                                   gw::v1::RepatriationRecord*) override;
  grpc::ServerUnaryReactor* ProvideInfo(grpc::CallbackServerContext* context,
                                        const gw::v1::ProvideInfoRequest*,
                                        gw::v1::RepatriationRecord*) override;
  grpc::ServerUnaryReactor* ScheduleHandover(
      grpc::CallbackServerContext* context,
      const gw::v1::ScheduleHandoverRequest*,
      gw::v1::RepatriationRecord*) override;
  grpc::ServerUnaryReactor* ConfirmHandover(
      grpc::CallbackServerContext* context,
      const gw::v1::ConfirmHandoverRequest*,
      gw::v1::RepatriationRecord*) override;
  grpc::ServerUnaryReactor* Cancel(grpc::CallbackServerContext* context,
                                   const gw::v1::CancelRequest*,
                                   gw::v1::RepatriationRecord*) override;
};

}  // namespace gw::api

#endif  // GW_API_PENDING_SERVICES_H_
