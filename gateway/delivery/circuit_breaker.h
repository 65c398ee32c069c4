// gateway/delivery/circuit_breaker.h
//
// CircuitBreaker stops a partner link from being hammered while the partner
// is down. Closed: sends flow. After `failures_to_open` transport failures
// in a row it opens for a cool-down (first_open, doubling with each
// re-opening up to max_open): nothing is sent. When the cool-down ends it is
// half-open: one probe may go; a success closes it, a failure opens it
// again for longer. Permanent refusals are answers, not failures: they
// count as successes here.
// Thread safety: none; the dispatcher's thread owns it.
#ifndef GW_DELIVERY_CIRCUIT_BREAKER_H_
#define GW_DELIVERY_CIRCUIT_BREAKER_H_

#include <algorithm>
#include <cstdint>

#include "absl/time/time.h"

namespace gw::delivery {

class CircuitBreaker {
 public:
  struct Options {
    int failures_to_open = 5;
    absl::Duration first_open = absl::Seconds(5);
    absl::Duration max_open = absl::Seconds(300);
  };
  enum class State { kClosed, kOpen, kHalfOpen };

  explicit CircuitBreaker(Options options) : options_(options) {}

  // May a send start at `now`, with `in_flight` sends outstanding?
  bool MaySend(absl::Time now, int in_flight) const {
    switch (StateAt(now)) {
      case State::kClosed:
        return true;
      case State::kHalfOpen:
        return in_flight == 0;  // one probe at a time
      case State::kOpen:
        return false;
    }
    return false;
  }

  State StateAt(absl::Time now) const {
    if (consecutive_failures_ < options_.failures_to_open)
      return State::kClosed;
    return now < open_until_ ? State::kOpen : State::kHalfOpen;
  }

  // When an open breaker lets a probe through.
  absl::Time open_until() const { return open_until_; }

  // Returns true if this success closed a breaker that had failures.
  bool RecordSuccess() {
    const bool recovered = consecutive_failures_ > 0;
    consecutive_failures_ = 0;
    openings_ = 0;
    return recovered;
  }

  void RecordFailure(absl::Time now) {
    ++consecutive_failures_;
    if (consecutive_failures_ < options_.failures_to_open) return;
    absl::Duration open = options_.first_open;
    for (int i = 0; i < openings_ && open < options_.max_open; ++i) open *= 2;
    open_until_ = now + std::min(open, options_.max_open);
    ++openings_;
  }

  int consecutive_failures() const { return consecutive_failures_; }

 private:
  Options options_;
  int consecutive_failures_ = 0;
  int openings_ = 0;
  absl::Time open_until_ = absl::InfinitePast();
};

}  // namespace gw::delivery

#endif  // GW_DELIVERY_CIRCUIT_BREAKER_H_
