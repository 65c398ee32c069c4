#include "gateway/store/sqlite/audit_leaf_data.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

namespace gw::store {

absl::StatusOr<std::string> AuditLeafDataFromEntry(
    const gw::v1::AuditEntry& entry) {
  std::string bytes;
  bool ok = false;
  {
    google::protobuf::io::StringOutputStream output(&bytes);
    google::protobuf::io::CodedOutputStream coded(&output);
    coded.SetSerializationDeterministic(true);
    ok = entry.SerializeToCodedStream(&coded) && !coded.HadError();
    // `coded` and `output` trim `bytes` to its final size when destroyed.
  }
  if (!ok) {
    return absl::InternalError("audit: cannot serialize AuditEntry");
  }
  return bytes;
}

}  // namespace gw::store
