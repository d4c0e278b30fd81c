// Input from other nodes at the queue's and scheduler's boundary: demand
// credits follow the executor's announcement epoch and are capped, and
// out-of-range progress is refused.
#include "tests/actors/actor_fixture.hpp"

using namespace troupe;
using troupe::test::actor_fixture;

namespace {

struct demand_fixture : actor_fixture {
  void demand(executor_actor handle, uint32_t credits, uint64_t epoch) {
    (*self)->send(queue_handle, demand_atom_v, std::move(handle),
                  std::vector<std::string>{}, credits, uint32_t{0}, epoch);
    run();
  }

  void submit_jobs(size_t n) {
    for (size_t i = 0; i < n; ++i)
      submit(spec());
  }
};

} // namespace

TEST_CASE_METHOD(demand_fixture,
                 "a re-join replaces the credits of an executor instead of "
                 "adding to them",
                 "[actors][remote-input]") {
  demand(probe, 3, 1);
  demand(probe, 3, 2); // Announced again: still 3 free slots, not 6.
  submit_jobs(10);
  CHECK(log->dispatched.size() == 3);
  demand(probe, 2, 1); // Stale: from the replaced announcement.
  CHECK(log->dispatched.size() == 3);
  demand(probe, 1, 2); // One slot freed within the current announcement.
  CHECK(log->dispatched.size() == 4);
}

TEST_CASE_METHOD(demand_fixture,
                 "a demand beyond the slot limit or from a null handle is "
                 "refused",
                 "[actors][remote-input]") {
  submit_jobs(5);
  demand(probe, 5000, 1);
  demand(executor_actor{}, 3, 1);
  CHECK(log->dispatched.empty());
  demand(probe, 2, 1);
  CHECK(log->dispatched.size() == 2);
}

TEST_CASE_METHOD(actor_fixture,
                 "progress that is NaN, out of range or too long is refused",
                 "[actors][remote-input]") {
  auto id = submit(spec());
  grant(1);
  report_started(id, 1);
  auto progress = [&](double fraction, std::string message) {
    (*self)->send(scheduler_handle, progress_atom_v, id, uint32_t{1}, fraction,
                  std::move(message), fence_of(id, 1));
    run();
  };
  progress(0.25, "a quarter");
  progress(std::nan(""), "nan");
  progress(7.0, "seven");
  progress(-1.0, "negative");
  progress(0.5, std::string(5000, 'x'));
  auto record = stored(id);
  CHECK(record.progress == Approx(0.25));
  CHECK(record.progress_message == "a quarter");
}
