// tests/support/rfc8032_keys.cc
#include "tests/support/rfc8032_keys.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/escaping.h"
#include "gateway/crypto/openssl_handles.h"

namespace gw::testing {
namespace {

// RFC 8032 §7.1, TEST 1 and TEST 2: the 32-byte private keys.
constexpr char kTest1Secret[] =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr char kTest2Secret[] =
    "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "rfc8032_keys: %s failed\n", what);
  std::abort();
}

std::string BioToString(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(length));
}

struct KeyPem {
  std::string key_pem;
  std::string cert_pem;
};

KeyPem MakeKeyPem(int test) {
  if (test != 1 && test != 2) Die("test number (1 or 2)");
  const std::string secret =
      absl::HexStringToBytes(test == 1 ? kTest1Secret : kTest2Secret);
  crypto::EvpPkeyPtr key(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr,
      reinterpret_cast<const unsigned char*>(secret.data()), secret.size()));
  if (key == nullptr) Die("EVP_PKEY_new_raw_private_key");

  crypto::X509Ptr cert(X509_new());
  if (cert == nullptr) Die("X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), test);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600L * 24 * 365);
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string cn = "rfc8032-test" + std::to_string(test);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()),
                             -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (X509_set_pubkey(cert.get(), key.get()) != 1) Die("X509_set_pubkey");
  if (X509_sign(cert.get(), key.get(), nullptr) <= 0) Die("X509_sign");

  crypto::BioPtr key_bio(BIO_new(BIO_s_mem()));
  crypto::BioPtr cert_bio(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0,
                               nullptr, nullptr) != 1) {
    Die("PEM_write_bio_PrivateKey");
  }
  if (PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1) {
    Die("PEM_write_bio_X509");
  }
  return {BioToString(key_bio.get()), BioToString(cert_bio.get())};
}

}  // namespace

std::unique_ptr<crypto::Signer> Rfc8032Signer(int test) {
  KeyPem pem = MakeKeyPem(test);
  auto signer = crypto::Signer::FromPem(pem.key_pem, pem.cert_pem);
  if (!signer.ok()) Die("Signer::FromPem");
  return *std::move(signer);
}

std::unique_ptr<crypto::Verifier> Rfc8032Verifier(int test) {
  auto verifier =
      crypto::Verifier::FromCertificatePem(MakeKeyPem(test).cert_pem);
  if (!verifier.ok()) Die("Verifier::FromCertificatePem");
  return *std::move(verifier);
}

std::string Rfc8032CertificatePem(int test) {
  return MakeKeyPem(test).cert_pem;
}

}  // namespace gw::testing
