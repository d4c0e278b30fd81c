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
#include "troupe/messages/audit_entry.hpp"
#include "troupe/messages/backup_report.hpp"
#include "troupe/messages/cluster.hpp"
#include "troupe/messages/dispatch_limit.hpp"
#include "troupe/messages/job_listing.hpp"
#include "troupe/messages/job_query.hpp"
#include "troupe/messages/job_record.hpp"
#include "troupe/messages/job_spec.hpp"
#include "troupe/messages/schedule.hpp"
#include "troupe/messages/statistics.hpp"

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

  /// Submits `specs` all or nothing; returns their ids once durable.
  std::vector<std::string> submit_batch(const std::vector<job_spec>& specs);

  /// Re-queues every dead letter matching `query`; returns the ids retried.
  std::vector<std::string> retry_matching(const job_query& query);

  /// Returns the record of job `id`.
  job_record get(const std::string& id);

  /// Returns every transition of job `id`.
  std::vector<history_entry> history(const std::string& id);

  /// Returns one page of jobs matching `query`, and the damaged records
  /// it skipped.
  job_listing list(const job_query& query);

  /// Cancels job `id`; returns its new status.
  job_status cancel(const std::string& id);

  /// Re-queues failed or cancelled job `id`; returns its new status.
  job_status retry(const std::string& id);

  /// Purges terminal jobs finished before `finished_before_us`; returns how
  /// many were purged and the damaged records it skipped.
  purge_report purge(int64_t finished_before_us);

  /// Writes a checkpoint of the server's store into `dir` on the server's
  /// machine; returns where and what it wrote.
  backup_report backup(const std::string& dir);

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

  /// Asks the coordinator to spawn an executor into a bare node; returns
  /// the executor's name once it has registered.
  std::string spawn_executor(const spawn_request& request);
  /// Returns every limit and pause in force.
  dispatch_controls controls();

  /// Like `controls`, but none when the caller may not read them (a
  /// submitter): `status` and `list` only show them beside its own jobs.
  dispatch_controls visible_controls();

  /// Sets or replaces a limit; returns the controls once it is stored.
  dispatch_controls set_limit(const dispatch_limit& limit);

  /// Removes a limit; returns the controls once that is stored.
  dispatch_controls clear_limit(control_scope scope, const std::string& key);

  /// Pauses (or resumes) a type or job; returns the controls once stored.
  dispatch_controls set_paused(control_scope scope, const std::string& key,
                               bool paused);

  /// Waits until every job in `ids` is terminal (true) or `timeout` passes
  /// (false; 0 waits without limit), feeding `display`. Throws when the
  /// server is lost or a job is unknown.
  bool wait(const std::vector<std::string>& ids,
            std::chrono::milliseconds timeout, progress_display& display);

  /// Returns the audit entries matching `query`, oldest first.
  std::vector<audit_entry> audit(const audit_query& query);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace troupe::cli
