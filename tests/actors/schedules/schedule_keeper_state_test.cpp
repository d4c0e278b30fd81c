// The schedule keeper's state with explicit times: firing times of cron and
// interval schedules, firing ids, restarts without double firing, and the
// skip and run-once policies for firings missed while down.
#include <catch2/catch.hpp>

#include "troupe/actors/schedules/schedule_keeper_state.hpp"
#include "troupe/messages/errc.hpp"

using namespace troupe;

namespace {

constexpr int64_t us_per_s = 1'000'000;
constexpr int64_t us_per_min = 60 * us_per_s;

// 2026-11-23T10:00:00Z.
constexpr int64_t ten = 1'795'392'000'000'000 + 10 * 3600 * us_per_s;

periodic_schedule cron_schedule(std::string name, std::string expr,
                                missed_policy missed = missed_policy::skip) {
  periodic_schedule x;
  x.name = std::move(name);
  x.cron = std::move(expr);
  x.job.type = "report";
  x.missed = missed;
  return x;
}

periodic_schedule interval_schedule(std::string name, int64_t every_ms) {
  periodic_schedule x;
  x.name = std::move(name);
  x.every_ms = every_ms;
  x.job.type = "noop";
  return x;
}

/// Fires everything due at `now` and records it, as the actor does once the
/// jobs are durable. Returns the ids of the fired jobs.
std::vector<std::string> fire(schedule_keeper_state& st, int64_t now) {
  std::vector<std::string> ids;
  for (auto& firing : st.due(now)) {
    ids.push_back(firing.job.id);
    REQUIRE(st.fired(firing.schedule, firing.time_us, firing.job.id, now));
  }
  return ids;
}

} // namespace

TEST_CASE("a cron schedule fires at the expected minutes", "[schedule]") {
  schedule_keeper_state st;
  REQUIRE(st.add(cron_schedule("quarter", "*/15 * * * *"), ten + 1));
  CHECK(st.next_due() == ten + 15 * us_per_min);
  CHECK(st.due(ten + 15 * us_per_min - 1).empty());
  std::vector<std::string> fired;
  for (int minute = 1; minute <= 61; ++minute) {
    auto ids = fire(st, ten + minute * us_per_min);
    fired.insert(fired.end(), ids.begin(), ids.end());
  }
  CHECK(fired == std::vector<std::string>{"quarter:2026-11-23T10:15:00Z",
                                          "quarter:2026-11-23T10:30:00Z",
                                          "quarter:2026-11-23T10:45:00Z",
                                          "quarter:2026-11-23T11:00:00Z"});
  CHECK(st.find("quarter")->last_fired_us == ten + 60 * us_per_min);
}

TEST_CASE("a firing is the template with its own id and a schedule tag",
          "[schedule]") {
  schedule_keeper_state st;
  auto x = cron_schedule("hourly", "0 * * * *");
  x.job.payload = R"({"k":1})";
  x.job.priority = 2;
  x.job.tags = {"reports"};
  x.job.owner = "ops";
  REQUIRE(st.add(x, ten));
  auto firings = st.due(ten + 60 * us_per_min);
  REQUIRE(firings.size() == 1);
  const auto& job = firings[0].job;
  CHECK(job.id == "hourly:2026-11-23T11:00:00Z");
  CHECK(job.type == "report");
  CHECK(job.payload == R"({"k":1})");
  CHECK(job.priority == 2);
  CHECK(job.owner == "ops");
  CHECK(job.tags == std::vector<std::string>{"reports", "schedule:hourly"});
  // Being submitted: not due a second time until recorded.
  CHECK(st.due(ten + 61 * us_per_min).empty());
  CHECK_FALSE(st.next_due());
}

