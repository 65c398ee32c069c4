// gateway/crypto/key_algorithm.cc
#include "gateway/crypto/key_algorithm.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace gw::crypto {
namespace {

constexpr absl::string_view kWant = "want Ed25519 or ECDSA P-256";

bool IsP256(const EVP_PKEY* key, std::string* curve) {
  char name[80];
  size_t name_len = 0;
  if (EVP_PKEY_get_group_name(key, name, sizeof(name), &name_len) != 1) {
    *curve = "explicit-parameters";  // not a named curve
    return false;
  }
  *curve = std::string(name, name_len);
  return OBJ_sn2nid(curve->c_str()) == NID_X9_62_prime256v1 ||
         *curve == "P-256";
}

}  // namespace

absl::StatusOr<KeyAlgorithm> KeyAlgorithmOf(const EVP_PKEY* key,
                                            absl::string_view field) {
  if (key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": no key"));
  }
  if (EVP_PKEY_is_a(key, "ED25519")) return KeyAlgorithm::kEd25519;
  if (EVP_PKEY_is_a(key, "EC")) {
    std::string curve;
    if (IsP256(key, &curve)) return KeyAlgorithm::kEcdsaP256;
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": EC key on curve ", curve, "; ", kWant));
  }
  const char* type = EVP_PKEY_get0_type_name(key);
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": ", type != nullptr ? type : "unknown", " key; ", kWant));
}

absl::string_view KeyAlgorithmName(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::kEd25519:
      return "ed25519";
    case KeyAlgorithm::kEcdsaP256:
      return "ecdsa-p256";
  }
  return "unknown";
}

}  // namespace gw::crypto
