// tests/unit/gateway/crypto/openssl_cli.h
//
// OpensslCliTest is a GoogleTest fixture that runs the `openssl` command line
// tool in a fresh scratch directory, so gw_crypto can be cross-checked against
// an implementation that is not ours. SetUp fails the test if the openssl
// binary is missing; TearDown removes the scratch directory.
#ifndef GW_TESTS_UNIT_GATEWAY_CRYPTO_OPENSSL_CLI_H_
#define GW_TESTS_UNIT_GATEWAY_CRYPTO_OPENSSL_CLI_H_

#include <string>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace gw::crypto::testing {

// The kinds of key the tests make; only the first two are ones we accept.
enum class KeyKind { kEd25519, kP256, kP384, kEd448, kRsa2048 };

struct KeyFiles {
  std::string key_path;   // PEM private key (PKCS#8)
  std::string cert_path;  // PEM self-signed certificate
  std::string key_pem;
  std::string cert_pem;
};

class OpensslCliTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Absolute path of `name` in the scratch directory.
  std::string Path(absl::string_view name) const;
  // Runs `command` with /bin/sh in the scratch directory; fails (with the
  // command's output) unless it exits 0. *output gets stdout and stderr.
  ::testing::AssertionResult Run(const std::string& command,
                                 std::string* output = nullptr) const;
  // Like Run, but returns the exit status (-1 if it could not run).
  int ExitStatus(const std::string& command) const;

  void WriteFile(absl::string_view name, absl::string_view data) const;
  std::string ReadFile(absl::string_view name) const;

  // Makes `<name>.key` and a self-signed `<name>.crt` of the given kind.
  ::testing::AssertionResult MakeKey(KeyKind kind, absl::string_view name,
                                     KeyFiles* files) const;

 private:
  std::string dir_;
};

}  // namespace gw::crypto::testing

#endif  // GW_TESTS_UNIT_GATEWAY_CRYPTO_OPENSSL_CLI_H_
