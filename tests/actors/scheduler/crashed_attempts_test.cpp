// Poison jobs: a restart tells crashes from orderly stops by the history,
// and a job whose attempts keep dying with the node is failed, not re-run.
#include <algorithm>

#include <catch2/catch.hpp>

#include "tests/actors/scheduler/scheduler_state_fixture.hpp"
#include "troupe/actors/scheduler/crashed_attempts.hpp"

using namespace troupe;
using troupe::test::scheduler_fixture;

namespace {

history_entry entry(job_status from, job_status to, uint32_t attempt,
                    std::string principal, std::string message) {
  history_entry e;
  e.from = from;
  e.to = to;
  e.attempt = attempt;
  e.principal = std::move(principal);
  e.message = std::move(message);
  return e;
}

history_entry start(uint32_t attempt) {
  return entry(job_status::queued, job_status::running, attempt, "executor",
               "started");
}

history_entry recovered(uint32_t attempt, bool crashed) {
  return entry(job_status::running, job_status::queued, attempt + 1, "recovery",
               recovery_note(attempt, crashed));
}

std::vector<history_entry> submitted() {
  return {
      entry(job_status::queued, job_status::queued, 1, "client", "submitted")};
}

} // namespace

TEST_CASE("the attempts in a row that the node died under are counted from "
          "the history",
          "[unit][crashes]") {
  auto h = submitted();
  h.push_back(start(1));
  CHECK(count_crashed_attempts(h) == 1);
  h.push_back(recovered(1, true));
  h.push_back(start(2));
  CHECK(count_crashed_attempts(h) == 2);
  h.push_back(recovered(2, true));
  h.push_back(start(3));
  CHECK(count_crashed_attempts(h) == 3);
}

TEST_CASE("an orderly stop is no crash and ends a run of crashes",
          "[unit][crashes]") {
  auto h = submitted();
  h.push_back(start(1));
  h.push_back(recovered(1, true));
  h.push_back(start(2));
  h.push_back(entry(job_status::running, job_status::running, 2, stop_principal,
                    stop_note(2)));
  CHECK(count_crashed_attempts(h) == 0);
  h.push_back(recovered(2, false));
  h.push_back(start(3));
  CHECK(count_crashed_attempts(h) == 1);
}

TEST_CASE("an attempt that ended normally ends a run of crashes",
          "[unit][crashes]") {
  auto h = submitted();
  h.push_back(start(1));
  h.push_back(recovered(1, true));
  h.push_back(start(2));
  h.push_back(entry(job_status::running, job_status::scheduled, 3, "executor",
                    "attempt 2 failed: boom"));
  h.push_back(entry(job_status::scheduled, job_status::queued, 3, "scheduler",
                    "retry due"));
  h.push_back(start(3));
  CHECK(count_crashed_attempts(h) == 1);
}

TEST_CASE_METHOD(scheduler_fixture,
                 "a job that crashed the node three times in a row is failed "
                 "at recovery, not started again",
                 "[unit][crashes]") {
  job_record poison;
  poison.id = "poison";
  poison.type = "work";
  poison.status = job_status::running;
  poison.attempt = 3;
  poison.max_retries = 10;
  job_record twice = poison;
  twice.id = "twice";
  state.recover(
      recovered_jobs{{poison, twice}, {{"poison", 3}, {"twice", 2}}, {}}, now);
  CHECK(status("twice") == job_status::queued);
  CHECK(job("twice").attempt == 4);
  auto batch = state.take_writes(1);
  auto of = [&](const std::string& id) {
    return *std::find_if(
        batch.history.begin(), batch.history.end(),
        [&](const history_entry& e) { return e.job_id == id; });
  };
  CHECK(of("twice").message ==
        "recovered: attempt 3 was running when the node died");
  auto failed = of("poison");
  CHECK(failed.to == job_status::failed);
  CHECK(failed.message.find("attempt 3 crashed the node") == 0);
  CHECK(state.take_effects().enqueue.size() == 1);
}

TEST_CASE_METHOD(scheduler_fixture,
                 "an orderly stop notes every running attempt in its history",
                 "[unit][crashes]") {
  auto id = submit(spec());
  start(id);
  auto idle = submit(spec());
  flush();
  state.note_stopping(now);
  auto batch = state.take_writes(2);
  REQUIRE(batch.history.size() == 1);
  CHECK(batch.history[0].job_id == id);
  CHECK(batch.history[0].message == stop_note(1));
  CHECK(status(idle) == job_status::queued);
}
