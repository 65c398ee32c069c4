// gateway/crypto/sha256.cc
#include "gateway/crypto/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"

namespace gw::crypto {

std::string Sha256(absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  // EVP_Digest only fails when OpenSSL cannot allocate or its default
  // provider is missing; no caller could act on that, and an empty digest
  // would silently corrupt audit hashes, so it is treated as fatal.
  if (EVP_Digest(data.data(), data.size(), digest, &digest_len, EVP_sha256(),
                 nullptr) != 1 ||
      digest_len != 32) {
    std::abort();
  }
  return std::string(reinterpret_cast<const char*>(digest), digest_len);
}

std::string Sha256Hex(absl::string_view data) {
  return absl::BytesToHexString(Sha256(data));
}

}  // namespace gw::crypto
