// tests/unit/tools/gwctl/test_pki.h
//
// Certificates for gwctl's tests, made with the openssl command line in a
// scratch directory laid out like certs/make-dev-pki's output:
//   DIR/<AGENCY>/ca.crt|.key, DIR/<AGENCY>/gateway.crt|.key (SAN localhost,
//   127.0.0.1), DIR/<AGENCY>/<ROLE>/<USER>.crt|.key (O/OU/CN), all Ed25519.
// The directory is removed when the TestPki is destroyed.
#ifndef GW_TESTS_UNIT_TOOLS_GWCTL_TEST_PKI_H_
#define GW_TESTS_UNIT_TOOLS_GWCTL_TEST_PKI_H_

#include <string>

#include "gtest/gtest.h"

namespace gw::gwctl::testing {

class TestPki {
 public:
  TestPki();  // creates an empty scratch directory
  ~TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  const std::string& dir() const { return dir_; }

  // DIR/<agency>/ca.crt|.key.
  ::testing::AssertionResult MakeCa(const std::string& agency) const;
  // DIR/<agency>/gateway.crt|.key, issued by that agency's CA.
  ::testing::AssertionResult MakeGateway(const std::string& agency) const;
  // DIR/<agency>/signing.crt|.key, the gateway's Ed25519 message-signing
  // key (O=<agency>), issued by that agency's CA.
  ::testing::AssertionResult MakeSigning(const std::string& agency) const;
  // DIR/<agency>/<role>/<user>.crt|.key, issued by that agency's CA.
  ::testing::AssertionResult MakeUser(const std::string& agency,
                                      const std::string& role,
                                      const std::string& user) const;
  // DIR/<name>.crt|.key, self-signed, subject `subject` ("/O=.../CN=...").
  ::testing::AssertionResult MakeSelfSigned(const std::string& name,
                                            const std::string& subject) const;

  // Runs `command` with /bin/sh in dir(); fails with its output unless it
  // exits 0.
  ::testing::AssertionResult Run(const std::string& command) const;

 private:
  std::string dir_;
};

// A PKI shared by all tests of the binary (made once; never modify it):
// agencies CN-MPS and TH-RTP with CA, gateway and signing certificates, users
// CN-MPS/investigator/investigator1, TH-RTP/liaison/liaison1 and
// CN-MPS/admin/admin1, and a
// self-signed "self.crt" with O=CN-MPS, OU=investigator, CN=inv-0107.
const TestPki& SharedPki();

// Reads a whole file ("" if it cannot).
std::string ReadTextFile(const std::string& path);

}  // namespace gw::gwctl::testing

#endif  // GW_TESTS_UNIT_TOOLS_GWCTL_TEST_PKI_H_
