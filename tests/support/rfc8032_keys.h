// tests/support/rfc8032_keys.h
//
// The public test keys of RFC 8032 §7.1 that sign every example under
// shared/partners/examples/ (partners/README.md §4): TEST 1 is the gateway
// (CN-MPS, key id 06e3fd8f...), TEST 2 each partner (key id deb2ded3...).
// Each comes wrapped in a self-signed certificate made in memory, so the
// project's Signer and Verifier can use it. Never use these keys outside
// tests.
#ifndef GW_TESTS_SUPPORT_RFC8032_KEYS_H_
#define GW_TESTS_SUPPORT_RFC8032_KEYS_H_

#include <memory>
#include <string>

#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"

namespace gw::testing {

// Key ids (lowercase hex SHA-256 of the SPKI DER) of the two keys.
inline constexpr char kRfc8032Test1KeyId[] =
    "06e3fd8fda29bb60ab59557de61edb0aecdb231134be30e75b455f8e1b792fa9";
inline constexpr char kRfc8032Test2KeyId[] =
    "deb2ded39dc26fce0e6085b6fc34bf6b5941913bbfe2ea614113cff9e004c170";

// `test` is 1 or 2. Aborts the test binary on any OpenSSL failure.
std::unique_ptr<crypto::Signer> Rfc8032Signer(int test);
std::unique_ptr<crypto::Verifier> Rfc8032Verifier(int test);
// The self-signed certificate of the key, PEM.
std::string Rfc8032CertificatePem(int test);

}  // namespace gw::testing

#endif  // GW_TESTS_SUPPORT_RFC8032_KEYS_H_
