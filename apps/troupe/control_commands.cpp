// `troupe limits set|get|clear`, `troupe pause` and `troupe resume`. Every
// argument is checked before the server is contacted, and the server checks
// again, so bad input never changes anything.
#include <cmath>
#include <iostream>

#include "apps/troupe/client_session.hpp"
#include "apps/troupe/command_flags.hpp"
#include "apps/troupe/commands.hpp"
#include "apps/troupe/control_views.hpp"
#include "apps/troupe/exit_codes.hpp"
#include "apps/troupe/json_codec.hpp"
#include "troupe/actors/queue/dispatch_limiter.hpp"
#include "troupe/actors/scheduler/dispatch_rules.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe::cli {

namespace {

struct target {
  control_scope scope;
  std::string key;
};

void check(const caf::error& err, const std::string& flag) {
  if (err)
    throw usage_error(flag + ": " + message_of(err));
}

// `first` and `second` are the flags of the two ways to name the target.
target pick_target(const std::string& first_flag, const std::string& first,
                   control_scope first_scope, const std::string& second_flag,
                   const std::string& second, control_scope second_scope) {
  if (first.empty() == second.empty())
    throw usage_error(first_flag + "/" + second_flag + ": give exactly one");
  target result =
      first.empty() ? target{second_scope, second} : target{first_scope, first};
  auto flag = first.empty() ? second_flag : first_flag;
  if (auto err = validate_target(result.scope, result.key, "type,owner,job"))
    throw usage_error(flag + ": " +
                      message_of(err).substr(message_of(err).find(": ") + 2));
  return result;
}

target limit_target(const limits_options& o) {
  return pick_target("--type", o.type, control_scope::type, "--owner", o.owner,
                     control_scope::owner);
}

void check_numbers(const limits_options& o) {
  if (o.given.empty())
    throw usage_error("limits set: give --max-running, --rate or --burst");
  check_range("--max-running", o.max_running, 0, max_limit_count);
  check_range("--burst", o.burst, 0, max_limit_count);
  if (!std::isfinite(o.rate) || o.rate < 0 || o.rate > max_limit_rate)
    throw usage_error("--rate: must be between 0 and 1000000 per second, "
                      "got " +
                      nlohmann::json(o.rate).dump());
}

// The stored limit of `t` with the flags given applied.
dispatch_limit merged_limit(const limits_options& o, const target& t,
                            const dispatch_controls& current) {
  dispatch_limit limit;
  limit.scope = t.scope;
  limit.key = t.key;
  for (const auto& x : current.limits)
    if (x.scope == t.scope && x.key == t.key)
      limit = x;
  if (o.given.count("max-running") > 0)
    limit.max_running = static_cast<uint32_t>(o.max_running);
  if (o.given.count("rate") > 0)
    limit.rate = o.rate;
  if (o.given.count("burst") > 0)
    limit.burst = static_cast<uint32_t>(o.burst);
  if (limit.rate == 0 && o.given.count("burst") == 0)
    limit.burst = 0; // A burst without a rate means nothing.
  return limit;
}

void print_result(const client_options& o, const dispatch_controls& controls,
                  const std::string& text) {
  if (o.json)
    std::cout << dump_json(controls_to_json(controls)) << '\n';
  else
    std::cout << text << '\n';
}

} // namespace

int run_limits(const limits_options& o) {
  auto where = server_of(o);
  if (o.action == "get") {
    client_session session{where};
    auto controls = session.controls();
    if (o.json)
      std::cout << dump_json(controls_to_json(controls)) << '\n';
    else
      print_controls(std::cout, controls);
    return exit_ok;
  }
  auto t = limit_target(o);
  if (o.action == "clear") {
    client_session session{where};
    auto controls = session.clear_limit(t.scope, t.key);
    print_result(o, controls,
                 "limit cleared: " + to_string(t.scope) + " " + t.key);
    return exit_ok;
  }
  check_numbers(o);
  client_session session{where};
  auto limit = merged_limit(o, t, session.controls());
  check(validate_limit(limit), "limits set");
  auto controls = session.set_limit(limit);
  print_result(o, controls, "limit set: " + describe(limit));
  return exit_ok;
}

int run_pause(const pause_options& o, bool paused) {
  auto where = server_of(o);
  auto t = pick_target("--type", o.type, control_scope::type, "ID", o.id,
                       control_scope::job);
  client_session session{where};
  auto controls = session.set_paused(t.scope, t.key, paused);
  print_result(o, controls,
               std::string{paused ? "paused " : "resumed "} +
                   to_string(t.scope) + " " + t.key);
  return exit_ok;
}

} // namespace troupe::cli
