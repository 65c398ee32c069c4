// gateway/crypto/signer.h
//
// Signer holds one private key (Ed25519, or ECDSA P-256) and the certificate
// that goes with it, and signs messages:
//  * Ed25519: the 64-byte signature of the message itself (RFC 8032).
//  * ECDSA P-256: SHA-256 of the message, signature DER-encoded (X9.62).
// Guarantees: the key matches the certificate (checked at creation).
// Thread safety: Sign() is const and safe to call concurrently.
#ifndef GW_CRYPTO_SIGNER_H_
#define GW_CRYPTO_SIGNER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/crypto/openssl_handles.h"

namespace gw::crypto {

enum class KeyAlgorithm { kEd25519, kEcdsaP256 };

class Signer {
 public:
  // Reads a PEM private key (unencrypted; PKCS#8 or traditional) and its PEM
  // certificate (the first one in the file; a chain after it is ignored).
  // Errors, each message starting with the offending file's path (FromPem:
  // "key_pem" / "cert_pem"):
  //  NOT_FOUND          "<path>: no such file"
  //  PERMISSION_DENIED  "<path>: permission denied"
  //  INVALID_ARGUMENT   a directory or a file over 1 MiB; a key or
  //                     certificate that does not parse or is encrypted; a
  //                     key that is not Ed25519 or P-256 (RSA, Ed448, P-384,
  //                     ...); a certificate whose public key is not the
  //                     private key's ("<cert_path>: certificate does not
  //                     match the private key").
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Signer>> FromPemFiles(
      const std::string& key_path, const std::string& cert_path);
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Signer>> FromPem(
      absl::string_view key_pem, absl::string_view cert_pem);

  Signer(const Signer&) = delete;
  Signer& operator=(const Signer&) = delete;

  // The signature of `message` (any bytes, any length). Fails only if
  // OpenSSL does (INTERNAL, RESOURCE_EXHAUSTED for out of memory).
  [[nodiscard]] absl::StatusOr<std::string> Sign(
      absl::string_view message) const;

  KeyAlgorithm algorithm() const { return algorithm_; }
  // Lowercase hex SHA-256 of the SubjectPublicKeyInfo DER (CONTRACT.md §3).
  const std::string& key_id_hex() const { return key_id_hex_; }
  // The certificate, DER.
  const std::string& cert_der() const { return cert_der_; }

 private:
  Signer(EvpPkeyPtr key, KeyAlgorithm algorithm, std::string key_id_hex,
         std::string cert_der);

  // FromPem with the names error messages use for the two inputs.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Signer>> FromNamedPem(
      absl::string_view key_pem, absl::string_view key_field,
      absl::string_view cert_pem, absl::string_view cert_field);

  EvpPkeyPtr key_;  // owned; never modified after construction
  KeyAlgorithm algorithm_;
  std::string key_id_hex_;
  std::string cert_der_;
};

}  // namespace gw::crypto

#endif  // GW_CRYPTO_SIGNER_H_
