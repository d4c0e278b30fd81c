// Automatic retention cleanup on the actor clock, under the testing
// scheduler.
#include "tests/actors/actor_fixture.hpp"

#include "caf/exit_reason.hpp"

#include "troupe/actors/retention/retention_cleaner.hpp"

using namespace troupe;
using namespace std::chrono_literals;
using troupe::test::actor_fixture;

namespace {

struct retention_fixture : actor_fixture {
  bool exists(const std::string& id) {
    return static_cast<bool>(store->get(id));
  }
};

} // namespace

TEST_CASE_METHOD(retention_fixture,
                 "the retention cleaner purges old terminal jobs on its "
                 "interval and keeps recent and unfinished ones",
                 "[actors][retention]") {
  std::vector<std::pair<uint64_t, int64_t>> reports;
  retention_policy policy{55min, 10min};
  auto cleaner = sys->spawn(
      retention_cleaner, policy, persistence,
      [&](uint64_t n, int64_t cutoff) { reports.emplace_back(n, cutoff); });
  run();
  auto old_job = completed_job();
  auto old_failure = failed_job("work", "");
  auto unfinished = submit(spec());
  for (int i = 0; i < 5; ++i)
    advance(10min); // Cleanups at 10 to 50 minutes purge nothing yet.
  CHECK(exists(old_job));
  CHECK(reports.empty());
  auto recent = completed_job();
  advance(10min); // At 60 minutes the first two are older than 55.
  CHECK_FALSE(exists(old_job));
  CHECK_FALSE(exists(old_failure));
  CHECK(store->history(old_job)->empty());
  CHECK(exists(recent));
  CHECK(exists(unfinished));
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].first == 2);
  advance(10min);
  CHECK(exists(recent));
  CHECK(reports.size() == 1);
  (*self)->send_exit(cleaner, caf::exit_reason::user_shutdown);
  run();
}

TEST_CASE_METHOD(retention_fixture,
                 "a cleanup interval of zero turns automatic cleanup off",
                 "[actors][retention]") {
  auto cleaner = sys->spawn(retention_cleaner, retention_policy{1min, 0min},
                            persistence, purge_observer{});
  run();
  auto id = completed_job();
  advance(24h);
  CHECK(exists(id));
  (*self)->send_exit(cleaner, caf::exit_reason::user_shutdown);
  run();
}
