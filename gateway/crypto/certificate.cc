// gateway/crypto/certificate.cc
#include "gateway/crypto/certificate.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <climits>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gateway/crypto/openssl_handles.h"

namespace gw::crypto {
namespace {

// Certificates are never encrypted; refuse any password prompt so that a
// strange PEM block can never block on the terminal.
int NoPassword(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*u*/) {
  return -1;
}

absl::Status Invalid(absl::string_view field, absl::string_view reason) {
  ERR_clear_error();
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}

}  // namespace

absl::StatusOr<X509Ptr> CertificateFromPem(absl::string_view pem,
                                           absl::string_view field) {
  if (pem.size() > static_cast<size_t>(INT_MAX)) {
    return Invalid(field, "too large for a certificate");
  }
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) {
    ERR_clear_error();
    return absl::ResourceExhaustedError(absl::StrCat(field, ": out of memory"));
  }
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, NoPassword, nullptr));
  if (cert == nullptr) return Invalid(field, "no PEM certificate");
  return cert;
}

absl::StatusOr<X509Ptr> CertificateFromDer(absl::string_view der,
                                           absl::string_view field) {
  if (der.empty()) return Invalid(field, "empty, want a DER certificate");
  if (der.size() > static_cast<size_t>(LONG_MAX)) {
    return Invalid(field, "too large for a certificate");
  }
  const auto* begin = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* next = begin;
  X509Ptr cert(d2i_X509(nullptr, &next, static_cast<long>(der.size())));
  if (cert == nullptr) {
    return Invalid(field, "does not parse as a DER X.509 certificate");
  }
  if (static_cast<size_t>(next - begin) != der.size()) {
    return Invalid(field,
                   absl::StrCat(der.size() - (next - begin),
                                " trailing bytes after the certificate"));
  }
  return cert;
}

absl::StatusOr<std::string> CertificateToDer(X509* cert) {
  unsigned char* der = nullptr;
  const int der_len = i2d_X509(cert, &der);
  if (der_len <= 0 || der == nullptr) {
    ERR_clear_error();
    return absl::InternalError("certificate: cannot encode as DER");
  }
  std::string out(reinterpret_cast<const char*>(der),
                  static_cast<size_t>(der_len));
  OPENSSL_free(der);
  return out;
}

}  // namespace gw::crypto
