// The queue's executor credits: capped and replaced by newer announcements,
// handed out round-robin by type, and the loss window of unstarted attempts.
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "troupe/actors/queue/executor_credits.hpp"

using namespace troupe;

namespace {

using credits = executor_credits<std::string>;

/// Ready jobs in order; `pop` hands out the first whose type matches.
struct ready_jobs {
  std::deque<job_dispatch> jobs;

  void add(const std::string& id, const std::string& type) {
    job_dispatch job;
    job.id = id;
    job.type = type;
    job.payload = R"({"big": "payload"})";
    job.fence = jobs.size() + 1;
    jobs.push_back(job);
  }

  std::vector<std::pair<std::string, job_dispatch>> assign(credits& c) {
    return c.assign(
        [this](const std::vector<std::string>& types)
            -> std::optional<job_dispatch> {
          for (auto i = jobs.begin(); i != jobs.end(); ++i)
            for (const auto& t : types)
              if (i->type == t) {
                auto job = *i;
                jobs.erase(i);
                return job;
              }
          return std::nullopt;
        },
        [this] { return !jobs.empty(); });
  }
};

std::vector<std::string> ids(const std::vector<job_dispatch>& jobs) {
  std::vector<std::string> out;
  for (const auto& j : jobs)
    out.push_back(j.id);
  return out;
}

} // namespace

TEST_CASE("executor credits are capped and a repeated demand adds up",
          "[credits]") {
  credits c{4};
  CHECK(c.demand("ex", {"t"}, 3, 0, 1));
  CHECK(c.demand("ex", {"t"}, 3, 0, 1));
  REQUIRE(c.find_entry("ex") != nullptr);
  CHECK(c.find_entry("ex")->credits == 4);
  CHECK(c.any_idle());
}

TEST_CASE("executor credits of a newer announcement replace the old ones",
          "[credits]") {
  credits c{8};
  c.demand("ex", {"a"}, 5, 0, 1);
  CHECK(c.demand("ex", {"b"}, 2, 0, 2));
  auto* e = c.find_entry("ex");
  REQUIRE(e != nullptr);
  CHECK(e->credits == 2);
  CHECK(e->types == std::vector<std::string>{"b"});
}

TEST_CASE("executor credits ignore a demand of a replaced announcement",
          "[credits]") {
  credits c{8};
  c.demand("ex", {"a"}, 1, 0, 3);
  CHECK_FALSE(c.demand("ex", {"b"}, 5, 0, 2));
  CHECK(c.find_entry("ex")->credits == 1);
  CHECK(c.find_entry("ex")->types == std::vector<std::string>{"a"});
}

TEST_CASE("executor credits hand out one job per credit, by type, "
          "round-robin",
          "[credits]") {
  credits c{8};
  c.demand("x", {"t"}, 2, 0, 1);
  c.demand("y", {"t", "u"}, 2, 0, 1);
  ready_jobs r;
  r.add("j1", "t");
  r.add("j2", "u");
  r.add("j3", "t");
  r.add("j4", "t");
  r.add("j5", "t");
  auto out = r.assign(c);
  std::vector<std::string> got;
  for (auto& [who, job] : out)
    got.push_back(who + ":" + job.id);
  CHECK(got == std::vector<std::string>{"x:j1", "y:j2", "y:j3", "x:j4"});
  CHECK(r.jobs.size() == 1);
  CHECK_FALSE(c.any_idle());
}

TEST_CASE("executor credits give nothing to an executor of other types",
          "[credits]") {
  credits c{8};
  c.demand("x", {"other"}, 3, 0, 1);
  ready_jobs r;
  r.add("j1", "t");
  CHECK(r.assign(c).empty());
  CHECK(r.jobs.size() == 1);
  CHECK(c.find_entry("x")->credits == 3);
}

TEST_CASE("executor credits keep the last max_credits dispatched attempts "
          "for a loss",
          "[credits]") {
  credits c{3};
  c.demand("x", {"t"}, 2, 0, 1);
  ready_jobs r;
  r.add("j1", "t");
  r.add("j2", "t");
  r.assign(c);
  c.demand("x", {"t"}, 2, 0, 1);
  r.add("j3", "t");
  r.add("j4", "t");
  r.assign(c);
  // An executor holds at most 3 attempts, so j1 has surely started: it was
  // handed out before the last 3.
  auto lost = c.lose("x");
  CHECK(ids(lost) == std::vector<std::string>{"j2", "j3", "j4"});
  // Kept without payloads (the scheduler has them), fences and all else
  // as dispatched.
  for (const auto& job : lost) {
    CHECK(job.payload.empty());
    CHECK(job.type == "t");
    CHECK(job.fence != 0);
  }
  CHECK(c.size() == 0);
  CHECK(c.lose("x").empty());
}

TEST_CASE("executor credits go to free slots before attempts that would "
          "wait behind busy ones",
          "[credits]") {
  credits c{8};
  // x keeps 3 attempts beyond its slots and has 3 credits: its slots are
  // all busy. y has one free slot.
  c.demand("x", {"t"}, 3, 3, 1);
  c.demand("y", {"t"}, 1, 0, 1);
  ready_jobs r;
  r.add("j1", "t");
  auto first = r.assign(c);
  REQUIRE(first.size() == 1);
  CHECK(first.front().first == "y");
  // With no free slot left anywhere, x's waiting places are used.
  r.add("j2", "t");
  r.add("j3", "t");
  std::vector<std::string> got;
  for (auto& [who, job] : r.assign(c))
    got.push_back(who + ":" + job.id);
  CHECK(got == std::vector<std::string>{"x:j2", "x:j3"});
}
