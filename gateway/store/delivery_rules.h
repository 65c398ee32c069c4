// gateway/store/delivery_rules.h
//
// The checks every Store implementation applies to an UpdateDelivery
// (store.h), in one place so the embedded and the test stores cannot drift
// apart: the required fields, and the table of state changes, so that a
// late write of the delivery engine cannot undo an operator's decision.
// Thread safety: pure functions.
#ifndef GW_STORE_DELIVERY_RULES_H_
#define GW_STORE_DELIVERY_RULES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gateway/store/store.h"
#include "gw/v1/alert.pb.h"

namespace gw::store {

// INVALID_ARGUMENT naming the first missing field of `op`.
inline absl::Status ValidateUpdateDelivery(const UpdateDelivery& op) {
  if (op.message_id.empty()) {
    return absl::InvalidArgumentError("message_id: required");
  }
  if (op.delivery.message_id().empty()) {
    return absl::InvalidArgumentError("delivery.message_id: required");
  }
  if (op.delivery.state() == gw::v1::Delivery::STATE_UNSPECIFIED) {
    return absl::InvalidArgumentError("delivery.state: required");
  }
  return absl::OkStatus();
}

inline std::string DeliveryStateName(gw::v1::Delivery::State state) {
  const std::string& name = gw::v1::Delivery::State_Name(state);
  return name.empty() ? absl::StrCat(static_cast<int>(state)) : name;
}

// OK if store.h's table allows `from` -> `to`; FAILED_PRECONDITION naming
// both states otherwise.
inline absl::Status CheckDeliveryStateChange(gw::v1::Delivery::State from,
                                             gw::v1::Delivery::State to) {
  using gw::v1::Delivery;
  absl::string_view allowed;
  switch (from) {
    case Delivery::ACKNOWLEDGED:
      return absl::FailedPreconditionError(
          absl::StrCat("delivery.state: the delivery is ACKNOWLEDGED, which "
                       "is final; it cannot become ",
                       DeliveryStateName(to)));
    case Delivery::CANCELLED:
      if (to == Delivery::QUEUED) return absl::OkStatus();
      allowed = "only QUEUED, when an operator re-queues it";
      break;
    case Delivery::FAILED:
      if (to == Delivery::QUEUED || to == Delivery::CANCELLED) {
        return absl::OkStatus();
      }
      allowed = "only QUEUED or CANCELLED, by an operator";
      break;
    default:
      return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "delivery.state: the delivery is ", DeliveryStateName(from),
      " and cannot become ", DeliveryStateName(to), " (", allowed, ")"));
}

}  // namespace gw::store

#endif  // GW_STORE_DELIVERY_RULES_H_
