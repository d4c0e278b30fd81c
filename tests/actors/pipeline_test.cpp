// The actors together under the testing scheduler: durable acknowledgement,
// credit-based dispatch by priority, timeouts on the actor clock, fencing,
// dependency release and the failure cascade.
#include "tests/actors/actor_fixture.hpp"

#include "troupe/messages/errc.hpp"

using namespace troupe;
using troupe::test::actor_fixture;

TEST_CASE_METHOD(actor_fixture,
                 "a submission is acknowledged once durable and dispatched "
                 "on demand",
                 "[actors]") {
  auto id = submit(spec());
  auto record = stored(id);
  CHECK(record.status == job_status::queued);
  CHECK(log->dispatched.empty()); // The executor has no credit yet.
  grant(1);
  REQUIRE(log->dispatched.size() == 1);
  CHECK(log->dispatched[0].id == id);
  report_started(id, 1);
  report_finished(id, 1, true);
  record = stored(id);
  CHECK(record.status == job_status::completed);
  CHECK(record.result == "42");
  auto history = store->history(id);
  REQUIRE(history);
  CHECK(history->size() == 3);
}

TEST_CASE_METHOD(actor_fixture,
                 "the queue dispatches by priority, and ageing lifts waiting "
                 "jobs",
                 "[actors]") {
  auto low = spec();
  low.priority = 9;
  auto high = spec();
  high.priority = 2;
  auto a = submit(low);
  advance(std::chrono::seconds(75)); // Ageing: 9 now competes as 1.5.
  auto b = submit(high);
  auto c = submit(low);
  grant(3);
  REQUIRE(log->dispatched.size() == 3);
  CHECK(log->dispatched[0].id == a);
  CHECK(log->dispatched[1].id == b);
  CHECK(log->dispatched[2].id == c);
}

TEST_CASE_METHOD(actor_fixture,
                 "a timeout on the actor clock stops the attempt and fences "
                 "its late result",
                 "[actors]") {
  auto s = spec();
  s.timeout_s = 2;
  auto id = submit(s);
  grant(1);
  report_started(id, 1);
  advance(std::chrono::milliseconds(1999));
  CHECK(stored(id).status == job_status::running);
  advance(std::chrono::milliseconds(1));
  CHECK(stored(id).status == job_status::scheduled);
  CHECK(stored(id).error == "timed out after 2 s");
  CHECK(cancel_requests() ==
        std::vector<std::pair<std::string, uint32_t>>{{id, 1}});
  report_finished(id, 1, true); // Too late: attempt 1 is over.
  CHECK(stored(id).status == job_status::scheduled);
  advance(std::chrono::seconds(1)); // Backoff of at most 1 s.
  CHECK(stored(id).status == job_status::queued);
  grant(1);
  REQUIRE(log->dispatched.size() == 2);
  CHECK(log->dispatched[1].attempt == 2);
}

TEST_CASE_METHOD(actor_fixture,
                 "dependents are released only after their dependency "
                 "completed",
                 "[actors]") {
  auto a = submit(spec());
  auto b = submit(spec("work", {a}));
  grant(2);
  REQUIRE(log->dispatched.size() == 1);
  CHECK(stored(b).status == job_status::waiting);
  report_started(a, 1);
  report_finished(a, 1, true);
  REQUIRE(log->dispatched.size() == 2);
  CHECK(log->dispatched[1].id == b);
  CHECK(stored(b).status == job_status::queued);
}

TEST_CASE_METHOD(actor_fixture,
                 "a failed dependency fails its dependents transitively with "
                 "the reason",
                 "[actors]") {
  auto root = spec();
  root.max_retries = 0;
  auto a = submit(root);
  auto b = submit(spec("work", {a}));
  auto c = submit(spec("work", {b}));
  grant(1);
  report_started(a, 1);
  report_finished(a, 1, false);
  CHECK(stored(a).status == job_status::failed);
  CHECK(stored(b).status == job_status::failed);
  CHECK(stored(b).error == "dependency " + a + " failed");
  CHECK(stored(c).status == job_status::failed);
  CHECK(stored(c).error == "dependency " + b + " failed");
}

TEST_CASE_METHOD(actor_fixture,
                 "cancelling a running job asks its executor to stop",
                 "[actors]") {
  auto id = submit(spec());
  grant(1);
  report_started(id, 1);
  auto result = cancel(id);
  REQUIRE(result);
  CHECK(*result == job_status::cancelled);
  CHECK(stored(id).status == job_status::cancelled);
  CHECK(cancel_requests() ==
        std::vector<std::pair<std::string, uint32_t>>{{id, 1}});
  report_finished(id, 1, true);
  CHECK(stored(id).status == job_status::cancelled);
}

TEST_CASE_METHOD(actor_fixture,
                 "an unknown dependency or bad field is rejected and nothing "
                 "is stored",
                 "[actors]") {
  auto err = submit_error(spec("work", {"missing"}));
  CHECK(code_of(err) == errc::unknown_dependency);
  auto bad = spec();
  bad.type = "Bad Type";
  bad.id = "never-stored";
  err = submit_error(bad);
  CHECK(code_of(err) == errc::invalid_field);
  auto all = store->list(job_query{});
  REQUIRE(all);
  CHECK(all->empty());
}

TEST_CASE_METHOD(actor_fixture,
                 "a lost executor's unstarted attempts are dispatched again "
                 "with their payloads, its started ones re-queued",
                 "[actors]") {
  auto waiting = spec();
  waiting.payload = R"({"kept": "by the scheduler"})";
  auto started = submit(spec());
  auto unstarted = submit(waiting);
  grant(2);
  REQUIRE(log->dispatched.size() == 2);
  report_started(started, 1);
  // The registry's part: ask the queue for the loss window, hand it on.
  std::vector<job_dispatch> window;
  auto asked =
      (*self)->request(queue_handle, caf::infinite, lost_atom_v, probe);
  run();
  asked.receive([&](std::vector<job_dispatch>& xs) { window = std::move(xs); },
                [](caf::error& err) { FAIL(message_of(err)); });
  REQUIRE(window.size() == 2);
  CHECK(window[1].payload.empty()); // The queue keeps none.
  // `report_started` names the test's own actor as the executor that runs
  // the attempt.
  (*self)->send(scheduler_handle, lost_atom_v,
                caf::actor_cast<executor_actor>(*self), std::string{"n1"},
                std::string{"connection lost"}, window);
  run();
  grant(2);
  REQUIRE(log->dispatched.size() == 4);
  auto again = log->dispatched[2].id == unstarted ? log->dispatched[2]
                                                  : log->dispatched[3];
  CHECK(again.id == unstarted);
  CHECK(again.attempt == 1);
  CHECK(again.payload == waiting.payload);
  CHECK(stored(started).attempt == 2);
}
