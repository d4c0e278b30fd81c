// Command-line options of the pipeline benchmark and their hand-written parser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "troupe/storage/job_store.hpp"

namespace troupe::bench {

/// What the benchmark runs; every default is stated here.
struct bench_options {
  /// Jobs submitted per run. Default: 100000.
  size_t jobs = 100'000;
  /// Jobs per submit request. Default: 500.
  size_t batch = 500;
  /// Slots of the node's local executor. Default: 4.
  uint32_t slots = 4;
  /// Durability of the node's store. Default: wal.
  durability level = durability::wal;
  /// Parent of the per-run data directories; empty: a fresh temporary
  /// directory, removed at the end. Default: empty.
  std::string data_dir;
  /// Measured runs, each on a fresh data directory. Default: 3.
  size_t runs = 3;
  /// Worker threads of CAF's scheduler; 0: the node's default (one per
  /// core, at least 2). Default: 0.
  size_t threads = 0;
  /// Submit requests kept in flight by the submitter. Default: 4.
  size_t in_flight = 4;
  /// Open loop: submit at this many jobs per second, whatever is in
  /// flight, in one batch per millisecond; 0 is the closed loop of
  /// `in_flight` requests. Default: 0.
  size_t rate = 0;
  /// Dependencies between the jobs: empty (none), "chains:C" (C chains of
  /// jobs, each waiting for the one before it) or "fan-in:G" (groups of G
  /// jobs, the last waiting for the G - 1 others). Default: none.
  std::string dag;
  /// Seconds a run may take before the benchmark gives up. Default: 120.
  int64_t timeout_s = 120;
  /// Print a JSON summary on stdout (the readable report goes to stderr).
  bool json = false;
};

/// The result of parsing the command line.
struct parsed_options {
  /// The options, valid unless `error` is set or `help` was asked for.
  bench_options options;
  /// Why the command line was rejected; empty if it was accepted.
  std::string error;
  /// True if `--help` was given.
  bool help = false;
};

/// Parses `--jobs N --batch B --slots S --durability none|wal|fsync
/// --data DIR --runs R --threads T --in-flight K --rate R --timeout SECONDS
/// --json --help`.
parsed_options parse_options(int argc, char** argv);

/// The usage text printed for `--help` and after a rejected command line.
std::string usage(const char* program);

} // namespace troupe::bench
