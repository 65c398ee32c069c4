// gateway/delivery/delivery_watchers.h
//
// DeliveryWatchers tells the WatchDeliveries streams of an alert about each
// change of one of its deliveries (queued, sent, acknowledged with the
// partner's receipt, retrying with the next attempt time, failed with the
// reason, cancelled). The delivery engine calls Publish() once the change is
// durable (SENT, which is not stored, when the attempt starts); each
// subscriber's callback runs on the publishing thread and must not block (a
// stream reactor queues the event and returns).
//
// Guarantees: after Unsubscribe(id) returns, that callback is not running
// and will not run again. Events of one delivery arrive in the order they
// happened.
// Thread safety: all methods may be called concurrently.
#ifndef GW_DELIVERY_DELIVERY_WATCHERS_H_
#define GW_DELIVERY_DELIVERY_WATCHERS_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "gw/v1/alert.pb.h"

namespace gw::delivery {

class DeliveryWatchers {
 public:
  using Callback = std::function<void(const gw::v1::DeliveryEvent&)>;

  // Returns an id for Unsubscribe.
  uint64_t Subscribe(absl::string_view alert_id, Callback callback);
  void Unsubscribe(uint64_t id);
  void Publish(const gw::v1::DeliveryEvent& event);

 private:
  struct Subscriber {
    std::string alert_id;
    Callback callback;
  };
  // Held while callbacks run, so Unsubscribe waits for a running callback.
  absl::Mutex mu_;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  absl::flat_hash_map<uint64_t, Subscriber> subscribers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gw::delivery

#endif  // GW_DELIVERY_DELIVERY_WATCHERS_H_
