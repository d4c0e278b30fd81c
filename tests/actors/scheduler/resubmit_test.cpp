// Unit tests of idempotent submit by id: the same spec returns the job, a
// different one is a conflict naming the first differing field.
#include "tests/actors/scheduler/scheduler_state_fixture.hpp"

using namespace troupe;
using troupe::test::scheduler_fixture;

namespace {

job_spec report_spec() {
  auto x = scheduler_fixture::spec();
  x.id = "report-7";
  x.payload = R"({"month":7})";
  x.priority = 3;
  return x;
}

} // namespace

TEST_CASE_METHOD(scheduler_fixture,
                 "resubmitting an id with the same spec returns the job and "
                 "writes nothing",
                 "[scheduler][resubmit]") {
  CHECK(submit(report_spec()) == "report-7");
  flush();
  CHECK(submit(report_spec()) == "report-7");
  CHECK_FALSE(state.has_writes());
  // Defaults applied by the node count as the same spec.
  auto plain = spec();
  plain.id = "plain";
  submit(plain);
  flush();
  plain.priority = 5;
  plain.timeout_s = 60;
  CHECK(submit(plain) == "plain");
}

TEST_CASE_METHOD(scheduler_fixture,
                 "resubmitting an id with a different spec is a conflict "
                 "naming the field",
                 "[scheduler][resubmit]") {
  submit(report_spec());
  flush();
  auto other = report_spec();
  other.priority = 4;
  auto result = state.submit({other}, now);
  REQUIRE_FALSE(result);
  CHECK(code_of(result.error()) == errc::conflict);
  auto text = message_of(result.error());
  CHECK(text.find("report-7") != std::string::npos);
  CHECK(text.find("priority (submitted 4, stored 3)") != std::string::npos);
  CHECK_FALSE(state.has_writes());
  other = report_spec();
  other.payload = R"({"month":8})";
  result = state.submit({other}, now);
  REQUIRE_FALSE(result);
  CHECK(message_of(result.error()).find("payload") != std::string::npos);
}

TEST_CASE_METHOD(scheduler_fixture,
                 "a conflict in a batch names the job and admits nothing",
                 "[scheduler][resubmit]") {
  submit(report_spec());
  flush();
  auto fresh = spec();
  fresh.id = "fresh";
  auto changed = report_spec();
  changed.type = "other";
  auto result = state.submit({fresh, changed}, now);
  REQUIRE_FALSE(result);
  CHECK(code_of(result.error()) == errc::conflict);
  CHECK(message_of(result.error()).find("jobs[1].id") != std::string::npos);
  CHECK_FALSE(state.status_of("fresh"));
}

TEST_CASE_METHOD(scheduler_fixture,
                 "an ended job held only in the store is compared with its "
                 "stored record",
                 "[scheduler][resubmit]") {
  auto id = submit(report_spec());
  start(id);
  REQUIRE(finish(id, 1, true));
  auto stored = state.take_writes(0).records.back();
  state.take_effects();
  REQUIRE(state.find(id) == nullptr);
  // Known by status only: the shell must read the record again.
  auto unknown = state.unknown_ids({report_spec()});
  REQUIRE(unknown == std::vector<std::string>{id});
  auto same = state.submit({report_spec()}, now, {stored});
  REQUIRE(same);
  CHECK(same->front() == id);
  auto other = report_spec();
  other.tags = {"late"};
  auto result = state.submit({other}, now, {stored});
  REQUIRE_FALSE(result);
  CHECK(message_of(result.error()).find("tags") != std::string::npos);
}
