// tests/unit/tools/gwctl/test_pki.cc
#include "test_pki.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace gw::gwctl::testing {

TestPki::TestPki() {
  std::string templ = ::testing::TempDir() + "gwctl_pki_XXXXXX";
  if (mkdtemp(templ.data()) != nullptr) dir_ = templ;
}

TestPki::~TestPki() {
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

::testing::AssertionResult TestPki::Run(const std::string& command) const {
  if (dir_.empty()) return ::testing::AssertionFailure() << "no scratch dir";
  const std::string full =
      absl::StrCat("cd '", dir_, "' && (", command, ") </dev/null 2>&1");
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) return ::testing::AssertionFailure() << "popen failed";
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  const int status = pclose(pipe);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return ::testing::AssertionFailure() << "`" << command << "` failed:\n"
                                         << out;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult TestPki::MakeCa(const std::string& agency) const {
  return Run(absl::StrCat("mkdir -p ", agency,
                          " && openssl genpkey -algorithm ed25519 -out ",
                          agency, "/ca.key && openssl req -new -x509 -key ",
                          agency, "/ca.key -out ", agency,
                          "/ca.crt -days 2 -subj '/O=", agency, "/CN=", agency,
                          " Test CA' -addext basicConstraints=critical,CA:TRUE "
                          "-addext keyUsage=critical,keyCertSign,cRLSign"));
}

::testing::AssertionResult TestPki::MakeGateway(
    const std::string& agency) const {
  return Run(absl::StrCat(
      "openssl genpkey -algorithm ed25519 -out ", agency,
      "/gateway.key && openssl req -new -key ", agency,
      "/gateway.key -subj '/O=", agency, "/OU=gateway/CN=gateway' -CA ", agency,
      "/ca.crt -CAkey ", agency, "/ca.key -days 2 -out ", agency,
      "/gateway.crt -addext subjectAltName=DNS:localhost,IP:127.0.0.1 "
      "-addext basicConstraints=critical,CA:FALSE "
      "-addext extendedKeyUsage=serverAuth,clientAuth"));
}

::testing::AssertionResult TestPki::MakeSigning(
    const std::string& agency) const {
  return Run(
      absl::StrCat("openssl genpkey -algorithm ed25519 -out ", agency,
                   "/signing.key && openssl req -new -key ", agency,
                   "/signing.key -subj '/O=", agency, "/OU=gateway/CN=", agency,
                   " signing' -CA ", agency, "/ca.crt -CAkey ", agency,
                   "/ca.key -days 2 -out ", agency,
                   "/signing.crt -addext basicConstraints=critical,CA:FALSE "
                   "-addext keyUsage=critical,digitalSignature"));
}

::testing::AssertionResult TestPki::MakeUser(const std::string& agency,
                                             const std::string& role,
                                             const std::string& user) const {
  const std::string base = absl::StrCat(agency, "/", role, "/", user);
  return Run(absl::StrCat("mkdir -p ", agency, "/", role,
                          " && openssl genpkey -algorithm ed25519 "
                          "-out ",
                          base, ".key && openssl req -new -key ", base,
                          ".key -subj '/O=", agency, "/OU=", role, "/CN=", user,
                          "' -CA ", agency, "/ca.crt -CAkey ", agency,
                          "/ca.key -days 2 -out ", base,
                          ".crt -addext basicConstraints=critical,CA:FALSE "
                          "-addext extendedKeyUsage=clientAuth"));
}

::testing::AssertionResult TestPki::MakeSelfSigned(
    const std::string& name, const std::string& subject) const {
  return Run(absl::StrCat("openssl genpkey -algorithm ed25519 -out ", name,
                          ".key && openssl req -new -x509 -key ", name,
                          ".key -out ", name, ".crt -days 2 -subj '", subject,
                          "'"));
}

const TestPki& SharedPki() {
  static TestPki* pki = [] {
    auto* made = new TestPki();
    for (const char* agency : {"CN-MPS", "TH-RTP"}) {
      EXPECT_TRUE(made->MakeCa(agency));
      EXPECT_TRUE(made->MakeGateway(agency));
      EXPECT_TRUE(made->MakeSigning(agency));
    }
    EXPECT_TRUE(made->MakeUser("CN-MPS", "investigator", "investigator1"));
    EXPECT_TRUE(made->MakeUser("TH-RTP", "liaison", "liaison1"));
    EXPECT_TRUE(made->MakeUser("CN-MPS", "admin", "admin1"));
    EXPECT_TRUE(
        made->MakeSelfSigned("self", "/O=CN-MPS/OU=investigator/CN=inv-0107"));
    // Removed at exit, after every test has run.
    atexit([] { delete pki; });
    return made;
  }();
  return *pki;
}

std::string ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace gw::gwctl::testing
