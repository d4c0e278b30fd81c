// The client subcommands: submit, status, wait, list, cancel, retry,
// history, stats, workers, cleanup. Every argument is checked before the
// server is contacted, so bad input never changes anything.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <random>

#include "apps/troupe/client_session.hpp"
#include "apps/troupe/command_flags.hpp"
#include "apps/troupe/commands.hpp"
#include "apps/troupe/control_views.hpp"
#include "apps/troupe/exit_codes.hpp"
#include "apps/troupe/job_views.hpp"
#include "apps/troupe/json_codec.hpp"
#include "troupe/actors/scheduler/spec_validation.hpp"

namespace troupe::cli {

namespace {

using json = nlohmann::ordered_json;

void print_json(const json& value) {
  std::cout << dump_json(value) << '\n';
}

json records_to_json(const std::vector<job_record>& jobs,
                     const dispatch_controls* controls = nullptr) {
  json result = json::array();
  for (const auto& job : jobs) {
    result.push_back(record_to_json(job));
    if (controls != nullptr)
      result.back()["paused"] = shown_paused(*controls, job);
  }
  return result;
}

void check_job_id(const std::string& flag, const std::string& id) {
  if (!is_valid_job_id(id))
    throw usage_error(flag + ": must match " + job_id_rule + ", got \"" + id +
                      "\"");
}

/// A fresh id chosen by this client: time and randomness, so two clients
/// never pick the same one.
std::string make_client_id() {
  std::random_device entropy;
  std::mt19937_64 rng{(uint64_t{entropy()} << 32) ^ entropy()};
  auto now = std::chrono::system_clock::now().time_since_epoch();
  char buf[48];
  std::snprintf(
      buf, sizeof(buf), "c%llx-%016llx",
      static_cast<unsigned long long>(
          std::chrono::duration_cast<std::chrono::microseconds>(now).count()),
      static_cast<unsigned long long>(rng()));
  return buf;
}

void apply_numbers(const submit_options& o, job_spec& spec) {
  // The wire uses 0 and -1 for "server default", so values a user gives are
  // checked here: `--priority 0` must not silently mean "default".
  // The rules are the scheduler's own, with its default limits.
  job_limits limits;
  if (o.priority != submit_options::unset) {
    throw_spec_rule(check_priority(o.priority));
    spec.priority = static_cast<uint8_t>(o.priority);
  }
  if (o.timeout_s != submit_options::unset) {
    throw_spec_rule(check_timeout_s(o.timeout_s, limits));
    spec.timeout_s = static_cast<int32_t>(o.timeout_s);
  }
  if (o.retries != submit_options::unset) {
    throw_spec_rule(check_max_retries(o.retries, limits));
    spec.max_retries = static_cast<int32_t>(o.retries);
  }
  if (o.backoff_ms != submit_options::unset) {
    throw_spec_rule(check_backoff_base_ms(o.backoff_ms));
    spec.backoff_base_ms = o.backoff_ms;
  }
}

// Whole seconds of a duration flag, rounded up (at least `min_s`).
int64_t duration_s(const std::string& flag, const std::string& text,
                   int64_t min_s) {
  auto us = parse_duration_us(flag, text);
  auto seconds = (us + 999'999) / 1'000'000;
  if (seconds < min_s)
    throw usage_error(flag + ": must be at least " + std::to_string(min_s) +
                      "s, got \"" + text + "\"");
  return seconds;
}

void apply_timing(const submit_options& o, job_spec& spec) {
  if (!o.at.empty() && !o.delay.empty())
    throw usage_error("--at: cannot be combined with --delay; give one start "
                      "time");
  if (!o.delay.empty())
    spec.run_at_us = wall_now_us() + parse_duration_us("--delay", o.delay);
  if (!o.at.empty()) {
    auto at = parse_rfc3339(o.at);
    if (!at || *at < 0)
      throw usage_error("--at: must be an RFC 3339 time such as "
                        "2026-11-23T10:00:00Z or 2026-11-23T11:00:00+01:00, "
                        "got \"" +
                        o.at + "\"");
    spec.run_at_us = *at;
  }
  if (!o.unique_for.empty()) {
    if (o.unique_key.empty())
      throw usage_error("--unique-for: needs --unique KEY");
    spec.unique_for_s = duration_s("--unique-for", o.unique_for, 1);
  }
  if (!o.result_ttl.empty())
    spec.result_ttl_s = duration_s("--result-ttl", o.result_ttl, 1);
}

job_spec make_spec(const submit_options& o) {
  job_spec spec;
  if (o.type.empty())
    throw usage_error("submit: --type is required unless --batch is given");
  if (!is_valid_type_name(o.type))
    throw usage_error("--type: must match " + type_name_rule + ", got \"" +
                      o.type + "\"");
  spec.type = o.type;
  spec.payload =
      o.payload.empty() ? "{}" : read_json_argument("--payload", o.payload);
  if (!o.id.empty())
    check_job_id("--id", o.id);
  // A client-chosen id makes a repeated request return the job it created.
  spec.id = o.id.empty() ? make_client_id() : o.id;
  for (const auto& dep : o.after)
    check_job_id("--after", dep);
  spec.deps = o.after;
  apply_numbers(o, spec);
  if (!o.on_dependency_failure.empty()) {
    check_choice("--on-dependency-failure", o.on_dependency_failure,
                 "fail,cancel,ignore");
    spec.on_dependency_failure =
        *parse_dependency_policy(o.on_dependency_failure);
  }
  apply_timing(o, spec);
  spec.owner = o.owner;
  spec.tags = o.tags;
  spec.unique_key = o.unique_key;
  return spec;
}

int exit_code_of(job_status status) {
  return status == job_status::completed ? exit_ok : exit_job_failed;
}

void print_wait_summary(const progress_display& display,
                        const std::vector<std::string>& ids) {
  std::map<job_status, size_t> counts;
  for (const auto& id : ids)
    ++counts[display.status_of(id)];
  std::string text;
  for (const auto& [status, count] : counts)
    text += (text.empty() ? "" : ", ") + std::to_string(count) + " " +
            to_string(status);
  std::cout << ids.size() << (ids.size() == 1 ? " job: " : " jobs: ") << text
            << '\n';
}

int print_changed(client_session& session, const std::string& id,
                  const client_options& options, job_status status) {
  auto job = session.get(id);
  if (options.json)
    print_json(record_to_json(job));
  else
    std::cout << "job " << id << " is now " << to_string(status) << " (attempt "
              << job.attempt << ")\n";
  return exit_ok;
}

} // namespace

int run_submit(const submit_options& options) {
  auto where = server_of(options);
  auto spec = make_spec(options);
  client_session session{where};
  auto id = session.submit(spec);
  if (!options.wait) {
    if (options.json)
      print_json(record_to_json(session.get(id)));
    else
      std::cout << id << '\n';
    return exit_ok;
  }
  if (!options.json)
    std::cout << id << std::endl;
  progress_display display{std::cout, choose_display_mode(options.json), {id}};
  session.wait({id}, std::chrono::milliseconds(0), display);
  display.finish();
  auto job = session.get(id);
  if (options.json)
    print_json(record_to_json(job));
  return exit_code_of(job.status);
}

int run_status(const job_id_options& options) {
  auto where = server_of(options);
  client_session session{where};
  auto job = session.get(options.id);
  auto controls = session.visible_controls();
  if (options.json) {
    auto out = record_to_json(job);
    out["paused"] = shown_paused(controls, job);
    print_json(out);
  } else {
    print_job_details(std::cout, job, &controls);
  }
  return exit_ok;
}

int run_wait(const wait_options& options) {
  auto where = server_of(options);
  if (options.timeout_s < 0)
    throw usage_error("--timeout: must not be negative, got " +
                      std::to_string(options.timeout_s));
  client_session session{where};
  progress_display display{std::cout, choose_display_mode(options.json),
                           options.ids};
  auto timeout =
      std::chrono::milliseconds(static_cast<int64_t>(options.timeout_s * 1000));
  auto finished = session.wait(options.ids, timeout, display);
  display.finish();
  if (options.json) {
    std::vector<job_record> jobs;
    for (const auto& id : options.ids)
      jobs.push_back(session.get(id));
    print_json(records_to_json(jobs));
  } else {
    print_wait_summary(display, options.ids);
  }
  if (!finished) {
    std::cerr << "troupe: wait: " << display.unfinished()
              << " job(s) still not finished after " << options.timeout_s
              << " s\n";
    return exit_job_failed;
  }
  for (const auto& id : options.ids)
    if (display.status_of(id) != job_status::completed)
      return exit_job_failed;
  return exit_ok;
}

int run_list(const list_options& options) {
  auto where = server_of(options);
  job_query query;
  if (!options.status.empty()) {
    auto status = parse_job_status(options.status);
    if (!status)
      check_choice("--status", options.status,
                   "scheduled,waiting,queued,running,completed,failed,"
                   "cancelled");
    query.has_status = true;
    query.status = *status;
  }
  check_choice("--sort", options.sort, "created,priority,updated");
  check_range("--limit", options.limit, 1, max_jobs_per_list);
  check_range("--offset", options.offset, 0, 1'000'000'000);
  query.type = options.type;
  query.owner = options.owner;
  query.tag = options.tag;
  query.sort = *parse_job_sort(options.sort);
  query.descending = options.descending;
  query.limit = static_cast<uint32_t>(options.limit);
  query.offset = static_cast<uint32_t>(options.offset);
  client_session session{where};
  auto listing = session.list(query);
  const auto& jobs = listing.jobs;
  auto controls = session.visible_controls();
  print_damaged(std::cerr, "list", listing.damaged);
  if (options.json)
    print_json(records_to_json(jobs, &controls));
  else if (jobs.empty())
    std::cout << "no jobs match\n";
  else if (query.has_status && (query.status == job_status::failed ||
                                query.status == job_status::cancelled))
    print_dead_letter_table(std::cout, jobs); // Why they ended matters most.
  else
    print_job_table(std::cout, jobs, &controls);
  return exit_ok;
}

int run_cancel(const job_id_options& options) {
  auto where = server_of(options);
  client_session session{where};
  auto status = session.cancel(options.id);
  return print_changed(session, options.id, options, status);
}

int run_retry(const retry_options& options) {
  if (options.id.empty())
    return run_retry_matching(options);
  if (!options.status.empty() || !options.type.empty() ||
      !options.owner.empty() || !options.tag.empty())
    throw usage_error("retry: give a job id or filters, not both");
  auto where = server_of(options);
  client_session session{where};
  auto status = session.retry(options.id);
  return print_changed(session, options.id, options, status);
}

int run_history(const job_id_options& options) {
  auto where = server_of(options);
  client_session session{where};
  session.get(options.id); // An unknown id is an error, not an empty list.
  auto entries = session.history(options.id);
  if (options.json) {
    json result = json::array();
    for (const auto& entry : entries)
      result.push_back(history_to_json(entry));
    print_json(result);
  } else {
    print_history(std::cout, entries);
  }
  return exit_ok;
}

int run_stats(const client_options& options) {
  auto where = server_of(options);
  client_session session{where};
  auto stats = session.stats();
  if (options.json)
    print_json(stats_to_json(stats));
  else
    print_stats(std::cout, stats);
  return exit_ok;
}

int run_workers(const client_options& options) {
  auto where = server_of(options);
  client_session session{where};
  auto workers = session.workers();
  auto now = wall_now_us();
  if (options.json) {
    json result = json::array();
    for (const auto& info : workers)
      result.push_back(executor_to_json(info, now));
    print_json(result);
  } else if (workers.empty()) {
    std::cout << "no executors\n";
  } else {
    print_workers(std::cout, workers, now);
  }
  return exit_ok;
}

int run_cleanup(const cleanup_options& options) {
  auto where = server_of(options);
  auto age = parse_duration_us("--older-than", options.older_than);
  auto before = wall_now_us() - age;
  client_session session{where};
  auto report = session.purge(before);
  print_damaged(std::cerr, "cleanup", report.damaged);
  if (options.json) {
    json damaged = json::array();
    for (const auto& x : report.damaged)
      damaged.push_back(json{{"id", x.id}, {"problem", x.problem}});
    print_json(json{{"purged", report.purged},
                    {"finished_before", format_rfc3339(before)},
                    {"damaged", damaged}});
  } else {
    std::cout << "purged " << report.purged
              << " terminal job(s) finished before " << format_rfc3339(before)
              << '\n';
  }
  return exit_ok;
}

} // namespace troupe::cli
