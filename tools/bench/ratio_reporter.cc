// tools/bench/ratio_reporter.cc
#include "tools/bench/ratio_reporter.h"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"

namespace gw::bench {
namespace {

// "1.23 M", "45.6 k", "789": three significant digits or so.
std::string HumanNumber(double value) {
  if (value >= 1e6) return absl::StrFormat("%.2f M", value / 1e6);
  if (value >= 1e3) return absl::StrFormat("%.1f k", value / 1e3);
  if (value >= 10) return absl::StrFormat("%.0f", value);
  return absl::StrFormat("%.2f", value);
}

std::string HumanRatio(double ratio) {
  if (ratio >= 100) return absl::StrFormat("%.0fx", ratio);
  if (ratio >= 0.1) return absl::StrFormat("%.2fx", ratio);
  return absl::StrFormat("%.4fx", ratio);
}

}  // namespace

RatioReporter::RatioReporter(std::string baseline_label,
                             std::vector<std::string> baseline_runs,
                             std::vector<Figure> figures)
    : benchmark::ConsoleReporter(OO_None),
      baseline_label_(std::move(baseline_label)),
      baseline_runs_(std::move(baseline_runs)),
      figures_(std::move(figures)) {}

void RatioReporter::ReportRuns(const std::vector<Run>& runs) {
  benchmark::ConsoleReporter::ReportRuns(runs);
  for (const Run& run : runs) {
    const bool median =
        run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
    if (run.run_type == Run::RT_Aggregate && !median) continue;
    Outcome& outcome = outcomes_[run.run_name.function_name];
    // A median replaces the single repetitions; later repetitions replace
    // earlier ones until then.
    if (outcome.from_median && !median) continue;
    outcome.from_median = median;
    outcome.error = run.error_occurred ? run.error_message : "";
    outcome.counters.clear();
    for (const auto& [name, counter] : run.counters) {
      outcome.counters[name] = counter.value;
    }
  }
}

bool RatioReporter::ValueOf(const Figure& figure, double* value,
                            std::string* why) const {
  const auto outcome = outcomes_.find(figure.benchmark);
  if (outcome == outcomes_.end()) {
    *why = "-";
    return false;
  }
  if (!outcome->second.error.empty()) {
    *why = "error: " + outcome->second.error;
    return false;
  }
  const auto counter = outcome->second.counters.find(figure.counter);
  if (counter == outcome->second.counters.end()) {
    *why = "no " + figure.counter;
    return false;
  }
  *value = counter->second;
  return true;
}

void RatioReporter::Finalize() {
  benchmark::ConsoleReporter::Finalize();
  std::ostream& out = GetOutputStream();

  std::vector<double> baselines;
  for (const std::string& name : baseline_runs_) {
    Figure figure;
    figure.benchmark = name;
    figure.counter = "items_per_second";
    double rate = 0;
    std::string why;
    if (ValueOf(figure, &rate, &why) && rate > 0) {
      baselines.push_back(rate);
    }
  }
  double baseline = 0;
  for (double rate : baselines) baseline += rate / baselines.size();

  out << "\nAudit log figures, as ratios to the baseline measured in this "
         "run\n";
  if (baseline > 0) {
    out << absl::StrFormat("baseline: %s, %s/s", baseline_label_,
                           HumanNumber(baseline));
    if (baselines.size() > 1) {
      const auto [low, high] =
          std::minmax_element(baselines.begin(), baselines.end());
      out << absl::StrFormat(" (first and last runs %.1f%% apart)",
                             100.0 * (*high - *low) / baseline);
    }
    out << "\n";
  } else {
    out << "baseline: did not run; no ratios\n";
  }
  out << "rate ratio = figure / baseline rate; time ratio = figure / time of "
         "one baseline hash\n\n";

  size_t label_width = 6;
  for (const Figure& figure : figures_) {
    label_width = std::max(label_width, figure.label.size());
  }
  out << absl::StrFormat("%-*s  %12s %-10s  %s\n", label_width, "metric",
                         "value", "unit", "vs baseline");
  for (const Figure& figure : figures_) {
    double value = 0;
    std::string why;
    if (!ValueOf(figure, &value, &why)) {
      out << absl::StrFormat("%-*s  %12s\n", label_width, figure.label, why);
      continue;
    }
    std::string ratio = "-";
    if (baseline > 0 && figure.kind == Figure::Kind::kRate) {
      ratio = HumanRatio(value / baseline) + " rate";
    } else if (baseline > 0) {
      ratio = HumanRatio(value * 1e-6 * baseline) + " time";
    }
    const std::string shown = figure.kind == Figure::Kind::kRate
                                  ? HumanNumber(value)
                                  : absl::StrFormat("%.1f", value);
    out << absl::StrFormat("%-*s  %12s %-10s  %s\n", label_width, figure.label,
                           shown, figure.unit, ratio);
  }
  out.flush();
}

}  // namespace gw::bench
