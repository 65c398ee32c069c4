// gateway/crypto/certificate.h
//
// Parsing X.509 certificates from PEM and DER, and encoding them as DER.
// Only syntax is checked here; chains, validity and revocation are
// gateway/identity's job.
//
// Errors: INVALID_ARGUMENT "<field>: <reason>", <field> being the caller's
// name for the input (a file path, "cert_der", ...).
// Ownership: each returned X509Ptr is owned by the caller.
// Thread safety: pure functions, safe from any thread. On failure they leave
// the calling thread's OpenSSL error queue empty.
#ifndef GW_CRYPTO_CERTIFICATE_H_
#define GW_CRYPTO_CERTIFICATE_H_

#include <openssl/x509.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/crypto/openssl_handles.h"

namespace gw::crypto {

// The first certificate in `pem` (later ones, e.g. a chain, are ignored).
[[nodiscard]] absl::StatusOr<X509Ptr> CertificateFromPem(
    absl::string_view pem, absl::string_view field);

// `der` must be exactly one DER certificate: trailing bytes are refused.
[[nodiscard]] absl::StatusOr<X509Ptr> CertificateFromDer(
    absl::string_view der, absl::string_view field);

// The DER encoding of `cert`. REQUIRES: cert != nullptr.
[[nodiscard]] absl::StatusOr<std::string> CertificateToDer(X509* cert);

}  // namespace gw::crypto

#endif  // GW_CRYPTO_CERTIFICATE_H_
