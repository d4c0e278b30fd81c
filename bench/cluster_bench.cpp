// troupe_cluster_bench: sleep jobs submitted to an in-process coordinator and
// run by 1, 2, 4, ... real `troupe worker` processes joined over loopback.
#include <signal.h>
#include <stdlib.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"

#include "bench/bench_actors.hpp"
#include "bench/cluster_options.hpp"
#include "bench/cluster_report.hpp"
#include "bench/worker_process.hpp"
#include "troupe/actors/node/node.hpp"
#include "troupe/security/certificate_authority.hpp"

namespace fs = std::filesystem;

namespace troupe::bench {

namespace {

constexpr auto request_timeout = std::chrono::seconds(10);
constexpr auto register_timeout = std::chrono::seconds(30);
constexpr size_t batches_in_flight = 4;

/// A failed run; the message says why.
struct bench_failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The worker names of a run on `count` workers: bench-w1 ... bench-wN.
std::vector<std::string> worker_names(size_t count) {
  std::vector<std::string> names;
  for (size_t k = 1; k <= count; ++k)
    names.push_back("bench-w" + std::to_string(k));
  return names;
}

/// Starts one worker per name; each has joined once this returns.
/// The certificate files of `name` in the benchmark's CA at `pki`.
tls_files tls_of(const fs::path& pki, const std::string& name) {
  return tls_files{(pki / (name + ".pem")).string(),
                   (pki / (name + ".key")).string(), (pki / "ca.pem").string()};
}

/// A CA and the certificates of the coordinator (admin) and the workers
/// (executor), in `pki`.
void make_pki(const fs::path& pki) {
  create_authority(pki.string(), "troupe bench CA", 1);
  issue_certificate(pki.string(), {"coordinator", "admin", 0, 1});
  issue_certificate(pki.string(), {"bench-worker", "executor", 0, 1});
}

std::vector<worker_process> start_workers(const cluster_options& options,
                                          const std::vector<std::string>& names,
                                          uint16_t port, const fs::path& dir) {
  std::vector<worker_process> workers;
  for (const auto& name : names) {
    worker_settings settings;
    settings.binary = TROUPE_BINARY;
    settings.join = "127.0.0.1:" + std::to_string(port);
    settings.name = name;
    settings.slots = options.slots;
    settings.log_file = (dir / (name + ".log")).string();
    if (options.tls)
      settings.tls = tls_of(dir.parent_path() / "pki", "bench-worker");
    auto proc = worker_process::start(settings);
    if (!proc)
      throw bench_failure{message_of(proc.error())};
    workers.push_back(std::move(*proc));
  }
  return workers;
}

/// Asks the status reporter for the executor table until every worker in
/// `names` is listed; one request/response round trip per look.
void await_registered(node& n, const std::vector<std::string>& names) {
  caf::scoped_actor self{n.system()};
  auto deadline = std::chrono::steady_clock::now() + register_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::set<std::string> listed;
    caf::error error;
    self->request(n.status_reporter(), request_timeout, workers_atom_v)
        .receive(
            [&](const std::vector<executor_info>& table) {
              for (const auto& ex : table)
                listed.insert(ex.node);
            },
            [&](caf::error& err) { error = std::move(err); });
    if (error)
      throw bench_failure{"cannot list the workers: " + message_of(error)};
    bool all = true;
    for (const auto& name : names)
      all = all && listed.count(name) > 0;
    if (all)
      return;
  }
  throw bench_failure{"the workers did not all register within 30 s"};
}

/// Subscribes `collector` to every event before anything is submitted.
void subscribe(node& n, const caf::actor& collector) {
  caf::scoped_actor self{n.system()};
  caf::error error;
  self->request(n.status_reporter(), request_timeout, subscribe_atom_v,
                subscription_scope::all, std::string{}, collector)
      .receive([](ok_atom) {},
               [&](caf::error& err) { error = std::move(err); });
  if (error)
    throw bench_failure{"cannot subscribe: " + message_of(error)};
}

/// Completed jobs per node, from the stored records.
std::map<std::string, size_t> jobs_per_node(node& n, size_t jobs) {
  job_query query;
  query.has_status = true;
  query.status = job_status::completed;
  query.type = "sleep";
  query.limit = static_cast<uint32_t>(jobs);
  std::map<std::string, size_t> counts;
  caf::scoped_actor self{n.system()};
  caf::error error;
  self->request(n.status_reporter(), request_timeout, list_atom_v, query)
      .receive(
          [&](const job_listing& listing) {
            for (const auto& record : listing.jobs)
              ++counts[record.node];
          },
          [&](caf::error& err) { error = std::move(err); });
  if (error)
    throw bench_failure{"cannot list the jobs: " + message_of(error)};
  return counts;
}

std::string progress_of(const live_counters& c, size_t jobs) {
  return std::to_string(c.finished.load()) + " of " + std::to_string(jobs) +
         " jobs finished (" + std::to_string(c.started.load()) + " started, " +
         std::to_string(c.submitted.load()) + " submitted)";
}

/// Submits the jobs through a submitter actor and waits for the collector to
/// see them all terminal; returns the wall time in seconds.
double measure(node& n, const cluster_options& options) {
  auto counters = std::make_shared<live_counters>();
  auto events_done = std::make_shared<std::promise<event_log>>();
  auto subs_done = std::make_shared<std::promise<submit_log>>();
  auto events = events_done->get_future();
  auto subs = subs_done->get_future();
  auto collector =
      spawn_collector(n.system(), options.jobs, counters, events_done);
  subscribe(n, collector);
  submitter_config sc;
  sc.scheduler = n.scheduler();
  sc.jobs = options.jobs;
  sc.batch = options.batch;
  sc.in_flight = batches_in_flight;
  sc.type = "sleep";
  sc.payload = "{\"ms\": " + std::to_string(options.job_ms) + "}";
  sc.counters = counters;
  sc.done = subs_done;
  auto submitter = spawn_submitter(n.system(), std::move(sc));
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::seconds(options.timeout_s);
  auto timed_out = [&] {
    return bench_failure{"timed out after " +
                         std::to_string(options.timeout_s) +
                         " s: " + progress_of(*counters, options.jobs)};
  };
  if (subs.wait_until(deadline) != std::future_status::ready)
    throw timed_out();
  auto submitted = subs.get();
  if (!submitted.error.empty())
    throw bench_failure{"submit failed: " + submitted.error};
  if (events.wait_until(deadline) != std::future_status::ready)
    throw timed_out();
  auto seen = events.get();
  for (const auto& actor : {collector, submitter})
    caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  if (seen.failed > 0)
    throw bench_failure{std::to_string(seen.failed) +
                        " jobs failed or were cancelled"};
  return (seen.last_finish_seen_us - submitted.first_send_us) / 1e6;
}

/// Ends the process after a failed run: the node may be wedged, so an
/// orderly shutdown could block. The workers are killed and reaped first.
[[noreturn]] void give_up(const fs::path& scratch,
                          std::vector<worker_process>& workers,
                          const std::string& why) {
  std::cerr << "troupe_cluster_bench: " << why << std::endl;
  workers.clear();
  std::error_code ec;
  fs::remove_all(scratch, ec);
  std::_Exit(2);
}

/// One run: a fresh coordinator in `dir`, `count` workers, the jobs, and
/// everything stopped again.
cluster_run run_once(const cluster_options& options, size_t count,
                     const fs::path& scratch, const fs::path& dir) {
  node_options config;
  config.store.path = (dir / "data").string();
  config.store.level = durability::wal;
  config.executor.slots = 0;
  config.listen_host = "127.0.0.1";
  config.listen_port = 0;
  if (options.tls)
    config.security.tls = tls_of(scratch / "pki", "coordinator");
  node coordinator{config};
  std::vector<worker_process> workers;
  if (auto err = coordinator.start())
    give_up(scratch, workers, "cannot start the node: " + message_of(err));
  cluster_run run;
  run.workers = count;
  run.jobs = options.jobs;
  try {
    auto names = worker_names(count);
    workers = start_workers(options, names, coordinator.port(), dir);
    await_registered(coordinator, names);
    run.wall_s = measure(coordinator, options);
    run.jobs_per_s = run.wall_s > 0 ? options.jobs / run.wall_s : 0;
    run.jobs_per_node = jobs_per_node(coordinator, options.jobs);
  } catch (const bench_failure& failure) {
    give_up(scratch, workers, failure.what());
  }
  for (auto& worker : workers)
    worker.stop(SIGTERM);
  coordinator.shutdown();
  return run;
}

int run(const cluster_options& options) {
  std::error_code ec;
  auto pattern =
      (fs::temp_directory_path(ec) / "troupe-cluster-bench-XXXXXX").string();
  if (ec || ::mkdtemp(pattern.data()) == nullptr) {
    std::cerr << "troupe_cluster_bench: cannot create a data directory\n";
    return 1;
  }
  fs::path scratch{pattern};
  if (options.tls)
    make_pki(scratch / "pki");
  std::vector<cluster_run> runs;
  for (auto count : options.workers)
    for (size_t k = 1; k <= options.runs; ++k) {
      auto dir =
          scratch / ("w" + std::to_string(count) + "-run-" + std::to_string(k));
      fs::create_directories(dir, ec);
      runs.push_back(run_once(options, count, scratch, dir));
      print_cluster_run(std::cerr, options, k, runs.back());
      fs::remove_all(dir, ec);
    }
  print_cluster_tables(std::cout, options, runs);
  fs::remove_all(scratch, ec);
  return 0;
}

} // namespace

} // namespace troupe::bench

int main(int argc, char** argv) {
  using namespace troupe::bench;
  auto parsed = parse_cluster_options(argc, argv);
  if (parsed.help) {
    std::cout << cluster_usage(argv[0]);
    return 0;
  }
  if (!parsed.error.empty()) {
    std::cerr << "troupe_cluster_bench: " << parsed.error << "\n\n"
              << cluster_usage(argv[0]);
    return 1;
  }
  return run(parsed.options);
}
