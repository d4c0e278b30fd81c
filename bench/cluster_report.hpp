// Figures of the cluster benchmark's runs and their rendering: one progress
// line per run and the Markdown tables of the whole benchmark.
#pragma once

#include <cstddef>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "bench/cluster_options.hpp"

namespace troupe::bench {

/// What one run on W workers measured.
struct cluster_run {
  /// Worker processes that served the run.
  size_t workers = 0;
  /// Jobs completed.
  size_t jobs = 0;
  /// First submit sent to the last completion event received, in seconds.
  double wall_s = 0;
  /// `jobs / wall_s`.
  double jobs_per_s = 0;
  /// Completed jobs per node, from the records' `node` field.
  std::map<std::string, size_t> jobs_per_node;
};

/// Jobs per second that W workers reach if every slot runs jobs back to
/// back with no overhead: W × slots × 1000 / job_ms.
double ideal_jobs_per_s(const cluster_options& options, size_t workers);

/// Prints the one-line summary of run `index` (1-based).
void print_cluster_run(std::ostream& out, const cluster_options& options,
                       size_t index, const cluster_run& run);

/// Prints the workload line and two Markdown tables: per worker count (runs,
/// median, ideal, ratio) and per run (wall time, jobs per node).
void print_cluster_tables(std::ostream& out, const cluster_options& options,
                          const std::vector<cluster_run>& runs);

} // namespace troupe::bench
