#include "gateway/api/status_conversion.h"

#include <cstdio>
#include <string>

namespace gw::api {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  switch (status.code()) {
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kDataLoss: {
      const std::string text = status.ToString();
      std::fprintf(stderr,
                   "gatewayd: internal error answered to a caller: %s\n",
                   text.c_str());
      return grpc::Status(
          code,
          "internal error in the gateway; it has been logged, retry later or "
          "contact the gateway operator");
    }
    default:
      return grpc::Status(code, std::string(status.message()));
  }
}

}  // namespace gw::api
