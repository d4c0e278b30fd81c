// The schedule subcommands: add, list and remove periodic schedules. Every
// argument is checked before the server is contacted.
#include <iostream>

#include "apps/troupe/client_session.hpp"
#include "apps/troupe/command_flags.hpp"
#include "apps/troupe/commands.hpp"
#include "apps/troupe/exit_codes.hpp"
#include "apps/troupe/job_views.hpp"
#include "apps/troupe/json_codec.hpp"
#include "apps/troupe/text_table.hpp"
#include "troupe/actors/schedules/schedule_keeper_state.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe::cli {

namespace {

using json = nlohmann::ordered_json;

std::string spec_of(const periodic_schedule& x) {
  if (!x.cron.empty())
    return "cron " + x.cron;
  return "every " + format_duration(x.every_ms * 1000);
}

json schedule_to_json(const periodic_schedule& x) {
  return json{
      {"name", x.name},
      {"cron", x.cron.empty() ? json(nullptr) : json(x.cron)},
      {"every_ms", x.every_ms == 0 ? json(nullptr) : json(x.every_ms)},
      {"missed", to_string(x.missed)},
      {"job", spec_to_json(x.job)},
      {"created", time_or_null(x.created_us)},
      {"next_firing", time_or_null(x.next_fire_us)},
      {"last_firing", time_or_null(x.last_fired_us)},
      {"last_job", x.last_job_id.empty() ? json(nullptr) : json(x.last_job_id)},
  };
}

// Names the flag instead of the field where one has a flag of its own.
std::string with_flag_names(const std::string& message) {
  static const std::pair<std::string, std::string> flags[] = {
      {"cron:", "--cron:"},       {"every:", "--every:"},
      {"job.type:", "--type:"},   {"job.payload:", "--payload:"},
      {"job.owner:", "--owner:"}, {"job.tags", "--tag"}};
  for (const auto& [field, flag] : flags)
    if (message.rfind(field, 0) == 0)
      return flag + message.substr(field.size());
  return message;
}

void apply_job_numbers(const schedule_options& o, job_spec& job) {
  job_limits limits;
  if (o.priority != submit_options::unset) {
    throw_spec_rule(check_priority(o.priority));
    job.priority = static_cast<uint8_t>(o.priority);
  }
  if (o.timeout_s != submit_options::unset) {
    throw_spec_rule(check_timeout_s(o.timeout_s, limits));
    job.timeout_s = static_cast<int32_t>(o.timeout_s);
  }
  if (o.retries != submit_options::unset) {
    throw_spec_rule(check_max_retries(o.retries, limits));
    job.max_retries = static_cast<int32_t>(o.retries);
  }
}

periodic_schedule make_schedule(const schedule_options& o) {
  periodic_schedule x;
  x.name = o.name;
  if (!o.cron.empty() && !o.every.empty())
    throw usage_error("--cron: cannot be combined with --every");
  if (o.cron.empty() && o.every.empty())
    throw usage_error("schedule add: give --cron \"EXPR\" or --every DURATION");
  x.cron = o.cron;
  if (!o.every.empty())
    x.every_ms = parse_duration_us("--every", o.every) / 1000;
  check_choice("--missed", o.missed, "skip,run-once");
  x.missed = *parse_missed_policy(o.missed);
  x.job.type = o.type;
  x.job.payload =
      o.payload.empty() ? "{}" : read_json_argument("--payload", o.payload);
  x.job.owner = o.owner;
  x.job.tags = o.tags;
  apply_job_numbers(o, x.job);
  x.created_us = wall_now_us();
  if (auto err = validate_schedule(x, job_limits{}))
    throw usage_error(with_flag_names(message_of(err)));
  return x;
}

} // namespace

int run_schedule_add(const schedule_options& options) {
  auto where = server_of(options);
  auto schedule = make_schedule(options);
  client_session session{where};
  auto added = session.add_schedule(schedule);
  if (options.json)
    std::cout << dump_json(schedule_to_json(added)) << '\n';
  else
    std::cout << "schedule " << added.name << " added (" << spec_of(added)
              << "); next firing " << format_rfc3339(added.next_fire_us)
              << '\n';
  return exit_ok;
}

int run_schedule_list(const client_options& options) {
  auto where = server_of(options);
  client_session session{where};
  auto schedules = session.schedules();
  if (options.json) {
    json result = json::array();
    for (const auto& x : schedules)
      result.push_back(schedule_to_json(x));
    std::cout << dump_json(result) << '\n';
    return exit_ok;
  }
  if (schedules.empty()) {
    std::cout << "no schedules\n";
    return exit_ok;
  }
  text_table table{{"NAME", "SPEC", "TYPE", "NEXT", "LAST", "MISSED"}};
  for (const auto& x : schedules)
    table.add_row({x.name, spec_of(x), x.job.type,
                   x.next_fire_us ? format_rfc3339(x.next_fire_us) : "-",
                   x.last_fired_us ? format_rfc3339(x.last_fired_us) : "-",
                   to_string(x.missed)});
  table.print(std::cout);
  return exit_ok;
}

int run_schedule_remove(const schedule_options& options) {
  auto where = server_of(options);
  client_session session{where};
  session.remove_schedule(options.name);
  if (options.json)
    std::cout << dump_json(json{{"removed", options.name}}) << '\n';
  else
    std::cout << "schedule " << options.name << " removed\n";
  return exit_ok;
}

} // namespace troupe::cli
