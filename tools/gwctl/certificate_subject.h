// tools/gwctl/certificate_subject.h
//
// The identity a client certificate names (CONTRACT.md §2): subject O is the
// agency code, OU the role, CN the user id. gwctl uses it to fill
// CaseAlert.origin_agency / originator and CaseStatus.owner_agency /
// updated_by with exactly what the gateway will read from the TLS peer.
//
// Errors: INVALID_ARGUMENT "<field>: ..." when the input is not one DER/PEM
// certificate, or when its subject lacks O or CN (OU may be empty), <field>
// being the caller's name for the input (a file path, "cert_der").
// Thread safety: pure functions.
#ifndef GW_TOOLS_GWCTL_CERTIFICATE_SUBJECT_H_
#define GW_TOOLS_GWCTL_CERTIFICATE_SUBJECT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gw::gwctl {

struct CertificateSubject {
  std::string agency;  // O
  std::string role;    // OU ("" if absent)
  std::string user;    // CN
};

[[nodiscard]] absl::StatusOr<CertificateSubject> CertificateSubjectFromDer(
    absl::string_view der, absl::string_view field);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_CERTIFICATE_SUBJECT_H_
