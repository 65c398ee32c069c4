// gateway/crypto/dsse.cc
#include "gateway/crypto/dsse.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gateway/util/status_macros.h"
#include "gw/v1/envelope.pb.h"

namespace gw::crypto {
namespace {

constexpr absl::string_view kPaePrefix = "DSSEv1";

}  // namespace

std::string PreAuthEncoding(absl::string_view payload_type,
                            absl::string_view payload) {
  // Both lengths fit in 20 decimal digits; reserve once, copy the payload once.
  std::string pae;
  pae.reserve(kPaePrefix.size() + payload_type.size() + payload.size() + 44);
  absl::StrAppend(&pae, kPaePrefix, " ", payload_type.size(), " ", payload_type,
                  " ", payload.size(), " ");
  pae.append(payload.data(), payload.size());
  return pae;
}

absl::Status SignEnvelope(const Signer& signer, gw::v1::Envelope* envelope) {
  if (envelope == nullptr) {
    return absl::InternalError("envelope: null");
  }
  GW_ASSIGN_OR_RETURN(std::string sig,
                      signer.Sign(PreAuthEncoding(envelope->payload_type(),
                                                  envelope->payload())));
  gw::v1::Signature* signature = envelope->add_signatures();
  signature->set_keyid(signer.key_id_hex());
  signature->set_sig(std::move(sig));
  signature->set_cert_der(signer.cert_der());
  return absl::OkStatus();
}

absl::Status VerifyEnvelopeSignature(const gw::v1::Envelope& envelope,
                                     int index, const Verifier& verifier) {
  const int count = envelope.signatures_size();
  if (index < 0 || index >= count) {
    return absl::InvalidArgumentError(
        absl::StrCat("envelope.signatures: no signature at index ", index,
                     ", the envelope has ", count));
  }
  const gw::v1::Signature& signature = envelope.signatures(index);
  if (signature.keyid() != verifier.key_id_hex()) {
    return absl::UnauthenticatedError(
        absl::StrCat("envelope.signatures[", index,
                     "].keyid: does not match the signer certificate"));
  }
  absl::Status verified = verifier.Verify(
      PreAuthEncoding(envelope.payload_type(), envelope.payload()),
      signature.sig());
  if (absl::IsUnauthenticated(verified)) {
    return absl::UnauthenticatedError(absl::StrCat(
        "envelope.signatures[", index, "].sig: signature does not verify"));
  }
  return verified;  // OK, or OpenSSL itself failed (INTERNAL, ...)
}

}  // namespace gw::crypto
