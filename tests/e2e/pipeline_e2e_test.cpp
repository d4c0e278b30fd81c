// A node in this process on a real RocksDB: a large DAG, retries with
// backoff, timeouts with fencing, cancellation and bad input.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

#include "tests/e2e/node_fixture.hpp"

using namespace troupe;
using troupe::test::node_fixture;

namespace {

/// A one-shot signal between handler threads.
struct latch {
  std::mutex mtx;
  std::condition_variable cv;
  bool open = false;
  void release() {
    {
      std::lock_guard<std::mutex> guard{mtx};
      open = true;
    }
    cv.notify_all();
  }
  /// Bounded, so a regression fails the test instead of hanging it.
  void wait() {
    std::unique_lock<std::mutex> guard{mtx};
    cv.wait_for(guard, std::chrono::minutes(2), [this] { return open; });
  }
};

} // namespace

TEST_CASE_METHOD(node_fixture,
                 "a DAG of 1000 jobs with mixed priorities completes in "
                 "dependency order",
                 "[e2e]") {
  node n{options};
  n.handle("step", [](job_context&) { return nlohmann::json{}; });
  REQUIRE_FALSE(n.start());
  std::mt19937 rng{2026};
  std::vector<job_spec> specs;
  for (int i = 0; i < 1000; ++i) {
    auto x = spec("step");
    x.id = "dag-" + std::to_string(i);
    x.priority = static_cast<uint8_t>(1 + rng() % 10);
    for (int k = 0; k < 3 && i > 0; ++k)
      if (rng() % 2 == 0)
        x.deps.push_back("dag-" + std::to_string(rng() % i));
    std::sort(x.deps.begin(), x.deps.end());
    x.deps.erase(std::unique(x.deps.begin(), x.deps.end()), x.deps.end());
    specs.push_back(std::move(x));
  }
  std::vector<std::string> ids;
  for (size_t i = 0; i < specs.size(); i += 100) {
    std::vector<job_spec> batch(specs.begin() + i, specs.begin() + i + 100);
    auto got = n.submit(std::move(batch));
    REQUIRE(got);
    ids.insert(ids.end(), got->begin(), got->end());
  }
  auto records = wait(n, ids);
  std::unordered_map<std::string, job_record> by_id;
  for (auto& r : records)
    by_id[r.id] = r;
  size_t with_deps = 0;
  for (const auto& r : records) {
    REQUIRE(r.status == job_status::completed);
    with_deps += r.deps.empty() ? 0 : 1;
    for (const auto& dep : r.deps)
      CHECK(r.started_us >= by_id.at(dep).finished_us);
  }
  CHECK(with_deps > 500);
}

