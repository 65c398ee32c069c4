// gateway/api/delivery_watch_reactor.h
//
// DeliveryWatchReactor serves one AlertService.WatchDeliveries stream
// (CONTRACT.md §4): it admits the caller, sends the current state of every
// delivery of the alert (one DeliveryEvent each, in the record's recipient
// order), then every change the delivery engine publishes, until the caller
// cancels or the server shuts down. Only the alert's origin agency may
// watch: an alert that does not exist, or that the caller's agency did not
// send (a recipient's released copy included), is NOT_FOUND, audited, and
// answered exactly as for an unknown id.
//
// Guarantees:
//  * It subscribes before it reads the alert, so no change is lost between
//    the read and the subscription; changes that arrive meanwhile are held
//    until the caller is known to be the origin agency, and never written
//    to anyone else.
//  * Per recipient, no event is sent twice and none is older than one
//    already sent (an event is dropped when its updated_at is earlier than
//    the last sent one, or when it repeats it: same time, state, message id
//    and attempts). Events of one recipient keep the engine's order.
//  * One write is in flight at a time. The queue is bounded: past
//    kMaxQueuedEvents, queued events are coalesced to the newest one per
//    recipient (a slow reader sees the latest state of each delivery rather
//    than every step; GetAlert has the rest).
// Lifetime: deletes itself in OnDone, after unsubscribing.
#ifndef GW_API_DELIVERY_WATCH_REACTOR_H_
#define GW_API_DELIVERY_WATCH_REACTOR_H_

#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>

#include "absl/synchronization/mutex.h"
#include "gateway/api/gatekeeper.h"
#include "gateway/delivery/delivery_watchers.h"
#include "gateway/workflow/queries.h"
#include "gw/v1/alert.pb.h"

namespace gw::api {

class DeliveryWatchReactor final
    : public grpc::ServerWriteReactor<gw::v1::DeliveryEvent> {
 public:
  static constexpr size_t kMaxQueuedEvents = 64;

  DeliveryWatchReactor(grpc::CallbackServerContext* context,
                       const gw::v1::WatchDeliveriesRequest& request,
                       const Gatekeeper* gate, const workflow::Queries* queries,
                       delivery::DeliveryWatchers* watchers);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  // From the subscription: held until the snapshot is sent, then queued.
  void Offer(const gw::v1::DeliveryEvent& event);
  // Queues `event` unless it is not newer than what is known for its
  // recipient; coalesces when the queue is full.
  void EnqueueLocked(gw::v1::DeliveryEvent event)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void CoalesceLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void StartNextWriteLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Marks the stream finished; true if the caller must now call Finish()
  // (outside mu_: once finished, OnDone may delete this at any moment).
  bool FinishLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Finishes with `status` unless already finished.
  void FinishOnce(const grpc::Status& status) ABSL_LOCKS_EXCLUDED(mu_);

  identity::Principal caller_;
  std::string alert_id_;
  delivery::DeliveryWatchers* const watchers_;  // not owned
  uint64_t subscription_ = 0;

  absl::Mutex mu_;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  // A refusal is being audited; its callback finishes the stream, so a
  // cancellation meanwhile must not (this must outlive that callback).
  bool refusal_pending_ ABSL_GUARDED_BY(mu_) = false;
  // True once the caller is known to be the origin agency and the snapshot
  // is queued; until then, published events wait in held_.
  bool ready_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  std::deque<gw::v1::DeliveryEvent> held_ ABSL_GUARDED_BY(mu_);
  std::deque<gw::v1::DeliveryEvent> queue_ ABSL_GUARDED_BY(mu_);
  // The newest delivery queued or sent, per recipient.
  std::map<std::string, gw::v1::Delivery> newest_ ABSL_GUARDED_BY(mu_);
  gw::v1::DeliveryEvent in_flight_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gw::api

#endif  // GW_API_DELIVERY_WATCH_REACTOR_H_
