// gateway/delivery/delivery_watchers.cc
//
// Implements delivery_watchers.h. One mutex guards the subscriber map and is
// held while callbacks run: that is what makes Unsubscribe() wait for a
// running callback, and what keeps the events of one delivery (published
// one after the other by the delivery engine) in order for every
// subscriber. Callbacks must therefore not block and must not call back
// into this object.
#include "gateway/delivery/delivery_watchers.h"

#include <utility>

namespace gw::delivery {

uint64_t DeliveryWatchers::Subscribe(absl::string_view alert_id,
                                     Callback callback) {
  absl::MutexLock lock(&mu_);
  const uint64_t id = next_id_++;
  subscribers_.emplace(id,
                       Subscriber{std::string(alert_id), std::move(callback)});
  return id;
}

void DeliveryWatchers::Unsubscribe(uint64_t id) {
  absl::MutexLock lock(&mu_);
  subscribers_.erase(id);
}

void DeliveryWatchers::Publish(const gw::v1::DeliveryEvent& event) {
  absl::MutexLock lock(&mu_);
  for (auto& [id, subscriber] : subscribers_) {
    if (subscriber.alert_id == event.alert_id()) subscriber.callback(event);
  }
}

}  // namespace gw::delivery
