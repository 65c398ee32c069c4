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

//
// Thread safety: all functions are safe to call concurrently (on different
// envelopes, or on one envelope that nobody modifies).

// PAE(payload_type, payload). Any bytes are allowed in both (NULs included);
// the result is exactly the bytes every signature covers.
std::string PreAuthEncoding(absl::string_view payload_type,
                            absl::string_view payload);

// Appends a signature by `signer` over PAE(envelope->payload_type,
// envelope->payload), with the signer's keyid and certificate (DER).
// Existing signatures are kept (the gateway countersigns after the author).
// On failure `*envelope` is unchanged.
// REQUIRES: envelope != nullptr (INTERNAL otherwise); not owned.
[[nodiscard]] absl::Status SignEnvelope(const Signer& signer,
                                        gw::v1::Envelope* envelope);

// Verifies envelope.signatures[index] with `verifier`: first that its keyid
// is the verifier's key id, then the signature over PAE. The signature's
// cert_der is not looked at: the caller chooses (and judges) the
// certificate `verifier` was made from.
// Errors:
//  INVALID_ARGUMENT  index out of range ("envelope.signatures: ...")
//  UNAUTHENTICATED   "envelope.signatures[i].keyid: does not match the
//                    signer certificate", or "envelope.signatures[i].sig:
//                    signature does not verify" (also for malformed sigs)
//  INTERNAL / RESOURCE_EXHAUSTED  OpenSSL itself failed
[[nodiscard]] absl::Status VerifyEnvelopeSignature(
    const gw::v1::Envelope& envelope, int index, const Verifier& verifier);

}  // namespace gw::crypto

#endif  // GW_CRYPTO_DSSE_H_
