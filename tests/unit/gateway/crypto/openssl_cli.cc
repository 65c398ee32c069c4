// tests/unit/gateway/crypto/openssl_cli.cc
#include "openssl_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace gw::crypto::testing {

void OpensslCliTest::SetUp() {
  std::string templ = ::testing::TempDir() + "gw_crypto_XXXXXX";
  ASSERT_NE(mkdtemp(templ.data()), nullptr) << "mkdtemp " << templ;
  dir_ = templ;
  std::string version;
  ASSERT_TRUE(Run("openssl version", &version))
      << "the openssl command line tool is required by these tests";
}

void OpensslCliTest::TearDown() {
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

std::string OpensslCliTest::Path(absl::string_view name) const {
  return absl::StrCat(dir_, "/", name);
}

int OpensslCliTest::ExitStatus(const std::string& command) const {
  const std::string full =
      absl::StrCat("cd '", dir_, "' && (", command, ") </dev/null 2>&1");
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buf[4096];
  while (fgets(buf, sizeof(buf), pipe) != nullptr) {
  }
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

::testing::AssertionResult OpensslCliTest::Run(const std::string& command,
                                               std::string* output) const {
  const std::string full =
      absl::StrCat("cd '", dir_, "' && (", command, ") </dev/null 2>&1");
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) {
    return ::testing::AssertionFailure() << "popen failed: " << command;
  }
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  const int status = pclose(pipe);
  if (output != nullptr) *output = out;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return ::testing::AssertionFailure()
           << "`" << command << "` failed (status " << status << "):\n"
           << out;
  }
  return ::testing::AssertionSuccess();
}

void OpensslCliTest::WriteFile(absl::string_view name,
                               absl::string_view data) const {
  std::ofstream out(Path(name), std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  ASSERT_TRUE(out.good()) << "cannot write " << Path(name);
}

std::string OpensslCliTest::ReadFile(absl::string_view name) const {
  std::ifstream in(Path(name), std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << Path(name);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

::testing::AssertionResult OpensslCliTest::MakeKey(KeyKind kind,
                                                   absl::string_view name,
                                                   KeyFiles* files) const {
  std::string algorithm;
  switch (kind) {
    case KeyKind::kEd25519:
      algorithm = "-algorithm ED25519";
      break;
    case KeyKind::kP256:
      algorithm = "-algorithm EC -pkeyopt ec_paramgen_curve:P-256";
      break;
    case KeyKind::kP384:
      algorithm = "-algorithm EC -pkeyopt ec_paramgen_curve:P-384";
      break;
    case KeyKind::kEd448:
      algorithm = "-algorithm ED448";
      break;
    case KeyKind::kRsa2048:
      algorithm = "-algorithm RSA -pkeyopt rsa_keygen_bits:2048";
      break;
  }
  const std::string key = absl::StrCat(name, ".key");
  const std::string cert = absl::StrCat(name, ".crt");
  if (auto r = Run(absl::StrCat("openssl genpkey ", algorithm, " -out ", key));
      !r) {
    return r;
  }
  if (auto r = Run(absl::StrCat("openssl req -x509 -new -key ", key,
                                " -subj /O=CN-MPS/OU=investigator/CN=", name,
                                " -days 2 -out ", cert));
      !r) {
    return r;
  }
  files->key_path = Path(key);
  files->cert_path = Path(cert);
  files->key_pem = ReadFile(key);
  files->cert_pem = ReadFile(cert);
  return ::testing::AssertionSuccess();
}

}  // namespace gw::crypto::testing
