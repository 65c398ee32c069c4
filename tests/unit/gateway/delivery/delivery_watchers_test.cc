// Tests of DeliveryWatchers (gateway/delivery/delivery_watchers.h): each
// WatchDeliveries stream hears exactly the events of its alert, in the
// order they were published, and nothing after it unsubscribed.
#include "gateway/delivery/delivery_watchers.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::delivery {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

gw::v1::DeliveryEvent Event(const std::string& alert_id,
                            const std::string& recipient,
                            gw::v1::Delivery::State state) {
  gw::v1::DeliveryEvent event;
  event.set_alert_id(alert_id);
  event.mutable_delivery()->set_recipient(recipient);
  event.mutable_delivery()->set_state(state);
  return event;
}

// What one subscriber heard, as "ALERT/RECIPIENT/STATE".
class Recorder {
 public:
  DeliveryWatchers::Callback Callback() {
    return [this](const gw::v1::DeliveryEvent& e) {
      absl::MutexLock lock(&mu_);
      heard_.push_back(e.alert_id() + "/" + e.delivery().recipient() + "/" +
                       gw::v1::Delivery::State_Name(e.delivery().state()));
    };
  }
  std::vector<std::string> heard() {
    absl::MutexLock lock(&mu_);
    return heard_;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> heard_ ABSL_GUARDED_BY(mu_);
};

TEST(DeliveryWatchersTest, SubscribersHearOnlyTheirAlertInOrder) {
  DeliveryWatchers watchers;
  Recorder a1;
  Recorder a1_again;
  Recorder a2;
  watchers.Subscribe("A-1", a1.Callback());
  watchers.Subscribe("A-1", a1_again.Callback());
  watchers.Subscribe("A-2", a2.Callback());

  watchers.Publish(Event("A-1", "TH-RTP", gw::v1::Delivery::SENT));
  watchers.Publish(Event("A-2", "VN-MPS", gw::v1::Delivery::RETRYING));
  watchers.Publish(Event("A-1", "TH-RTP", gw::v1::Delivery::ACKNOWLEDGED));
  watchers.Publish(Event("A-3", "TH-RTP", gw::v1::Delivery::FAILED));

  EXPECT_THAT(a1.heard(),
              ElementsAre("A-1/TH-RTP/SENT", "A-1/TH-RTP/ACKNOWLEDGED"));
  EXPECT_EQ(a1_again.heard(), a1.heard());
  EXPECT_THAT(a2.heard(), ElementsAre("A-2/VN-MPS/RETRYING"));
}

TEST(DeliveryWatchersTest, AlertIdsMatchExactly) {
  DeliveryWatchers watchers;
  Recorder prefix;
  Recorder empty;
  watchers.Subscribe("A-1", prefix.Callback());
  watchers.Subscribe("", empty.Callback());
  watchers.Publish(Event("A-10", "TH-RTP", gw::v1::Delivery::SENT));
  watchers.Publish(Event("a-1", "TH-RTP", gw::v1::Delivery::SENT));
  EXPECT_THAT(prefix.heard(), IsEmpty());
  EXPECT_THAT(empty.heard(), IsEmpty());
}

TEST(DeliveryWatchersTest, NothingAfterUnsubscribe) {
  DeliveryWatchers watchers;
  Recorder gone;
  Recorder stays;
  const uint64_t id = watchers.Subscribe("A-1", gone.Callback());
  const uint64_t other = watchers.Subscribe("A-1", stays.Callback());
  EXPECT_NE(id, other);
  watchers.Publish(Event("A-1", "TH-RTP", gw::v1::Delivery::SENT));
  watchers.Unsubscribe(id);
  watchers.Publish(Event("A-1", "TH-RTP", gw::v1::Delivery::ACKNOWLEDGED));
  watchers.Unsubscribe(id);  // twice is harmless
  watchers.Unsubscribe(12345);

  EXPECT_THAT(gone.heard(), ElementsAre("A-1/TH-RTP/SENT"));
  EXPECT_THAT(stays.heard(),
              ElementsAre("A-1/TH-RTP/SENT", "A-1/TH-RTP/ACKNOWLEDGED"));
}

// A stream reactor deletes itself right after Unsubscribe: a callback still
// running then would touch freed memory.
TEST(DeliveryWatchersTest, UnsubscribeWaitsForARunningCallback) {
  DeliveryWatchers watchers;
  absl::Notification entered;
  absl::Notification release;
  std::atomic<bool> callback_done{false};
  const uint64_t id =
      watchers.Subscribe("A-1", [&](const gw::v1::DeliveryEvent&) {
        entered.Notify();
        release.WaitForNotification();
        callback_done = true;
      });
  std::thread publisher([&] {
    watchers.Publish(Event("A-1", "TH-RTP", gw::v1::Delivery::SENT));
  });
  entered.WaitForNotification();
  std::atomic<bool> done_when_unsubscribed{false};
  std::thread unsubscriber([&] {
    watchers.Unsubscribe(id);
    done_when_unsubscribed = callback_done.load();
  });
  // Give Unsubscribe the chance to (wrongly) return early; the assertion
  // below does not depend on this pause.
  absl::SleepFor(absl::Milliseconds(20));
  release.Notify();
  unsubscriber.join();
  publisher.join();
  EXPECT_TRUE(done_when_unsubscribed);
}

TEST(DeliveryWatchersTest, ConcurrentPublishersAndSubscribers) {
  DeliveryWatchers watchers;
  Recorder steady;
  watchers.Subscribe("A-1", steady.Callback());
  constexpr int kEvents = 200;
  std::thread publisher([&] {
    for (int i = 0; i < kEvents; ++i) {
      watchers.Publish(Event(
          "A-1", "TH-RTP",
          i % 2 == 0 ? gw::v1::Delivery::SENT : gw::v1::Delivery::RETRYING));
    }
  });
  std::thread churn([&] {
    for (int i = 0; i < kEvents; ++i) {
      Recorder passing;
      watchers.Unsubscribe(watchers.Subscribe("A-1", passing.Callback()));
    }
  });
  publisher.join();
  churn.join();
  const std::vector<std::string> heard = steady.heard();
  ASSERT_EQ(heard.size(), static_cast<size_t>(kEvents));
  for (int i = 0; i < kEvents; ++i) {
    EXPECT_EQ(heard[i], i % 2 == 0 ? "A-1/TH-RTP/SENT" : "A-1/TH-RTP/RETRYING");
  }
}

}  // namespace
}  // namespace gw::delivery
