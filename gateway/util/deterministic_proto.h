// gateway/util/deterministic_proto.h
//
// SerializeDeterministic: a message's bytes with fields in number order and
// map entries sorted, so the same message always gives the same bytes. The
// codecs need this: a retry must resend exactly the bytes sent before
// (partners/README.md §2.4), and a digest must not change between runs.
#ifndef GW_UTIL_DETERMINISTIC_PROTO_H_
#define GW_UTIL_DETERMINISTIC_PROTO_H_

#include <string>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message_lite.h"

namespace gw::util {

inline std::string SerializeDeterministic(
    const google::protobuf::MessageLite& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

}  // namespace gw::util

#endif  // GW_UTIL_DETERMINISTIC_PROTO_H_
