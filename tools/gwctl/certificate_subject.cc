// tools/gwctl/certificate_subject.cc
#include "tools/gwctl/certificate_subject.h"

#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "absl/strings/str_cat.h"
#include "gateway/crypto/certificate.h"
#include "gateway/util/status_macros.h"

namespace gw::gwctl {
namespace {

// The UTF-8 value of the (first) subject entry `nid`, "" if there is none.
// An entry that cannot be converted to UTF-8 counts as absent.
std::string SubjectEntry(X509_NAME* name, int nid) {
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return "";
  X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, index);
  if (entry == nullptr) return "";
  unsigned char* utf8 = nullptr;
  const int length =
      ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
  if (length < 0 || utf8 == nullptr) return "";
  std::string value(reinterpret_cast<const char*>(utf8),
                    static_cast<size_t>(length));
  OPENSSL_free(utf8);
  return value;
}

}  // namespace

absl::StatusOr<CertificateSubject> CertificateSubjectFromDer(
    absl::string_view der, absl::string_view field) {
  GW_ASSIGN_OR_RETURN(crypto::X509Ptr cert,
                      crypto::CertificateFromDer(der, field));
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (name == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": certificate has no subject"));
  }
  CertificateSubject subject;
  subject.agency = SubjectEntry(name, NID_organizationName);
  subject.role = SubjectEntry(name, NID_organizationalUnitName);
  subject.user = SubjectEntry(name, NID_commonName);
  if (subject.agency.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": certificate subject has no O (the agency code)"));
  }
  if (subject.user.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": certificate subject has no CN (the user id)"));
  }
  return subject;
}

}  // namespace gw::gwctl
