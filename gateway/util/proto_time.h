// gateway/util/proto_time.h
//
// Conversions between absl::Time and google.protobuf.Timestamp (UTC).
#ifndef GW_UTIL_PROTO_TIME_H_
#define GW_UTIL_PROTO_TIME_H_

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace gw::util {

inline google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t seconds = absl::ToUnixSeconds(t);
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>((t - absl::FromUnixSeconds(seconds)) /
                                    absl::Nanoseconds(1)));
  return ts;
}

inline absl::Time FromTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

}  // namespace gw::util

#endif  // GW_UTIL_PROTO_TIME_H_
