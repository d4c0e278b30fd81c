// Medians, ideal rates and Markdown tables of the cluster benchmark; pure
// formatting, no measurement.
#include "bench/cluster_report.hpp"

#include <cstdio>

#include "bench/bench_report.hpp"

namespace troupe::bench {

namespace {

/// Formats `x` with `digits` decimals.
std::string fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, x);
  return buf;
}

/// "bench-w1 2001, bench-w2 1999".
std::string describe_nodes(const std::map<std::string, size_t>& counts) {
  std::string text;
  for (const auto& [node, n] : counts) {
    if (!text.empty())
      text += ", ";
    text +=
        (node.empty() ? std::string{"(none)"} : node) + " " + std::to_string(n);
  }
  return text;
}

/// The runs on `workers` workers, in order.
std::vector<const cluster_run*> runs_on(const std::vector<cluster_run>& runs,
                                        size_t workers) {
  std::vector<const cluster_run*> selected;
  for (const auto& run : runs)
    if (run.workers == workers)
      selected.push_back(&run);
  return selected;
}

void print_count_table(std::ostream& out, const cluster_options& options,
                       const std::vector<cluster_run>& runs) {
  out << "| workers | slots | runs (jobs/s) | median jobs/s | ideal jobs/s "
         "| median/ideal |\n"
      << "|--------:|------:|---------------|--------------:|-------------:"
         "|-------------:|\n";
  for (auto workers : options.workers) {
    std::vector<double> rates;
    std::string list;
    for (const auto* run : runs_on(runs, workers)) {
      rates.push_back(run->jobs_per_s);
      list += (list.empty() ? "" : ", ") + fixed(run->jobs_per_s, 0);
    }
    auto mid = median(rates);
    auto ideal = ideal_jobs_per_s(options, workers);
    out << "| " << workers << " | " << workers * options.slots << " | " << list
        << " | " << fixed(mid, 0) << " | " << fixed(ideal, 0) << " | "
        << fixed(mid / ideal, 2) << " |\n";
  }
}

void print_run_table(std::ostream& out, const std::vector<cluster_run>& runs) {
  out << "| workers | run | wall | jobs/s | jobs per worker |\n"
      << "|--------:|----:|-----:|-------:|-----------------|\n";
  size_t index = 0;
  size_t previous = 0;
  for (const auto& run : runs) {
    index = run.workers == previous ? index + 1 : 1;
    previous = run.workers;
    out << "| " << run.workers << " | " << index << " | "
        << fixed(run.wall_s, 3) << " s | " << fixed(run.jobs_per_s, 0) << " | "
        << describe_nodes(run.jobs_per_node) << " |\n";
  }
}

} // namespace

double ideal_jobs_per_s(const cluster_options& options, size_t workers) {
  return static_cast<double>(workers) * options.slots * 1000.0 / options.job_ms;
}

void print_cluster_run(std::ostream& out, const cluster_options& options,
                       size_t index, const cluster_run& run) {
  out << run.workers << " worker(s), run " << index << "/" << options.runs
      << ": " << run.jobs << " jobs in " << fixed(run.wall_s, 3)
      << " s = " << fixed(run.jobs_per_s, 0) << " jobs/s (ideal "
      << fixed(ideal_jobs_per_s(options, run.workers), 0) << "); "
      << describe_nodes(run.jobs_per_node) << std::endl;
}

void print_cluster_tables(std::ostream& out, const cluster_options& options,
                          const std::vector<cluster_run>& runs) {
  out << options.jobs << " sleep jobs of " << options.job_ms << " ms, batch "
      << options.batch << ", " << options.slots
      << " slots per worker, durability wal, " << options.runs
      << " runs per worker count\n\n";
  print_count_table(out, options, runs);
  out << "\n";
  print_run_table(out, runs);
}

} // namespace troupe::bench
