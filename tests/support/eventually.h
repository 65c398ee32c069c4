// tests/support/eventually.h
//
// Eventually polls a condition until it holds or a generous deadline
// passes: end-to-end tests wait on what a user can observe (a delivery
// state, a file, a log line), never on a fixed sleep.
#ifndef GW_TESTS_SUPPORT_EVENTUALLY_H_
#define GW_TESTS_SUPPORT_EVENTUALLY_H_

#include <chrono>
#include <functional>
#include <thread>

namespace gw::testing {

// Polls `probe` every 100 ms until it returns true or `seconds` pass; the
// last result.
inline bool Eventually(const std::function<bool()>& probe, int seconds) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (probe()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return probe();
}

}  // namespace gw::testing

#endif  // GW_TESTS_SUPPORT_EVENTUALLY_H_
