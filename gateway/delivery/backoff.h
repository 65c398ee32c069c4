// gateway/delivery/backoff.h
//
// When to try a delivery again (partners/README.md §2.4): the delay before
// attempt n (n >= 2) is min(max, first * 2^(n-2)), multiplied by a factor
// drawn uniformly from [1 - jitter, 1 + jitter]; a later time the partner
// names (Retry-After) wins. There is no attempt limit.
// Thread safety: pure functions.
#ifndef GW_DELIVERY_BACKOFF_H_
#define GW_DELIVERY_BACKOFF_H_

#include <cstdint>

#include "absl/time/time.h"

namespace gw::delivery {

struct BackoffPolicy {
  absl::Duration first = absl::Seconds(2);
  absl::Duration max = absl::Seconds(300);
  // 0.2: factors in [0.8, 1.2].
  double jitter = 0.2;
};

// The delay before attempt `next_attempt` (2 for the first retry; values
// below 2 are treated as 2). `uniform01` is a draw from [0, 1) that chooses
// the jitter factor, so callers own the randomness and tests can fix it.
absl::Duration RetryDelay(const BackoffPolicy& policy, uint32_t next_attempt,
                          double uniform01);

}  // namespace gw::delivery

#endif  // GW_DELIVERY_BACKOFF_H_
