#include "gateway/api/pending_services.h"

#include "gateway/api/unimplemented.h"

namespace gw::api {

grpc::ServerUnaryReactor* PendingRepatriationService::SubmitRequest(
    grpc::CallbackServerContext* context,
    const gw::v1::SubmitRepatriationRequest*, gw::v1::RepatriationRecord*) {
  return NewUnimplementedUnary(context,
                               "gw.v1.RepatriationService/SubmitRequest");
}

grpc::ServerUnaryReactor* PendingRepatriationService::GetRequest(
    grpc::CallbackServerContext* context, const gw::v1::GetRepatriationRequest*,
    gw::v1::RepatriationRecord*) {
  return NewUnimplementedUnary(context, "gw.v1.RepatriationService/GetRequest");
}

grpc::ServerUnaryReactor* PendingRepatriationService::ListRequests(
    grpc::CallbackServerContext* context,
    const gw::v1::ListRepatriationRequests*,
    gw::v1::ListRepatriationResponse*) {
  return NewUnimplementedUnary(context,
                               "gw.v1.RepatriationService/ListRequests");
}

grpc::ServerUnaryReactor* PendingRepatriationService::Review(
    grpc::CallbackServerContext* context, const gw::v1::ReviewRequest*,
    gw::v1::RepatriationRecord*) {
  return NewUnimplementedUnary(context, "gw.v1.RepatriationService/Review");
}

grpc::ServerUnaryReactor* PendingRepatriationService::ProvideInfo(
    grpc::CallbackServerContext* context, const gw::v1::ProvideInfoRequest*,
    gw::v1::RepatriationRecord*) {
  return NewUnimplementedUnary(context,
                               "gw.v1.RepatriationService/ProvideInfo");
}

grpc::ServerUnaryReactor* PendingRepatriationService::ScheduleHandover(
    grpc::CallbackServerContext* context,
    const gw::v1::ScheduleHandoverRequest*, gw::v1::RepatriationRecord*) {
  return NewUnimplementedUnary(context,
                               "gw.v1.RepatriationService/ScheduleHandover");
}

grpc::ServerUnaryReactor* PendingRepatriationService::ConfirmHandover(
    grpc::CallbackServerContext* context, const gw::v1::ConfirmHandoverRequest*,
    gw::v1::RepatriationRecord*) {
  return NewUnimplementedUnary(context,
                               "gw.v1.RepatriationService/ConfirmHandover");
}

grpc::ServerUnaryReactor* PendingRepatriationService::Cancel(
    grpc::CallbackServerContext* context, const gw::v1::CancelRequest*,
    gw::v1::RepatriationRecord*) {
  return NewUnimplementedUnary(context, "gw.v1.RepatriationService/Cancel");
}

}  // namespace gw::api
