// The flags of the client commands and of the cluster commands.
#include "apps/troupe/command_flags.hpp"

#include <CLI/CLI.hpp>

#include "apps/troupe/cli_arguments.hpp"

namespace troupe::cli {

namespace {

// Flags shared by the executor-node commands.
void add_executor_flags(CLI::App* sub, int64_t& slots,
                        std::vector<std::string>& types) {
  sub->add_option("--slots", slots, "attempts run at once")
      ->capture_default_str();
  sub->add_option("--types", types,
                  "job types to take, comma-separated (default: all)")
      ->delimiter(',');
}

void add_node_flags(CLI::App* sub, std::string& name, double& timeout_s) {
  sub->add_option("--name", name,
                  "node name in the worker table (default: HOST-PID)");
  sub->add_option("--heartbeat-timeout", timeout_s,
                  "seconds of silence before a peer counts as lost")
      ->capture_default_str();
}

// --tls-cert, --tls-key and --tls-ca; a client also reads them from the
// environment, as it does --server.
void add_tls_flags(CLI::App* sub, tls_files& tls, bool client) {
  std::string whose = client ? "this client's" : "this node's";
  auto* cert = sub->add_option("--tls-cert", tls.cert,
                               "PEM file of " + whose + " certificate");
  auto* key =
      sub->add_option("--tls-key", tls.key, "PEM file of its private key");
  auto* ca = sub->add_option("--tls-ca", tls.ca,
                             "PEM file of the cluster's CA certificate");
  if (!client)
    return;
  cert->envname("TROUPE_TLS_CERT");
  key->envname("TROUPE_TLS_KEY");
  ca->envname("TROUPE_TLS_CA");
}

} // namespace

void add_client_flags(CLI::App* sub, client_options& options, bool with_json) {
  sub->add_option("--server", options.server, "HOST:PORT of the troupe server")
      ->envname("TROUPE_SERVER")
      ->capture_default_str();
  if (with_json)
    sub->add_flag("--json", options.json,
                  "print exactly one JSON document instead of text");
  add_tls_flags(sub, options.tls, true);
  sub->add_option("--secret-file", options.secret_file,
                  "the secret a loopback server wrote for its clients "
                  "(default: found as the server is found)")
      ->envname("TROUPE_SECRET_FILE");
  // Before the command runs: bad flags never reach the server.
  sub->final_callback([&options] { check_tls_flags(options.tls); });
}

void add_security_flags(CLI::App* sub, security_flags& options, bool listens) {
  add_tls_flags(sub, options.tls, false);
  if (listens)
    sub->add_flag("--insecure-no-tls", options.insecure_no_tls,
                  "listen beyond loopback without TLS (warns on every "
                  "start)");
}

void add_log_flags(CLI::App* sub, log_flags& options) {
  sub->add_option("--log-level", options.level,
                  "trace, debug, info, warn, error or off")
      ->capture_default_str();
  sub->add_option("--log-format", options.format,
                  "text, or json (one JSON object per line on stderr)")
      ->capture_default_str();
}

log_options to_log_options(const log_flags& flags) {
  log_options result;
  auto level = parse_log_level(flags.level);
  if (!level)
    check_choice("--log-level", flags.level, "trace,debug,info,warn,error,off");
  auto format = parse_log_format(flags.format);
  if (!format)
    check_choice("--log-format", flags.format, "text,json");
  result.level = *level;
  result.format = *format;
  return result;
}

void add_cluster_commands(CLI::App& app, worker_options& worker_o,
                          bare_node_options& bare_o,
                          spawn_executor_options& spawn_o) {
  auto* worker = app.add_subcommand(
      "worker", "run an executor node that joins a coordinator");
  worker->add_option("--join", worker_o.join, "HOST:PORT of the coordinator")
      ->required();
  add_executor_flags(worker, worker_o.slots, worker_o.types);
  add_node_flags(worker, worker_o.name, worker_o.heartbeat_timeout_s);
  add_log_flags(worker, worker_o.log);
  add_security_flags(worker, worker_o.security, false);
  worker->add_option("--config", worker_o.config_file,
                     "JSON file with keys tls_cert, tls_key, tls_ca, acl "
                     "and job_types (flags win)");
  worker
      ->add_option("--grace", worker_o.grace_s,
                   "seconds running jobs may "
                   "finish after SIGINT/SIGTERM")
      ->capture_default_str();
  worker
      ->add_option("--join-timeout", worker_o.join_timeout_s,
                   "seconds to wait for the first join")
      ->capture_default_str();
  auto* bare = app.add_subcommand(
      "node", "run a bare node that coordinators spawn executors into");
  bare->add_option("--listen", bare_o.listen,
                   "HOST:PORT to listen on (port 0 picks a free one)")
      ->capture_default_str();
  add_node_flags(bare, bare_o.name, bare_o.heartbeat_timeout_s);
  add_log_flags(bare, bare_o.log);
  add_security_flags(bare, bare_o.security, true);
  bare->add_option("--config", bare_o.config_file,
                   "JSON file with keys tls_cert, tls_key, tls_ca, "
                   "insecure_no_tls, acl and job_types (flags win)");
  auto* spawn = app.add_subcommand(
      "spawn-executor", "ask the coordinator to spawn an executor on a node");
  spawn->add_option("--node", spawn_o.node, "HOST:PORT of the bare node")
      ->required();
  add_executor_flags(spawn, spawn_o.slots, spawn_o.types);
  spawn->add_option("--name", spawn_o.name, "executor name");
  add_client_flags(spawn, spawn_o);
}

server_address server_of(const client_options& options) {
  auto where = parse_server_address("--server", options.server);
  where.tls = options.tls;
  where.secret_file = options.secret_file;
  return where;
}

} // namespace troupe::cli
