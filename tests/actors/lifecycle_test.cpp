// Dead letters retried by filter through the scheduler actor, and automatic
// retention cleanup on the actor clock, under the testing scheduler.
#include "tests/actors/actor_fixture.hpp"

#include "caf/exit_reason.hpp"

#include "troupe/actors/retention/retention_cleaner.hpp"
#include "troupe/messages/errc.hpp"

using namespace troupe;
using namespace std::chrono_literals;
using troupe::test::actor_fixture;

namespace {

struct lifecycle_fixture : actor_fixture {
  /// Submits a job of `type` without retries and lets its attempt fail.
  std::string failed_job(const std::string& type, const std::string& owner) {
    auto s = spec(type);
    s.max_retries = 0;
    s.owner = owner;
    auto id = submit(s);
    grant(1);
    report_started(id, 1);
    report_finished(id, 1, false);
    REQUIRE(stored(id).status == job_status::failed);
    return id;
  }

  /// Submits a job and lets its attempt complete.
  std::string completed_job() {
    auto id = submit(spec());
    grant(1);
    report_started(id, 1);
    report_finished(id, 1, true);
    REQUIRE(stored(id).status == job_status::completed);
    return id;
  }

  caf::expected<std::vector<std::string>> retry_matching(job_query query) {
    auto handle = (*self)->request(scheduler_handle, caf::infinite,
                                   retry_atom_v, std::move(query));
    run();
    caf::expected<std::vector<std::string>> result{std::vector<std::string>{}};
    handle.receive([&](std::vector<std::string>& ids) { result = ids; },
                   [&](caf::error& err) { result = std::move(err); });
    return result;
  }

  bool exists(const std::string& id) {
    return static_cast<bool>(store->get(id));
  }
};

} // namespace

TEST_CASE_METHOD(lifecycle_fixture,
                 "retry by filter re-queues every matching dead letter and "
                 "keeps its history",
                 "[actors][retry]") {
  auto a = failed_job("resize", "alice");
  auto b = failed_job("resize", "bob");
  auto c = failed_job("resize", "alice");
  auto other = failed_job("encode", "alice");
  job_query query;
  query.type = "resize";
  query.owner = "alice";
  auto retried = retry_matching(query);
  REQUIRE(retried);
  CHECK(*retried == std::vector<std::string>{a, c});
  for (const auto& id : {a, c}) {
    auto job = stored(id);
    CHECK(job.status == job_status::queued);
    CHECK(job.attempt == 2);
    CHECK(job.error.empty());
    auto history = store->history(id);
    REQUIRE(history);
    REQUIRE(history->size() == 4);
    CHECK(history->at(2).to == job_status::failed);
    CHECK(history->back().message == "retried by client");
    CHECK(history->back().attempt == 2);
  }
  CHECK(stored(b).status == job_status::failed);
  CHECK(stored(other).status == job_status::failed);
  grant(2);
  REQUIRE(log->dispatched.size() == 6);
  CHECK(log->dispatched[4].attempt == 2);
}

TEST_CASE_METHOD(lifecycle_fixture,
                 "retry by filter pages through many jobs up to its limit "
                 "and refuses statuses other than failed or cancelled",
                 "[actors][retry]") {
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i)
    ids.push_back(failed_job("bulk", ""));
  job_query query;
  query.limit = 5;
  auto first = retry_matching(query);
  REQUIRE(first);
  CHECK(*first == std::vector<std::string>(ids.begin(), ids.begin() + 5));
  auto rest = retry_matching(job_query{});
  REQUIRE(rest);
  CHECK(*rest == std::vector<std::string>{ids[5], ids[6]});
  CHECK(retry_matching(job_query{})->empty());
  query.has_status = true;
  query.status = job_status::queued;
  auto refused = retry_matching(query);
  REQUIRE_FALSE(refused);
  CHECK(code_of(refused.error()) == errc::invalid_field);
}

TEST_CASE_METHOD(lifecycle_fixture,
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

TEST_CASE_METHOD(lifecycle_fixture,
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
