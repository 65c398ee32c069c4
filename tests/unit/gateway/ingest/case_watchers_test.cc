// Tests of CaseWatchers (gateway/ingest/case_watchers.h): who receives a
// published case change, and that Unsubscribe stops delivery.
#include "gateway/ingest/case_watchers.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

gw::v1::CaseStatus Status(const std::string& case_ref,
                          gw::v1::CaseStatus::State state) {
  gw::v1::CaseStatus status;
  status.set_case_ref(case_ref);
  status.set_owner_agency("CN-MPS");
  status.set_state(state);
  return status;
}

// Records the states one subscriber saw.
struct Seen {
  std::vector<gw::v1::CaseStatus::State> states;
  CaseWatchers::Callback Callback() {
    return [this](const gw::v1::CaseStatus& s) { states.push_back(s.state()); };
  }
};

TEST(CaseWatchersTest, PublishReachesOnlySubscribersOfThatCase) {
  CaseWatchers watchers;
  Seen a, b, other;
  watchers.Subscribe("CASE-1", a.Callback());
  watchers.Subscribe("CASE-1", b.Callback());
  watchers.Subscribe("CASE-2", other.Callback());

  watchers.Publish(Status("CASE-1", gw::v1::CaseStatus::INVESTIGATING));
  watchers.Publish(Status("CASE-1", gw::v1::CaseStatus::VICTIM_LOCATED));
  watchers.Publish(Status("CASE-3", gw::v1::CaseStatus::CLOSED));

  EXPECT_THAT(a.states, ElementsAre(gw::v1::CaseStatus::INVESTIGATING,
                                    gw::v1::CaseStatus::VICTIM_LOCATED));
  EXPECT_EQ(b.states, a.states);
  EXPECT_THAT(other.states, IsEmpty());
}

TEST(CaseWatchersTest, CaseRefMatchesExactly) {
  CaseWatchers watchers;
  Seen prefix, upper;
  watchers.Subscribe("CASE", prefix.Callback());
  watchers.Subscribe("case-1", upper.Callback());
  watchers.Publish(Status("CASE-1", gw::v1::CaseStatus::OPEN));
  EXPECT_THAT(prefix.states, IsEmpty());
  EXPECT_THAT(upper.states, IsEmpty());
}

TEST(CaseWatchersTest, UnsubscribeStopsDeliveryToThatSubscriberOnly) {
  CaseWatchers watchers;
  Seen a, b;
  const uint64_t id_a = watchers.Subscribe("CASE-1", a.Callback());
  const uint64_t id_b = watchers.Subscribe("CASE-1", b.Callback());
  EXPECT_NE(id_a, id_b);

  watchers.Publish(Status("CASE-1", gw::v1::CaseStatus::INVESTIGATING));
  watchers.Unsubscribe(id_a);
  watchers.Publish(Status("CASE-1", gw::v1::CaseStatus::CLOSED));
  watchers.Unsubscribe(id_a);        // twice: harmless
  watchers.Unsubscribe(id_b + 100);  // unknown id: harmless

  EXPECT_THAT(a.states, ElementsAre(gw::v1::CaseStatus::INVESTIGATING));
  EXPECT_THAT(b.states, ElementsAre(gw::v1::CaseStatus::INVESTIGATING,
                                    gw::v1::CaseStatus::CLOSED));
}

TEST(CaseWatchersTest, IdsAreNotReused) {
  CaseWatchers watchers;
  const uint64_t first =
      watchers.Subscribe("CASE-1", [](const gw::v1::CaseStatus&) {});
  watchers.Unsubscribe(first);
  const uint64_t second =
      watchers.Subscribe("CASE-1", [](const gw::v1::CaseStatus&) {});
  EXPECT_NE(first, second);
}

TEST(CaseWatchersTest, UnsubscribeWaitsForARunningCallback) {
  CaseWatchers watchers;
  absl::Notification entered, release;
  const uint64_t id =
      watchers.Subscribe("CASE-1", [&](const gw::v1::CaseStatus&) {
        entered.Notify();
        release.WaitForNotification();
      });
  std::thread publisher([&] {
    watchers.Publish(Status("CASE-1", gw::v1::CaseStatus::INVESTIGATING));
  });
  entered.WaitForNotification();

  absl::Notification unsubscribed;
  std::thread unsubscriber([&] {
    watchers.Unsubscribe(id);
    unsubscribed.Notify();
  });
  EXPECT_FALSE(
      unsubscribed.WaitForNotificationWithTimeout(absl::Milliseconds(50)));
  release.Notify();
  publisher.join();
  unsubscriber.join();
  EXPECT_TRUE(unsubscribed.HasBeenNotified());
}

}  // namespace
}  // namespace gw::ingest
