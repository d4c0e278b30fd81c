// The ready queue: priority order, FIFO within a priority, ageing, type
// filters and removal.
#include <catch2/catch.hpp>

#include "troupe/actors/queue/queue_state.hpp"

using namespace troupe;

namespace {

constexpr int64_t second = 1'000'000;

struct queue_fixture {
  queue_state queue{queue_config{10 * second}};

  void push(const std::string& id, uint8_t priority, int64_t at,
            std::string type = "work", uint32_t attempt = 1) {
    job_dispatch entry;
    entry.id = id;
    entry.type = std::move(type);
    entry.priority = priority;
    entry.enqueued_us = at;
    entry.attempt = attempt;
    queue.push(entry);
  }

  std::string pop(int64_t now, std::vector<std::string> types = {}) {
    auto entry = queue.pop(types, now);
    return entry ? entry->id : "<none>";
  }
};

} // namespace

TEST_CASE_METHOD(queue_fixture,
                 "the most urgent priority goes first, FIFO within a priority",
                 "[queue]") {
  push("low", 9, 0);
  push("mid-1", 5, 1);
  push("urgent", 1, 2);
  push("mid-2", 5, 3);
  CHECK(pop(4) == "urgent");
  CHECK(pop(4) == "mid-1");
  CHECK(pop(4) == "mid-2");
  CHECK(pop(4) == "low");
  CHECK(pop(4) == "<none>");
}

TEST_CASE_METHOD(queue_fixture,
                 "ageing lets a long-waiting low priority job overtake",
                 "[queue]") {
  push("old-low", 10, 0);
  push("new-high", 2, 90 * second);
  // After 90 s, priority 10 competes as 1: ahead of a fresh priority 2.
  CHECK(pop(90 * second) == "old-low");
  CHECK(pop(90 * second) == "new-high");
}

TEST_CASE_METHOD(queue_fixture,
                 "an executor only gets jobs of the types it handles",
                 "[queue]") {
  push("img", 1, 0, "image");
  push("mail", 5, 0, "email");
  CHECK(pop(1, {"email"}) == "mail");
  CHECK(pop(1, {"email"}) == "<none>");
  CHECK(pop(1, {"video"}) == "<none>");
  CHECK(pop(1) == "img");
}

TEST_CASE_METHOD(queue_fixture,
                 "removed jobs and superseded attempts are never dispatched",
                 "[queue]") {
  push("a", 5, 0);
  push("b", 5, 1);
  push("c", 5, 2, "work", 1);
  push("c", 5, 3, "work", 2);
  CHECK(queue.remove("a"));
  CHECK_FALSE(queue.remove("a"));
  CHECK(queue.size() == 2);
  CHECK(pop(5) == "b");
  auto c = queue.pop({}, 5);
  REQUIRE(c);
  CHECK(c->attempt == 2);
  CHECK(pop(5) == "<none>");
}
