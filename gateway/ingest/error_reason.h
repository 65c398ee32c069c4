// gateway/ingest/error_reason.h
//
// A machine-readable reason carried on an absl::Status beside its code and
// message, e.g. "SIGNATURE_INVALID" or "NOT_A_RECIPIENT": the ErrorInfo
// reason that peer gateways read (partners/MM-MPF.md §8). It travels as a
// status payload, so it survives being passed through layers that only
// forward the status.
// Thread safety: pure functions.
#ifndef GW_INGEST_ERROR_REASON_H_
#define GW_INGEST_ERROR_REASON_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"

namespace gw::ingest {

inline constexpr char kErrorReasonUrl[] = "gw.v1/error-reason";

// `status` with `reason` attached (OK stays OK).
inline absl::Status WithReason(absl::Status status, absl::string_view reason) {
  if (!status.ok()) status.SetPayload(kErrorReasonUrl, absl::Cord(reason));
  return status;
}

// The attached reason, or "" if none.
inline std::string ReasonOf(const absl::Status& status) {
  auto payload = status.GetPayload(kErrorReasonUrl);
  return payload.has_value() ? std::string(*payload) : std::string();
}

}  // namespace gw::ingest

#endif  // GW_INGEST_ERROR_REASON_H_