TEST_CASE_METHOD(node_fixture,
                 "a failing job is retried with backoff, then fails, and its "
                 "dependents fail naming it",
                 "[e2e]") {
  node n{options};
  n.handle("flaky", [](job_context& ctx) {
    return job_result::failure("attempt " + std::to_string(ctx.attempt()) +
                               " broke");
  });
  n.handle("step", [](job_context&) { return nlohmann::json{}; });
  REQUIRE_FALSE(n.start());
  auto x = spec("flaky");
  x.max_retries = 2;
  x.backoff_base_ms = 100;
  auto failing = submit(n, x);
  auto dependent = submit(n, spec("step", "{}", {failing}));
  auto records = wait(n, {failing, dependent});
  CHECK(records[0].status == job_status::failed);
  CHECK(records[0].attempt == 3);
  CHECK(records[0].error == "attempt 3 broke");
  CHECK(records[1].status == job_status::failed);
  CHECK(records[1].error == "dependency " + failing + " failed");
  auto entries = history(n, failing);
  // queued, then (running, scheduled) twice, then running, failed.
  std::vector<int64_t> failed_at, started_at;
  for (const auto& e : entries) {
    if (e.to == job_status::running)
      started_at.push_back(e.time_us);
    if (e.from == job_status::running)
      failed_at.push_back(e.time_us);
  }
  REQUIRE(started_at.size() == 3);
  REQUIRE(failed_at.size() == 3);
  // Equal jitter: the n-th retry waits between half and all of 100 ms * 2^n.
  CHECK(started_at[1] - failed_at[0] >= 50'000);
  CHECK(started_at[2] - failed_at[1] >= 100'000);
  CHECK(entries.back().message.find("no retries left") != std::string::npos);
}

TEST_CASE_METHOD(node_fixture,
                 "a timeout fails the attempt and its late result is "
                 "discarded",
                 "[e2e]") {
  // No timing margin: the first attempt returns only once the second one
  // runs (so its timeout has certainly fired), and the second returns only
  // once the first one's late result is on its way.
  latch second_running, first_returning;
  node n{options};
  n.handle("slow", [&](job_context& ctx) -> job_result {
    if (ctx.attempt() == 1) {
      // Ignores cancellation, and outlives its 1 s timeout.
      second_running.wait();
      first_returning.release();
      return nlohmann::json{{"attempt", 1}};
    }
    second_running.release();
    first_returning.wait();
    return nlohmann::json{{"attempt", ctx.attempt()}};
  });
  REQUIRE_FALSE(n.start());
  auto x = spec("slow");
  x.timeout_s = 1;
  x.max_retries = 1;
  auto id = submit(n, x);
  auto record = wait(n, {id}).front();
  CHECK(record.status == job_status::completed);
  CHECK(record.attempt == 2);
  CHECK(record.result == R"({"attempt":2})");
  auto entries = history(n, id);
  auto timed_out =
      std::count_if(entries.begin(), entries.end(), [](const history_entry& e) {
        return e.attempt == 1 &&
               e.message.find("timed out after 1 s") != std::string::npos;
      });
  CHECK(timed_out == 1);
  CHECK(entries.back().attempt == 2);
}

TEST_CASE_METHOD(node_fixture,
                 "waiting, queued and running jobs can be cancelled", "[e2e]") {
  options.executor.slots = 1;
  latch running;
  node n{options};
  n.handle("block", [&](job_context& ctx) -> job_result {
    running.release();
    while (!ctx.cancelled())
      std::this_thread::yield();
    return job_result::failure("stopped");
  });
  REQUIRE_FALSE(n.start());
  auto r = submit(n, spec("block"));
  running.wait();
  auto q = submit(n, spec("block"));
  auto w = submit(n, spec("block", "{}", {r}));
  caf::scoped_actor self{n.system()};
  for (const auto& id : {w, q, r})
    self->request(n.scheduler(), std::chrono::seconds(10), cancel_atom_v, id)
        .receive([](job_status s) { CHECK(s == job_status::cancelled); },
                 [](caf::error& err) { FAIL(message_of(err)); });
  for (const auto& record : wait(n, {r, q, w}))
    CHECK(record.status == job_status::cancelled);
  CHECK(n.get(r)->attempt == 1);
}

TEST_CASE_METHOD(node_fixture,
                 "bad input is rejected naming the field and nothing is "
                 "persisted",
                 "[e2e]") {
  node n{options};
  n.handle("step", [](job_context&) { return nlohmann::json{}; });
  REQUIRE_FALSE(n.start());
  struct bad_case {
    std::string field;
    std::function<void(job_spec&)> spoil;
    errc code;
  };
  std::vector<bad_case> cases = {
      {"type", [](job_spec& x) { x.type = "UPPER"; }, errc::invalid_field},
      {"payload", [](job_spec& x) { x.payload = "{"; }, errc::invalid_field},
      {"payload",
       [](job_spec& x) { x.payload = "\"" + std::string(1 << 20, 'a') + "\""; },
       errc::invalid_field},
      {"priority", [](job_spec& x) { x.priority = 11; }, errc::invalid_field},
      {"timeout_s", [](job_spec& x) { x.timeout_s = 0; }, errc::invalid_field},
      {"timeout_s", [](job_spec& x) { x.timeout_s = 86401; },
       errc::invalid_field},
      {"max_retries", [](job_spec& x) { x.max_retries = 101; },
       errc::invalid_field},
      {"deps", [](job_spec& x) { x.deps.assign(1001, "a"); },
       errc::invalid_field},
      {"deps[0]", [](job_spec& x) { x.deps = {"no-such-job"}; },
       errc::unknown_dependency},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    auto x = spec("step");
    x.id = "bad-" + std::to_string(i);
    c.spoil(x);
    auto result = n.submit(x);
    REQUIRE_FALSE(result);
    CHECK(code_of(result.error()) == c.code);
    CHECK(message_of(result.error()).rfind(c.field + ":", 0) == 0);
  }
  CHECK(list(n).empty());
}
