// A start's take-over of the store's unfinished jobs, page by page, under the
// testing scheduler: every job comes back in its status, and requests that
// name a job not taken over yet wait for the end instead of failing.
#include "tests/actors/actor_fixture.hpp"

#include <set>

#include "caf/exit_reason.hpp"

#include "troupe/messages/errc.hpp"

using namespace troupe;
using troupe::test::actor_fixture;

namespace {

job_record stored_job(const std::string& id, job_status status,
                      int64_t created_us, std::vector<std::string> deps = {}) {
  job_record x;
  x.id = id;
  x.type = "work";
  x.status = status;
  x.deps = std::move(deps);
  x.payload = "{}";
  x.max_retries = 1;
  x.created_us = created_us;
  x.updated_us = created_us;
  return x;
}

/// The fixture with its scheduler replaced by one that reads two jobs per
/// page, over a store that already holds unfinished jobs.
struct restart_fixture : actor_fixture {
  restart_fixture() {
    auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    store_batch batch;
    for (int i = 1; i <= 5; ++i)
      batch.records.push_back(
          stored_job("q" + std::to_string(i), job_status::queued, i));
    batch.records.push_back(stored_job("r1", job_status::running, 6));
    batch.records.push_back(
        stored_job("w1", job_status::waiting, 7, {"q5", "gone"}));
    batch.records.push_back(stored_job("w2", job_status::waiting, 8, {"w1"}));
    auto later = stored_job("s1", job_status::scheduled, 9);
    later.run_at_us = now + std::int64_t{3600} * 1000 * 1000;
    batch.records.push_back(later);
    auto done = stored_job("gone", job_status::completed, 0);
    done.finished_us = 1;
    batch.records.push_back(done);
    REQUIRE_FALSE(store->write(batch));
    (*self)->send_exit(scheduler_handle, caf::exit_reason::user_shutdown);
    run();
    scheduler_config sc;
    sc.seed = 7;
    sc.recovery_page = 2;
    sc.park_above = 0;
    scheduler_handle =
        sys->spawn(scheduler, sc,
                   scheduler_peers{persistence, queue_handle, reporter, {}});
    run();
  }
};

} // namespace

TEST_CASE_METHOD(restart_fixture,
                 "a start takes over every unfinished job page by page, and "
                 "a request naming one not taken over yet waits for it",
                 "[actors][recovery]") {
  (*self)->send(scheduler_handle, recover_atom_v);
  // Both arrive while the first page is being read.
  auto cancel_q4 =
      (*self)->request(scheduler_handle, caf::infinite, cancel_atom_v, "q4");
  auto after_w2 = (*self)->request(scheduler_handle, caf::infinite,
                                   submit_atom_v, spec("work", {"w2"}));
  run();
  cancel_q4.receive([](job_status s) { CHECK(s == job_status::cancelled); },
                    [](caf::error& err) { FAIL(message_of(err)); });
  std::string follower;
  after_w2.receive([&](std::string& id) { follower = id; },
                   [](caf::error& err) { FAIL(message_of(err)); });
  // It waits for w2 instead of failing for a dependency it did not know.
  CHECK(stored(follower).status == job_status::waiting);
  CHECK(stored("q4").status == job_status::cancelled);
  CHECK(stored("r1").status == job_status::queued);
  CHECK(stored("r1").attempt == 2);
  CHECK(stored("w1").status == job_status::waiting);
  CHECK(stored("w2").status == job_status::waiting);
  CHECK(stored("s1").status == job_status::scheduled);
  // The statistics count what is in the queue again.
  auto stats = (*self)->request(reporter, caf::infinite, stats_atom_v);
  run();
  stats.receive(
      [](stats_snapshot& x) { CHECK(x.depth_by_type.at("work") == 5); },
      [](caf::error& err) { FAIL(message_of(err)); });
  // The queue holds the running job's next attempt first, then the queued
  // jobs oldest first.
  grant(10);
  std::vector<std::string> order;
  for (const auto& job : log->dispatched)
    order.push_back(job.id);
  CHECK(order == (std::vector<std::string>{"r1", "q1", "q2", "q3", "q5"}));
  // The chain across pages still runs in order.
  report_started("q5", 1);
  report_finished("q5", 1, true);
  CHECK(stored("w1").status == job_status::queued);
  dispatch("w1");
  report_started("w1", 1);
  report_finished("w1", 1, true);
  CHECK(stored("w2").status == job_status::queued);
}

TEST_CASE_METHOD(restart_fixture,
                 "a resubmitted id not taken over yet is the stored job, not "
                 "a second one",
                 "[actors][recovery]") {
  (*self)->send(scheduler_handle, recover_atom_v);
  auto again = spec();
  again.id = "q5";
  again.payload = "{}";
  again.max_retries = 1;
  auto reply =
      (*self)->request(scheduler_handle, caf::infinite, submit_atom_v, again);
  run();
  reply.receive([](std::string& id) { CHECK(id == "q5"); },
                [](caf::error& err) { FAIL(message_of(err)); });
  CHECK(stored("q5").created_us == 5);
  CHECK(stored("q5").history_length == 0); // Untouched.
}
