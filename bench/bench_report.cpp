// Percentiles, medians and the rendering of benchmark results as readable
// blocks, a summary line and JSON.
#include "bench/bench_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace troupe::bench {

namespace {

/// Formats `x` with `digits` decimals.
std::string fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, x);
  return buf;
}

std::string describe(const latency_ms& x) {
  return "p50 " + fixed(x.p50, 1) + " ms, p99 " + fixed(x.p99, 1) + " ms";
}

nlohmann::json to_json(const latency_ms& x) {
  return {{"p50_ms", x.p50}, {"p99_ms", x.p99}};
}

nlohmann::json to_json(const run_result& x) {
  return {{"jobs", x.jobs},
          {"wall_s", x.wall_s},
          {"submit_s", x.submit_s},
          {"jobs_per_s", x.jobs_per_s},
          {"steady_jobs_per_s", x.steady_jobs_per_s},
          {"submit_to_start", to_json(x.to_start)},
          {"submit_to_complete", to_json(x.to_complete)}};
}

std::string workload(const bench_options& options) {
  auto loop = options.rate > 0
                  ? "open loop at " + std::to_string(options.rate) + " jobs/s, "
                  : "batch " + std::to_string(options.batch) + ", " +
                        std::to_string(options.in_flight) +
                        " batches in flight, ";
  auto dag = options.dag.empty() ? std::string{} : "dag " + options.dag + ", ";
  return std::to_string(options.jobs) + " no-op jobs, " + dag + loop +
         std::to_string(options.slots) + " slots, " +
         (options.threads == 0 ? std::string{"default"}
                               : std::to_string(options.threads)) +
         " CAF threads, durability " + to_string(options.level);
}

} // namespace

double percentile(std::vector<double>& values, double p) {
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  auto rank = static_cast<size_t>(std::ceil(p / 100.0 * values.size()));
  return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

double median(std::vector<double> values) {
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  auto n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

run_result median_of(const std::vector<run_result>& runs) {
  auto field = [&](auto get) {
    std::vector<double> values;
    for (const auto& run : runs)
      values.push_back(get(run));
    return median(std::move(values));
  };
  run_result result;
  result.jobs = runs.empty() ? 0 : runs.front().jobs;
  result.wall_s = field([](const run_result& x) { return x.wall_s; });
  result.submit_s = field([](const run_result& x) { return x.submit_s; });
  result.jobs_per_s = field([](const run_result& x) { return x.jobs_per_s; });
  result.steady_jobs_per_s =
      field([](const run_result& x) { return x.steady_jobs_per_s; });
  result.to_start.p50 =
      field([](const run_result& x) { return x.to_start.p50; });
  result.to_start.p99 =
      field([](const run_result& x) { return x.to_start.p99; });
  result.to_complete.p50 =
      field([](const run_result& x) { return x.to_complete.p50; });
  result.to_complete.p99 =
      field([](const run_result& x) { return x.to_complete.p99; });
  return result;
}

void print_run(std::ostream& out, const bench_options& options, size_t index,
               size_t count, const run_result& result) {
  out << "run " << index << "/" << count << ": " << workload(options) << '\n'
      << "  wall time           " << fixed(result.wall_s, 3)
      << " s (first submit sent -> last completion received)\n"
      << "  submit phase        " << fixed(result.submit_s, 3)
      << " s (first submit sent -> last submit reply received)\n"
      << "  throughput          " << fixed(result.jobs_per_s, 0) << " jobs/s ("
      << fixed(result.steady_jobs_per_s, 0)
      << " jobs/s from the 10% to the 90% completion)\n"
      << "  submit -> start     " << describe(result.to_start) << '\n'
      << "  submit -> complete  " << describe(result.to_complete) << '\n';
}

void print_summary(std::ostream& out, const bench_options& options,
                   const std::vector<run_result>& runs) {
  auto m = median_of(runs);
  out << "latencies measured from: " << latency_origin << '\n'
      << "median of " << runs.size() << " runs (" << workload(options)
      << "): " << fixed(m.jobs_per_s, 0) << " jobs/s, wall "
      << fixed(m.wall_s, 3) << " s, submit->start " << describe(m.to_start)
      << ", submit->complete " << describe(m.to_complete) << '\n';
}

nlohmann::json json_summary(const bench_options& options,
                            const std::vector<run_result>& runs) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& run : runs)
    list.push_back(to_json(run));
  return {{"workload",
           {{"jobs", options.jobs},
            {"batch", options.batch},
            {"in_flight", options.in_flight},
            {"rate", options.rate},
            {"dag", options.dag},
            {"slots", options.slots},
            {"threads", options.threads},
            {"durability", to_string(options.level)}}},
          {"latency_origin", latency_origin},
          {"runs", std::move(list)},
          {"median", to_json(median_of(runs))}};
}

} // namespace troupe::bench
