// Figures of one benchmark run, their percentiles and medians, and the
// readable and JSON renderings of a whole benchmark.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/bench_options.hpp"

namespace troupe::bench {

/// Where the latencies of a run are measured from.
inline constexpr const char* latency_origin =
    "client send time of the job's submit batch (system clock, us since "
    "epoch) to the scheduler's event time_us";

/// Median and tail of one latency, in milliseconds.
struct latency_ms {
  double p50 = 0;
  double p99 = 0;
};

/// What one run measured.
struct run_result {
  /// Jobs completed.
  size_t jobs = 0;
  /// First submit sent to the last completion event received, in seconds.
  double wall_s = 0;
  /// First submit sent to the last submit reply received, in seconds.
  double submit_s = 0;
  /// `jobs / wall_s`.
  double jobs_per_s = 0;
  /// Completion rate between the 10th and the 90th percentile completion.
  double steady_jobs_per_s = 0;
  /// Submit to the job's transition to running.
  latency_ms to_start;
  /// Submit to the job's transition to completed.
  latency_ms to_complete;
};

/// Returns the nearest-rank percentile `p` (0 to 100) of `values`; sorts them.
double percentile(std::vector<double>& values, double p);

/// Returns the median of `values` (the mean of the middle two if even).
double median(std::vector<double> values);

/// Returns the per-field medians of `runs`.
run_result median_of(const std::vector<run_result>& runs);

/// Prints the readable block of run `index` (1-based) of `count`.
void print_run(std::ostream& out, const bench_options& options, size_t index,
               size_t count, const run_result& result);

/// Prints the one-line summary of the medians.
void print_summary(std::ostream& out, const bench_options& options,
                   const std::vector<run_result>& runs);

/// Returns the JSON summary: workload, every run and the medians.
nlohmann::json json_summary(const bench_options& options,
                            const std::vector<run_result>& runs);

} // namespace troupe::bench
