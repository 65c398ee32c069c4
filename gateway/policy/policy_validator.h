// gateway/policy/policy_validator.h
//
// Internal to gw_policy. The semantic checks behind the guarantees listed in
// policy.h, run on the merged set once every file parsed.
//
// Every error found is returned (not just the first), each as
// "FILE: field.path: reason", where FILE and the element index come from the
// element's origin (policy_parser.h), e.g.
//   agencies.textproto: agencies[2].code: "TH_RTP" is not an agency code
//   (want AA-AAA, upper case)
// Values from the files are quoted and escaped; they are codes, roles and
// method names, never personal data.
// Thread safety: pure functions, safe from any thread.
#ifndef GW_POLICY_POLICY_VALIDATOR_H_
#define GW_POLICY_POLICY_VALIDATOR_H_

#include <string>
#include <vector>

#include "gateway/policy/policy_parser.h"
#include "gw/policy/v1/policy.pb.h"

namespace gw::policy::internal {

// Sets every limit that is 0 to its kDefault* value (policy.h).
void FillDefaultLimits(gw::policy::v1::Limits* limits);

// REQUIRES: FillDefaultLimits(parsed.set.mutable_limits()) was called.
// Returns the errors in `parsed`; empty if it is valid.
std::vector<std::string> ValidatePolicySet(const ParsedPolicySet& parsed);

}  // namespace gw::policy::internal

#endif  // GW_POLICY_POLICY_VALIDATOR_H_
