// Command-line options of the cluster benchmark and their parser. No I/O
// beyond building the usage text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace troupe::bench {

/// What the cluster benchmark runs; every default is stated here.
struct cluster_options {
  /// Jobs submitted per run. Default: 4000.
  size_t jobs = 4000;
  /// Worker process counts to measure, in order. Default: 1, 2, 4.
  std::vector<size_t> workers{1, 2, 4};
  /// Measured runs per worker count. Default: 3.
  size_t runs = 3;
  /// Slots of each worker's executor. Default: 8.
  uint32_t slots = 8;
  /// Duration of each `sleep` job in milliseconds. Default: 10.
  uint32_t job_ms = 10;
  /// Jobs per submit request. Default: 500.
  size_t batch = 500;
  /// Seconds a run may take before the benchmark gives up. Default: 120.
  int64_t timeout_s = 120;
  /// Mutual TLS between the coordinator and its workers, with a CA the
  /// benchmark makes. Default: off.
  bool tls = false;
};

/// The result of parsing the command line.
struct parsed_cluster_options {
  /// The options, valid unless `error` is set or `help` was asked for.
  cluster_options options;
  /// Why the command line was rejected; empty if it was accepted.
  std::string error;
  /// True if `--help` was given.
  bool help = false;
};

/// Parses `--jobs N --workers LIST --runs R --slots S --ms MS --batch B
/// --timeout SECONDS --tls on|off --help`.
parsed_cluster_options parse_cluster_options(int argc, char** argv);

/// The usage text printed for `--help` and after a rejected command line.
std::string cluster_usage(const char* program);

} // namespace troupe::bench