TEST_CASE("an interval schedule fires on a grid from its creation",
          "[schedule]") {
  schedule_keeper_state st;
  REQUIRE(st.add(interval_schedule("tick", 30'000), ten + 500'000));
  CHECK(fire(st, ten + 30 * us_per_s) == std::vector<std::string>{});
  CHECK(fire(st, ten + 30 * us_per_s + 500'000) ==
        std::vector<std::string>{"tick:2026-11-23T10:00:30.500Z"});
  // A late tick fires the due time, not the tick's time.
  CHECK(fire(st, ten + 61 * us_per_s) ==
        std::vector<std::string>{"tick:2026-11-23T10:01:00.500Z"});
  CHECK(st.next_due() == ten + 90 * us_per_s + 500'000);
}

TEST_CASE("a failed submission is retried later under the same id",
          "[schedule]") {
  schedule_keeper_state st;
  REQUIRE(st.add(cron_schedule("m", "* * * * *"), ten));
  auto first = st.due(ten + us_per_min);
  REQUIRE(first.size() == 1);
  st.fire_failed("m", ten + us_per_min + us_per_s);
  CHECK(st.due(ten + us_per_min + 1).empty());
  auto again = st.due(ten + us_per_min + us_per_s);
  REQUIRE(again.size() == 1);
  CHECK(again[0].job.id == first[0].job.id);
}

TEST_CASE("a restart neither double-fires nor drops the next firing",
          "[schedule]") {
  schedule_keeper_state before;
  REQUIRE(before.add(cron_schedule("m", "*/10 * * * *"), ten));
  fire(before, ten + 10 * us_per_min);
  auto stored = before.list();
  // Restarted five minutes later, before the next firing.
  schedule_keeper_state after;
  after.load(stored, ten + 15 * us_per_min);
  CHECK(after.due(ten + 15 * us_per_min).empty());
  CHECK(after.next_due() == ten + 20 * us_per_min);
  CHECK(fire(after, ten + 20 * us_per_min) ==
        std::vector<std::string>{"m:2026-11-23T10:20:00Z"});
}

TEST_CASE("a crash before the firing was recorded re-fires the same id",
          "[schedule]") {
  schedule_keeper_state before;
  REQUIRE(before.add(
      cron_schedule("m", "*/10 * * * *", missed_policy::run_once), ten));
  auto stored = before.list();
  auto firing = before.due(ten + 10 * us_per_min);
  REQUIRE(firing.size() == 1); // Submitted, then the node died.
  schedule_keeper_state after;
  after.load(stored, ten + 10 * us_per_min + us_per_s);
  auto again = after.due(ten + 10 * us_per_min + us_per_s);
  REQUIRE(again.size() == 1);
  // The scheduler returns the existing job for this id: no second job.
  CHECK(again[0].job.id == firing[0].job.id);
}

TEST_CASE("skip: firings missed while down are not made up", "[schedule]") {
  schedule_keeper_state before;
  REQUIRE(before.add(cron_schedule("m", "0 * * * *"), ten));
  fire(before, ten + 60 * us_per_min); // 11:00 fired.
  schedule_keeper_state after;
  // Down from 11:30 to 14:10: 12:00, 13:00 and 14:00 were missed.
  after.load(before.list(), ten + 250 * us_per_min);
  CHECK(after.due(ten + 250 * us_per_min).empty());
  CHECK(after.next_due() == ten + 300 * us_per_min);
  CHECK(fire(after, ten + 300 * us_per_min) ==
        std::vector<std::string>{"m:2026-11-23T15:00:00Z"});
}

TEST_CASE("run-once: one job for the missed period, then on schedule",
          "[schedule]") {
  schedule_keeper_state before;
  REQUIRE(before.add(cron_schedule("m", "0 * * * *", missed_policy::run_once),
                     ten));
  fire(before, ten + 60 * us_per_min);
  schedule_keeper_state after;
  auto now = ten + 250 * us_per_min;
  after.load(before.list(), now);
  // One firing, named after the latest missed time (14:00).
  CHECK(fire(after, now) == std::vector<std::string>{"m:2026-11-23T14:00:00Z"});
  CHECK(after.due(now).empty());
  CHECK(after.next_due() == ten + 300 * us_per_min);
}

TEST_CASE("run-once for an interval names the latest missed grid point",
          "[schedule]") {
  schedule_keeper_state before;
  auto x = interval_schedule("tick", 60'000);
  x.missed = missed_policy::run_once;
  REQUIRE(before.add(x, ten));
  schedule_keeper_state after;
  after.load(before.list(), ten + 10 * us_per_min + us_per_s);
  CHECK(fire(after, ten + 10 * us_per_min + us_per_s) ==
        std::vector<std::string>{"tick:2026-11-23T10:10:00Z"});
  CHECK(after.next_due() == ten + 11 * us_per_min);
}

TEST_CASE("removing a schedule stops it and a late ack changes nothing",
          "[schedule]") {
  schedule_keeper_state st;
  REQUIRE(st.add(cron_schedule("m", "* * * * *"), ten));
  auto firings = st.due(ten + us_per_min);
  REQUIRE(firings.size() == 1);
  REQUIRE_FALSE(st.remove("m"));
  CHECK_FALSE(
      st.fired("m", firings[0].time_us, firings[0].job.id, ten + us_per_min));
  CHECK(st.list().empty());
  CHECK(code_of(st.remove("m")) == errc::not_found);
}

TEST_CASE("bad schedules are refused naming the field", "[schedule]") {
  schedule_keeper_state st;
  auto message = [&](periodic_schedule x) {
    auto added = st.add(std::move(x), ten);
    REQUIRE_FALSE(added);
    CHECK(code_of(added.error()) == errc::invalid_field);
    return message_of(added.error());
  };
  CHECK(message(cron_schedule("m", "61 * * * *")) ==
        "cron: minute: 61 is out of range 0-59");
  CHECK(message(cron_schedule("m", "0 0 30 2 *")).find("cron: never") == 0);
  CHECK(message(cron_schedule("bad name", "* * * * *")).find("name:") == 0);
  CHECK(message(interval_schedule("m", 500)).find("every:") == 0);
  auto both = cron_schedule("m", "* * * * *");
  both.every_ms = 1000;
  CHECK(message(both).find("schedule:") == 0);
  auto with_id = cron_schedule("m", "* * * * *");
  with_id.job.id = "x";
  CHECK(message(with_id).find("job.id:") == 0);
  auto bad_type = cron_schedule("m", "* * * * *");
  bad_type.job.type = "Bad";
  CHECK(message(bad_type).find("job.type:") == 0);
  REQUIRE(st.add(cron_schedule("m", "* * * * *"), ten));
  CHECK(message(cron_schedule("m", "* * * * *")) ==
        "name: a schedule named m already exists");
}
