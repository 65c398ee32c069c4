// gateway/policy/gw_v1_methods.h
//
// Internal to gw_policy. Answers whether a string names a method of a gw.v1
// service ("gw.v1.AlertService/SendAlert": full service name, '/', method
// name, no leading slash), from the descriptors compiled into the binary.
// Linking gw_policy links the generated code of every gw.v1 file that
// declares a service (alert, audit, case, receipt, repatriation).
// Thread safety: safe from any thread.
#ifndef GW_POLICY_GW_V1_METHODS_H_
#define GW_POLICY_GW_V1_METHODS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gw::policy::internal {

// OK if `rpc` names a gw.v1 method. Otherwise INVALID_ARGUMENT with
// "RPC is not a gw.v1 method (...)", the parenthesis listing the valid
// services, or the methods of the named service.
[[nodiscard]] absl::Status CheckGwV1Method(absl::string_view rpc);

}  // namespace gw::policy::internal

#endif  // GW_POLICY_GW_V1_METHODS_H_
