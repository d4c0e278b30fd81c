// The status reporter's subscriptions: folding, caps, one delivery per
// subscriber, removal.
#include <algorithm>
#include <string>

#include <catch2/catch.hpp>

#include "troupe/actors/status_reporter/subscription_table.hpp"

using namespace troupe;

namespace {

job_event event_of(std::string id, std::string type) {
  job_event e;
  e.id = std::move(id);
  e.type = std::move(type);
  return e;
}

std::vector<int> sorted(std::vector<int> xs) {
  std::sort(xs.begin(), xs.end());
  return xs;
}

} // namespace

TEST_CASE("a repeated subscription folds into one and counts once",
          "[unit][subscriptions]") {
  subscription_table<int> table{3};
  CHECK(table.add(1, subscription_scope::all, "") == subscribe_outcome::added);
  for (int i = 0; i < 100'000; ++i)
    REQUIRE(table.add(1, subscription_scope::all, "") ==
            subscribe_outcome::folded);
  CHECK(table.count(1) == 1);
  CHECK(table.recipients(event_of("a", "echo")) == std::vector<int>{1});
}

TEST_CASE("a subscriber at its cap is refused and keeps what it has",
          "[unit][subscriptions]") {
  subscription_table<int> table{2};
  CHECK(table.add(7, subscription_scope::job, "a") == subscribe_outcome::added);
  CHECK(table.add(7, subscription_scope::type, "echo") ==
        subscribe_outcome::added);
  CHECK(table.add(7, subscription_scope::job, "b") ==
        subscribe_outcome::over_limit);
  CHECK(table.count(7) == 2);
  CHECK(table.recipients(event_of("b", "sleep")).empty());
  // Another subscriber has a cap of its own.
  CHECK(table.add(8, subscription_scope::job, "b") == subscribe_outcome::added);
  CHECK(table.recipients(event_of("b", "sleep")) == std::vector<int>{8});
}

TEST_CASE("an event reaches a subscriber once however many scopes match",
          "[unit][subscriptions]") {
  subscription_table<int> table{10};
  table.add(1, subscription_scope::all, "");
  table.add(1, subscription_scope::job, "a");
  table.add(1, subscription_scope::type, "echo");
  table.add(2, subscription_scope::type, "echo");
  table.add(3, subscription_scope::job, "z");
  CHECK(sorted(table.recipients(event_of("a", "echo"))) ==
        std::vector<int>{1, 2});
  CHECK(sorted(table.recipients(event_of("z", "sleep"))) ==
        std::vector<int>{1, 3});
}

TEST_CASE("removing a subscriber drops every subscription it held",
          "[unit][subscriptions]") {
  subscription_table<int> table{10};
  table.add(1, subscription_scope::all, "");
  table.add(1, subscription_scope::job, "a");
  table.add(2, subscription_scope::job, "a");
  table.remove(1);
  table.remove(99); // Never seen: nothing happens.
  CHECK_FALSE(table.contains(1));
  CHECK(table.subscribers() == 1);
  CHECK(table.recipients(event_of("a", "echo")) == std::vector<int>{2});
  CHECK(table.recipients(event_of("b", "echo")).empty());
  // A removed subscriber starts again from an empty allowance.
  CHECK(table.add(1, subscription_scope::job, "b") == subscribe_outcome::added);
}
