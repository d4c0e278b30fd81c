// The commit pipeline: tickets in order, a batch's replies released only on
// its acknowledgement, out-of-order acknowledgements refused, and drain.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "troupe/actors/scheduler/commit_pipeline.hpp"
#include "troupe/messages/errc.hpp"

using namespace troupe;

namespace {

/// Records what each held reply was answered with ("ok" or the message).
struct answers {
  std::vector<std::string> seen;

  delivery make(std::string name) {
    return [this, name](const caf::error& err) {
      seen.push_back(name + (err ? ": " + message_of(err) : ": ok"));
    };
  }
};

scheduler_effects one_event(const std::string& id) {
  scheduler_effects fx;
  fx.dequeue.push_back(id);
  return fx;
}

} // namespace

TEST_CASE("commit pipeline tickets increase with every flush", "[commit]") {
  commit_pipeline p;
  CHECK(p.take_ticket() == 1);
  CHECK(p.take_ticket() == 2);
  CHECK(p.next_ticket() == 3);
}

TEST_CASE("commit pipeline schedules one flush until it is taken", "[commit]") {
  commit_pipeline p;
  CHECK(p.request_flush());
  CHECK_FALSE(p.request_flush());
  p.take_ticket();
  CHECK(p.request_flush());
}

TEST_CASE("commit pipeline acts at once on a batch with no writes and "
          "nothing ahead",
          "[commit]") {
  commit_pipeline p;
  answers a;
  p.hold(a.make("r1"));
  auto now = p.close(p.take_ticket(), one_event("j1"), false);
  REQUIRE(now);
  CHECK(now->effects.dequeue == std::vector<std::string>{"j1"});
  REQUIRE(now->deliveries.size() == 1);
  CHECK(p.in_flight() == 0);
  CHECK(a.seen.empty());
}

TEST_CASE("commit pipeline queues a batch with no writes behind one in "
          "flight",
          "[commit]") {
  commit_pipeline p;
  answers a;
  p.hold(a.make("first"));
  CHECK_FALSE(p.close(p.take_ticket(), one_event("j1"), true));
  p.hold(a.make("second"));
  // Acting now would answer "second" before "first" is durable.
  CHECK_FALSE(p.close(p.take_ticket(), one_event("j2"), false));
  CHECK(p.in_flight() == 2);
  auto b1 = p.acknowledge(1, caf::none);
  REQUIRE(b1);
  CHECK(b1->effects.dequeue == std::vector<std::string>{"j1"});
  REQUIRE(b1->deliveries.size() == 1);
  b1->deliveries.front()(caf::none);
  auto b2 = p.acknowledge(2, caf::none);
  REQUIRE(b2);
  CHECK(b2->effects.dequeue == std::vector<std::string>{"j2"});
  b2->deliveries.front()(caf::none);
  CHECK(a.seen == std::vector<std::string>{"first: ok", "second: ok"});
  CHECK(p.in_flight() == 0);
}

TEST_CASE("commit pipeline refuses an acknowledgement out of order",
          "[commit]") {
  commit_pipeline p;
  p.close(p.take_ticket(), {}, true);
  p.close(p.take_ticket(), {}, true);
  auto wrong = p.acknowledge(2, caf::none);
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error() == make_error(errc::storage_failure));
  CHECK(message_of(wrong.error()) ==
        "persistence acknowledged batch 2, expected 1");
  CHECK(p.in_flight() == 2);
  commit_pipeline idle;
  auto none = idle.acknowledge(7, caf::none);
  REQUIRE_FALSE(none);
  CHECK(message_of(none.error()) ==
        "persistence acknowledged batch 7, expected none");
}

TEST_CASE("commit pipeline fail_all answers every waiting reply with the "
          "error",
          "[commit]") {
  commit_pipeline p;
  answers a;
  p.hold(a.make("sent"));
  p.close(p.take_ticket(), one_event("j1"), true);
  p.hold(a.make("collecting"));
  p.add_drain_waiter(a.make("drain"));
  auto err = make_error(errc::storage_failure, "disk full");
  auto failed = p.acknowledge(1, err);
  REQUIRE_FALSE(failed);
  CHECK(failed.error() == err);
  p.fail_all(failed.error());
  CHECK(a.seen == std::vector<std::string>{"sent: disk full",
                                           "collecting: disk full",
                                           "drain: disk full"});
  CHECK(p.in_flight() == 0);
}

TEST_CASE("commit pipeline answers drain only when nothing is in flight or "
          "scheduled",
          "[commit]") {
  commit_pipeline p;
  answers a;
  p.close(p.take_ticket(), {}, true);
  CHECK(p.add_drain_waiter(a.make("d1")));
  CHECK_FALSE(p.add_drain_waiter(a.make("d2")));
  CHECK(p.draining());
  p.finish_drain_if_idle();
  CHECK(a.seen.empty());
  REQUIRE(p.acknowledge(1, caf::none));
  p.request_flush();
  p.finish_drain_if_idle();
  CHECK(a.seen.empty());
  p.close(p.take_ticket(), {}, false);
  p.finish_drain_if_idle();
  CHECK(a.seen == std::vector<std::string>{"d1: ok", "d2: ok"});
}

TEST_CASE("commit pipeline does not answer drain before one is requested",
          "[commit]") {
  commit_pipeline p;
  CHECK_FALSE(p.draining());
  p.finish_drain_if_idle();
  CHECK(p.in_flight() == 0);
}
