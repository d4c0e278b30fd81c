// The options and entry points of every troupe subcommand. main parses the
// command line into these structs; each run_* returns the exit code or
// throws a cli_error. No CAF here, so main compiles fast.
#pragma once

#include <chrono>
#include <climits>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "troupe/messages/cluster.hpp"
#include "troupe/security/security_options.hpp"

namespace troupe::cli {

/// `d` in seconds, for the flags that take seconds.
constexpr double seconds_of(std::chrono::milliseconds d) {
  return static_cast<double>(d.count()) / 1000.0;
}

/// The server address shared by every client command.
struct client_options {
  /// "HOST:PORT"; --server, env TROUPE_SERVER. Default: 127.0.0.1:4242.
  std::string server = "127.0.0.1:4242";
  /// Print exactly one JSON document instead of text.
  bool json = false;
  /// --tls-cert, --tls-key and --tls-ca (env TROUPE_TLS_CERT, TROUPE_TLS_KEY,
  /// TROUPE_TLS_CA): this client's certificate, key and the cluster's CA,
  /// all three or none. Default: none (plain TCP, a loopback server only).
  tls_files tls;
  /// --secret-file (env TROUPE_SECRET_FILE): the secret a loopback server
  /// wrote for its clients. Default: empty (found as the server is found).
  std::string secret_file;
};

/// `troupe submit`.
struct submit_options : client_options {
  /// Marks a number the user did not give (the server default applies).
  static constexpr int64_t unset = INT64_MIN;

