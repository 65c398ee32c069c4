// gateway/policy/policy.h
//
// Policy is the validated, immutable policy set loaded from policies/
// (gw.policy.v1.PolicySet in protobuf text format, every *.textproto file of
// the directory merged in file-name order). It answers the questions the
// gateway asks on every call; deny by default.
//
// Guarantees once Load() succeeded:
//  * agency codes are unique and well formed ("AA-AAA", upper case), each
//    agency has at least one role and a trust anchor;
//  * every rpc_rules.rpc names a method of a gw.v1 service, every role and
//    agency it names is defined;
//  * every alert_routes.recipient is a known PARTNER agency with kinds;
//  * limits are all set (defaults filled in where absent).
// version() is the lowercase hex SHA-256 over the files (name and bytes, in
// load order): the same files give the same version on every machine.
// Thread safety: immutable; share it as std::shared_ptr<const Policy>.
#ifndef GW_POLICY_POLICY_H_
#define GW_POLICY_POLICY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gw/policy/v1/policy.pb.h"
#include "gw/v1/alert.pb.h"

namespace gw::policy {

// The outcome of a policy question, with the reason for the audit log.
struct Decision {
  bool allowed = false;
  // Which rule allowed, or why denied, e.g.
  // "rpc_rules[gw.v1.AlertService/SendAlert]: role liaison not listed".
  std::string reason;
};

class Policy {
 public:
  // Loads and validates every *.textproto in `dir`.
  // Errors: NOT_FOUND if `dir` has no *.textproto; INVALID_ARGUMENT with
  // "FILE:LINE:COL: message" for a syntax error, and "FILE: agencies[3].code:
  // ..." style messages for semantic errors (every error found, one per
  // line, not just the first).
  [[nodiscard]] static absl::StatusOr<std::shared_ptr<const Policy>> Load(
      const std::string& dir);
  // As Load, from in-memory files (name, content); for tests and tools.
  [[nodiscard]] static absl::StatusOr<std::shared_ptr<const Policy>>
  FromFiles(const std::vector<std::pair<std::string, std::string>>& files);

  const gw::policy::v1::PolicySet& proto() const { return set_; }
  const std::string& version() const { return version_; }
  const gw::policy::v1::Limits& limits() const { return set_.limits(); }

  // nullptr if `code` is not a known agency.
  const gw::policy::v1::Agency* FindAgency(absl::string_view code) const;

  // May a caller of `agency` with `role` invoke `rpc`
  // ("gw.v1.AlertService/SendAlert")? Denied if no rule lists the role (and
  // agency, when the rule restricts agencies), or the agency does not have
  // the role.
  Decision MayCall(absl::string_view agency, absl::string_view role,
                   absl::string_view rpc) const;

  // May `recipient` receive alerts of `kind`? Denied for unknown agencies
  // (callers check FindAgency first to answer INVALID_ARGUMENT) and for
  // agencies with no route for the kind.
  Decision MayReceiveAlert(absl::string_view recipient,
                           gw::v1::CaseAlert::Kind kind) const;

 private:
  Policy(gw::policy::v1::PolicySet set, std::string version);

  gw::policy::v1::PolicySet set_;
  std::string version_;
  absl::flat_hash_map<std::string, const gw::policy::v1::Agency*> agencies_;
};

}  // namespace gw::policy

#endif  // GW_POLICY_POLICY_H_
