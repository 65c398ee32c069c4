// gateway/delivery/delivery_operations.h
//
// What operators may do to a delivery (DeliveryService, `gwctl delivery
// retry|cancel`), as an interface so the service can be tested without a
// running delivery engine. The Dispatcher implements it.
//
// Retry(message_id):
//  * QUEUED or RETRYING: the next attempt is made now (backoff and an open
//    circuit breaker are skipped once); same message id, same bytes.
//  * FAILED (dead letter): queued again under a NEW message id
//    (partners/README.md §2.4: the partner refused those bytes under the old
//    id), attempts reset; both ids are in the audit entry.
//  * CANCELLED: queued again under the SAME message id (an attempt before
//    the cancellation may have reached the partner, which then
//    deduplicates).
//  * ACKNOWLEDGED: FAILED_PRECONDITION "... already acknowledged ...".
//  * SENT (an attempt in flight), or another operator change to it still
//    being recorded: FAILED_PRECONDITION.
// Cancel(message_id, reason):
//  * QUEUED, RETRYING, FAILED: CANCELLED; the operator's reason is kept
//    with the delivery (not in the audit log: it may hold personal data);
//    the next message of the same case to that partner may then go.
//  * ACKNOWLEDGED or already CANCELLED: FAILED_PRECONDITION.
//  * SENT: FAILED_PRECONDITION (try again when the attempt has ended).
// Both: NOT_FOUND for an unknown message id; each success is audited with
// the operator as actor (action "DeliveryService.RetryDelivery" /
// "DeliveryService.CancelDelivery") and published to WatchDeliveries;
// `done` runs exactly once, on any thread, after the change is durable.
#ifndef GW_DELIVERY_DELIVERY_OPERATIONS_H_
#define GW_DELIVERY_DELIVERY_OPERATIONS_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "gateway/identity/principal.h"
#include "gateway/store/store.h"

namespace gw::delivery {

class DeliveryOperations {
 public:
  using Done = std::function<void(absl::StatusOr<store::DeliveryRow>)>;

  virtual ~DeliveryOperations() = default;
  virtual void Retry(const identity::Principal& actor,
                     const std::string& message_id, Done done) = 0;
  virtual void Cancel(const identity::Principal& actor,
                      const std::string& message_id, const std::string& reason,
                      Done done) = 0;
};

}  // namespace gw::delivery

#endif  // GW_DELIVERY_DELIVERY_OPERATIONS_H_
