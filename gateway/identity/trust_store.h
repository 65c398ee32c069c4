// gateway/identity/trust_store.h
//
// TrustStore decides whether a client certificate may speak for the agency
// it names. Each agency of the policy set has its own issuing CA and CRL
// (policies/: agencies[].trust, paths relative to the PKI directory); a
// certificate claiming O=TH-RTP is accepted only if it chains to the TH-RTP
// CA, is within its validity period, and is not on the TH-RTP CRL.
//
// Guarantees:
//  * Authenticate() returns a Principal only for such a certificate, whose
//    OU is one of the roles the agency has, whose O, OU and CN each appear
//    exactly once, and whose extended key usage names TLS client
//    authentication (so a gateway's signing certificate, which only signs,
//    cannot authenticate a caller).
//  * The Principal carries a Verifier for the certificate's key (Ed25519 or
//    P-256; other keys are refused), so signatures are checked without
//    parsing the certificate again.
//  * Decisions are cached per certificate (by DER digest) until the
//    certificate expires; the cache is bounded.
// Errors (all UNAUTHENTICATED, message names the subject field or reason,
// never a personal value): unparsable certificate, missing or repeated
// O/OU/CN, unknown agency, wrong CA for the agency, expired or not yet
// valid, revoked, role the agency does not have.
// Thread safety: Authenticate() may be called concurrently.
#ifndef GW_IDENTITY_TRUST_STORE_H_
#define GW_IDENTITY_TRUST_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gateway/crypto/openssl_handles.h"
#include "gateway/crypto/verifier.h"
#include "gateway/identity/principal.h"
#include "gateway/policy/policy.h"

namespace gw::identity {

class TrustStore {
 public:
  // Loads every agency's CA certificate and CRL from `pki_dir`.
  // Errors: NOT_FOUND naming the missing file (with a hint to run
  // certs/make-dev-pki), INVALID_ARGUMENT for a file that does not parse or a
  // CA whose subject O is not the agency it is configured for.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<TrustStore>> Load(
      const policy::Policy& policy, const std::string& pki_dir);

  TrustStore(const TrustStore&) = delete;
  TrustStore& operator=(const TrustStore&) = delete;

  // Authenticates a certificate given as PEM (as gRPC reports the peer) or
  // DER, at time `now`.
  [[nodiscard]] absl::StatusOr<Principal> AuthenticatePem(
      absl::string_view cert_pem, absl::Time now) const;
  [[nodiscard]] absl::StatusOr<Principal> AuthenticateDer(
      absl::string_view cert_der, absl::Time now) const;

  // The message-signing keys registered to `agency` (policies/:
  // agencies[].trust.signing_cert_files, partners/README.md §2.6), in the
  // order listed; empty for an unknown agency or one with none.
  std::vector<const crypto::Verifier*> SigningKeys(
      absl::string_view agency) const;
  // The registered key of `agency` with this key id; nullptr if none.
  const crypto::Verifier* FindSigningKey(absl::string_view agency,
                                         absl::string_view key_id_hex) const;
  // The agency's CA certificate, PEM (to verify a partner's TLS server).
  // NOT_FOUND for an unknown agency.
  [[nodiscard]] absl::StatusOr<std::string> CaPem(
      absl::string_view agency) const;

  // All agencies' CA certificates concatenated (PEM), for the TLS layer.
  const std::string& root_certs_pem() const { return root_certs_pem_; }

 private:
  struct AgencyAnchor {
    std::string code;
    std::vector<std::string> roles;
    crypto::X509StorePtr store;  // the agency's CA + CRL only
    std::string ca_pem;
    std::vector<std::unique_ptr<crypto::Verifier>> signing_keys;
  };
  struct CachedPrincipal {
    Principal principal;
    // The certificate's validity period: a cached answer holds only inside it.
    absl::Time not_before;
    absl::Time not_after;
  };

  TrustStore() = default;
  absl::StatusOr<Principal> Verify(X509* cert, absl::string_view cert_der,
                                   absl::Time now) const;

  absl::flat_hash_map<std::string, std::unique_ptr<AgencyAnchor>> anchors_;
  std::string root_certs_pem_;
  mutable absl::Mutex cache_mu_;
  mutable absl::flat_hash_map<std::string, CachedPrincipal> cache_
      ABSL_GUARDED_BY(cache_mu_);
};

// The single value of subject attribute `nid` (NID_organizationName, ...).
// INVALID_ARGUMENT if absent or repeated.
[[nodiscard]] absl::StatusOr<std::string> SubjectAttribute(X509* cert, int nid);

}  // namespace gw::identity

#endif  // GW_IDENTITY_TRUST_STORE_H_
