// tests/support/dev_pki.h
//
// The development PKI for tests: certs/make-dev-pki run once per test
// binary into a temporary directory, plus helpers to mint extra hostile
// certificates with the openssl command line.
#ifndef GW_TESTS_SUPPORT_DEV_PKI_H_
#define GW_TESTS_SUPPORT_DEV_PKI_H_

#include <string>
#include <utility>

namespace gw::testing {

// A fresh temporary directory (mkdtemp under $TMPDIR or /tmp).
std::string MakeTempDir(const std::string& prefix);

// Runs `command` with /bin/sh; returns its exit status and output.
int RunCommand(const std::string& command, std::string* output = nullptr);

class DevPki {
 public:
  explicit DevPki(std::string dir) : dir_(std::move(dir)) {}

  // The PKI made once for this process (fails the test on error): Ed25519
  // keys, or with GetP256() ECDSA P-256 keys (`--algo p256`).
  static const DevPki& Get();
  static const DevPki& GetP256();

  const std::string& dir() const { return dir_; }
  // DIR/AGENCY/ROLE/USER.crt and .key.
  std::string UserCert(const std::string& agency, const std::string& role,
                       const std::string& user) const;
  std::string UserKey(const std::string& agency, const std::string& role,
                      const std::string& user) const;
  std::string CaCert(const std::string& agency) const;

  // Mints a certificate with subject O=`claimed_agency`, OU=`role`, CN=`user`
  // signed by `issuing_agency`'s CA; returns the base path (add .crt/.key).
  std::string MintCertificate(const std::string& issuing_agency,
                              const std::string& claimed_agency,
                              const std::string& role,
                              const std::string& user) const;

 private:
  std::string dir_;
};

}  // namespace gw::testing

#endif  // GW_TESTS_SUPPORT_DEV_PKI_H_
