// adapters/registry.h
//
// AdapterRegistry creates partner adapters by name, as the `partners`
// entries of policies/ ask (gw.policy.v1.PartnerLink), in the manner of
// Envoy's extension factories: each adapter registers one AdapterFactory
// under its name (adapters/builtin.cc lists them, one line each), and each
// factory unpacks its own typed settings message from the entry's
// google.protobuf.Any. Re-wiring partners is a policy change, not a
// rebuild.
//
// Errors from CreateLinks name the policy entry ("partners[MM-MPF]...") and
// say what to fix: an unknown adapter name (with the known ones), settings
// of the wrong type, invalid settings, missing keys or certificates.
// Thread safety: register everything before the first Find/CreateLinks;
// after that the registry is read-only and may be shared.
#ifndef GW_ADAPTERS_REGISTRY_H_
#define GW_ADAPTERS_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "adapters/adapter.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gw/policy/v1/policy.pb.h"

namespace gw::adapters {

// What a factory gets besides its settings.
struct AdapterContext {
  // The agency this gateway serves (gatewayd --agency), e.g. "CN-MPS".
  std::string local_agency;
  // The partner agency's policy entry.
  const gw::policy::v1::Agency* partner = nullptr;  // not owned
  // This gateway's message-signing key (signing.key): the second DSSE
  // signature, partner-format link signatures. Not owned.
  const crypto::Signer* signing_key = nullptr;
  // The message-signing keys registered to the partner
  // (partners/README.md §2.6). Not owned.
  std::vector<const crypto::Verifier*> partner_keys;
  // Mutual TLS towards the partner: this gateway's TLS certificate and key
  // (gateway.crt / gateway.key, PEM) and the partner agency's CA (PEM).
  std::string tls_cert_pem;
  std::string tls_key_pem;
  std::string partner_ca_pem;
  // The partner CA's CRL (PEM), empty if the agency lists none.
  std::string partner_crl_pem;
  // gatewayd's --data directory, for links that keep files (LA-MPS's link
  // directory, when the policy gives a relative path).
  std::string data_dir;
};

class AdapterFactory {
 public:
  virtual ~AdapterFactory() = default;
  // The name policies/ use, e.g. "mm_mpf".
  virtual std::string name() const = 0;
  // Full name of the settings message the factory unpacks, e.g.
  // "gw.adapters.mm_mpf.v1.Settings".
  virtual std::string settings_type() const = 0;
  // A ready adapter for `link` (its settings are of settings_type()).
  // INVALID_ARGUMENT naming the settings field for bad settings.
  [[nodiscard]] virtual absl::StatusOr<std::unique_ptr<Adapter>> Create(
      const gw::policy::v1::PartnerLink& link,
      const AdapterContext& context) const = 0;
};

class AdapterRegistry {
 public:
  AdapterRegistry() = default;
  AdapterRegistry(const AdapterRegistry&) = delete;
  AdapterRegistry& operator=(const AdapterRegistry&) = delete;

  // ALREADY_EXISTS if the name is taken.
  absl::Status Register(std::unique_ptr<AdapterFactory> factory);
  // nullptr if unknown.
  const AdapterFactory* Find(const std::string& name) const;
  // Registered names, sorted.
  std::vector<std::string> Names() const;

  // Checks one `partners` entry without creating anything: the agency is
  // known, the adapter is registered, and the settings are of its type.
  absl::Status CheckLink(const gw::policy::v1::PolicySet& set,
                         const gw::policy::v1::PartnerLink& link) const;

 private:
  absl::flat_hash_map<std::string, std::unique_ptr<AdapterFactory>> factories_;
};

// Registers every adapter built into this gatewayd (builtin.cc).
void RegisterBuiltinAdapters(AdapterRegistry* registry);

}  // namespace gw::adapters

#endif  // GW_ADAPTERS_REGISTRY_H_
