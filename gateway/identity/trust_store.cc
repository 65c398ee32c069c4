#include "gateway/identity/trust_store.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "gateway/crypto/certificate.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/file.h"
#include "gateway/util/status_macros.h"

namespace gw::identity {
namespace {

constexpr size_t kMaxCachedPrincipals = 10000;

absl::Time TimeFromAsn1(const ASN1_TIME* t) {
  struct tm tm {};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return absl::InfinitePast();
  return absl::FromTM(tm, absl::UTCTimeZone());
}

std::string VerifyErrorText(int error, absl::string_view agency) {
  switch (error) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return "certificate has expired";
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return "certificate is not yet valid";
    case X509_V_ERR_CERT_REVOKED:
      return absl::StrCat("certificate is revoked by the ", agency, " CA");
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      return absl::StrCat("certificate claiming O=", agency,
                          " does not chain to the ", agency, " CA");
    case X509_V_ERR_INVALID_PURPOSE:
      return "certificate is not for TLS client use";
    default:
      return absl::StrCat("certificate refused: ",
                          X509_verify_cert_error_string(error));
  }
}

}  // namespace

absl::StatusOr<std::string> SubjectAttribute(X509* cert, int nid) {
  X509_NAME* name = X509_get_subject_name(cert);
  const char* field = OBJ_nid2sn(nid);
  int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("certificate subject ", field, ": missing"));
  }
  if (X509_NAME_get_index_by_NID(name, nid, index) >= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "certificate subject ", field, ": appears more than once"));
  }
  ASN1_STRING* value =
      X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int len = ASN1_STRING_to_UTF8(&utf8, value);
  if (len < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("certificate subject ", field, ": not a valid string"));
  }
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  if (out.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("certificate subject ", field, ": empty"));
  }
  return out;
}

absl::StatusOr<std::unique_ptr<TrustStore>> TrustStore::Load(
    const policy::Policy& policy, const std::string& pki_dir) {
  std::unique_ptr<TrustStore> trust(new TrustStore());
  absl::flat_hash_set<std::string> registered_key_ids;
  for (const auto& agency : policy.proto().agencies()) {
    auto anchor = std::make_unique<AgencyAnchor>();
    anchor->code = agency.code();
    anchor->roles.assign(agency.roles().begin(), agency.roles().end());

    const std::string ca_path =
        absl::StrCat(pki_dir, "/", agency.trust().ca_file());
    auto ca_pem = util::ReadFile(ca_path);
    if (!ca_pem.ok()) {
      return absl::Status(
          ca_pem.status().code(),
          absl::StrCat(ca_pem.status().message(),
                       " (create the development PKI with "
                       "certs/make-dev-pki, or pass --pki DIR)"));
    }
    GW_ASSIGN_OR_RETURN(crypto::X509Ptr ca,
                        crypto::CertificateFromPem(*ca_pem, ca_path));
    auto ca_agency = SubjectAttribute(ca.get(), NID_organizationName);
    if (!ca_agency.ok() || *ca_agency != agency.code()) {
      return absl::InvalidArgumentError(
          absl::StrCat(ca_path, ": CA subject O is not ", agency.code(),
                       "; the trust store maps each CA to exactly one agency"));
    }

    const std::string crl_path =
        absl::StrCat(pki_dir, "/", agency.trust().crl_file());
    GW_ASSIGN_OR_RETURN(std::string crl_pem, util::ReadFile(crl_path));
    crypto::BioPtr crl_bio(
        BIO_new_mem_buf(crl_pem.data(), static_cast<int>(crl_pem.size())));
    crypto::X509CrlPtr crl(
        PEM_read_bio_X509_CRL(crl_bio.get(), nullptr, nullptr, nullptr));
    if (crl == nullptr) {
      ERR_clear_error();
      return absl::InvalidArgumentError(
          absl::StrCat(crl_path, ": not a PEM X.509 CRL"));
    }

    anchor->store.reset(X509_STORE_new());
    if (anchor->store == nullptr ||
        X509_STORE_add_cert(anchor->store.get(), ca.get()) != 1 ||
        X509_STORE_add_crl(anchor->store.get(), crl.get()) != 1) {
      return absl::InternalError(
          absl::StrCat(agency.code(), ": cannot build the X.509 store"));
    }
    X509_STORE_set_flags(anchor->store.get(), X509_V_FLAG_CRL_CHECK);
    anchor->ca_pem = *ca_pem;

    for (int i = 0; i < agency.trust().signing_cert_files_size(); ++i) {
      const std::string path =
          absl::StrCat(pki_dir, "/", agency.trust().signing_cert_files(i));
      GW_ASSIGN_OR_RETURN(std::string pem, util::ReadFile(path));
      auto key = crypto::Verifier::FromCertificatePem(pem);
      if (!key.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ": ", key.status().message()));
      }
      auto key_agency =
          SubjectAttribute((*key)->certificate(), NID_organizationName);
      if (!key_agency.ok() || *key_agency != agency.code()) {
        return absl::InvalidArgumentError(absl::StrCat(
            path, ": signing certificate subject O is not ", agency.code(),
            "; a key is registered to exactly one agency"));
      }
      // Issued by the agency's own CA, so a policy file cannot register a
      // key the agency never certified.
      if (X509_verify((*key)->certificate(), X509_get0_pubkey(ca.get())) != 1) {
        ERR_clear_error();
        return absl::InvalidArgumentError(absl::StrCat(
            path, ": signing certificate is not issued by ", ca_path));
      }
      if (!registered_key_ids.insert((*key)->key_id_hex()).second) {
        return absl::InvalidArgumentError(absl::StrCat(
            path,
            ": this key is registered twice; a key belongs to exactly "
            "one agency"));
      }
      anchor->signing_keys.push_back(*std::move(key));
    }
    absl::StrAppend(&trust->root_certs_pem_, *ca_pem);
    if (!ca_pem->empty() && ca_pem->back() != '\n')
      trust->root_certs_pem_.push_back('\n');
    trust->anchors_[agency.code()] = std::move(anchor);
  }
  return trust;
}

