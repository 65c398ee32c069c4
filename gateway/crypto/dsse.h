// gateway/crypto/dsse.h
//
// DSSE v1 envelopes (CONTRACT.md §3): the pre-authentication encoding every
// signature covers, and signing / verifying gw.v1.Envelope signatures.
//
// PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body,
// LEN = decimal ASCII byte length, SP = 0x20.
#ifndef GW_CRYPTO_DSSE_H_
#define GW_CRYPTO_DSSE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gw/v1/envelope.pb.h"

namespace gw::crypto {

std::string PreAuthEncoding(absl::string_view payload_type,
                            absl::string_view payload);

// Appends a signature by `signer` over PAE(envelope->payload_type,
// envelope->payload), with the signer's keyid and certificate (DER).
[[nodiscard]] absl::Status SignEnvelope(const Signer& signer,
                                        gw::v1::Envelope* envelope);

// Verifies envelope.signatures[index] with `verifier`.
// Errors:
//  INVALID_ARGUMENT  index out of range ("envelope.signatures: ...")
//  UNAUTHENTICATED   keyid differs from the verifier's key, or the signature
//                    does not verify ("envelope.signatures[i].sig: ...")
[[nodiscard]] absl::Status VerifyEnvelopeSignature(
    const gw::v1::Envelope& envelope, int index, const Verifier& verifier);

}  // namespace gw::crypto

#endif  // GW_CRYPTO_DSSE_H_
