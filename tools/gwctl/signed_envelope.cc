// tools/gwctl/signed_envelope.cc
#include "tools/gwctl/signed_envelope.h"

#include <string>

#include "gateway/crypto/dsse.h"
#include "gateway/util/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace gw::gwctl {

absl::StatusOr<gw::v1::Envelope> SignedEnvelopeFor(
    const google::protobuf::MessageLite& payload,
    absl::string_view payload_type, const crypto::Signer& signer) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    if (!payload.SerializeToCodedStream(&coded)) {
      return absl::InternalError("payload: does not serialize");
    }
  }
  gw::v1::Envelope envelope;
  envelope.set_payload_type(std::string(payload_type));
  envelope.set_payload(std::move(bytes));
  GW_RETURN_IF_ERROR(crypto::SignEnvelope(signer, &envelope));
  return envelope;
}

}  // namespace gw::gwctl
