// tools/bench/ratio_reporter.h
//
// RatioReporter prints Google Benchmark's usual console output and, after
// the last benchmark, a short table: each figure of interest, and its ratio
// to a baseline measured in the same run. The machines are shared and
// noisy; absolute numbers move with the load, ratios to a baseline measured
// minutes apart move much less.
//
// A figure reads one counter of one benchmark (matched by the name it was
// registered under):
//  kRate     a rate counter such as items_per_second; ratio = value divided
//            by the baseline rate ("0.48x" = 48% of SHA-256's throughput).
//  kMicros   a counter in microseconds; ratio = value divided by the time of
//            one baseline operation ("310x" = the time of 310 hashes).
// Baseline: items_per_second of the benchmarks named in `baseline_runs`
// (e.g. the same hash benchmark registered first and last), averaged; the
// table gives their spread as a measure of the run's noise.
// With --benchmark_repetitions the median aggregate is used. A figure whose
// benchmark failed or did not run (--benchmark_filter) shows why or "-".
// Thread safety: as ConsoleReporter (the library calls it from one thread).
#ifndef GW_TOOLS_BENCH_RATIO_REPORTER_H_
#define GW_TOOLS_BENCH_RATIO_REPORTER_H_

#include <map>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"

namespace gw::bench {

struct Figure {
  enum class Kind { kRate, kMicros };

  std::string label;      // what is measured, for the table
  std::string benchmark;  // the registered benchmark name
  std::string counter;    // e.g. "items_per_second", "p99_us"
  Kind kind = Kind::kRate;
  std::string unit;  // e.g. "entries/s"; for kMicros always "us"
};

class RatioReporter final : public benchmark::ConsoleReporter {
 public:
  RatioReporter(std::string baseline_label,
                std::vector<std::string> baseline_runs,
                std::vector<Figure> figures);

  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;

 private:
  struct Outcome {
    std::map<std::string, double> counters;
    std::string error;  // empty if the run succeeded
    bool from_median = false;
  };

  // The figure's value, or an explanation in *why. Returns false if none.
  bool ValueOf(const Figure& figure, double* value, std::string* why) const;

  const std::string baseline_label_;
  const std::vector<std::string> baseline_runs_;
  const std::vector<Figure> figures_;
  std::map<std::string, Outcome> outcomes_;  // by registered name
};

}  // namespace gw::bench

#endif  // GW_TOOLS_BENCH_RATIO_REPORTER_H_
