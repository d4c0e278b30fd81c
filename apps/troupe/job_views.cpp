// Tables and field lists for people. Widths adapt to the content; long
// payloads, results and errors are cut so one job stays one line in tables.
#include "apps/troupe/job_views.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "apps/troupe/control_views.hpp"
#include "apps/troupe/json_codec.hpp"
#include "apps/troupe/text_table.hpp"
#include "troupe/actors/scheduler/attempt_rules.hpp"

namespace troupe::cli {

namespace {

constexpr size_t note_width = 60;

std::string percent(double fraction) {
  return std::to_string(static_cast<int>(fraction * 100 + 0.5)) + "%";
}

std::string join(const std::vector<std::string>& xs, const char* sep = ", ") {
  std::string result;
  for (const auto& x : xs)
    result += (result.empty() ? "" : sep) + x;
  return result.empty() ? "-" : result;
}

std::string or_dash(const std::string& text) {
  return text.empty() ? "-" : text;
}

// Only the current attempt's run counts: a queued or scheduled job is not
// running, whatever an earlier attempt did.
std::string run_time(const job_record& job) {
  if (job.started_us == 0 || job.finished_us < 0 ||
      (job.status != job_status::running && !is_terminal(job.status)))
    return "-";
  if (job.status == job_status::running)
    return format_duration(wall_now_us() - job.started_us);
  if (job.finished_us < job.started_us)
    return "-";
  return format_duration(job.finished_us - job.started_us);
}

// A manual retry grants one attempt beyond the retries of the spec.
std::string allowed_attempts_text(const job_record& job) {
  return std::to_string(troupe::attempts_allowed(job));
}

std::string note(const job_record& job) {
  if (job.status == job_status::running && !job.progress_message.empty())
    return truncate_text(job.progress_message, note_width);
  if (!job.error.empty())
    return truncate_text(job.error, note_width);
  if (job.status == job_status::completed && !job.result.empty() &&
      job.result != "null")
    return truncate_text(job.result, note_width);
  return "";
}

std::string percentile_text(const std::vector<int64_t>& samples) {
  if (samples.size() < 3)
    return "-";
  return format_duration(samples[0]) + " / " + format_duration(samples[1]) +
         " / " + format_duration(samples[2]);
}

void print_held_back(std::ostream& out, const stats_snapshot& stats) {
  if (stats.throttled.empty()) {
    out << "throttled: none\n";
  } else {
    text_table table{{"THROTTLED BY", "JOBS"}};
    table.align_right(1);
    for (const auto& [limit, count] : stats.throttled)
      table.add_row({limit, std::to_string(count)});
    table.print(out);
  }
  out << "paused: " << stats.paused << " queued job(s)\n\n";
}

} // namespace

int64_t wall_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string format_duration(int64_t us) {
  char buf[32];
  if (us < 0)
    us = 0;
  if (us < 10 * 1000)
    std::snprintf(buf, sizeof(buf), "%.1f ms", static_cast<double>(us) / 1e3);
  else if (us < 1000 * 1000)
    std::snprintf(buf, sizeof(buf), "%d ms", static_cast<int>(us / 1000));
  else if (us < int64_t{60} * 1000 * 1000)
    std::snprintf(buf, sizeof(buf), "%.1f s", static_cast<double>(us) / 1e6);
  else if (us < int64_t{3600} * 1000 * 1000)
    std::snprintf(buf, sizeof(buf), "%dm%02ds",
                  static_cast<int>(us / 60'000'000),
                  static_cast<int>(us / 1'000'000 % 60));
  else
    std::snprintf(buf, sizeof(buf), "%dh%02dm",
                  static_cast<int>(us / 3'600'000'000),
                  static_cast<int>(us / 60'000'000 % 60));
  return buf;
}

std::string format_table_time(int64_t time_us) {
  if (time_us == 0)
    return "-";
  auto text = format_rfc3339(time_us); // 2024-05-01T12:00:03.250Z
  return text.substr(0, 10) + " " + text.substr(11, 8);
}

void print_job_table(std::ostream& out, const std::vector<job_record>& jobs,
                     const dispatch_controls* controls) {
  text_table table{{"ID", "TYPE", "STATUS", "PRI", "ATTEMPT", "PROGRESS",
                    "CREATED", "RUN", "NOTE"}};
  table.align_right(3);
  table.align_right(4);
  table.align_right(5);
  for (const auto& job : jobs)
    table.add_row(
        {job.id, job.type, status_text(job, controls),
         std::to_string(job.priority),
         std::to_string(job.attempt) + "/" + allowed_attempts_text(job),
         percent(job.progress), format_table_time(job.created_us),
         run_time(job), note(job)});
  table.print(out);
}

void print_dead_letter_table(std::ostream& out,
                             const std::vector<job_record>& jobs) {
  text_table table{
      {"ID", "TYPE", "STATUS", "OWNER", "ATTEMPTS", "FINISHED", "LAST ERROR"}};
  table.align_right(4);
  for (const auto& job : jobs)
    table.add_row({job.id, job.type, to_string(job.status), or_dash(job.owner),
                   std::to_string(job.attempt),
                   format_table_time(job.finished_us),
                   or_dash(truncate_text(job.error, 2 * note_width))});
  table.print(out);
}

void print_job_details(std::ostream& out, const job_record& job,
                       const dispatch_controls* controls) {
  auto progress = percent(job.progress);
  if (auto message = shown_progress_message(job); !message.empty())
    progress += " " + message;
  print_fields(
      out,
      {{"id", job.id},
       {"type", job.type},
       {"status", status_text(job, controls)},
       {"attempt",
        std::to_string(job.attempt) + " of " + allowed_attempts_text(job)},
       {"priority", std::to_string(job.priority)},
       {"progress", progress},
       {"executor",
        job.executor.empty() ? "-" : job.executor + " (node " + job.node + ")"},
       {"deps", join(job.deps) + " (on failure: " +
                    to_string(job.on_dependency_failure) + ")"},
       {"timeout", std::to_string(job.timeout_s) + " s"},
       {"owner", or_dash(job.owner)},
       {"tags", join(job.tags)},
       {"unique_key", or_dash(job.unique_key)},
       {"payload", truncate_text(job.payload, 200)},
       {"result", job.result.empty() ? "-" : truncate_text(job.result, 200)},
       {"error", or_dash(job.error)},
       {"run_at", format_table_time(shown_run_at(job))},
       {"created", format_table_time(job.created_us)},
       {"updated", format_table_time(job.updated_us)},
       {"started", format_table_time(job.started_us)},
       {"finished", format_table_time(job.finished_us)},
       {"run time", run_time(job)}});
}

void print_history(std::ostream& out,
                   const std::vector<history_entry>& entries) {
  text_table table{
      {"SEQ", "TIME", "FROM", "TO", "ATTEMPT", "BY", "EXECUTOR", "MESSAGE"}};
  table.align_right(0);
  table.align_right(4);
  for (const auto& entry : entries) {
    auto time = format_rfc3339(entry.time_us);
    table.add_row({std::to_string(entry.seq),
                   time.substr(0, 10) + " " + time.substr(11, 12),
                   to_string(entry.from), to_string(entry.to),
                   std::to_string(entry.attempt), or_dash(entry.principal),
                   or_dash(entry.executor),
                   truncate_text(entry.message, 2 * note_width)});
  }
  table.print(out);
}

void print_stats(std::ostream& out, const stats_snapshot& stats) {
  text_table by_status{{"STATUS", "JOBS"}};
  by_status.align_right(1);
  for (size_t i = 0; i < job_status_count; ++i)
    by_status.add_row(
        {to_string(static_cast<job_status>(i)),
         std::to_string(i < stats.by_status.size() ? stats.by_status[i] : 0)});
  by_status.print(out);
  out << '\n';
  text_table depth{{"QUEUED BY", "KEY", "JOBS"}};
  depth.align_right(2);
  for (size_t i = 0; i < stats.depth_by_priority.size(); ++i)
    if (stats.depth_by_priority[i] > 0)
      depth.add_row({"priority", std::to_string(i + 1),
                     std::to_string(stats.depth_by_priority[i])});
  for (const auto& [type, count] : stats.depth_by_type)
    if (count > 0)
      depth.add_row({"type", type, std::to_string(count)});
  if (depth.empty())
    out << "queue: empty\n";
  else
    depth.print(out);
  out << '\n';
  char throughput[32];
  std::snprintf(throughput, sizeof(throughput), "%.2f jobs/s",
                stats.throughput_per_s);
  print_held_back(out, stats);
  print_fields(out, {{"throughput (last minute)", throughput},
                     {"wait p50 / p90 / p99", percentile_text(stats.wait_us)},
                     {"run p50 / p90 / p99", percentile_text(stats.run_us)}});
}

void print_workers(std::ostream& out, const std::vector<executor_info>& xs,
                   int64_t now_us) {
  text_table table{
      {"EXECUTOR", "NODE", "SLOTS", "BUSY", "HEARTBEAT", "TYPES", "RUNNING"}};
  table.align_right(2);
  table.align_right(3);
  for (const auto& info : xs)
    table.add_row({info.name, info.node, std::to_string(info.slots),
                   std::to_string(info.running.size()),
                   format_duration(now_us - info.heartbeat_us) + " ago",
                   join(info.types, ","), join(info.running, ",")});
  table.print(out);
}

void print_damaged(std::ostream& out, const std::string& command,
                   const std::vector<damaged_record>& damaged) {
  for (const auto& x : damaged)
    out << "troupe " << command << ": skipped the damaged record of job '"
        << x.id << "' (left in the store for inspection): " << x.problem
        << '\n';
}

} // namespace troupe::cli
