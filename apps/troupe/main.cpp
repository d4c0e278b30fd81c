// The troupe command line: parses the subcommand and its flags with CLI11,
// runs it and turns errors into exit codes (2 usage, 3 unreachable). It
// holds no command logic of its own.
#include <iostream>
#include <string>
#include <tuple>

#include <CLI/CLI.hpp>

#include "apps/troupe/command_flags.hpp"
#include "apps/troupe/commands.hpp"
#include "apps/troupe/encryption_flags.hpp"
#include "apps/troupe/exit_codes.hpp"
#include "troupe/version.hpp"

namespace {

using namespace troupe::cli;

/// Every subcommand's options, filled in by CLI11.
struct parsed_options {
  serve_options serve;
  submit_options submit;
  job_id_options status, cancel, history;
  retry_options retry;
  wait_options wait;
  list_options list;
  client_options stats, workers;
  cleanup_options cleanup;
  backup_options backup;
  demo_options demo;
  worker_options worker;
  bare_node_options bare_node;
  spawn_executor_options spawn;
  limits_options limits;
  pause_options pause, resume;
  schedule_options schedule_add, schedule_remove;
  client_options schedule_list;
  certs_options certs;
  audit_options audit;
};

CLI::App* add_job_command(CLI::App& app, const char* name,
                          const char* description, job_id_options& options,
                          bool with_json) {
  auto* sub = app.add_subcommand(name, description);
  sub->add_option("id", options.id, "job id")->required();
  add_client_flags(sub, options, with_json);
  return sub;
}

void add_serve(CLI::App& app, serve_options& o) {
  auto* sub =
      app.add_subcommand("serve", "run the coordinator with local executors");
  sub->add_option("--data", o.data, "data directory (RocksDB)")
      ->capture_default_str();
  sub->add_option("--listen", o.listen,
                  "HOST:PORT to listen on (port 0 picks a free one)")
      ->capture_default_str();
  sub->add_option("--slots", o.slots, "slots of the local executor")
      ->capture_default_str();
  sub->add_option("--durability", o.durability, "none, wal or fsync")
      ->capture_default_str();
  sub->add_option("--grace", o.grace_s,
                  "seconds running jobs may finish after SIGINT/SIGTERM")
      ->capture_default_str();
  sub->add_option("--heartbeat-timeout", o.heartbeat_timeout_s,
                  "seconds of silence before a node or client counts as lost")
      ->capture_default_str();
  sub->add_option("--config", o.config_file,
                  "JSON file with keys data, listen, slots, durability, "
                  "grace, retention, cleanup_every, heartbeat_timeout, "
                  "log_level, log_format, tls_cert, tls_key, tls_ca, "
                  "insecure_no_tls, encryption_key, old_encryption_keys "
                  "(flags win), limits, acl and job_types");
  sub->add_option("--retention", o.retention,
                  "purge terminal jobs finished longer ago than DURATION")
      ->capture_default_str();
  sub->add_option("--cleanup-every", o.cleanup_every,
                  "time between automatic cleanups (0: off)")
      ->capture_default_str();
  sub->add_option("--accept-data-loss", o.accept_data_loss,
                  "open a store whose write-ahead log lost N acknowledged "
                  "operations (N as a refused start reported)");
  sub->add_option("--on-failure", o.on_failure,
                  "after a store failure: restart (reopen with backoff) or "
                  "exit (code 3)")
      ->capture_default_str();
  add_encryption_flags(sub, o);
  add_log_flags(sub, o.log);
  add_security_flags(sub, o.security, true);
}

void add_submit(CLI::App& app, submit_options& o) {
  auto* sub = app.add_subcommand("submit", "submit a job; prints its id");
  sub->add_option("--type", o.type,
                  "job type, e.g. shell (required unless --batch)");
  sub->add_option("--batch", o.batch,
                  "submit every job of FILE.jsonl (one spec per line; - for "
                  "stdin) all or nothing; prints their ids");
  sub->add_option("--payload", o.payload,
                  "payload as JSON, @FILE or @- (stdin); default {}");
  sub->add_option("--priority", o.priority, "1 (most urgent) to 10; default 5");
  sub->add_option("--after", o.after, "run after this job completed (repeat)");
  sub->add_option("--timeout", o.timeout_s, "seconds per attempt; default 60");
  sub->add_option("--retries", o.retries,
                  "retries after a failed attempt; "
                  "default 3");
  sub->add_option("--backoff-ms", o.backoff_ms,
                  "first retry delay in ms (doubles); default 1000");
  sub->add_option("--id", o.id, "client-chosen id (idempotent submit)");
  sub->add_option("--owner", o.owner, "owner, for listing and quotas");
  sub->add_option("--tag", o.tags, "label for listing (repeat)");
  sub->add_option("--unique,--unique-key", o.unique_key,
                  "a live job with this key is returned instead");
  sub->add_option("--unique-for", o.unique_for,
                  "also return it for DURATION after it ended");
  sub->add_option("--result-ttl", o.result_ttl,
                  "purge the job DURATION after it ended");
  sub->add_option("--at", o.at,
                  "start no earlier than this RFC 3339 time "
                  "(e.g. 2026-11-23T10:00:00Z)");
  sub->add_option("--on-dependency-failure", o.on_dependency_failure,
                  "fail (default), cancel or ignore");
  sub->add_option("--delay", o.delay, "start no earlier than now + DURATION");
  sub->add_flag("--wait", o.wait,
                "wait until the job ends; exit 1 unless "
                "it completed");
  add_client_flags(sub, o);
}

void add_retry(CLI::App& app, retry_options& o) {
  auto* sub = app.add_subcommand(
      "retry", "re-queue a failed or cancelled job, or every one matching "
               "filters, as a new attempt");
  sub->add_option("id", o.id, "job id (or give filters instead)");
  sub->add_option("--status", o.status, "failed (default) or cancelled");
  sub->add_option("--type", o.type, "only jobs of this type");
  sub->add_option("--owner", o.owner, "only jobs of this owner");
  sub->add_option("--tag", o.tag, "only jobs with this tag");
  sub->add_option("--limit", o.limit, "most jobs retried (1-10000)")
      ->capture_default_str();
  add_client_flags(sub, o);
}

void add_queries(CLI::App& app, parsed_options& o) {
  add_job_command(app, "status", "show one job", o.status, true);
  auto* wait = app.add_subcommand(
      "wait", "wait for jobs; exit 0 if all completed, 1 otherwise");
  wait->add_option("ids", o.wait.ids, "job ids")->required();
  wait->add_option("--timeout", o.wait.timeout_s,
                   "give up after this many seconds (0: never)");
  add_client_flags(wait, o.wait);
  auto* list = app.add_subcommand("list", "list jobs");
  list->add_option("--status", o.list.status, "only jobs in this status");
  list->add_option("--type", o.list.type, "only jobs of this type");
  list->add_option("--owner", o.list.owner, "only jobs of this owner");
  list->add_option("--tag", o.list.tag, "only jobs with this tag");
  list->add_option("--sort", o.list.sort, "created, priority or updated")
      ->capture_default_str();
  list->add_flag("--desc", o.list.descending, "descending order");
  list->add_option("--limit", o.list.limit, "page size (1-10000)")
      ->capture_default_str();
  list->add_option("--offset", o.list.offset, "rows to skip");
  add_client_flags(list, o.list);
  add_job_command(app, "cancel", "cancel a job that has not ended", o.cancel,
                  true);
  add_retry(app, o.retry);
  add_job_command(app, "history", "show every transition of a job", o.history,
                  true);
  add_client_flags(app.add_subcommand("stats", "show statistics"), o.stats);
  add_client_flags(app.add_subcommand("workers", "show the executors"),
                   o.workers);
  auto* cleanup =
      app.add_subcommand("cleanup", "purge terminal jobs and their history");
  cleanup
      ->add_option("--older-than", o.cleanup.older_than,
                   "finished more than DURATION ago: 30s, 15m, 12h, 7d")
      ->required();
  add_client_flags(cleanup, o.cleanup);
  auto* backup = app.add_subcommand(
      "backup", "write a consistent checkpoint of the server's store");
  backup
      ->add_option("--to", o.backup.to,
                   "new or empty directory ON THE SERVER'S MACHINE (absolute "
                   "path); serve --data DIR restores from it")
      ->required();
  add_client_flags(backup, o.backup);
  auto* demo = app.add_subcommand(
      "demo", "run a release-build pipeline on an embedded node");
  demo->add_option("--data", o.demo.data,
                   "data directory, cleared at the start")
      ->capture_default_str();
}

void add_controls(CLI::App& app, parsed_options& o) {
  auto* limits = app.add_subcommand(
      "limits", "set, show or clear concurrency quotas and rate limits");
  limits->require_subcommand(1);
  auto& l = o.limits;
  auto* set = limits->add_subcommand(
      "set", "set a limit of a type or owner (unnamed values are kept)");
  auto* get = limits->add_subcommand("get", "show every limit and pause");
  auto* clear = limits->add_subcommand("clear", "remove a limit");
  for (auto* sub : {set, clear}) {
    sub->add_option("--type", l.type, "the job type limited");
    sub->add_option("--owner", l.owner, "the owner limited");
  }
  set->add_option("--max-running", l.max_running,
                  "at most this many running at once (0: no quota)");
  set->add_option("--rate", l.rate, "starts per second (0: no rate limit)");
  set->add_option("--burst", l.burst,
                  "starts allowed at once after a pause in demand");
  for (auto* sub : {set, get, clear})
    add_client_flags(sub, l);
  for (auto [name, what, x] :
       {std::tuple{"pause", "hold back the queued jobs of a type, or one job",
                   &o.pause},
        std::tuple{"resume", "dispatch a paused type or job again",
                   &o.resume}}) {
    auto* sub = app.add_subcommand(name, what);
    sub->add_option("id", x->id, "job id");
    sub->add_option("--type", x->type, "job type");
    add_client_flags(sub, *x);
  }
}

int dispatch_limits(CLI::App* sub, limits_options& o) {
  auto* action = sub->get_subcommands().front();
  o.action = action->get_name();
  if (o.action == "set")
    for (const char* key : {"max-running", "rate", "burst"})
      if (action->count(std::string{"--"} + key) > 0)
        o.given.insert(key);
  return run_limits(o);
}

void add_schedule(CLI::App& app, parsed_options& o) {
  auto* schedule = app.add_subcommand("schedule", "periodic jobs");
  schedule->require_subcommand(1);
  auto* add =
      schedule->add_subcommand("add", "add a cron or interval schedule");
  auto& a = o.schedule_add;
  add->add_option("name", a.name, "schedule name")->required();
  add->add_option("--cron", a.cron,
                  "5-field cron expression in UTC, e.g. \"*/5 * * * *\"");
  add->add_option("--every", a.every, "fixed interval: 30s, 15m, 12h, 1d");
  add->add_option("--type", a.type, "job type")->required();
  add->add_option("--payload", a.payload, "payload as JSON, @FILE or @-");
  add->add_option("--priority", a.priority, "1 (most urgent) to 10");
  add->add_option("--owner", a.owner, "owner of the fired jobs");
  add->add_option("--tag", a.tags, "label of the fired jobs (repeat)");
  add->add_option("--timeout", a.timeout_s, "seconds per attempt");
  add->add_option("--retries", a.retries, "retries after a failed attempt");
  add->add_option("--missed", a.missed,
                  "firings missed while down: skip or run-once")
      ->capture_default_str();
  add_client_flags(add, a);
  add_client_flags(schedule->add_subcommand("list", "list the schedules"),
                   o.schedule_list);
  auto* remove = schedule->add_subcommand("remove", "remove a schedule");
  remove->add_option("name", o.schedule_remove.name, "schedule name")
      ->required();
  add_client_flags(remove, o.schedule_remove);
}

int dispatch(CLI::App& app, parsed_options& o) {
  auto* sub = app.get_subcommands().front();
  auto name = sub->get_name();
  if (name == "serve") {
    for (const char* key :
         {"data", "listen", "slots", "durability", "grace", "retention"})
      if (sub->count(std::string{"--"} + key) > 0)
        o.serve.given.insert(key);
    if (sub->count("--heartbeat-timeout") > 0)
      o.serve.given.insert("heartbeat_timeout");
    if (sub->count("--cleanup-every") > 0)
      o.serve.given.insert("cleanup_every");
    if (sub->count("--log-level") > 0)
      o.serve.given.insert("log_level");
    if (sub->count("--log-format") > 0)
      o.serve.given.insert("log_format");
    return run_serve(o.serve);
  }
  if (name == "submit")
    return o.submit.batch.empty() ? run_submit(o.submit)
                                  : run_submit_batch(o.submit);
  if (name == "status")
    return run_status(o.status);
  if (name == "wait")
    return run_wait(o.wait);
  if (name == "list")
    return run_list(o.list);
  if (name == "cancel")
    return run_cancel(o.cancel);
  if (name == "retry")
    return run_retry(o.retry);
  if (name == "history")
    return run_history(o.history);
  if (name == "stats")
    return run_stats(o.stats);
  if (name == "workers")
    return run_workers(o.workers);
  if (name == "cleanup")
    return run_cleanup(o.cleanup);
  if (name == "backup")
    return run_backup(o.backup);
  if (name == "audit")
    return run_audit(o.audit);
  if (name == "worker")
    return run_worker(o.worker);
  if (name == "node")
    return run_node(o.bare_node);
  if (name == "spawn-executor")
    return run_spawn_executor(o.spawn);
  if (name == "limits")
    return dispatch_limits(sub, o.limits);
  if (name == "certs") {
    o.certs.action = sub->get_subcommands().front()->get_name();
    return run_certs(o.certs);
  }
  if (name == "pause" || name == "resume")
    return run_pause(name == "pause" ? o.pause : o.resume, name == "pause");
  if (name == "schedule") {
    auto action = sub->get_subcommands().front()->get_name();
    if (action == "add")
      return run_schedule_add(o.schedule_add);
    if (action == "list")
      return run_schedule_list(o.schedule_list);
    return run_schedule_remove(o.schedule_remove);
  }
  return run_demo(o.demo);
}

// CLI11 reports an unknown command as an unexpected argument; name it.
bool unknown_command(CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-')
    return false;
  std::string name = argv[1];
  std::string known;
  bool found = false;
  for (const auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    found = found || sub->get_name() == name;
    known += (known.empty() ? "" : ", ") + sub->get_name();
  }
  if (!found)
    std::cerr << "troupe: unknown command \"" << name
              << "\" (commands: " << known << ")\n";
  return !found;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"troupe: an actor-model job system (server, client, demo)",
               "troupe"};
  app.require_subcommand(1);
  app.footer("Exit codes: 0 success, 1 a waited job failed, 2 bad usage or "
             "input, 3 server unreachable, 4 refused (no proven principal, "
             "or one without the role or ownership needed).");
  app.set_version_flag("--version", "troupe " + troupe::version(),
                       "print the version and exit");
  parsed_options options;
  add_serve(app, options.serve);
  add_submit(app, options.submit);
  add_queries(app, options);
  add_cluster_commands(app, options.worker, options.bare_node, options.spawn);
  add_controls(app, options);
  add_schedule(app, options);
  add_certs_command(app, options.certs);
  add_audit_command(app, options.audit);
  if (unknown_command(app, argc, argv))
    return exit_usage;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0)
      return app.exit(e); // --help, --version
    std::cerr << "troupe: " << e.what() << "\n(run 'troupe --help' or "
              << "'troupe COMMAND --help' for usage)\n";
    return exit_usage;
  } catch (const cli_error& e) { // A check run once flags are parsed.
    std::cerr << "troupe: " << e.what() << '\n';
    return e.code();
  }
  try {
    return dispatch(app, options);
  } catch (const cli_error& e) {
    std::cerr << "troupe: " << e.what() << '\n';
    return e.code();
  } catch (const std::exception& e) {
    std::cerr << "troupe: unexpected error: " << e.what() << '\n';
    return exit_unreachable;
  }
}
