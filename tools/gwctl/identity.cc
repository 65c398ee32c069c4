// tools/gwctl/identity.cc
#include "tools/gwctl/identity.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/util/file.h"
#include "gateway/util/status_macros.h"

namespace gw::gwctl {
namespace {

// `path` read whole, or an error that says which file (`what`) and why.
absl::StatusOr<std::string> ReadNamedFile(absl::string_view what,
                                          const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    const int err = errno;
    const std::string message =
        absl::StrCat("cannot read ", what, " ", path, " (",
                     err == ENOENT ? "no such file" : std::strerror(err), ")");
    if (err == ENOENT || err == ENOTDIR) return absl::NotFoundError(message);
    if (err == EACCES) return absl::PermissionDeniedError(message);
    return absl::UnavailableError(message);
  }
  if (S_ISDIR(info.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read ", what, " ", path, " (it is a directory)"));
  }
  absl::StatusOr<std::string> text = util::ReadFile(path);
  if (!text.ok()) {
    return absl::Status(
        text.status().code(),
        absl::StrCat("cannot read ", what, " ", text.status().message()));
  }
  return text;
}

}  // namespace

absl::StatusOr<IdentityFiles> IdentityFilesFor(const GlobalOptions& global) {
  IdentityFiles files;
  if (global.cert_path.empty() != global.key_path.empty()) {
    return absl::InvalidArgumentError(
        "--cert and --key go together: pass both, or neither and use --as "
        "AGENCY/ROLE/USER");
  }
  if (!global.cert_path.empty()) {
    files.cert_path = global.cert_path;
    files.key_path = global.key_path;
  } else {
    const std::vector<std::string> parts = absl::StrSplit(global.identity, '/');
    if (parts.size() != 3 || parts[0].empty() || parts[1].empty() ||
        parts[2].empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--as ", global.identity,
                       " is not AGENCY/ROLE/USER: pass e.g. --as "
                       "CN-MPS/investigator/investigator1"));
    }
    const std::string base = absl::StrCat(global.pki_dir, "/", parts[0], "/",
                                          parts[1], "/", parts[2]);
    files.cert_path = base + ".crt";
    files.key_path = base + ".key";
  }
  files.ca_path =
      global.ca_path.empty()
          ? absl::StrCat(global.pki_dir, "/", global.server_agency, "/ca.crt")
          : global.ca_path;
  return files;
}

absl::StatusOr<Identity> LoadIdentity(const IdentityFiles& files) {
  Identity identity;
  GW_ASSIGN_OR_RETURN(identity.cert_pem,
                      ReadNamedFile("your certificate", files.cert_path));
  GW_ASSIGN_OR_RETURN(identity.key_pem,
                      ReadNamedFile("your private key", files.key_path));
  absl::StatusOr<std::unique_ptr<crypto::Signer>> signer =
      crypto::Signer::FromPemFiles(files.key_path, files.cert_path);
  if (!signer.ok()) {
    return absl::Status(signer.status().code(),
                        absl::StrCat("cannot use your certificate and key: ",
                                     signer.status().message()));
  }
  identity.signer = *std::move(signer);
  absl::StatusOr<CertificateSubject> subject =
      CertificateSubjectFromDer(identity.signer->cert_der(), files.cert_path);
  if (!subject.ok()) {
    return absl::Status(subject.status().code(),
                        absl::StrCat("cannot use your certificate: ",
                                     subject.status().message()));
  }
  identity.subject = *std::move(subject);
  return identity;
}

absl::StatusOr<std::string> LoadCaCertificate(const IdentityFiles& files) {
  return ReadNamedFile("the gateway's CA certificate", files.ca_path);
}

std::string IdentitySentence(const absl::Status& status,
                             const GlobalOptions& global) {
  std::string advice;
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      advice = absl::StrCat(
          "create the development PKI with certs/make-dev-pki ", global.pki_dir,
          ", or choose the files with --pki DIR, --as AGENCY/ROLE/USER, "
          "--server-agency AGENCY or --cert FILE --key FILE");
      break;
    case absl::StatusCode::kPermissionDenied:
      advice = "make the file readable by you (keys: chmod 600, owned by you)";
      break;
    default:
      advice =
          "pass a PEM certificate whose subject has O (agency), OU (role) and "
          "CN (user), with its matching unencrypted Ed25519 or P-256 key";
      break;
  }
  return absl::StrCat("gwctl: ", status.message(), ": ", advice, ".");
}

}  // namespace gw::gwctl
