#include "gateway/delivery/backoff.h"

#include <algorithm>

namespace gw::delivery {

absl::Duration RetryDelay(const BackoffPolicy& policy, uint32_t next_attempt,
                          double uniform01) {
  const uint32_t doublings = next_attempt < 2 ? 0 : next_attempt - 2;
  absl::Duration base = policy.first;
  // Stop doubling once past the cap: 2^n overflows long before n is large.
  for (uint32_t i = 0; i < doublings && base < policy.max; ++i) base *= 2;
  base = std::min(base, policy.max);
  const double u = std::clamp(uniform01, 0.0, 1.0);
  const double factor = 1.0 - policy.jitter + 2.0 * policy.jitter * u;
  return base * factor;
}

}  // namespace gw::delivery
