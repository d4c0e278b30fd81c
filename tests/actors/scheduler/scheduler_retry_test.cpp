// Dead letters retried by filter through the scheduler actor, under the
// testing scheduler.
#include "tests/actors/actor_fixture.hpp"

#include "troupe/messages/errc.hpp"

using namespace troupe;
using troupe::test::actor_fixture;

namespace {

struct retry_fixture : actor_fixture {
  caf::expected<std::vector<std::string>> retry_matching(job_query query) {
    auto handle = (*self)->request(scheduler_handle, caf::infinite,
                                   retry_atom_v, std::move(query));
    run();
    caf::expected<std::vector<std::string>> result{std::vector<std::string>{}};
    handle.receive([&](std::vector<std::string>& ids) { result = ids; },
                   [&](caf::error& err) { result = std::move(err); });
    return result;
  }
};

} // namespace

TEST_CASE_METHOD(retry_fixture,
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

TEST_CASE_METHOD(retry_fixture,
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
