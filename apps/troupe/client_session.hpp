// A client's connection to a troupe server: blocking calls that return the
// answer or throw a cli_error with the right exit code. The header stays
// free of CAF so that command code compiles fast.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "apps/troupe/cli_arguments.hpp"
#include "apps/troupe/progress_display.hpp"
#include "messages/job_query.hpp"
#include "messages/job_record.hpp"
#include "messages/job_spec.hpp"
#include "messages/schedule.hpp"
#include "messages/statistics.hpp"

namespace troupe::cli {

/// A connection to the troupe server's gateway.
class client_session {
public:
  /// Connects to `where`; throws exit code 3 ("cannot reach the troupe
  /// server at HOST:PORT: ...") when nothing answers.
  explicit client_session(const server_address& where);

  ~client_session();

  client_session(const client_session&) = delete;
  client_session& operator=(const client_session&) = delete;

  /// Submits `spec`; returns the job id once it is durable.
  std::string submit(const job_spec& spec);

  /// Returns the record of job `id`.
  job_record get(const std::string& id);

  /// Returns every transition of job `id`.
  std::vector<history_entry> history(const std::string& id);

  /// Returns one page of jobs matching `query`.
  std::vector<job_record> list(const job_query& query);

  /// Cancels job `id`; returns its new status.
  job_status cancel(const std::string& id);

  /// Re-queues failed or cancelled job `id`; returns its new status.
  job_status retry(const std::string& id);

  /// Purges terminal jobs finished before `finished_before_us`; returns how
  /// many were purged.
  uint64_t purge(int64_t finished_before_us);

  /// Adds periodic schedule `x`; returns it with its next firing.
  periodic_schedule add_schedule(const periodic_schedule& x);

  /// Returns every periodic schedule.
  std::vector<periodic_schedule> schedules();

  /// Removes periodic schedule `name`.
  void remove_schedule(const std::string& name);

  /// Returns the server's statistics.
  stats_snapshot stats();

  /// Returns the executor table.
  std::vector<executor_info> workers();

  /// Waits until every job in `ids` is terminal (true) or `timeout` passes
  /// (false; 0 waits without limit), feeding `display`. Throws when the
  /// server is lost or a job is unknown.
  bool wait(const std::vector<std::string>& ids,
            std::chrono::milliseconds timeout, progress_display& display);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace troupe::cli
