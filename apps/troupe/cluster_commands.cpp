// `troupe worker`, `troupe node` and `troupe spawn-executor`: the executor
// nodes of a cluster and the request that fills a bare node with executors.
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <iostream>

#include "apps/troupe/builtin_jobs.hpp"
#include "apps/troupe/cli_arguments.hpp"
#include "apps/troupe/client_session.hpp"
#include "apps/troupe/command_flags.hpp"
#include "apps/troupe/commands.hpp"
#include "apps/troupe/exit_codes.hpp"
#include "apps/troupe/node_config.hpp"
#include "apps/troupe/shell_job.hpp"
#include "apps/troupe/stop_signals.hpp"
#include "troupe/actors/node/exposure.hpp"
#include "troupe/actors/node/node.hpp"

namespace troupe::cli {

namespace {

std::string default_node_name() {
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0)
    std::strcpy(host, "node");
  return std::string{host} + "-" + std::to_string(getpid());
}

std::chrono::milliseconds seconds_flag(const std::string& flag, double s,
                                       double lo, double hi) {
  if (!(s >= lo && s <= hi))
    throw usage_error(flag + ": must be between " + std::to_string(lo) +
                      " and " + std::to_string(hi) + " seconds, got " +
                      std::to_string(s));
  return std::chrono::milliseconds(std::llround(s * 1000));
}

void check_types(const std::vector<std::string>& types) {
  for (const auto& type : types)
    if (type.empty())
      throw usage_error("--types: must be a comma-separated list of job "
                        "types without empty entries");
}

/// Runs `n` until SIGINT or SIGTERM, then shuts it down.
int serve_until_signal(node& n, stop_signals& signals, const char* what) {
  auto received = signals.wait();
  std::cerr << "troupe " << what << ": " << strsignal(received)
            << " received; stopping" << std::endl;
  n.shutdown();
  std::cerr << "troupe " << what << ": stopped" << std::endl;
  return exit_ok;
}

} // namespace

std::chrono::milliseconds heartbeat_timeout(double seconds) {
  return seconds_flag("--heartbeat-timeout", seconds, 1, 300);
}

int run_worker(const worker_options& o) {
  auto coordinator = parse_server_address("--join", o.join);
  check_range("--slots", o.slots, 1, 1024);
  check_types(o.types);
  auto security = o.security;
  apply_node_config(security, o.config_file, false);
  node_options options;
  options.security = to_security_options(security);
  options.log = to_log_options(o.log);
  options.join = coordinator.to_string();
  options.name = o.name.empty() ? default_node_name() : o.name;
  options.executor.slots = static_cast<uint32_t>(o.slots);
  options.executor.types = o.types;
  options.shutdown_grace = seconds_flag("--grace", o.grace_s, 0, 3600);
  options.heartbeat_timeout = heartbeat_timeout(o.heartbeat_timeout_s);
  options.join_timeout =
      seconds_flag("--join-timeout", o.join_timeout_s, 0.1, 3600);
  stop_signals signals{"worker"};
  adopt_orphaned_processes();
  node worker{options};
  register_builtin_jobs(worker, security.shell);
  if (auto err = worker.start()) {
    auto code = code_of(err) == errc::node_unreachable ? exit_unreachable
                : code_of(err) == errc::forbidden      ? exit_forbidden
                                                       : exit_usage;
    throw cli_error{code, "worker: " + message_of(err)};
  }
  std::cout << "troupe worker: joined " << options.join << " as "
            << options.name << " (" << options.executor.slots << " slots)"
            << std::endl;
  return serve_until_signal(worker, signals, "worker");
}

int run_node(const bare_node_options& o) {
  auto address = parse_server_address("--listen", o.listen, true);
  auto security = o.security;
  apply_node_config(security, o.config_file, true);
  node_options options;
  options.security = to_security_options(security);
  if (auto err = check_exposure(address.host, options.security))
    throw usage_error(message_of(err));
  options.log = to_log_options(o.log);
  options.bare = true;
  options.name = o.name.empty() ? default_node_name() : o.name;
  options.listen_host = address.host;
  options.listen_port = address.port;
  options.heartbeat_timeout = heartbeat_timeout(o.heartbeat_timeout_s);
  stop_signals signals{"node"};
  adopt_orphaned_processes();
  node bare{options};
  register_builtin_jobs(bare, security.shell);
  if (auto err = bare.start())
    throw cli_error{exit_unreachable, "node: " + message_of(err)};
  server_address bound;
  bound.host = address.host;
  bound.port = bare.port();
  std::cout << "troupe node: listening on " << bound.to_string() << " as "
            << options.name << std::endl;
  return serve_until_signal(bare, signals, "node");
}

int run_spawn_executor(const spawn_executor_options& o) {
  auto target = parse_server_address("--node", o.node);
  check_range("--slots", o.slots, 1, 1024);
  check_types(o.types);
  spawn_request request;
  request.host = target.host;
  request.port = target.port;
  request.settings.name = o.name;
  request.settings.slots = static_cast<uint32_t>(o.slots);
  request.settings.types = o.types;
  auto server = server_of(o);
  // The bare node rejoins the coordinator where this client reached it.
  request.settings.coordinator = server.to_string();
  client_session session{server};
  auto name = session.spawn_executor(request);
  if (o.json)
    std::cout << nlohmann::json{{"executor", name}, {"node", o.node}}.dump()
              << std::endl;
  else
    std::cout << "spawned executor " << name << " on " << o.node << std::endl;
  return exit_ok;
}

} // namespace troupe::cli
