// troupe_bench: N no-op jobs submitted in batches by an actor and completed
// through the whole pipeline (scheduler, persistence, queue, executor, events).
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"

#include "bench/bench_actors.hpp"
#include "bench/bench_options.hpp"
#include "bench/bench_report.hpp"
#include "troupe/actors/node/node.hpp"

namespace fs = std::filesystem;

namespace troupe::bench {

namespace {

constexpr auto subscribe_timeout = std::chrono::seconds(10);

/// The shape `--dag` names (checked by the option parser).
job_shape shape_of(const std::string& dag) {
  auto colon = dag.find(':');
  if (colon == std::string::npos)
    return {};
  auto width = std::stoul(dag.substr(colon + 1));
  if (dag.substr(0, colon) == "chains")
    return {job_shape::chains, width};
  return {job_shape::fan_in, width};
}

/// The parent of the per-run data directories.
struct scratch_dir {
  fs::path path;
  /// True if the benchmark created it and removes it at the end.
  bool owned = false;
};

std::optional<scratch_dir> make_scratch(const bench_options& options) {
  std::error_code ec;
  if (!options.data_dir.empty()) {
    fs::create_directories(options.data_dir, ec);
    if (ec)
      return std::nullopt;
    return scratch_dir{options.data_dir, false};
  }
  auto pattern = (fs::temp_directory_path(ec) / "troupe-bench-XXXXXX").string();
  if (ec || ::mkdtemp(pattern.data()) == nullptr)
    return std::nullopt;
  return scratch_dir{pattern, true};
}

void remove_scratch(const scratch_dir& scratch) {
  std::error_code ec;
  if (scratch.owned)
    fs::remove_all(scratch.path, ec);
}

/// Ends the process after a run that never finished: the pipeline may be
/// wedged, so an orderly shutdown could block as well.
[[noreturn]] void give_up(const scratch_dir& scratch, const std::string& why) {
  std::cerr << "troupe_bench: " << why << std::endl;
  remove_scratch(scratch);
  std::_Exit(2);
}

/// Joins the client-side send times with the scheduler's event times.
run_result summarize(const submit_log& subs, const event_log& events,
                     size_t jobs) {
  std::vector<double> to_start;
  std::vector<double> to_complete;
  std::vector<double> finished_s;
  to_start.reserve(jobs);
  to_complete.reserve(jobs);
  finished_s.reserve(jobs);
  for (const auto& batch : subs.batches)
    for (const auto& id : batch.ids) {
      auto i = events.jobs.find(id);
      if (i == events.jobs.end())
        continue;
      if (i->second.started_us != 0)
        to_start.push_back((i->second.started_us - batch.sent_us) / 1000.0);
      if (!i->second.completed)
        continue;
      to_complete.push_back((i->second.finished_us - batch.sent_us) / 1000.0);
      finished_s.push_back((i->second.finished_us - subs.first_send_us) / 1e6);
    }
  if (to_complete.size() != jobs)
    std::cerr << "troupe_bench: warning: " << to_complete.size() << " of "
              << jobs << " jobs have a submit time and a completion event\n";
  run_result result;
  result.jobs = jobs;
  result.wall_s = (events.last_finish_seen_us - subs.first_send_us) / 1e6;
  result.submit_s = (subs.last_reply_us - subs.first_send_us) / 1e6;
  result.jobs_per_s = result.wall_s > 0 ? jobs / result.wall_s : 0;
  auto p10 = percentile(finished_s, 10);
  auto p90 = percentile(finished_s, 90);
  result.steady_jobs_per_s = p90 > p10 ? 0.8 * jobs / (p90 - p10) : 0;
  result.to_start = {percentile(to_start, 50), percentile(to_start, 99)};
  result.to_complete = {percentile(to_complete, 50),
                        percentile(to_complete, 99)};
  return result;
}

/// Subscribes `collector` to every event; returns an error message or "".
std::string subscribe(node& n, const caf::actor& collector) {
  caf::scoped_actor self{n.system()};
  std::string error;
  self->request(n.status_reporter(), subscribe_timeout, subscribe_atom_v,
                subscription_scope::all, std::string{}, collector)
      .receive([](ok_atom) {},
               [&](caf::error& err) { error = message_of(err); });
  return error;
}

std::string progress_of(const live_counters& c, size_t jobs) {
  return std::to_string(c.finished.load()) + " of " + std::to_string(jobs) +
         " jobs finished (" + std::to_string(c.started.load()) + " started, " +
         std::to_string(c.submitted.load()) + " submitted)";
}

/// Waits for both logs until the run's deadline; gives up past it.
std::pair<submit_log, event_log> await_logs(const bench_options& options,
                                            const scratch_dir& scratch,
                                            std::future<submit_log> subs,
                                            std::future<event_log> events,
                                            const live_counters& counters) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::seconds(options.timeout_s);
  auto timed_out = [&] {
    give_up(scratch, "timed out after " + std::to_string(options.timeout_s) +
                         " s: " + progress_of(counters, options.jobs));
  };
  if (subs.wait_until(deadline) != std::future_status::ready)
    timed_out();
  auto submitted = subs.get();
  if (!submitted.error.empty())
    give_up(scratch, "submit failed: " + submitted.error + "; " +
                         progress_of(counters, options.jobs));
  if (events.wait_until(deadline) != std::future_status::ready)
    timed_out();
  return {std::move(submitted), events.get()};
}

/// Runs the workload once on a fresh store in `dir`.
run_result run_once(const bench_options& options, const scratch_dir& scratch,
                    const fs::path& dir) {
  node_options config;
  config.store.path = dir.string();
  config.store.level = options.level;
  config.executor.slots = options.slots;
  config.scheduler_threads = options.threads;
  node n{config};
  n.handle("noop", [](job_context&) -> job_result { return nlohmann::json{}; });
  if (auto err = n.start())
    give_up(scratch, "cannot start the node: " + message_of(err));
  auto counters = std::make_shared<live_counters>();
  auto events_done = std::make_shared<std::promise<event_log>>();
  auto subs_done = std::make_shared<std::promise<submit_log>>();
  auto events = events_done->get_future();
  auto subs = subs_done->get_future();
  auto collector =
      spawn_collector(n.system(), options.jobs, counters, events_done);
  if (auto error = subscribe(n, collector); !error.empty())
    give_up(scratch, "cannot subscribe: " + error);
  submitter_config sc;
  sc.scheduler = n.scheduler();
  sc.jobs = options.jobs;
  sc.batch = options.batch;
  sc.in_flight = options.in_flight;
  sc.rate = options.rate;
  sc.shape = shape_of(options.dag);
  sc.type = "noop";
  sc.counters = counters;
  sc.done = subs_done;
  auto submitter = spawn_submitter(n.system(), std::move(sc));
  auto [submitted, seen] = await_logs(options, scratch, std::move(subs),
                                      std::move(events), *counters);
  for (const auto& actor : {collector, submitter})
    caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  n.shutdown();
  if (seen.failed > 0)
    give_up(scratch,
            std::to_string(seen.failed) + " jobs failed or were cancelled");
  return summarize(submitted, seen, options.jobs);
}

int run(const bench_options& options) {
  auto scratch = make_scratch(options);
  if (!scratch) {
    std::cerr << "troupe_bench: cannot create a data directory\n";
    return 1;
  }
  // With --json the readable report goes to stderr, the JSON to stdout.
  auto& out = options.json ? std::cerr : std::cout;
  std::vector<run_result> runs;
  for (size_t k = 1; k <= options.runs; ++k) {
    auto dir = scratch->path / ("run-" + std::to_string(k));
    std::error_code ec;
    fs::remove_all(dir, ec);
    runs.push_back(run_once(options, *scratch, dir));
    print_run(out, options, k, options.runs, runs.back());
    if (scratch->owned)
      fs::remove_all(dir, ec);
  }
  print_summary(out, options, runs);
  if (options.json)
    std::cout << json_summary(options, runs).dump(2) << std::endl;
  remove_scratch(*scratch);
  return 0;
}

} // namespace

} // namespace troupe::bench

int main(int argc, char** argv) {
  using namespace troupe::bench;
  auto parsed = parse_options(argc, argv);
  if (parsed.help) {
    std::cout << usage(argv[0]);
    return 0;
  }
  if (!parsed.error.empty()) {
    std::cerr << "troupe_bench: " << parsed.error << "\n\n" << usage(argv[0]);
    return 1;
  }
  return run(parsed.options);
}
