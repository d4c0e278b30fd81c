// `troupe demo`: the release pipeline on an in-process node (no network)
// with live progress, then the final table, the flaky job's history and the
// statistics. It clears only a data directory it created (marked by a file).
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "caf/send.hpp"

#include "apps/troupe/builtin_jobs.hpp"
#include "apps/troupe/commands.hpp"
#include "apps/troupe/demo_pipeline.hpp"
#include "apps/troupe/exit_codes.hpp"
#include "apps/troupe/job_views.hpp"
#include "apps/troupe/job_waiter.hpp"
#include "troupe/actors/node/node.hpp"
#include "troupe/messages/request_timeouts.hpp"

namespace troupe::cli {

namespace {

namespace fs = std::filesystem;

constexpr auto demo_deadline = std::chrono::seconds(60);
constexpr auto request_timeout = troupe::request_timeouts::client;

// Names a data directory as the demo's own: only such a one is cleared.
constexpr const char* demo_marker = "TROUPE_DEMO_STORE";

// Refuses to delete anything that is not an earlier demo's store: a troupe
// store of a server holds jobs someone wants.
void clear_data_dir(const std::string& dir) {
  std::error_code ec;
  bool exists = fs::exists(dir, ec);
  bool is_demo = fs::exists(fs::path{dir} / demo_marker, ec);
  if (exists && !fs::is_empty(dir, ec) && !is_demo)
    throw usage_error("--data: " + dir +
                      " exists and is not a store this demo created (no " +
                      demo_marker + " file); refusing to clear it");
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  if (ec)
    throw cli_error{exit_unreachable,
                    "demo: cannot create " + dir + ": " + ec.message()};
}

// Once the node created the store in `dir` (it refuses a directory holding
// files but no store), marks it as the demo's.
void mark_data_dir(const std::string& dir) {
  std::ofstream marker{fs::path{dir} / demo_marker};
  marker << "created by troupe demo; troupe demo may clear this directory\n";
  if (!marker)
    throw cli_error{exit_unreachable,
                    "demo: cannot write " + dir + "/" + demo_marker};
}

template <class T, class Handle, class... Ts>
std::optional<T> ask(node& n, const Handle& dest, Ts&&... xs) {
  caf::scoped_actor self{n.system()};
  std::optional<T> result;
  self->request(dest, request_timeout, std::forward<Ts>(xs)...)
      .receive([&](T& value) { result = std::move(value); },
               [&](caf::error& err) {
                 std::cerr << "troupe: demo: " << message_of(err) << '\n';
               });
  return result;
}

// Cancels the publish step once it is uploading, as a release manager who
// changed their mind would.
event_observer cancel_publish_when_running(scheduler_actor scheduler) {
  auto sent = std::make_shared<std::atomic<bool>>(false);
  return [scheduler, sent](const job_event& event) {
    if (event.id == demo_cancelled_id && event.to == job_status::running &&
        event.kind == job_event_kind::progress && event.progress >= 0.25 &&
        !sent->exchange(true))
      caf::anon_send(scheduler, cancel_atom_v, event.id);
  };
}

void print_report(node& demo, const std::vector<job_record>& jobs) {
  std::cout << "\nFinal state:\n";
  print_job_table(std::cout, jobs);
  std::cout << "\nHistory of " << demo_flaky_id
            << " (fails twice, then succeeds):\n";
  if (auto history = ask<std::vector<history_entry>>(
          demo, demo.status_reporter(), history_atom_v,
          std::string{demo_flaky_id}))
    print_history(std::cout, *history);
  std::cout << "\nStatistics:\n";
  if (auto stats =
          ask<stats_snapshot>(demo, demo.status_reporter(), stats_atom_v))
    print_stats(std::cout, *stats);
}

std::vector<job_record> run_pipeline(node& demo) {
  auto ids = demo.submit(demo_pipeline());
  if (!ids)
    throw cli_error{exit_job_failed,
                    "demo: submit failed: " + message_of(ids.error())};
  std::cout << "submitted " << ids->size()
            << " jobs: fetch, 4 compiles, link, 2 test suites, package, a "
               "flaky upload, a step that times out, a publish step that "
               "gets cancelled\n\n"
            << std::flush;
  progress_display display{std::cout, choose_display_mode(false), *ids};
  auto outcome = wait_for_jobs(
      demo.system(), job_source{demo.status_reporter(), {}, {}}, *ids,
      demo_deadline, display, cancel_publish_when_running(demo.scheduler()));
  display.finish();
  if (!outcome.finished)
    throw cli_error{exit_job_failed,
                    "demo: the pipeline did not finish: " +
                        (outcome.error ? message_of(outcome.error)
                                       : std::string{"timed out"})};
  std::vector<job_record> jobs;
  for (const auto& id : *ids) {
    auto job = demo.get(id);
    if (!job)
      throw cli_error{exit_job_failed,
                      "demo: " + id + ": " + message_of(job.error())};
    jobs.push_back(std::move(*job));
  }
  return jobs;
}

} // namespace

int run_demo(const demo_options& options) {
  auto started = std::chrono::steady_clock::now();
  clear_data_dir(options.data);
  node_options settings;
  settings.store.path = options.data;
  settings.name = "demo";
  settings.executor.slots = 4;
  settings.scheduler.default_backoff_base_ms = 200;
  node demo{settings};
  register_builtin_jobs(demo, true); // Its own node, on no port.
  for (auto& [type, handler] : demo_job_handlers())
    demo.handle(type, handler);
  if (auto err = demo.start())
    throw cli_error{exit_unreachable,
                    "demo: cannot start the node: " + message_of(err)};
  mark_data_dir(options.data);
  std::cout << "troupe demo: a release build on an embedded node (data "
            << options.data << ", 4 executor slots)\n";
  auto jobs = run_pipeline(demo);
  print_report(demo, jobs);
  demo.shutdown();
  auto problems = check_demo_outcome(jobs);
  for (const auto& problem : problems)
    std::cerr << "troupe: demo: unexpected outcome: " << problem << '\n';
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  std::cout << "\ntroupe demo: finished in " << format_duration(elapsed.count())
            << (problems.empty() ? ", every job ended as planned\n"
                                 : ", with unexpected outcomes\n");
  return problems.empty() ? exit_ok : exit_job_failed;
}

} // namespace troupe::cli
