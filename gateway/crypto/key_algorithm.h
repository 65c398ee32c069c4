// gateway/crypto/key_algorithm.h
//
// Which of the two signature algorithms CONTRACT.md §3 allows a key uses:
// Ed25519, or ECDSA on the named curve P-256 (prime256v1). Every other key
// (RSA, Ed448, other curves, explicit EC parameters) is refused.
//
// Errors: INVALID_ARGUMENT "<field>: <type> key; want Ed25519 or ECDSA P-256"
// where <field> is the caller's name for where the key came from (a file
// path, "cert_der", ...). The message names the key type, never key bytes.
// Thread safety: pure function, safe from any thread.
#ifndef GW_CRYPTO_KEY_ALGORITHM_H_
#define GW_CRYPTO_KEY_ALGORITHM_H_

#include <openssl/evp.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/crypto/signer.h"

namespace gw::crypto {

// REQUIRES: key != nullptr.
[[nodiscard]] absl::StatusOr<KeyAlgorithm> KeyAlgorithmOf(
    const EVP_PKEY* key, absl::string_view field);

// "ed25519" or "ecdsa-p256", for logs and tool output.
absl::string_view KeyAlgorithmName(KeyAlgorithm algorithm);

}  // namespace gw::crypto

#endif  // GW_CRYPTO_KEY_ALGORITHM_H_
