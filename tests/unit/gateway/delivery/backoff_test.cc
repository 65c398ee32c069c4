#include "gateway/delivery/backoff.h"

#include "gateway/delivery/circuit_breaker.h"
#include "gtest/gtest.h"

namespace gw::delivery {
namespace {

TEST(BackoffTest, DoublesFromTwoSecondsUpToFiveMinutes) {
  const BackoffPolicy policy;
  // uniform01 = 0.5 is the factor 1.0.
  EXPECT_EQ(RetryDelay(policy, 2, 0.5), absl::Seconds(2));
  EXPECT_EQ(RetryDelay(policy, 3, 0.5), absl::Seconds(4));
  EXPECT_EQ(RetryDelay(policy, 4, 0.5), absl::Seconds(8));
  EXPECT_EQ(RetryDelay(policy, 9, 0.5), absl::Seconds(256));
  EXPECT_EQ(RetryDelay(policy, 10, 0.5), absl::Seconds(300));
  EXPECT_EQ(RetryDelay(policy, 1'000'000, 0.5), absl::Seconds(300));
}

TEST(BackoffTest, JitterStaysWithinTwentyPercent) {
  const BackoffPolicy policy;
  EXPECT_EQ(RetryDelay(policy, 2, 0.0), absl::Milliseconds(1600));
  EXPECT_EQ(RetryDelay(policy, 2, 1.0), absl::Milliseconds(2400));
  EXPECT_EQ(RetryDelay(policy, 10, 1.0), absl::Seconds(360));
}

TEST(CircuitBreakerTest, OpensAfterRepeatedFailuresAndProbesWhenCool) {
  CircuitBreaker::Options options;
  options.failures_to_open = 3;
  options.first_open = absl::Seconds(5);
  CircuitBreaker breaker(options);
  const absl::Time t0 = absl::FromUnixSeconds(1'800'000'000);

  breaker.RecordFailure(t0);
  breaker.RecordFailure(t0);
  EXPECT_TRUE(breaker.MaySend(t0, 4));
  breaker.RecordFailure(t0);
  EXPECT_FALSE(breaker.MaySend(t0, 0));
  EXPECT_EQ(breaker.open_until(), t0 + absl::Seconds(5));

  // Half-open: one probe at a time.
  const absl::Time later = t0 + absl::Seconds(5);
  EXPECT_TRUE(breaker.MaySend(later, 0));
  EXPECT_FALSE(breaker.MaySend(later, 1));
  // The probe fails: open again, for longer.
  breaker.RecordFailure(later);
  EXPECT_EQ(breaker.open_until(), later + absl::Seconds(10));

  EXPECT_TRUE(breaker.RecordSuccess());
  EXPECT_TRUE(breaker.MaySend(later, 10));
  EXPECT_FALSE(breaker.RecordSuccess());
}

}  // namespace
}  // namespace gw::delivery
