// `troupe serve`: the coordinator with local executors, published on a TCP
// port. SIGINT/SIGTERM are blocked before any thread starts and taken with
// sigwait, so shutdown runs on the main thread, never in a signal handler.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "apps/troupe/builtin_jobs.hpp"
#include "apps/troupe/cli_arguments.hpp"
#include "apps/troupe/command_flags.hpp"
#include "apps/troupe/commands.hpp"
#include "apps/troupe/control_views.hpp"
#include "apps/troupe/encryption_flags.hpp"
#include "apps/troupe/exit_codes.hpp"
#include "apps/troupe/json_codec.hpp"
#include "apps/troupe/node_config.hpp"
#include "apps/troupe/serve_restart.hpp"
#include "apps/troupe/service_notify.hpp"
#include "apps/troupe/shell_job.hpp"
#include "apps/troupe/shell_leftovers.hpp"
#include "apps/troupe/stop_signals.hpp"
#include "troupe/actors/node/exposure.hpp"
#include "troupe/actors/node/node.hpp"
#include "troupe/actors/scheduler/dispatch_rules.hpp"

namespace troupe::cli {

namespace {

using json = nlohmann::json;

// "log_level" and "log_format": strings, checked with the flags' rules.
void apply_log_key(serve_options& o, const std::string& key, const json& value,
                   const std::string& field) {
  if (!value.is_string())
    throw usage_error(field + " must be a string");
  if (o.given.count(key) > 0)
    return;
  (key == "log_level" ? o.log.level : o.log.format) = value.get<std::string>();
}

// Takes the keys of the config file that were not given as flags.
void apply_config_file(serve_options& o) {
  if (o.config_file.empty())
    return;
  auto config = read_config_file(o.config_file);
  for (const auto& [key, value] : config.items()) {
    auto field = "--config: " + o.config_file + ": \"" + key + "\"";
    if (apply_security_key(o.security, o.config_file, key, value, true))
      continue;
    if (key == "limits") {
      if (!value.is_array())
        throw usage_error(field + " must be an array of limits");
      o.limits_json = value.dump();
      continue;
    }
    if (key == "log_level" || key == "log_format") {
      apply_log_key(o, key, value, field);
      continue;
    }
    if (apply_encryption_config(o, key, value, field))
      continue;
    bool flag_wins = o.given.count(key) > 0;
    bool is_text = key == "data" || key == "listen" || key == "durability" ||
                   key == "retention" || key == "cleanup_every";
    if (is_text && !value.is_string())
      throw usage_error(field + " must be a string");
    if (key == "slots" && !value.is_number_integer())
      throw usage_error(field + " must be an integer");
    bool is_seconds = key == "grace" || key == "heartbeat_timeout";
    if (is_seconds && !value.is_number())
      throw usage_error(field + " must be a number of seconds");
    if (!is_text && key != "slots" && !is_seconds)
      throw usage_error(field +
                        " is not a known key (known: data, listen, "
                        "slots, durability, grace, retention, "
                        "cleanup_every, heartbeat_timeout, "
                        "log_level, log_format, limits, "
                        "encryption_key, old_encryption_keys, " +
                        security_keys(true) + ")");
    if (flag_wins)
      continue;
    if (key == "data")
      o.data = value.get<std::string>();
    else if (key == "listen")
      o.listen = value.get<std::string>();
    else if (key == "durability")
      o.durability = value.get<std::string>();
    else if (key == "retention")
      o.retention = value.get<std::string>();
    else if (key == "cleanup_every")
      o.cleanup_every = value.get<std::string>();
    else if (key == "slots")
      o.slots = value.get<int64_t>();
    else if (key == "heartbeat_timeout")
      o.heartbeat_timeout_s = value.get<double>();
    else
      o.grace_s = value.get<double>();
  }
}

// Automatic cleanup: "0" (no unit) turns it off; otherwise a duration.
void apply_retention(const serve_options& o, node_options& n) {
  using std::chrono::microseconds;
  using std::chrono::milliseconds;
  auto retention = parse_duration_us("--retention", o.retention);
  if (retention < 1000 * 1000)
    throw usage_error("--retention: must be at least 1s, got \"" + o.retention +
                      "\"");
  n.retention.retention =
      std::chrono::duration_cast<milliseconds>(microseconds(retention));
  auto every = o.cleanup_every == "0"
                   ? 0
                   : parse_duration_us("--cleanup-every", o.cleanup_every);
  if (every != 0 && every < 100 * 1000)
    throw usage_error("--cleanup-every: must be 0 (off) or at least 100ms, "
                      "got \"" +
                      o.cleanup_every + "\"");
  n.retention.interval =
      std::chrono::duration_cast<milliseconds>(microseconds(every));
  n.on_cleanup = [](uint64_t purged, int64_t cutoff_us) {
    std::cout << "troupe serve: retention cleanup purged " << purged
              << " terminal job(s) finished before "
              << format_rfc3339(cutoff_us) << std::endl;
  };
}

// Reads and checks the config file's limits; errors name the entry.
std::vector<dispatch_limit> config_limits(const serve_options& o) {
  std::vector<dispatch_limit> result;
  if (o.limits_json.empty())
    return result;
  auto array = json::parse(o.limits_json);
  for (size_t i = 0; i < array.size(); ++i) {
    auto prefix =
        "--config: " + o.config_file + ": limits[" + std::to_string(i) + "].";
    dispatch_limit limit;
    if (auto err = limit_from_json(array[i], limit, prefix); !err.empty())
      throw usage_error(err);
    if (auto err = validate_limit(limit))
      throw usage_error(prefix + message_of(err));
    result.push_back(std::move(limit));
  }
  return result;
}

node_options make_node_options(const serve_options& o) {
  if (o.data.empty())
    throw usage_error("--data: must not be empty");
  check_range("--slots", o.slots, 0, 1024);
  auto level = parse_durability(o.durability);
  if (!level)
    check_choice("--durability", o.durability, "none,wal,fsync");
  if (!(o.grace_s >= 0 && o.grace_s <= 3600))
    throw usage_error("--grace: must be between 0 and 3600 seconds, got " +
                      std::to_string(o.grace_s));
  auto address = parse_server_address("--listen", o.listen, true);
  node_options n;
  n.log = to_log_options(o.log);
  n.heartbeat_timeout = heartbeat_timeout(o.heartbeat_timeout_s);
  n.store.path = o.data;
  n.store.level = *level;
  n.executor.slots = static_cast<uint32_t>(o.slots);
  n.shutdown_grace =
      std::chrono::milliseconds(static_cast<int64_t>(o.grace_s * 1000));
  n.listen_host = address.host;
  n.listen_port = address.port;
  n.security = to_security_options(o.security);
  // The node refuses it too; checked here first so that nothing, not even
  // the data directory, is made before the refusal.
  if (auto err = check_exposure(n.listen_host, n.security))
    throw usage_error(message_of(err));
  apply_retention(o, n);
  n.dispatch_limits = config_limits(o);
  return n;
}

// Kills what shell jobs of an earlier run (or of the node that just failed)
// left running, so no attempt runs beside its recovered next attempt.
void end_leftovers(const std::string& data_dir) {
  if (auto left = end_leftover_shell_jobs(data_dir); left > 0)
    std::cerr << "troupe serve: killed " << left
              << " processes left running by shell jobs of an earlier run"
              << std::endl;
}

// After the node stopped itself on `failure`: exits 3 when asked to, else
// replaces the process once the disk has room (see serve_restart.hpp), with
// the backoff carried over from a restart less than the longest delay ago.
// Returns only if a stop signal came first.
void restart_after(const caf::error& failure, node& server,
                   const serve_options& o, stop_signals& signals,
                   const restart_handoff& handoff,
                   std::chrono::steady_clock::time_point started) {
  std::cerr << "troupe serve: the node stopped itself: " << message_of(failure)
            << std::endl;
  if (o.on_failure == "exit") {
    server.abandon(); // Closing a store that failed a write may abort.
    throw cli_error{exit_unreachable,
                    "serve: stopped after a failure: " + message_of(failure)};
  }
  auto recent = std::chrono::steady_clock::now() - started < last_restart_delay;
  restart_process(server, signals,
                  handoff.restarted && recent ? handoff.delay
                                              : first_restart_delay);
}

// Starts the node. A process that replaced itself after a failure tries
// again with backoff while the store cannot open yet (a stop signal then
// ends it at once, exit 0); any other failure ends `serve` with exit 3.
void start_node(node& server, const restart_handoff& handoff,
                stop_signals& signals) {
  auto delay = handoff.delay;
  for (;;) {
    auto err = server.start();
    if (!err)
      return;
    // A store that needs a key it was not given names the setting: bad
    // usage, like a bad key file.
    if (code_of(err) == errc::invalid_field &&
        message_of(err).rfind("encryption-key: ", 0) == 0)
      throw usage_error("serve: cannot start: " + message_of(err));
    if (!handoff.restarted || code_of(err) != errc::storage_failure)
      throw cli_error{exit_unreachable,
                      "serve: cannot start: " + message_of(err)};
    std::cerr << "troupe serve: cannot start again yet: " << message_of(err)
              << "; next try in " << delay.count() << " ms" << std::endl;
    signals.wait_for(delay);
    delay = std::min(delay * 2, last_restart_delay);
  }
}

} // namespace

int run_serve(serve_options o) {
  apply_config_file(o);
  auto options = make_node_options(o);
  check_choice("--on-failure", o.on_failure, "restart,exit");
  options.store.accept_data_loss = o.accept_data_loss;
  options.store.encryption = read_keyring(o);
  // Before the node starts threads, so that every thread inherits the mask
  // and the signals go to the watching thread.
  stop_signals signals{"serve"};
  adopt_orphaned_processes();
  std::error_code ec;
  std::filesystem::create_directories(options.store.path, ec);
  if (ec)
    throw cli_error{exit_unreachable, "serve: cannot create data directory " +
                                          options.store.path + ": " +
                                          ec.message()};
  // A node that stopped itself ends the wait for a signal below.
  options.on_failure = [&signals](const caf::error&) { signals.wake(); };
  auto handoff = take_restart_handoff();
  if (handoff.restarted && options.listen_port == 0)
    options.listen_port = handoff.port; // Where clients already connect.
  end_leftovers(options.store.path);
  node server{options};
  register_builtin_jobs(server, o.security.shell);
  start_node(server, handoff, signals);
  auto started = std::chrono::steady_clock::now();
  signals.started(); // A stop once ready is a graceful one.
  server_address bound;
  bound.host = options.listen_host;
  bound.port = server.port();
  std::cout << "troupe serve: " << (handoff.restarted ? "restarted, " : "")
            << "listening on " << bound.to_string() << " (data "
            << options.store.path << ")" << std::endl;
  notify_ready();
  auto received = signals.wait();
  if (auto failure = server.failure()) {
    restart_after(failure, server, o, signals, handoff, started);
    return exit_ok; // A stop signal came before the restart.
  }
  std::cerr << "troupe serve: " << strsignal(received)
            << " received; stopping (running jobs get up to " << o.grace_s
            << " s to finish)" << std::endl;
  notify_stopping();
  server.shutdown();
  std::cerr << "troupe serve: stopped" << std::endl;
  return exit_ok;
}

} // namespace troupe::cli
