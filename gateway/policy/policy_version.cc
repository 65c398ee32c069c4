// gateway/policy/policy_version.cc
#include "gateway/policy/policy_version.h"

#include <openssl/evp.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace gw::policy::internal {

absl::StatusOr<std::string> PolicyVersion(
    const std::vector<std::pair<std::string, std::string>>& files) {
  std::string framed;
  for (const auto& [name, content] : files) {
    absl::StrAppend(&framed, name, "\n", content.size(), "\n", content);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_Digest(framed.data(), framed.size(), digest, &digest_len,
                 EVP_sha256(), nullptr) != 1 ||
      digest_len != 32) {
    return absl::InternalError("policy version: SHA-256 failed in OpenSSL");
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), digest_len));
}

}  // namespace gw::policy::internal
