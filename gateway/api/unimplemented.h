// gateway/api/unimplemented.h
//
// Answers for RPCs of the contract that this release does not serve yet:
// UNIMPLEMENTED with a message naming the RPC, so no client mistakes the
// silence of a default handler for a result.
#ifndef GW_API_UNIMPLEMENTED_H_
#define GW_API_UNIMPLEMENTED_H_

#include <grpcpp/grpcpp.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace gw::api {

inline grpc::Status UnimplementedStatus(absl::string_view rpc) {
  return grpc::Status(
      grpc::StatusCode::UNIMPLEMENTED,
      absl::StrCat(rpc, " is not served by this gateway release yet"));
}

inline grpc::ServerUnaryReactor* NewUnimplementedUnary(
    grpc::CallbackServerContext* context, absl::string_view rpc) {
  auto* reactor = context->DefaultReactor();
  reactor->Finish(UnimplementedStatus(rpc));
  return reactor;
}

// A server-streaming reactor that finishes at once and deletes itself.
template <typename Response>
class UnimplementedWriter final : public grpc::ServerWriteReactor<Response> {
 public:
  explicit UnimplementedWriter(absl::string_view rpc) {
    this->Finish(UnimplementedStatus(rpc));
  }
  void OnDone() override { delete this; }
};

template <typename Response>
grpc::ServerWriteReactor<Response>* NewUnimplementedWriter(
    grpc::CallbackServerContext* /*context*/, absl::string_view rpc) {
  return new UnimplementedWriter<Response>(rpc);
}

}  // namespace gw::api

#endif  // GW_API_UNIMPLEMENTED_H_
