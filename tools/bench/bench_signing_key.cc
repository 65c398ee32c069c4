// tools/bench/bench_signing_key.cc
#include "tools/bench/bench_signing_key.h"

#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/util/status_macros.h"

namespace gw::bench {

absl::StatusOr<BenchSigningKey> LoadBenchSigningKey(
    const std::string& source_dir, const std::string& scratch_dir) {
  BenchSigningKey key;
  const std::string pki = source_dir + "/var/pki/CN-MPS";
  std::string key_path = pki + "/signing.key";
  std::string cert_path = pki + "/signing.crt";
  if (std::filesystem::exists(key_path) && std::filesystem::exists(cert_path)) {
    key.agency = "CN-MPS";
    key.source = "dev PKI " + pki;
  } else {
    key_path = scratch_dir + "/bench-signing.key";
    cert_path = scratch_dir + "/bench-signing.crt";
    const std::string command = absl::StrCat(
        "openssl req -x509 -newkey ed25519 -nodes -days 1 -subj "
        "'/O=BENCH/CN=bench-signing' -keyout '",
        key_path, "' -out '", cert_path, "' 2>/dev/null");
    if (std::system(command.c_str()) != 0) {
      return absl::UnavailableError(
          absl::StrCat("openssl: cannot create a key in ", scratch_dir));
    }
    key.agency = "BENCH";
    key.source = "new key made with the openssl CLI";
  }
  GW_ASSIGN_OR_RETURN(key.signer,
                      crypto::Signer::FromPemFiles(key_path, cert_path));
  return key;
}

}  // namespace gw::bench
