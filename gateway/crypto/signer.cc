// gateway/crypto/signer.cc
#include "gateway/crypto/signer.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gateway/crypto/certificate.h"
#include "gateway/crypto/key_algorithm.h"
#include "gateway/crypto/verifier.h"
#include "gateway/util/status_macros.h"

namespace gw::crypto {
namespace {

constexpr size_t kMaxPemFileBytes = 1 << 20;

// Our keys are never encrypted; refuse any password prompt so that an
// encrypted key fails instead of blocking on the terminal.
int NoPassword(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*u*/) {
  return -1;
}

const unsigned char* BytesOf(absl::string_view s) {
  static const unsigned char kEmpty[1] = {0};
  return s.data() != nullptr ? reinterpret_cast<const unsigned char*>(s.data())
                             : kEmpty;
}

absl::Status FileError(const std::string& path, int error_number) {
  switch (error_number) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(absl::StrCat(path, ": no such file"));
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(
          absl::StrCat(path, ": permission denied"));
    case EISDIR:
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": is a directory, want a PEM file"));
    default:
      return absl::ErrnoToStatus(error_number,
                                 absl::StrCat(path, ": cannot read"));
  }
}

// Reads all of `path`; refuses directories and files over kMaxPemFileBytes.
absl::StatusOr<std::string> ReadPemFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FileError(path, errno);
  std::string data;
  absl::Status status;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    status = FileError(path, errno);
  } else if (S_ISDIR(st.st_mode)) {
    status = FileError(path, EISDIR);
  } else {
    char buf[4096];
    for (;;) {
      const ssize_t n = read(fd, buf, sizeof(buf));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        status = FileError(path, errno);
        break;
      }
      if (n == 0) break;
      if (data.size() + static_cast<size_t>(n) > kMaxPemFileBytes) {
        status = absl::InvalidArgumentError(
            absl::StrCat(path, ": larger than ", kMaxPemFileBytes,
                         " bytes, want a PEM file"));
        break;
      }
      data.append(buf, static_cast<size_t>(n));
    }
    OPENSSL_cleanse(buf, sizeof(buf));
  }
  close(fd);
  if (!status.ok()) {
    OPENSSL_cleanse(data.data(), data.size());
    return status;
  }
  return data;
}

// Overwrites a string that held private key material.
void Cleanse(std::string* secret) {
  OPENSSL_cleanse(secret->data(), secret->size());
}

absl::StatusOr<EvpPkeyPtr> PrivateKeyFromPem(absl::string_view pem,
                                             absl::string_view field) {
  if (pem.size() > static_cast<size_t>(INT_MAX)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": too large for a private key"));
  }
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) {
    ERR_clear_error();
    return absl::ResourceExhaustedError(absl::StrCat(field, ": out of memory"));
  }
  EvpPkeyPtr key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassword, nullptr));
  if (key == nullptr) {
    ERR_clear_error();
    if (absl::StrContains(pem, "ENCRYPTED")) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": encrypted private key, want an unencrypted PEM key"));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": no PEM private key"));
  }
  return key;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Signer>> Signer::FromPemFiles(
    const std::string& key_path, const std::string& cert_path) {
  GW_ASSIGN_OR_RETURN(std::string key_pem, ReadPemFile(key_path));
  auto cert_pem = ReadPemFile(cert_path);
  if (!cert_pem.ok()) {
    Cleanse(&key_pem);
    return cert_pem.status();
  }
  auto signer = FromNamedPem(key_pem, key_path, *cert_pem, cert_path);
  Cleanse(&key_pem);
  return signer;
}

absl::StatusOr<std::unique_ptr<Signer>> Signer::FromPem(
    absl::string_view key_pem, absl::string_view cert_pem) {
  return FromNamedPem(key_pem, "key_pem", cert_pem, "cert_pem");
}

absl::StatusOr<std::unique_ptr<Signer>> Signer::FromNamedPem(
    absl::string_view key_pem, absl::string_view key_field,
    absl::string_view cert_pem, absl::string_view cert_field) {
  GW_ASSIGN_OR_RETURN(EvpPkeyPtr key, PrivateKeyFromPem(key_pem, key_field));
  GW_ASSIGN_OR_RETURN(KeyAlgorithm algorithm,
                      KeyAlgorithmOf(key.get(), key_field));
  GW_ASSIGN_OR_RETURN(X509Ptr cert, CertificateFromPem(cert_pem, cert_field));
  EVP_PKEY* cert_key = X509_get0_pubkey(cert.get());
  if (cert_key == nullptr) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat(cert_field, ": public key does not parse"));
  }
  // 1 = same key; 0 = different key; < 0 = different types or error.
  if (EVP_PKEY_eq(key.get(), cert_key) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(absl::StrCat(
        cert_field, ": certificate does not match the private key"));
  }
  GW_ASSIGN_OR_RETURN(std::string cert_der, CertificateToDer(cert.get()));
  std::string key_id_hex = KeyIdHex(cert_key);
  if (key_id_hex.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(cert_field, ": public key cannot be encoded"));
  }
  return std::unique_ptr<Signer>(new Signer(
      std::move(key), algorithm, std::move(key_id_hex), std::move(cert_der)));
}

Signer::Signer(EvpPkeyPtr key, KeyAlgorithm algorithm, std::string key_id_hex,
               std::string cert_der)
    : key_(std::move(key)),
      algorithm_(algorithm),
      key_id_hex_(std::move(key_id_hex)),
      cert_der_(std::move(cert_der)) {}

absl::StatusOr<std::string> Signer::Sign(absl::string_view message) const {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (ctx == nullptr) {
    ERR_clear_error();
    return absl::ResourceExhaustedError("sign: out of memory");
  }
  const EVP_MD* md =
      algorithm_ == KeyAlgorithm::kEd25519 ? nullptr : EVP_sha256();
  if (EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key_.get()) != 1) {
    ERR_clear_error();
    return absl::InternalError("sign: cannot initialise the signer");
  }
  // EVP_PKEY_get_size is the largest signature the key makes: 64 for
  // Ed25519, 72 for a DER ECDSA P-256 signature (usually 70-72 bytes).
  const int max_size = EVP_PKEY_get_size(key_.get());
  if (max_size <= 0) {
    ERR_clear_error();
    return absl::InternalError("sign: unknown signature size");
  }
  std::string signature(static_cast<size_t>(max_size), '\0');
  size_t signature_len = signature.size();
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(&signature[0]),
                     &signature_len, BytesOf(message), message.size()) != 1) {
    ERR_clear_error();
    return absl::InternalError("sign: signing failed");
  }
  signature.resize(signature_len);
  return signature;
}

}  // namespace gw::crypto
