// gateway/policy/policy.h
//
// Policy is the validated, immutable policy set loaded from policies/
// (gw.policy.v1.PolicySet in protobuf text format, every *.textproto file of
// the directory merged in file-name order). It answers the questions the
// gateway asks on every call; deny by default.
//
// Loading: every *.textproto (names starting with '.' are skipped) is parsed
// on its own with TextFormat (unknown fields are errors), then the files are
// merged (MergeFrom) in byte order of their names. Element indexes in error
// messages (agencies[2]) count within the file named at the start of the
// message, so they can be found in that file. label and limits may each be
// set in one file only. A limit left at 0 gets its default (kDefault*
// below).
//
// Guarantees once Load() succeeded:
//  * agency codes are unique and well formed ("AA-AAA", upper case), each
//    agency has at least one role and a trust anchor;
//  * every rpc_rules.rpc names a method of a gw.v1 service, every role and
//    agency it names is defined;
//  * every alert_routes.recipient is a known PARTNER agency with kinds, and
//    has one route at most; every rpc has one rule at most;
//  * limits are all set (defaults filled in where absent).
// version() is the lowercase hex SHA-256 over the files (name and bytes, in
// load order): the same files give the same version on every machine.
// Thread safety: immutable; share it as std::shared_ptr<const Policy>.
#ifndef GW_POLICY_POLICY_H_
#define GW_POLICY_POLICY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gw/policy/v1/policy.pb.h"
#include "gw/v1/alert.pb.h"

namespace gw::policy {

// Values for limits left at 0 (absent) in policies/.
inline constexpr uint32_t kDefaultMaxMessageBytes = 4u << 20;     // 4 MiB
inline constexpr uint32_t kDefaultMaxAttachmentBytes = 2u << 20;  // 2 MiB
inline constexpr uint32_t kDefaultMaxAttachments = 8;
inline constexpr uint32_t kDefaultMaxSubjects = 50;
inline constexpr uint32_t kDefaultMaxRecipients = 10;
inline constexpr uint32_t kDefaultMaxTextBytes = 16384;

// The outcome of a policy question, with the reason for the audit log.
struct Decision {
  bool allowed = false;
  // Which rule allowed, or why denied, e.g.
  // "allowed by rpc_rules[gw.v1.AlertService/SendAlert]",
  // "denied: no rule lets role liaison call gw.v1.AlertService/SendAlert".
  std::string reason;
};

class Policy {
 public:
  // Loads and validates every *.textproto in `dir`. FILE in messages is the
  // file's name without the directory.
  // Errors: NOT_FOUND if `dir` does not exist or has no *.textproto;
  // FAILED_PRECONDITION if it or a file cannot be read; INVALID_ARGUMENT with
  // "FILE:LINE:COL: message" (1-based) for syntax errors and unknown fields,
  // and "FILE: agencies[3].code: ..." style messages for semantic errors
  // (every error found, one per line, not just the first; a file stops at
  // its first syntax error, and semantic checks run only when every file
  // parsed).
  [[nodiscard]] static absl::StatusOr<std::shared_ptr<const Policy>> Load(
      const std::string& dir);
  // As Load, from in-memory files (name, content), sorted by name here; for
  // tests and tools. NOT_FOUND if `files` is empty; INVALID_ARGUMENT if two
  // have the same name.
  [[nodiscard]] static absl::StatusOr<std::shared_ptr<const Policy>> FromFiles(
      const std::vector<std::pair<std::string, std::string>>& files);

  Policy(const Policy&) = delete;
  Policy& operator=(const Policy&) = delete;

  const gw::policy::v1::PolicySet& proto() const { return set_; }
  const std::string& version() const { return version_; }
  const gw::policy::v1::Limits& limits() const { return set_.limits(); }

  // nullptr if `code` is not a known agency.
  const gw::policy::v1::Agency* FindAgency(absl::string_view code) const;

  // May a caller of `agency` with `role` invoke `rpc`
  // ("gw.v1.AlertService/SendAlert")? Denied if no rule lists the role (and
  // agency, when the rule restricts agencies), or the agency does not have
  // the role. Runs on every RPC: two hash look-ups and short list scans.
  // Caller-supplied values are escaped and truncated in the reason.
  Decision MayCall(absl::string_view agency, absl::string_view role,
                   absl::string_view rpc) const;

  // May `recipient` receive alerts of `kind`? Denied for unknown agencies
  // (callers check FindAgency first to answer INVALID_ARGUMENT) and for
  // agencies with no route for the kind.
  Decision MayReceiveAlert(absl::string_view recipient,
                           gw::v1::CaseAlert::Kind kind) const;

 private:
  // One rpc_rules entry, ready for MayCall.
  struct CompiledRpcRule {
    const gw::policy::v1::RpcRule* rule;  // not owned, points into set_
    std::string allowed_reason;           // "allowed by rpc_rules[RPC]"
  };

  // REQUIRES: `set` passed validation and has its default limits filled in.
  Policy(gw::policy::v1::PolicySet set, std::string version);

  gw::policy::v1::PolicySet set_;
  std::string version_;
  // Keyed by code; the values point into set_.
  absl::flat_hash_map<std::string, const gw::policy::v1::Agency*> agencies_;
  // Keyed by rpc ("gw.v1.AlertService/SendAlert").
  absl::flat_hash_map<std::string, CompiledRpcRule> rpc_rules_;
  // Keyed by recipient; bit k set if the route lists CaseAlert::Kind k.
  absl::flat_hash_map<std::string, uint64_t> alert_kinds_;
};

}  // namespace gw::policy

#endif  // GW_POLICY_POLICY_H_