std::vector<const crypto::Verifier*> TrustStore::SigningKeys(
    absl::string_view agency) const {
  std::vector<const crypto::Verifier*> keys;
  auto it = anchors_.find(agency);
  if (it == anchors_.end()) return keys;
  for (const auto& key : it->second->signing_keys) keys.push_back(key.get());
  return keys;
}

const crypto::Verifier* TrustStore::FindSigningKey(
    absl::string_view agency, absl::string_view key_id_hex) const {
  auto it = anchors_.find(agency);
  if (it == anchors_.end()) return nullptr;
  for (const auto& key : it->second->signing_keys) {
    if (key->key_id_hex() == key_id_hex) return key.get();
  }
  return nullptr;
}

absl::StatusOr<std::string> TrustStore::CaPem(absl::string_view agency) const {
  auto it = anchors_.find(agency);
  if (it == anchors_.end()) {
    return absl::NotFoundError(absl::StrCat(agency, ": unknown agency"));
  }
  return it->second->ca_pem;
}

absl::StatusOr<Principal> TrustStore::AuthenticatePem(
    absl::string_view cert_pem, absl::Time now) const {
  auto cert = crypto::CertificateFromPem(cert_pem, "peer certificate");
  if (!cert.ok()) return absl::UnauthenticatedError(cert.status().message());
  auto cert_der = crypto::CertificateToDer(cert->get());
  if (!cert_der.ok())
    return absl::UnauthenticatedError(cert_der.status().message());
  return Verify(cert->get(), *cert_der, now);
}

absl::StatusOr<Principal> TrustStore::AuthenticateDer(
    absl::string_view cert_der, absl::Time now) const {
  auto cert = crypto::CertificateFromDer(cert_der, "certificate");
  if (!cert.ok()) return absl::UnauthenticatedError(cert.status().message());
  return Verify(cert->get(), cert_der, now);
}

absl::StatusOr<Principal> TrustStore::Verify(X509* cert,
                                             absl::string_view cert_der,
                                             absl::Time now) const {
  const std::string digest = crypto::Sha256(cert_der);
  {
    absl::MutexLock lock(&cache_mu_);
    auto it = cache_.find(digest);
    if (it != cache_.end() && it->second.not_before <= now &&
        now < it->second.not_after) {
      return it->second.principal;
    }
  }

  Principal principal;
  for (auto [nid, out] :
       {std::pair{NID_organizationName, &principal.agency},
        std::pair{NID_organizationalUnitName, &principal.role},
        std::pair{NID_commonName, &principal.user}}) {
    auto value = SubjectAttribute(cert, nid);
    if (!value.ok())
      return absl::UnauthenticatedError(value.status().message());
    *out = *std::move(value);
  }
  auto anchor_it = anchors_.find(principal.agency);
  if (anchor_it == anchors_.end()) {
    return absl::UnauthenticatedError(absl::StrCat(
        "certificate subject O: ", principal.agency, " is not a known agency"));
  }
  const AgencyAnchor& anchor = *anchor_it->second;

  crypto::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (ctx == nullptr ||
      X509_STORE_CTX_init(ctx.get(), anchor.store.get(), cert, nullptr) != 1) {
    return absl::InternalError("cannot initialise certificate verification");
  }
  X509_STORE_CTX_set_time(ctx.get(), 0, absl::ToTimeT(now));
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_CLIENT);
  if (X509_verify_cert(ctx.get()) != 1) {
    return absl::UnauthenticatedError(
        VerifyErrorText(X509_STORE_CTX_get_error(ctx.get()), anchor.code));
  }
  // OpenSSL's client purpose accepts a certificate without any extended key
  // usage; we require clientAuth to be named.
  if ((X509_get_extension_flags(cert) & EXFLAG_XKUSAGE) == 0 ||
      (X509_get_extended_key_usage(cert) & XKU_SSL_CLIENT) == 0) {
    return absl::UnauthenticatedError(
        "certificate extended key usage: does not name TLS client "
        "authentication");
  }
  bool has_role = false;
  for (const auto& role : anchor.roles) has_role |= role == principal.role;
  if (!has_role) {
    return absl::UnauthenticatedError(
        absl::StrCat("certificate subject OU: agency ", anchor.code,
                     " has no role ", principal.role));
  }
  principal.cert_der = std::string(cert_der);
  auto verifier = crypto::Verifier::FromCertificateDer(cert_der);
  if (!verifier.ok()) {
    return absl::UnauthenticatedError(
        absl::StrCat("certificate key: ", verifier.status().message()));
  }
  principal.verifier = *std::move(verifier);

  absl::MutexLock lock(&cache_mu_);
  if (cache_.size() >= kMaxCachedPrincipals) cache_.clear();
  cache_[digest] =
      CachedPrincipal{principal, TimeFromAsn1(X509_get0_notBefore(cert)),
                      TimeFromAsn1(X509_get0_notAfter(cert))};
  return principal;
}

}  // namespace gw::identity
