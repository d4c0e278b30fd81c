// The schedule keeper under the testing scheduler: a cron schedule fires its
// jobs through the real scheduler at the expected minutes, on its timer; a
// restarted keeper neither double-fires nor drops a firing; scheduled jobs
// recovered after a restart start at their time.
#include "tests/actors/actor_fixture.hpp"

#include "caf/exit_reason.hpp"

#include "troupe/actors/schedules/schedule_keeper.hpp"
#include "troupe/messages/errc.hpp"

using namespace troupe;
using troupe::test::actor_fixture;

namespace {

constexpr int64_t us_per_min = 60'000'000;

struct keeper_fixture : actor_fixture {
  schedule_keeper_actor keeper;
  /// Wall time at the test clock's `clock_base`, so that a restarted keeper
  /// sees the time the first one would see now.
  int64_t wall_base = 0;
  caf::actor_clock::time_point clock_base;

  /// Starts a keeper over the schedules in the store, as a node start does.
  void start_keeper() {
    auto stored = store->schedules();
    REQUIRE(stored);
    if (wall_base == 0) {
      wall_base = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
      clock_base = sched->clock().now();
    }
    auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
        sched->clock().now() - clock_base);
    keeper = sys->spawn(schedule_keeper, store, std::move(*stored),
                        job_limits{}, wall_base + elapsed.count());
    (*self)->send(keeper, arm_atom_v, scheduler_handle);
    run();
  }

  void stop_keeper() {
    (*self)->send_exit(keeper, caf::exit_reason::user_shutdown);
    run();
  }

  periodic_schedule add(periodic_schedule x) {
    auto handle = (*self)->request(keeper, caf::infinite, schedules_atom_v,
                                   add_atom_v, std::move(x));
    run();
    periodic_schedule added;
    handle.receive([&](periodic_schedule& y) { added = std::move(y); },
                   [&](caf::error& err) { FAIL(message_of(err)); });
    return added;
  }

  /// The wall time the keeper sees now.
  int64_t now_wall() {
    return wall_base + std::chrono::duration_cast<std::chrono::microseconds>(
                           sched->clock().now() - clock_base)
                           .count();
  }

  /// Advances the clock to wall time `t` in steps of at most a minute.
  void advance_until(int64_t t) {
    while (now_wall() < t) {
      auto step = std::min<int64_t>(us_per_min, t - now_wall());
      sched->advance_time(std::chrono::microseconds(step));
      run();
    }
  }

  /// Advances the clock a minute at a time: the testing scheduler delivers
  /// a timer only when time is advanced past it, and each firing arms the
  /// next timer only once its job is durable.
  void advance_minutes(int n) {
    for (int i = 0; i < n; ++i)
      advance(std::chrono::minutes(1));
  }

  /// Ids of the jobs fired by schedule `name`, oldest first.
  std::vector<std::string> fired(const std::string& name) {
    job_query query;
    query.tag = "schedule:" + name;
    std::vector<std::string> ids;
    auto jobs = store->list(query);
    REQUIRE(jobs);
    for (const auto& job : *jobs)
      ids.push_back(job.id);
    return ids;
  }

  ~keeper_fixture() {
    if (keeper)
      stop_keeper();
  }
};

periodic_schedule every_five_minutes() {
  periodic_schedule x;
  x.name = "five";
  x.cron = "*/5 * * * *";
  x.job.type = "work";
  return x;
}

} // namespace

