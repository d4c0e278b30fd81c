// The commands that act on many jobs at once: `submit --batch` (one message,
// all or nothing) and `retry` by filter (the dead-letter queue, retried on
// the server side). Every argument is checked before the server is contacted.
#include <iostream>

#include "apps/troupe/batch_file.hpp"
#include "apps/troupe/client_session.hpp"
#include "apps/troupe/command_flags.hpp"
#include "apps/troupe/commands.hpp"
#include "apps/troupe/exit_codes.hpp"
#include "apps/troupe/json_codec.hpp"
#include "troupe/actors/scheduler/spec_validation.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe::cli {

namespace {

using json = nlohmann::ordered_json;

/// The flags that describe one job, which a batch file replaces.
void reject_single_job_flags(const submit_options& o) {
  std::vector<std::pair<const char*, bool>> flags{
      {"--type", !o.type.empty()},
      {"--payload", !o.payload.empty()},
      {"--priority", o.priority != submit_options::unset},
      {"--after", !o.after.empty()},
      {"--timeout", o.timeout_s != submit_options::unset},
      {"--retries", o.retries != submit_options::unset},
      {"--backoff-ms", o.backoff_ms != submit_options::unset},
      {"--id", !o.id.empty()},
      {"--owner", !o.owner.empty()},
      {"--tag", !o.tags.empty()},
      {"--unique-key", !o.unique_key.empty()},
      {"--on-dependency-failure", !o.on_dependency_failure.empty()},
      {"--delay", !o.delay.empty()}};
  for (const auto& [flag, given] : flags)
    if (given)
      throw usage_error(std::string{"--batch: cannot be combined with "} +
                        flag + " (give each job's fields in the batch file)");
}

std::string check_spec(const job_spec& spec) {
  // The server checks again against its own limits; this check only adds
  // the line number to the common mistakes.
  if (auto err = validate_spec(spec, job_limits{}))
    return message_of(err);
  return {};
}

/// Waits for `ids`; prints their records with --json; exits by outcome.
int wait_for_batch(client_session& session, const submit_options& options,
                   const std::vector<std::string>& ids) {
  progress_display display{std::cout, choose_display_mode(options.json), ids};
  session.wait(ids, std::chrono::milliseconds(0), display);
  display.finish();
  json records = json::array();
  bool all_completed = true;
  for (const auto& id : ids) {
    auto job = session.get(id);
    all_completed = all_completed && job.status == job_status::completed;
    records.push_back(record_to_json(job));
  }
  if (options.json)
    std::cout << dump_json(records) << '\n';
  return all_completed ? exit_ok : exit_job_failed;
}

job_query retry_query(const retry_options& o) {
  if (o.status.empty() && o.type.empty() && o.owner.empty() && o.tag.empty())
    throw usage_error("retry: give a job id or at least one filter "
                      "(--status, --type, --owner, --tag)");
  job_query query;
  query.has_status = true;
  query.status = job_status::failed;
  if (!o.status.empty()) {
    check_choice("--status", o.status, "failed,cancelled");
    query.status = *parse_job_status(o.status);
  }
  check_range("--limit", o.limit, 1, max_jobs_per_retry);
  query.type = o.type;
  query.owner = o.owner;
  query.tag = o.tag;
  query.limit = static_cast<uint32_t>(o.limit);
  return query;
}

} // namespace

int run_submit_batch(const submit_options& options) {
  reject_single_job_flags(options);
  auto where = server_of(options);
  auto specs = read_batch_file(options.batch, check_spec);
  client_session session{where};
  auto ids = session.submit_batch(specs);
  if (options.json && !options.wait) {
    std::cout << dump_json(json(ids)) << '\n';
    return exit_ok;
  }
  if (!options.json) {
    for (const auto& id : ids)
      std::cout << id << '\n';
    std::cout << std::flush;
  }
  return options.wait ? wait_for_batch(session, options, ids) : exit_ok;
}

int run_retry_matching(const retry_options& options) {
  auto query = retry_query(options);
  auto where = server_of(options);
  client_session session{where};
  auto ids = session.retry_matching(query);
  if (options.json) {
    std::cout << dump_json(json{{"retried", ids.size()}, {"ids", ids}}) << '\n';
    return exit_ok;
  }
  std::cout << "retried " << ids.size() << " " << to_string(query.status)
            << " job(s)\n";
  for (const auto& id : ids)
    std::cout << id << '\n';
  return exit_ok;
}

} // namespace troupe::cli
