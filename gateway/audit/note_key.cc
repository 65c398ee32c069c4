// gateway/audit/note_key.cc
#include "gateway/audit/note_key.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gateway/audit/note_format.h"
#include "gateway/crypto/certificate.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/status_macros.h"

namespace gw::audit {
namespace {

// Lowercase hex, exactly 8 digits.
bool IsKeyIdHex(absl::string_view s) {
  if (s.size() != 2 * kKeyIdSize) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

}  // namespace

uint32_t NoteKeyId(absl::string_view key_name, absl::string_view public_key) {
  const std::string digest = crypto::Sha256(
      absl::StrCat(key_name, "\n", absl::string_view(&kEd25519SignatureType, 1),
                   public_key));
  uint32_t id = 0;
  for (size_t i = 0; i < kKeyIdSize; ++i) {
    id = (id << 8) | static_cast<uint8_t>(digest[i]);
  }
  return id;
}

absl::StatusOr<std::string> Ed25519PublicKeyFromCertificateDer(
    absl::string_view cert_der) {
  GW_ASSIGN_OR_RETURN(crypto::X509Ptr cert,
                      crypto::CertificateFromDer(cert_der, "cert_der"));
  EVP_PKEY* key = X509_get0_pubkey(cert.get());  // owned by cert
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_ED25519) {
    ERR_clear_error();
    return absl::InvalidArgumentError("cert_der: public key is not Ed25519");
  }
  std::string raw(kEd25519PublicKeySize, '\0');
  size_t raw_len = raw.size();
  if (EVP_PKEY_get_raw_public_key(
          key, reinterpret_cast<unsigned char*>(raw.data()), &raw_len) != 1 ||
      raw_len != kEd25519PublicKeySize) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        "cert_der: Ed25519 public key cannot be read");
  }
  return raw;
}

absl::StatusOr<NoteKey> NoteKey::FromPublicKey(absl::string_view key_name,
                                               absl::string_view public_key) {
  GW_RETURN_IF_ERROR(CheckKeyName("key_name", key_name));
  if (public_key.size() != kEd25519PublicKeySize) {
    return absl::InvalidArgumentError(
        absl::StrCat("public_key: ", public_key.size(), " bytes, want ",
                     kEd25519PublicKeySize));
  }
  return NoteKey(std::string(key_name), std::string(public_key));
}

absl::StatusOr<NoteKey> NoteKey::FromCertificateDer(
    absl::string_view key_name, absl::string_view cert_der) {
  GW_RETURN_IF_ERROR(CheckKeyName("key_name", key_name));
  GW_ASSIGN_OR_RETURN(std::string public_key,
                      Ed25519PublicKeyFromCertificateDer(cert_der));
  return FromPublicKey(key_name, public_key);
}

absl::StatusOr<NoteKey> NoteKey::FromVerifierKey(absl::string_view vkey) {
  const std::vector<absl::string_view> fields = absl::StrSplit(vkey, '+');
  if (fields.size() != 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("vkey: ", fields.size(), " '+'-separated fields, want 3"));
  }
  GW_RETURN_IF_ERROR(CheckKeyName("vkey.name", fields[0]));
  if (!IsKeyIdHex(fields[1])) {
    return absl::InvalidArgumentError(
        "vkey.key_id: want 8 lowercase hex digits");
  }
  std::string key;
  if (!absl::Base64Unescape(fields[2], &key) ||
      absl::Base64Escape(key) != fields[2]) {
    return absl::InvalidArgumentError("vkey.key: not canonical base64");
  }
  if (key.size() != 1 + kEd25519PublicKeySize ||
      key[0] != kEd25519SignatureType) {
    return absl::InvalidArgumentError(
        "vkey.key: want 0x01 followed by a 32-byte Ed25519 key");
  }
  GW_ASSIGN_OR_RETURN(
      NoteKey note_key,
      FromPublicKey(fields[0], absl::string_view(key).substr(1)));
  if (absl::StrCat(absl::Hex(note_key.key_id(), absl::kZeroPad8)) !=
      fields[1]) {
    return absl::InvalidArgumentError(
        "vkey.key_id: does not match the name and key");
  }
  return note_key;
}

NoteKey::NoteKey(std::string name, std::string public_key)
    : name_(std::move(name)),
      public_key_(std::move(public_key)),
      key_id_(NoteKeyId(name_, public_key_)) {}

std::string NoteKey::VerifierKey() const {
  return absl::StrCat(
      name_, "+", absl::Hex(key_id_, absl::kZeroPad8), "+",
      absl::Base64Escape(absl::StrCat(
          absl::string_view(&kEd25519SignatureType, 1), public_key_)));
}

}  // namespace gw::audit
