// gateway/crypto/verifier.h
//
// Verifier checks signatures made with the public key of one certificate
// (Ed25519, or ECDSA P-256 with SHA-256 and DER signatures; see signer.h).
// It does not judge the certificate itself (chain, validity, revocation):
// that is gateway/identity's job.
// Thread safety: Verify() is const and safe to call concurrently.
#ifndef GW_CRYPTO_VERIFIER_H_
#define GW_CRYPTO_VERIFIER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/crypto/openssl_handles.h"
#include "gateway/crypto/signer.h"

namespace gw::crypto {

// Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo of `key`
// (CONTRACT.md §3 keyid), 64 characters; "" if key is null or has no
// public key encoding.
std::string KeyIdHex(EVP_PKEY* key);

class Verifier {
 public:
  // INVALID_ARGUMENT "cert_der: ..." ("cert_pem: ..." for the PEM form) if
  // the input is not exactly one X.509 certificate with an Ed25519 or P-256
  // key. Callers prefix the message with their field path, e.g.
  // "envelope.signatures[0]." + message. cert_der() is the input, byte for
  // byte (FromCertificatePem: the DER of the first certificate).
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Verifier>>
  FromCertificateDer(absl::string_view cert_der);
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Verifier>>
  FromCertificatePem(absl::string_view cert_pem);

  Verifier(const Verifier&) = delete;
  Verifier& operator=(const Verifier&) = delete;

  // OK if `signature` is a valid signature of `message`; UNAUTHENTICATED
  // "signature does not verify" otherwise (also for malformed signatures of
  // any length, empty included, and for non-canonical ECDSA DER). INTERNAL /
  // RESOURCE_EXHAUSTED only if OpenSSL itself fails.
  [[nodiscard]] absl::Status Verify(absl::string_view message,
                                    absl::string_view signature) const;

  KeyAlgorithm algorithm() const { return algorithm_; }
  const std::string& key_id_hex() const { return key_id_hex_; }
  const std::string& cert_der() const { return cert_der_; }
  // The certificate, parsed; owned by the verifier.
  X509* certificate() const { return cert_.get(); }

 private:
  Verifier(X509Ptr cert, EvpPkeyPtr key, KeyAlgorithm algorithm,
           std::string key_id_hex, std::string cert_der);

  X509Ptr cert_;
  EvpPkeyPtr key_;
  KeyAlgorithm algorithm_;
  std::string key_id_hex_;
  std::string cert_der_;
};

}  // namespace gw::crypto

#endif  // GW_CRYPTO_VERIFIER_H_
