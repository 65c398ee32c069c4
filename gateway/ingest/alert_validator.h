// gateway/ingest/alert_validator.h
//
// ValidateCaseAlert checks every field of a CaseAlert payload that does not
// depend on who sent it or on policy decisions: required fields, enums,
// partial dates, ISO codes, sizes against the policy limits, attachment
// digests, known recipient agencies.
//
// Errors: INVALID_ARGUMENT "payload.<field path>: <expected>" for the first
// problem found, in field order. Never includes a personal value.
// Thread safety: pure function.
#ifndef GW_INGEST_ALERT_VALIDATOR_H_
#define GW_INGEST_ALERT_VALIDATOR_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gateway/policy/policy.h"
#include "gw/v1/alert.pb.h"

namespace gw::ingest {

[[nodiscard]] absl::Status ValidateCaseAlert(const gw::v1::CaseAlert& alert,
                                             const policy::Policy& policy,
                                             absl::Time now);

// Checks one Person at `path` (e.g. "payload.subjects[0].person").
[[nodiscard]] absl::Status ValidatePerson(const std::string& path,
                                          const gw::v1::Person& person,
                                          const policy::Policy& policy,
                                          absl::Time now);

}  // namespace gw::ingest

#endif  // GW_INGEST_ALERT_VALIDATOR_H_
