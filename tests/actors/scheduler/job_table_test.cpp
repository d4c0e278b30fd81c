// The scheduler's job table: parked jobs come back exactly as they were
// parked, and status and fence are read without unpacking.
#include <catch2/catch.hpp>

#include "troupe/actors/scheduler/job_table.hpp"

using namespace troupe;

namespace {

job_record sample(const std::string& id, job_status status) {
  job_record x;
  x.id = id;
  x.type = "work";
  x.payload = R"({"n":1})";
  x.status = status;
  x.deps = {"a", "b"};
  x.tags = {"red"};
  x.owner = "alice";
  x.attempt = 2;
  x.history_length = 3;
  x.created_us = 10;
  x.updated_us = 20;
  return x;
}

} // namespace

TEST_CASE("a parked job is found again as it was parked", "[scheduler]") {
  job_table table;
  table.put(sample("q", job_status::queued));
  table.set_fence("q", 77);
  table.park("q");
  CHECK(table.status("q") == job_status::queued);
  CHECK(table.fence("q") == 77);
  auto* found = table.find("q");
  REQUIRE(found != nullptr);
  CHECK(found->id == "q");
  CHECK(found->payload == R"({"n":1})");
  CHECK(found->deps == (std::vector<std::string>{"a", "b"}));
  CHECK(found->tags == (std::vector<std::string>{"red"}));
  CHECK(found->owner == "alice");
  CHECK(found->attempt == 2);
  CHECK(found->history_length == 3);
  CHECK(found->updated_us == 20);
  // A change after unpacking is what the next find sees, parked or not.
  found->status = job_status::scheduled;
  table.park("q");
  CHECK(table.status("q") == job_status::scheduled);
  CHECK(table.find("q")->status == job_status::scheduled);
  CHECK(table.fence("q") == 77);
}

TEST_CASE("a running job is never parked, and a taken job is gone",
          "[scheduler]") {
  job_table table;
  auto& running = table.put(sample("r", job_status::running));
  table.park("r");
  CHECK(&running == table.find("r")); // Still the same unpacked record.
  table.for_each_unpacked([](job_record& x) { x.progress = 0.5; });
  CHECK(table.find("r")->progress == 0.5);
  auto taken = table.take("r");
  REQUIRE(taken);
  CHECK(taken->progress == 0.5);
  CHECK_FALSE(table.contains("r"));
  CHECK(table.find("r") == nullptr);
  CHECK_FALSE(table.status("r"));
  CHECK(table.fence("r") == 0);
  CHECK_FALSE(table.take("r"));
  CHECK(table.size() == 0);
}

TEST_CASE("a parked job keeps its zero bytes, long runs of them included",
          "[scheduler]") {
  job_table table;
  auto x = sample("z", job_status::queued);
  x.payload = std::string(600, '\0') + "x" + std::string(1, '\0');
  x.error = std::string(255, '\0');
  x.created_us = 0;
  x.finished_us = 1;
  table.put(x);
  table.park("z");
  auto* found = table.find("z");
  REQUIRE(found != nullptr);
  CHECK(found->payload == x.payload);
  CHECK(found->error == x.error);
  CHECK(found->created_us == 0);
  CHECK(found->finished_us == 1);
}
