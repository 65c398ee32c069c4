#include "tests/support/dev_pki.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace gw::testing {

namespace {

// Temporary directories made by this process, removed when it exits unless
// GW_KEEP_TEST_DIRS is set (to look at a failed run's data).
std::vector<std::string>& TempDirs() {
  static auto* dirs = new std::vector<std::string>();
  return *dirs;
}

void RemoveTempDirs() {
  if (getenv("GW_KEEP_TEST_DIRS") != nullptr) return;
  for (const auto& dir : TempDirs()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
}

}  // namespace

std::string MakeTempDir(const std::string& prefix) {
  const char* tmp = getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/", prefix, ".XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed for " << pattern;
    return "";
  }
  if (TempDirs().empty()) std::atexit(RemoveTempDirs);
  TempDirs().push_back(pattern);
  return pattern;
}

int RunCommand(const std::string& command, std::string* output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  std::array<char, 4096> buffer;
  std::string text;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    text.append(buffer.data(), n);
  const int status = pclose(pipe);
  if (output != nullptr) *output = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

namespace {

// One PKI per build tree and algorithm, shared by every test process (ctest
// runs each test in its own process): make-dev-pki does nothing when the PKI
// is complete, and flock keeps two processes from creating it at once.
const DevPki* MakeDevPki(const std::string& algo) {
  const std::string root = absl::StrCat(GW_BINARY_DIR, "/test-pki");
  mkdir(root.c_str(), 0700);
  auto* made = new DevPki(absl::StrCat(root, "/", algo));
  std::string output;
  const int rc = RunCommand(
      absl::StrCat("flock ", root, "/.lock ", GW_SOURCE_DIR,
                   "/certs/make-dev-pki --algo ", algo, " ", made->dir()),
      &output);
  if (rc != 0)
    ADD_FAILURE() << "certs/make-dev-pki --algo " << algo
                  << " failed: " << output;
  return made;
}

}  // namespace

const DevPki& DevPki::Get() {
  static const DevPki* pki = MakeDevPki("ed25519");
  return *pki;
}

const DevPki& DevPki::GetP256() {
  static const DevPki* pki = MakeDevPki("p256");
  return *pki;
}

std::string DevPki::UserCert(const std::string& agency, const std::string& role,
                             const std::string& user) const {
  return absl::StrCat(dir_, "/", agency, "/", role, "/", user, ".crt");
}

std::string DevPki::UserKey(const std::string& agency, const std::string& role,
                            const std::string& user) const {
  return absl::StrCat(dir_, "/", agency, "/", role, "/", user, ".key");
}

std::string DevPki::CaCert(const std::string& agency) const {
  return absl::StrCat(dir_, "/", agency, "/ca.crt");
}

std::string DevPki::MintCertificate(const std::string& issuing_agency,
                                    const std::string& claimed_agency,
                                    const std::string& role,
                                    const std::string& user) const {
  const std::string base = absl::StrCat(MakeTempDir("gw-test-cert"), "/", user);
  const std::string ca = absl::StrCat(dir_, "/", issuing_agency);
  const std::string ext = base + ".ext";
  std::string output;
  const int rc = RunCommand(
      absl::StrCat(
          "set -e; openssl genpkey -algorithm ED25519 -out ", base, ".key; ",
          "printf 'extendedKeyUsage=clientAuth\\nkeyUsage=digitalSignature\\n' "
          "> ",
          ext, "; openssl req -new -key ", base, ".key -subj '/O=",
          claimed_agency, "/OU=", role, "/CN=", user, "' -out ", base, ".csr; ",
          "openssl x509 -req -in ", base, ".csr -CA ", ca, "/ca.crt -CAkey ",
          ca, "/ca.key -CAcreateserial -days 30 -extfile ", ext, " -out ", base,
          ".crt"),
      &output);
  if (rc != 0) ADD_FAILURE() << "minting a test certificate failed: " << output;
  return base;
}

}  // namespace gw::testing
