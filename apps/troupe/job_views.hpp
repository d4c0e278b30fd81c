// The people-facing views of jobs, history, statistics and workers (tables
// and field lists). JSON output lives in json_codec; these never print JSON.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "troupe/messages/dispatch_limit.hpp"
#include "troupe/messages/job_listing.hpp"
#include "troupe/messages/job_record.hpp"
#include "troupe/messages/statistics.hpp"

namespace troupe::cli {

/// Formats a duration in microseconds as "850 ms", "12.3 s", "4m05s" or
/// "3h12m".
std::string format_duration(int64_t duration_us);

/// Formats a time as "2024-05-01 12:00:03" (UTC), or "-" for 0.
std::string format_table_time(int64_t time_us);

/// One row per job: id, type, status, priority, attempt, progress, created,
/// run time and a note (error, or the progress message while running).
/// With `controls`, jobs held back by a pause show "queued (paused)".
void print_job_table(std::ostream& out, const std::vector<job_record>& jobs,
                     const dispatch_controls* controls = nullptr);

/// The dead-letter view: one row per failed or cancelled job with its
/// owner, attempts, when it ended and its last error.
void print_dead_letter_table(std::ostream& out,
                             const std::vector<job_record>& jobs);

/// One warning line per record `command` skipped because it is damaged
/// ("troupe list: skipped the damaged record of job 'ID': PROBLEM").
void print_damaged(std::ostream& out, const std::string& command,
                   const std::vector<damaged_record>& damaged);

/// Every field of one job, one per line (status marked as with the table).
void print_job_details(std::ostream& out, const job_record& job,
                       const dispatch_controls* controls = nullptr);

/// Every transition of one job, oldest first.
void print_history(std::ostream& out,
                   const std::vector<history_entry>& entries);

/// Counts by status, queue depth, throughput and latency percentiles.
void print_stats(std::ostream& out, const stats_snapshot& stats);

/// One row per executor, with heartbeat age relative to `now_us`.
void print_workers(std::ostream& out, const std::vector<executor_info>& xs,
                   int64_t now_us);

/// The current wall-clock time in microseconds since the epoch.
int64_t wall_now_us();

} // namespace troupe::cli
