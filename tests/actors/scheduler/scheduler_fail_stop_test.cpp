// Fail-stop of the scheduler under the testing scheduler: a failed write or
// an acknowledgement out of order answers every waiting submitter with the
// error and stops the scheduler, so no later change is acknowledged.
#include "tests/actors/actor_fixture.hpp"

#include "caf/after.hpp"
#include "caf/system_messages.hpp"

#include "troupe/messages/errc.hpp"

using namespace troupe;
using troupe::test::actor_fixture;

namespace {

struct fail_stop_fixture : actor_fixture {
  fail_stop_fixture() { (*self)->monitor(scheduler_handle); }

  /// The reason the scheduler went down with (REQUIREs that it did).
  caf::error scheduler_down() {
    caf::error reason;
    bool down = false;
    (*self)->receive(
        [&](caf::down_msg& msg) {
          down = true;
          reason = msg.reason;
        },
        caf::after(std::chrono::seconds(0)) >> [] {});
    REQUIRE(down);
    return reason;
  }

  static job_spec with_id(std::string id) {
    auto x = spec();
    x.id = std::move(id);
    return x;
  }
};

} // namespace

TEST_CASE_METHOD(fail_stop_fixture,
                 "a failed write answers the submitter with the error and "
                 "stops the scheduler",
                 "[actors][fail-stop]") {
  auto kept = submit(with_id("kept"));
  store->fail_writes_from(1);
  auto err = submit_error(with_id("lost"));
  CHECK(code_of(err) == errc::storage_failure);
  CHECK(code_of(scheduler_down()) == errc::storage_failure);
  // The retry of the same id is not told that the job exists.
  submit_error(with_id("lost"));
  store->fail_writes_from(0);
  CHECK(code_of(store->get("lost").error()) == errc::not_found);
  CHECK(stored(kept).status == job_status::queued);
}

TEST_CASE_METHOD(fail_stop_fixture,
                 "an acknowledgement out of order stops the scheduler",
                 "[actors][fail-stop]") {
  (*self)->send(scheduler_handle, persisted_atom_v, uint64_t{999},
                caf::error{});
  run();
  auto reason = scheduler_down();
  CHECK(code_of(reason) == errc::storage_failure);
  CHECK(message_of(reason).find("acknowledged batch 999") != std::string::npos);
  submit_error(spec());
}
