// gateway/policy/policy_version.h
//
// Internal to gw_policy. PolicyVersion is the version string the audit log
// records for a policy set: the lowercase hex SHA-256 (OpenSSL EVP) over, for
// each file in load order, "<name>\n<length in decimal>\n<bytes>". The same
// files under the same names give the same version on every machine; any
// change to a name, a byte or the order changes it.
// Errors: INTERNAL if OpenSSL cannot compute the digest.
// Thread safety: pure function, safe from any thread.
#ifndef GW_POLICY_POLICY_VERSION_H_
#define GW_POLICY_POLICY_VERSION_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace gw::policy::internal {

// `files` holds (name, content) pairs in load order.
[[nodiscard]] absl::StatusOr<std::string> PolicyVersion(
    const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace gw::policy::internal

#endif  // GW_POLICY_POLICY_VERSION_H_
