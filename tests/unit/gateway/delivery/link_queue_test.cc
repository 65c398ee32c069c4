#include "gateway/delivery/link_queue.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace gw::delivery {
namespace {

using gw::v1::CaseAlert;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

QueuedDelivery Item(int64_t seq, std::string case_ref,
                    CaseAlert::Priority priority = CaseAlert::ROUTINE) {
  QueuedDelivery d;
  d.seq = seq;
  d.message_id = "m" + std::to_string(seq);
  d.alert_id = "a" + std::to_string(seq);
  d.case_ref = std::move(case_ref);
  d.priority = priority;
  return d;
}

std::vector<std::string> Drain(LinkQueue& queue, absl::Time now) {
  std::vector<std::string> order;
  while (auto next = queue.TakeNext(now)) {
    order.push_back(next->message_id);
    queue.Remove(next->message_id);
  }
  return order;
}

TEST(LinkQueueTest, UrgentOvertakesQueuedRoutineTraffic) {
  LinkQueue queue;
  for (int i = 1; i <= 5; ++i) queue.Add(Item(i, "CASE-" + std::to_string(i)));
  queue.Add(Item(6, "CASE-6", CaseAlert::URGENT));
  queue.Add(Item(7, "CASE-7", CaseAlert::HIGH));
  EXPECT_EQ(Drain(queue, kNow), (std::vector<std::string>{
                                    "m6", "m7", "m1", "m2", "m3", "m4", "m5"}));
}

TEST(LinkQueueTest, OneCaseGoesInOrderOneAtATime) {
  LinkQueue queue;
  queue.Add(Item(1, "CASE-A"));
  queue.Add(Item(2, "CASE-A", CaseAlert::URGENT));  // must wait for m1
  queue.Add(Item(3, "CASE-B"));

  auto first = queue.TakeNext(kNow);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->message_id, "m1");
  // m2 is behind m1 in its case, so only m3 may go meanwhile.
  auto second = queue.TakeNext(kNow);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->message_id, "m3");
  EXPECT_FALSE(queue.TakeNext(kNow).has_value());
  EXPECT_EQ(queue.in_flight(), 2u);

  queue.Remove("m1");
  auto third = queue.TakeNext(kNow);
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(third->message_id, "m2");
}

TEST(LinkQueueTest, ARetryingHeadHoldsBackItsCaseButNotOthers) {
  LinkQueue queue;
  queue.Add(Item(1, "CASE-A"));
  queue.Add(Item(2, "CASE-A"));
  queue.Add(Item(3, "CASE-B"));
  auto head = queue.TakeNext(kNow);
  ASSERT_EQ(head->message_id, "m1");
  queue.Reschedule("m1", 1, kNow + absl::Seconds(2));

  EXPECT_EQ(queue.NextWakeup(), kNow + absl::Seconds(2));
  auto other = queue.TakeNext(kNow);
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(other->message_id, "m3");
  EXPECT_FALSE(queue.TakeNext(kNow + absl::Seconds(1)).has_value());

  auto again = queue.TakeNext(kNow + absl::Seconds(2));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->message_id, "m1");
  EXPECT_EQ(again->attempts, 1u);
}

TEST(LinkQueueTest, MakeDueSkipsTheBackoff) {
  LinkQueue queue;
  queue.Add(Item(1, "CASE-A"));
  queue.TakeNext(kNow);
  queue.Reschedule("m1", 3, kNow + absl::Minutes(5));
  EXPECT_FALSE(queue.TakeNext(kNow).has_value());
  queue.MakeDue("m1");
  EXPECT_TRUE(queue.TakeNext(kNow).has_value());
}

TEST(LinkQueueTest, MakeAllDueReleasesEveryWaitingHead) {
  LinkQueue queue;
  for (int i = 1; i <= 3; ++i) {
    queue.Add(Item(i, "CASE-" + std::to_string(i)));
    queue.TakeNext(kNow);
    queue.Reschedule("m" + std::to_string(i), 1, kNow + absl::Minutes(i));
  }
  queue.MakeAllDue();
  EXPECT_EQ(Drain(queue, kNow).size(), 3u);
}

TEST(LinkQueueTest, AnEarlierDeliveryAddedLaterBecomesTheHead) {
  LinkQueue queue;
  queue.Add(Item(5, "CASE-A"));
  queue.Add(Item(2, "CASE-A"));  // e.g. a dead letter re-queued
  EXPECT_EQ(Drain(queue, kNow), (std::vector<std::string>{"m2", "m5"}));
}

TEST(LinkQueueTest, RestoredDeliveriesKeepTheirNextAttemptTime) {
  LinkQueue queue;
  QueuedDelivery d = Item(1, "CASE-A");
  d.not_before = kNow + absl::Seconds(30);
  queue.Add(d);
  EXPECT_FALSE(queue.TakeNext(kNow).has_value());
  EXPECT_EQ(queue.NextWakeup(), kNow + absl::Seconds(30));
  EXPECT_TRUE(queue.TakeNext(kNow + absl::Seconds(30)).has_value());
}

TEST(LinkQueueTest, TwoDeliveriesWithTheSameSeqBothGo) {
  // Store and local numbering may give two deliveries of a case one seq.
  LinkQueue queue;
  QueuedDelivery a = Item(7, "CASE-A");
  QueuedDelivery b = Item(7, "CASE-A");
  b.message_id = "m7-bis";
  queue.Add(a);
  queue.Add(b);
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(Drain(queue, kNow).size(), 2u);
}

TEST(LinkQueueTest, AnEarlierDeliveryWaitsWhileItsCaseHasOneInFlight) {
  LinkQueue queue;
  queue.Add(Item(5, "CASE-A"));
  auto out = queue.TakeNext(kNow);
  ASSERT_EQ(out->message_id, "m5");
  queue.Add(Item(2, "CASE-A"));  // a re-queued dead letter of the same case
  EXPECT_FALSE(queue.TakeNext(kNow).has_value())
      << "two deliveries of one case in flight";
  queue.Remove("m5");
  auto next = queue.TakeNext(kNow);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->message_id, "m2");
}

}  // namespace
}  // namespace gw::delivery