  std::string type;
  /// JSON text, "@FILE" or "@-". Default: {}.
  std::string payload;
  int64_t priority = unset;
  std::vector<std::string> after;
  int64_t timeout_s = unset;
  int64_t retries = unset;
  int64_t backoff_ms = unset;
  std::string id;
  std::string owner;
  std::vector<std::string> tags;
  std::string unique_key;
  std::string on_dependency_failure;
  /// A duration such as "30s" before the first attempt.
  std::string delay;
  /// An RFC 3339 time of the first attempt (not with `delay`).
  std::string at;
  /// How long after the end the unique key still returns the job, e.g.
  /// "1h". Default: empty (only while live).
  std::string unique_for;
  /// How long the job is kept once ended, e.g. "10m". Default: empty (the
  /// global retention).
  std::string result_ttl;
  bool wait = false;
  /// A file of job specs, one JSON object per line ("-": stdin), submitted
  /// all or nothing instead of the single job the other flags describe.
  std::string batch;
};

/// `troupe schedule add|list|remove`.
struct schedule_options : client_options {
  /// Schedule name (add, remove).
  std::string name;
  /// 5-field cron expression (UTC); exactly one of `cron` and `every`.
  std::string cron;
  /// Fixed interval such as "30s".
  std::string every;
  /// The fired job: type, payload and the numbers of `submit_options`.
  std::string type;
  std::string payload;
  int64_t priority = submit_options::unset;
  std::string owner;
  std::vector<std::string> tags;
  int64_t timeout_s = submit_options::unset;
  int64_t retries = submit_options::unset;
  /// Firings missed while down: skip or run-once. Default: skip.
  std::string missed = "skip";
};

/// `troupe status`, `cancel`, `retry`, `history`.
struct job_id_options : client_options {
  std::string id;
};

/// `troupe retry`: one job by id, or every dead letter matching filters.
struct retry_options : job_id_options {
  /// Only jobs in this status: failed or cancelled. Default: failed.
  std::string status;
  std::string type;
  std::string owner;
  std::string tag;
  /// Most jobs retried by one call. Default: 1000.
  int64_t limit = 1000;
};

/// `troupe wait`.
struct wait_options : client_options {
  std::vector<std::string> ids;
  /// Seconds; 0 waits without limit.
  double timeout_s = 0;
};

/// `troupe list`.
struct list_options : client_options {
  std::string status;
  std::string type;
  std::string owner;
  std::string tag;
  std::string sort = "created";
  bool descending = false;
  int64_t limit = 100;
  int64_t offset = 0;
};

/// `troupe cleanup`.
struct cleanup_options : client_options {
  std::string older_than;
};

/// `troupe limits set|get|clear`.
struct limits_options : client_options {
  /// "set", "get" or "clear".
  std::string action;
  /// Exactly one of `type` and `owner` for set and clear.
  std::string type;
  std::string owner;
  /// Default: the stored limit's value, else 0 (none).
  int64_t max_running = 0;
  /// Starts per second. Default: the stored limit's value, else 0 (none).
  double rate = 0;
  /// Default: the stored limit's value, else 0 (1 when a rate is set).
  int64_t burst = 0;
  /// The flags given ("max-running", "rate", "burst"); others keep their
  /// stored value.
  std::set<std::string> given;
};

/// `troupe pause` and `troupe resume`: a type or one job.
struct pause_options : client_options {
  std::string type;
  std::string id;
};

/// --log-level and --log-format of the commands that run a node.
struct log_flags {
  /// trace, debug, info, warn, error or off. Default: info.
  std::string level = "info";
  /// text or json (one JSON object per line on stderr). Default: text.
  std::string format = "text";
};

/// `troupe backup`.
struct backup_options : client_options {
  /// A new or empty directory on the server's machine (absolute path).
  std::string to;
};

/// `troupe audit`.
struct audit_options : client_options {
  /// A duration ("15m": that long ago) or an RFC 3339 time. Default: empty,
  /// the whole trail.
  std::string since;
  /// Only entries of this principal. Default: empty, all.
  std::string principal;
  /// Most entries listed. Default: 1000.
  int64_t limit = 1000;
};

/// The security flags and config keys of the commands that run a node
/// (serve, worker, node). A flag given wins over its config key.
struct security_flags {
  /// --tls-cert, --tls-key, --tls-ca; keys tls_cert, tls_key, tls_ca. All
  /// three or none. Default: none.
  tls_files tls;
  /// --insecure-no-tls; key insecure_no_tls: listen beyond loopback without
  /// TLS (serve and node only). Default: false.
  bool insecure_no_tls = false;
  /// Key acl: principals and their roles. Default: empty.
  access_control_list acl;
  /// Key job_types: {"shell": true} turns the shell job type on. Default:
  /// off.
  bool shell = false;
};

/// `troupe serve`; `given` holds the flags set on the command line, which
/// win over the config file.
struct serve_options {
  std::string data = "troupe-data";
  std::string listen = "127.0.0.1:4242";
  int64_t slots = default_executor_slots;
  std::string durability = "wal";
  double grace_s = 10;
  /// Seconds of silence after which a peer process counts as lost.
  double heartbeat_timeout_s = seconds_of(default_heartbeat_timeout);
  std::string config_file;
  /// Terminal jobs older than this are purged automatically. Default: 7d.
  std::string retention = "7d";
  /// Time between automatic cleanups; "0" turns them off. Default: 1h.
  std::string cleanup_every = "1h";
  std::set<std::string> given;
  /// The config file's "limits" array as JSON text. Default: none.
  std::string limits_json;
  /// Write-ahead-log operations the operator accepts as lost (the number
  /// a refused start reported). Default: 0 (accept no loss).
  uint64_t accept_data_loss = 0;
  /// After the node stopped itself on a store failure: "restart" (reopen
  /// the store with backoff until it works) or "exit" (exit code 3).
  /// Default: restart.
  std::string on_failure = "restart";
  /// Key file of encryption at rest (32 raw bytes or 64 hex digits, mode
  /// 0600); empty: payloads and results are stored as they are.
  std::string encryption_key;
  /// Older key files, which still open the values they sealed.
  std::vector<std::string> old_encryption_keys;
  log_flags log;
  security_flags security;
};

/// `troupe worker`: an executor node that joins a coordinator.
struct worker_options {
  std::string join;
  int64_t slots = default_executor_slots;
  /// Job types to take; empty takes every built-in type.
  std::vector<std::string> types;
  /// Node name in the worker table and history. Default: HOSTNAME-PID.
  std::string name;
  double grace_s = 10;
  double heartbeat_timeout_s = seconds_of(default_heartbeat_timeout);
  /// Seconds to wait for the first join before giving up.
  double join_timeout_s = seconds_of(default_join_timeout);
  log_flags log;
  /// A JSON file with the security keys and job_types. Default: none.
  std::string config_file;
  security_flags security;
};

/// `troupe node`: a bare node that coordinators spawn executors into.
struct bare_node_options {
  std::string listen = "127.0.0.1:4343";
  /// Node name in the worker table and history. Default: HOSTNAME-PID.
  std::string name;
  double heartbeat_timeout_s = seconds_of(default_heartbeat_timeout);
  log_flags log;
  /// A JSON file with the security keys and job_types. Default: none.
  std::string config_file;
  security_flags security;
};

/// `troupe spawn-executor`.
struct spawn_executor_options : client_options {
  /// "HOST:PORT" of the bare node.
  std::string node;
  int64_t slots = default_executor_slots;
  std::vector<std::string> types;
  std::string name;
};

/// `troupe demo`.
struct demo_options {
  std::string data = "troupe-data/demo";
};

/// `troupe certs init DIR` and `troupe certs issue --name --role DIR`.
struct certs_options {
  /// Marks a number the user did not give (the library's default applies).
  static constexpr int64_t unset = INT64_MIN;

