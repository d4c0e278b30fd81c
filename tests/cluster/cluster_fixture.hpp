// A cluster of real troupe processes for the tests: a coordinator, workers
// joined to it, bare nodes, and a client that submits many jobs in one
// message. Waiting is on pipes, process exits and the server's answers.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/cli/cli_process.hpp"

namespace troupe::cluster_test {

using cli_test::background_process;
using cli_test::json;
using cli_test::run_result;

struct cluster_fixture {
  cli_test::scratch_dir dir;
  std::unique_ptr<cli_test::server_process> coordinator;
  std::map<std::string, std::unique_ptr<background_process>> workers;

  /// (Re)starts `troupe serve` on `dir / "data"` with `extra_args`;
  /// `port` 0 picks a free one.
  void start_coordinator(const std::vector<std::string>& extra_args,
                         uint16_t port = 0);

  /// Starts `troupe worker --join COORDINATOR --name NAME EXTRA` and returns
  /// once it joined.
  background_process& start_worker(const std::string& name,
                                   std::vector<std::string> extra_args = {});

  /// Runs `troupe ARGS --server COORDINATOR`; requires exit code 0 unless
  /// `expect_success` is false.
  run_result troupe(std::vector<std::string> args,
                    bool expect_success = true) const;

  /// Submits `count` jobs of `type` with `payload` in one message.
  std::vector<std::string> submit_many(const std::string& type,
                                       const std::string& payload,
                                       size_t count) const;

  /// Runs `troupe wait IDS`; requires that every job completed.
  void wait_all(const std::vector<std::string>& ids) const;

  /// Every job, as `list --json` prints it.
  json all_jobs() const;

  /// The history of `id`, as `history --json` prints it.
  json history(const std::string& id) const;

  /// Lists running jobs until one runs on node `name` (bounded by a
  /// deadline; each round trip is a real CLI call).
  void await_running_on(const std::string& name) const;
};

/// The number of transitions to `completed` in `history`.
size_t completions(const json& history);

/// Whether some entry of `history` mentions `text` in its message.
bool mentions(const json& history, const std::string& text);

} // namespace troupe::cluster_test
