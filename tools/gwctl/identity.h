// tools/gwctl/identity.h
//
// Who gwctl speaks as, and whom it trusts (CONTRACT.md §2, mutual TLS):
//  * the user's certificate and key: --cert/--key, or
//    <pki>/<AGENCY>/<ROLE>/<USER>.crt|.key for --as AGENCY/ROLE/USER
//    (the layout certs/make-dev-pki writes);
//  * the gateway's CA: --ca, or <pki>/<server agency>/ca.crt.
// The same key signs the envelopes gwctl sends (CONTRACT.md §3).
//
// Errors (messages fit to print after "gwctl: "):
//  IdentityFilesFor  INVALID_ARGUMENT  --as is not AGENCY/ROLE/USER, or
//                                      only one of --cert and --key
//  LoadIdentity / LoadCaCertificate
//                    NOT_FOUND, PERMISSION_DENIED, UNAVAILABLE  a file
//                      cannot be read ("cannot read your certificate PATH
//                      (no such file)")
//                    INVALID_ARGUMENT  not a usable PEM certificate / key,
//                      key and certificate do not match, subject lacks O/CN
// IdentitySentence turns any of these into gwctl's one-sentence advice.
// Thread safety: pure functions over the file system.
#ifndef GW_TOOLS_GWCTL_IDENTITY_H_
#define GW_TOOLS_GWCTL_IDENTITY_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gateway/crypto/signer.h"
#include "tools/gwctl/certificate_subject.h"
#include "tools/gwctl/command_line.h"

namespace gw::gwctl {

struct IdentityFiles {
  std::string cert_path;
  std::string key_path;
  std::string ca_path;
};

[[nodiscard]] absl::StatusOr<IdentityFiles> IdentityFilesFor(
    const GlobalOptions& global);

struct Identity {
  std::unique_ptr<crypto::Signer> signer;  // owned; never null when loaded
  CertificateSubject subject;              // from the certificate itself
  std::string cert_pem;                    // for the TLS client credentials
  std::string key_pem;
};

[[nodiscard]] absl::StatusOr<Identity> LoadIdentity(const IdentityFiles& files);

// The PEM text of the CA certificate that must have issued the gateway's.
[[nodiscard]] absl::StatusOr<std::string> LoadCaCertificate(
    const IdentityFiles& files);

// "gwctl: <problem>: <what to do next>." for a LoadIdentity /
// LoadCaCertificate failure.
std::string IdentitySentence(const absl::Status& status,
                             const GlobalOptions& global);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_IDENTITY_H_