  /// "init" or "issue".
  std::string action;
  /// The CA's directory.
  std::string dir;
  /// init: the CA's subject name (default: the library's); issue: the
  /// certificate's name, its principal.
  std::string name;
  /// issue: admin, operator, submitter, reader or executor.
  std::string role;
  /// Days of validity. Default: 3650 for a CA, 365 for a certificate.
  int64_t days = unset;
};

/// Creates a cluster CA or issues a certificate from it; prints the paths
/// written.
int run_certs(const certs_options& options);
/// Submits one job; prints its id or record; with `wait`, exits by outcome.
int run_submit(const submit_options& options);
/// Prints one job's record.
int run_status(const job_id_options& options);
/// Waits for jobs; 0 if all completed, 1 otherwise.
int run_wait(const wait_options& options);
/// Prints one page of jobs matching the filters.
int run_list(const list_options& options);
/// Cancels a job that has not ended.
int run_cancel(const job_id_options& options);
/// Re-queues a failed or cancelled job, or every one matching the filters,
/// as a new attempt.
int run_retry(const retry_options& options);
/// Submits every job of a batch file at once; prints their ids.
int run_submit_batch(const submit_options& options);
/// Re-queues every dead letter matching the filters of `options`.
int run_retry_matching(const retry_options& options);
/// Prints every transition of a job.
int run_history(const job_id_options& options);
/// Prints counts, queue depth, throughput and latencies.
int run_stats(const client_options& options);
/// Prints the executor table.
int run_workers(const client_options& options);
/// Purges terminal jobs that finished before now - `older_than`.
int run_cleanup(const cleanup_options& options);
/// Sets, prints or clears concurrency quotas and rate limits.
int run_limits(const limits_options& options);
/// Pauses (`paused`) or resumes a job type or one job.
int run_pause(const pause_options& options, bool paused);
/// Adds a periodic schedule; prints its next firing.
int run_schedule_add(const schedule_options& options);
/// Prints every schedule: name, spec, next and last firing, policy.
int run_schedule_list(const client_options& options);
/// Removes a schedule (jobs it fired stay).
int run_schedule_remove(const schedule_options& options);
/// Writes a checkpoint of the server's store into a new directory on the
/// server's machine; prints its path, jobs and bytes.
int run_backup(const backup_options& options);
/// Prints the audit trail's entries matching the filters, oldest first.
int run_audit(const audit_options& options);
/// Runs the server until SIGINT or SIGTERM.
int run_serve(serve_options options);
/// Runs an executor node joined to a coordinator until SIGINT or SIGTERM.
int run_worker(const worker_options& options);
/// Runs a bare node until SIGINT or SIGTERM.
int run_node(const bare_node_options& options);
/// Asks the coordinator to spawn an executor into a bare node.
int run_spawn_executor(const spawn_executor_options& options);
/// Converts a number of seconds given to a heartbeat-timeout flag; throws a
/// usage error unless it is between 1 and 300.
std::chrono::milliseconds heartbeat_timeout(double seconds);
/// Runs the demo pipeline on an embedded node.
int run_demo(const demo_options& options);

} // namespace troupe::cli
