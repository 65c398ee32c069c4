// tools/bench/bench_signing_key.h
//
// LoadBenchSigningKey returns the Ed25519 key the checkpoint benchmark signs
// with: the dev PKI's gateway signing key
// (<source_dir>/var/pki/CN-MPS/signing.key and signing.crt) when present,
// else a new key and self-signed certificate (subject O=BENCH) made with
// the openssl command-line tool in `scratch_dir`.
// Errors: the Signer's (INVALID_ARGUMENT for a key that is not Ed25519, ...);
// UNAVAILABLE "openssl: ..." if the openssl command fails.
// Ownership: the result owns its signer.
#ifndef GW_TOOLS_BENCH_BENCH_SIGNING_KEY_H_
#define GW_TOOLS_BENCH_BENCH_SIGNING_KEY_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gateway/crypto/signer.h"

namespace gw::bench {

struct BenchSigningKey {
  std::unique_ptr<crypto::Signer> signer;
  // Whose key it is: the agency code, or "BENCH" for a generated key.
  std::string agency;
  // Where it came from, for the report.
  std::string source;
};

[[nodiscard]] absl::StatusOr<BenchSigningKey> LoadBenchSigningKey(
    const std::string& source_dir, const std::string& scratch_dir);

}  // namespace gw::bench

#endif  // GW_TOOLS_BENCH_BENCH_SIGNING_KEY_H_
