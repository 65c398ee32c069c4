// gateway/api/status_conversion.h
//
// ToGrpcStatus is the one place where absl::Status becomes grpc::Status (the
// codes are numerically equal). INTERNAL, UNKNOWN and DATA_LOSS lose their
// text towards the caller (it may describe our internals); the full status
// goes to the server log (stderr) once, with no personal data in it since
// our messages never carry personal values.
#ifndef GW_API_STATUS_CONVERSION_H_
#define GW_API_STATUS_CONVERSION_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace gw::api {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace gw::api

#endif  // GW_API_STATUS_CONVERSION_H_
