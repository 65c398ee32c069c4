// gateway/crypto/verifier.cc
#include "gateway/crypto/verifier.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/crypto/certificate.h"
#include "gateway/crypto/key_algorithm.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/status_macros.h"

namespace gw::crypto {
namespace {

// OpenSSL treats some NULL buffers as "query the length"; an empty view may
// have a NULL data(), so always hand it a real address.
const unsigned char* BytesOf(absl::string_view s) {
  static const unsigned char kEmpty[1] = {0};
  return s.data() != nullptr ? reinterpret_cast<const unsigned char*>(s.data())
                             : kEmpty;
}

absl::Status DoesNotVerify() {
  ERR_clear_error();
  return absl::UnauthenticatedError("signature does not verify");
}

}  // namespace

std::string KeyIdHex(EVP_PKEY* key) {
  if (key == nullptr) return "";
  unsigned char* der = nullptr;
  const int der_len = i2d_PUBKEY(key, &der);
  if (der_len <= 0 || der == nullptr) {
    ERR_clear_error();
    return "";
  }
  std::string id = Sha256Hex(absl::string_view(
      reinterpret_cast<const char*>(der), static_cast<size_t>(der_len)));
  OPENSSL_free(der);
  return id;
}

absl::StatusOr<std::unique_ptr<Verifier>> Verifier::FromCertificateDer(
    absl::string_view cert_der) {
  GW_ASSIGN_OR_RETURN(X509Ptr cert, CertificateFromDer(cert_der, "cert_der"));
  EvpPkeyPtr key(X509_get_pubkey(cert.get()));
  if (key == nullptr) {
    ERR_clear_error();
    return absl::InvalidArgumentError("cert_der: public key does not parse");
  }
  GW_ASSIGN_OR_RETURN(KeyAlgorithm algorithm,
                      KeyAlgorithmOf(key.get(), "cert_der"));
  std::string key_id_hex = KeyIdHex(key.get());
  if (key_id_hex.empty()) {
    return absl::InvalidArgumentError("cert_der: public key cannot be encoded");
  }
  return std::unique_ptr<Verifier>(
      new Verifier(std::move(cert), std::move(key), algorithm,
                   std::move(key_id_hex), std::string(cert_der)));
}

absl::StatusOr<std::unique_ptr<Verifier>> Verifier::FromCertificatePem(
    absl::string_view cert_pem) {
  GW_ASSIGN_OR_RETURN(X509Ptr cert, CertificateFromPem(cert_pem, "cert_pem"));
  GW_ASSIGN_OR_RETURN(std::string der, CertificateToDer(cert.get()));
  return FromCertificateDer(der);
}

Verifier::Verifier(X509Ptr cert, EvpPkeyPtr key, KeyAlgorithm algorithm,
                   std::string key_id_hex, std::string cert_der)
    : cert_(std::move(cert)),
      key_(std::move(key)),
      algorithm_(algorithm),
      key_id_hex_(std::move(key_id_hex)),
      cert_der_(std::move(cert_der)) {}

absl::Status Verifier::Verify(absl::string_view message,
                              absl::string_view signature) const {
  // Both algorithms refuse an empty signature; saying so here keeps OpenSSL
  // from ever seeing a zero-length signature buffer.
  if (signature.empty()) return DoesNotVerify();
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (ctx == nullptr) {
    ERR_clear_error();
    return absl::ResourceExhaustedError("verify: out of memory");
  }
  const EVP_MD* md =
      algorithm_ == KeyAlgorithm::kEd25519 ? nullptr : EVP_sha256();
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key_.get()) != 1) {
    ERR_clear_error();
    return absl::InternalError("verify: cannot initialise the verifier");
  }
  // 1 = valid; 0 = invalid; < 0 = malformed (e.g. DER that does not parse).
  if (EVP_DigestVerify(ctx.get(), BytesOf(signature), signature.size(),
                       BytesOf(message), message.size()) != 1) {
    return DoesNotVerify();
  }
  return absl::OkStatus();
}

}  // namespace gw::crypto
