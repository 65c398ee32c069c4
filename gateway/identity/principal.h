// gateway/identity/principal.h
//
// Principal is who is calling: the agency, role and user id read from a
// client certificate that the TrustStore accepted (CONTRACT.md §2: subject
// O = agency, OU = role, CN = user). A Principal only exists for a caller
// whose certificate chained to its own agency's CA.
#ifndef GW_IDENTITY_PRINCIPAL_H_
#define GW_IDENTITY_PRINCIPAL_H_

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gateway/crypto/verifier.h"

namespace gw::identity {

struct Principal {
  std::string agency;
  std::string role;
  std::string user;
  // DER of the certificate the caller presented; envelopes the caller signs
  // must carry this certificate.
  std::string cert_der;
  // Verifies signatures made with the certificate's key; shared, immutable.
  std::shared_ptr<const crypto::Verifier> verifier;

  // "CN-MPS/investigator/investigator1", for logs and audit reasons.
  std::string ToString() const {
    return absl::StrCat(agency, "/", role, "/", user);
  }
};

}  // namespace gw::identity

#endif  // GW_IDENTITY_PRINCIPAL_H_
