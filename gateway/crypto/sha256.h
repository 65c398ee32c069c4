// gateway/crypto/sha256.h
//
// SHA-256 digests (OpenSSL EVP). Pure functions, safe from any thread.
// They cannot fail on any input; if OpenSSL itself cannot compute a digest
// (out of memory, no default provider) the process aborts rather than
// return a wrong digest.
#ifndef GW_CRYPTO_SHA256_H_
#define GW_CRYPTO_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace gw::crypto {

// The 32 raw digest bytes of `data`.
std::string Sha256(absl::string_view data);
// Lowercase hex of Sha256(data), 64 characters.
std::string Sha256Hex(absl::string_view data);

}  // namespace gw::crypto

#endif  // GW_CRYPTO_SHA256_H_
