// Command-line flags shared by several subcommands, and the flags of the
// cluster commands (worker, node, spawn-executor), wired with CLI11.
#pragma once

#include "apps/troupe/cli_arguments.hpp"
#include "apps/troupe/commands.hpp"
#include "troupe/logging/log.hpp"

namespace CLI {
class App;
} // namespace CLI

namespace troupe::cli {

/// Where the server of a client command is (--server) and how the client
/// proves itself there (--tls-*, --secret-file). Throws a usage error
/// naming a bad flag.
server_address server_of(const client_options& options);

/// Adds --server, --tls-cert, --tls-key, --tls-ca, --secret-file (each
/// with its environment variable) and --json unless `with_json` is false
/// to `sub`; the TLS files are checked once parsed.
void add_client_flags(CLI::App* sub, client_options& options,
                      bool with_json = true);

/// Adds --tls-cert, --tls-key, --tls-ca and, when the command `listens`,
/// --insecure-no-tls to `sub`, a command that runs a node.
void add_security_flags(CLI::App* sub, security_flags& options, bool listens);

/// Adds --log-level and --log-format to `sub`.
void add_log_flags(CLI::App* sub, log_flags& options);

/// Checks `flags` (a usage error names the flag and the allowed values) and
/// returns the node's log options.
log_options to_log_options(const log_flags& flags);

/// Adds `troupe audit` (defined with the command, audit_command.cpp).
void add_audit_command(CLI::App& app, audit_options& options);

/// Adds `troupe worker`, `troupe node` and `troupe spawn-executor`.
void add_cluster_commands(CLI::App& app, worker_options& worker_o,
                          bare_node_options& bare_o,
                          spawn_executor_options& spawn_o);

/// Adds `troupe certs init` and `troupe certs issue`.
void add_certs_command(CLI::App& app, certs_options& options);

} // namespace troupe::cli