TEST_CASE_METHOD(keeper_fixture,
                 "a cron schedule fires jobs at the expected minutes",
                 "[actors][schedule]") {
  start_keeper();
  auto added = add(every_five_minutes());
  auto first = added.next_fire_us;
  REQUIRE(first > 0);
  CHECK(first % (5 * us_per_min) == 0);
  CHECK(fired("five").empty());
  // Up to just before the first firing nothing happens; then one job per
  // five minutes, each with the id of its firing time.
  auto before_first = first - added.created_us - 1;
  sched->advance_time(std::chrono::microseconds(before_first));
  run();
  CHECK(fired("five").empty());
  sched->advance_time(std::chrono::microseconds(1));
  run();
  CHECK(fired("five").size() == 1);
  advance_minutes(10);
  std::vector<std::string> expected;
  for (int i = 0; i < 3; ++i)
    expected.push_back(firing_job_id("five", first + i * 5 * us_per_min));
  CHECK(fired("five") == expected);
  auto stored = store->schedules();
  REQUIRE(stored);
  REQUIRE(stored->size() == 1);
  CHECK(stored->front().last_fired_us == first + 10 * us_per_min);
  CHECK(stored->front().last_job_id == expected.back());
  // The fired jobs are ordinary jobs: queued and dispatched on demand.
  grant(3);
  CHECK(log->dispatched.size() == 3);
}

TEST_CASE_METHOD(keeper_fixture,
                 "a restarted keeper neither double-fires nor drops a firing",
                 "[actors][schedule]") {
  start_keeper();
  auto first = add(every_five_minutes()).next_fire_us;
  advance_until(first + us_per_min);
  REQUIRE(fired("five").size() == 1);
  stop_keeper();
  start_keeper(); // Restart before the next firing.
  CHECK(fired("five").size() == 1);
  advance_minutes(5);
  CHECK(fired("five") == std::vector<std::string>{
                             firing_job_id("five", first),
                             firing_job_id("five", first + 5 * us_per_min)});
}

TEST_CASE_METHOD(keeper_fixture,
                 "a firing whose record was lost is re-fired as the same job",
                 "[actors][schedule]") {
  start_keeper();
  auto added = add(every_five_minutes());
  advance_until(added.next_fire_us + us_per_min);
  REQUIRE(fired("five").size() == 1);
  stop_keeper();
  // As if the node died after the job was durable but before the firing
  // was recorded: the stored schedule has never fired.
  added.missed = missed_policy::run_once;
  REQUIRE_FALSE(store->put_schedule(added));
  start_keeper();
  CHECK(fired("five") ==
        std::vector<std::string>{firing_job_id("five", added.next_fire_us)});
  auto stored = store->schedules();
  REQUIRE(stored);
  CHECK(stored->front().last_fired_us == added.next_fire_us);
}

TEST_CASE_METHOD(keeper_fixture,
                 "schedules are listed with their next firing and removed",
                 "[actors][schedule]") {
  start_keeper();
  auto added = add(every_five_minutes());
  auto list =
      (*self)->request(keeper, caf::infinite, schedules_atom_v, list_atom_v);
  run();
  list.receive(
      [&](std::vector<periodic_schedule>& xs) {
        REQUIRE(xs.size() == 1);
        CHECK(xs[0].next_fire_us == added.next_fire_us);
      },
      [&](caf::error& err) { FAIL(message_of(err)); });
  auto removed = (*self)->request(keeper, caf::infinite, schedules_atom_v,
                                  delete_atom_v, std::string{"five"});
  run();
  removed.receive([](ok_atom) {},
                  [&](caf::error& err) { FAIL(message_of(err)); });
  advance_minutes(11);
  CHECK(fired("five").empty());
  auto stored = store->schedules();
  REQUIRE(stored);
  CHECK(stored->empty());
}

TEST_CASE_METHOD(actor_fixture,
                 "a scheduled job starts at its time, not before",
                 "[actors][scheduled]") {
  auto s = spec();
  auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  s.run_at_us = now + 2'000'000;
  auto id = submit(s);
  CHECK(stored(id).status == job_status::scheduled);
  grant(1);
  advance(std::chrono::milliseconds(1500));
  CHECK(log->dispatched.empty());
  advance(std::chrono::milliseconds(1000));
  REQUIRE(log->dispatched.size() == 1);
  CHECK(stored(id).status == job_status::queued);
}
