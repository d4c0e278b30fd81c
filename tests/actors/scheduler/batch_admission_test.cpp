// Batches whose jobs depend on each other in any order, cycles named in
// the error, dependency failure policies through chains, and retry of many
// dead-lettered jobs at once, on the plain scheduler state.
#include "tests/actors/scheduler/scheduler_state_fixture.hpp"

#include "troupe/actors/scheduler/batch_order.hpp"
#include "troupe/actors/scheduler/spec_validation.hpp"

using namespace troupe;
using troupe::test::scheduler_fixture;

namespace {

job_spec named(std::string id, std::vector<std::string> deps = {}) {
  auto x = scheduler_fixture::spec("work", std::move(deps));
  x.id = std::move(id);
  return x;
}

} // namespace

TEST_CASE("a batch is ordered so that dependencies come first", "[batch]") {
  auto order = batch_admission_order(
      {named("c", {"b"}), named("a"), named("b", {"a", "elsewhere"})});
  REQUIRE(order);
  CHECK(*order == std::vector<size_t>{1, 2, 0});
}

TEST_CASE("a cycle in a batch is named in dependency order", "[batch]") {
  auto order = batch_admission_order(
      {named("x"), named("a", {"b"}), named("b", {"c"}), named("c", {"a"})});
  REQUIRE_FALSE(order);
  CHECK(code_of(order.error()) == errc::dependency_cycle);
  CHECK(message_of(order.error()) ==
        "deps: the batch's dependencies form a cycle: a -> b -> c -> a");
  auto self_loop = batch_admission_order({named("s", {"s"})});
  REQUIRE_FALSE(self_loop);
  CHECK(message_of(self_loop.error()).find("s -> s") != std::string::npos);
}

TEST_CASE_METHOD(scheduler_fixture,
                 "a batch may name later jobs of the batch as dependencies",
                 "[batch]") {
  auto ids = state.submit({named("report", {"fetch"}), named("fetch")}, now);
  REQUIRE(ids);
  CHECK(*ids == std::vector<std::string>{"report", "fetch"});
  CHECK(status("fetch") == job_status::queued);
  CHECK(status("report") == job_status::waiting);
  auto fx = flush();
  REQUIRE(fx.watch.size() == 1);
  CHECK(fx.watch[0].first == "report");
}

TEST_CASE_METHOD(scheduler_fixture,
                 "a batch with a cycle is rejected and nothing is written",
                 "[batch]") {
  auto result =
      state.submit({named("ok"), named("a", {"b"}), named("b", {"a"})}, now);
  REQUIRE_FALSE(result);
  CHECK(code_of(result.error()) == errc::dependency_cycle);
  CHECK(message_of(result.error()).find("a -> b -> a") != std::string::npos);
  CHECK_FALSE(state.status_of("ok"));
  CHECK_FALSE(state.has_writes());
  CHECK(state.take_effects().events.empty());
}

TEST_CASE_METHOD(scheduler_fixture,
                 "a cancel policy cancels the dependent, whose own fail "
                 "policy then fails the next with the reason",
                 "[batch][policy]") {
  auto first = named("first");
  first.max_retries = 0;
  auto second = named("second", {"first"});
  second.on_dependency_failure = dependency_policy::cancel;
  auto third = named("third", {"second"});
  REQUIRE(state.submit({first, second, third}, now));
  flush();
  start("first");
  CHECK(finish("first", 1, false));
  flush();
  state.dependency_failed("second", "first", job_status::failed, now);
  CHECK(status("second") == job_status::cancelled);
  CHECK(job("second").error == "dependency first failed");
  flush();
  state.dependency_failed("third", "second", job_status::cancelled, now);
  CHECK(status("third") == job_status::failed);
  CHECK(job("third").error == "dependency second cancelled");
}

TEST_CASE_METHOD(scheduler_fixture,
                 "an ignore policy lets the dependent run once released",
                 "[batch][policy]") {
  auto first = named("first");
  first.max_retries = 0;
  auto second = named("second", {"first"});
  second.on_dependency_failure = dependency_policy::ignore;
  REQUIRE(state.submit({first, second}, now));
  flush();
  start("first");
  CHECK(finish("first", 1, false));
  flush();
  state.dependency_failed("second", "first", job_status::failed, now);
  CHECK(status("second") == job_status::waiting);
  state.released({"second"}, now);
  CHECK(status("second") == job_status::queued);
}

TEST_CASE_METHOD(scheduler_fixture,
                 "retry_all re-queues every dead letter given and skips jobs "
                 "that are no longer failed",
                 "[retry]") {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto s = spec();
    s.max_retries = 0;
    ids.push_back(submit(s));
    start(ids.back());
    CHECK(finish(ids.back(), 1, false));
  }
  auto written = state.take_writes(1);
  state.take_effects();
  REQUIRE(written.records.size() == 3);
  REQUIRE(state.retry(ids[1], &written.records[1], now, "alice"));
  flush();
  auto retried = state.retry_all(written.records, now, "client");
  CHECK(retried == std::vector<std::string>{ids[0], ids[2]});
  CHECK(job(ids[0]).attempt == 2);
  CHECK(status(ids[2]) == job_status::queued);
  CHECK(job(ids[1]).attempt == 2); // Retried once, not twice.
  auto batch = state.take_writes(2);
  CHECK(batch.history.size() == 2);
  for (const auto& entry : batch.history)
    CHECK(entry.message == "retried by client");
}

TEST_CASE("a retry filter defaults to failed and refuses other statuses",
          "[retry]") {
  job_query query;
  CHECK_FALSE(validate_retry_query(query));
  CHECK(query.has_status);
  CHECK(query.status == job_status::failed);
  query.status = job_status::completed;
  auto err = validate_retry_query(query);
  CHECK(code_of(err) == errc::invalid_field);
  CHECK(message_of(err).rfind("status: ", 0) == 0);
  query.status = job_status::cancelled;
  query.limit = max_jobs_per_retry + 1;
  CHECK(message_of(validate_retry_query(query)).rfind("limit: ", 0) == 0);
}
