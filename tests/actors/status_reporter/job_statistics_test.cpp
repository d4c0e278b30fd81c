// Statistics over job events: counts by status, queue depth, latencies.
#include <catch2/catch.hpp>

#include "troupe/actors/status_reporter/job_statistics.hpp"

using namespace troupe;

namespace {

job_event event(const std::string& id, job_status from, job_status to,
                int64_t at, job_event_kind kind = job_event_kind::transition) {
  job_event e;
  e.kind = kind;
  e.id = id;
  e.type = "work";
  e.from = from;
  e.to = to;
  e.priority = 3;
  e.time_us = at;
  e.started_us = to == job_status::completed ? at - 400 : 0;
  return e;
}

} // namespace

TEST_CASE("statistics follow each job through its transitions",
          "[statistics]") {
  job_statistics stats;
  stats.seed({{job_status::completed, 10}});
  stats.apply(event("a", job_status::queued, job_status::queued, 1000,
                    job_event_kind::created));
  stats.apply(event("b", job_status::queued, job_status::queued, 1000,
                    job_event_kind::created));
  auto queued = stats.snapshot(2000);
  CHECK(queued.by_status[static_cast<size_t>(job_status::queued)] == 2);
  CHECK(queued.depth_by_priority[2] == 2);
  CHECK(queued.depth_by_type.at("work") == 2);
  auto start = event("a", job_status::queued, job_status::running, 1100);
  start.previous_us = 1000; // Queued when created.
  stats.apply(start);
  stats.apply(event("a", job_status::running, job_status::running, 1200,
                    job_event_kind::progress));
  stats.apply(event("a", job_status::running, job_status::completed, 1500));
  auto after = stats.snapshot(2000);
  CHECK(after.by_status[static_cast<size_t>(job_status::queued)] == 1);
  CHECK(after.by_status[static_cast<size_t>(job_status::running)] == 0);
  CHECK(after.by_status[static_cast<size_t>(job_status::completed)] == 11);
  CHECK(after.depth_by_type.at("work") == 1);
  CHECK(after.wait_us[0] == 100);
  CHECK(after.run_us[0] == 400);
  CHECK(after.throughput_per_s == Approx(1.0 / 60));
}

TEST_CASE("recovered queued jobs count in the queue depth and leave it",
          "[statistics]") {
  job_statistics stats;
  stats.seed({{job_status::queued, 2},
              {job_status::scheduled, 1},
              {job_status::completed, 5}});
  stats.apply(event("a", job_status::queued, job_status::queued, 1000,
                    job_event_kind::recovered));
  auto b = event("b", job_status::queued, job_status::queued, 1000,
                 job_event_kind::recovered);
  b.type = "other";
  stats.apply(b);
  stats.apply(event("s", job_status::scheduled, job_status::scheduled, 1000,
                    job_event_kind::recovered));
  auto seeded = stats.snapshot(2000);
  CHECK(seeded.by_status[static_cast<size_t>(job_status::queued)] == 2);
  CHECK(seeded.by_status[static_cast<size_t>(job_status::scheduled)] == 1);
  CHECK(seeded.depth_by_priority[2] == 2);
  CHECK(seeded.depth_by_type.at("work") == 1);
  CHECK(seeded.depth_by_type.at("other") == 1);
  // Queued before the restart: the wait counts from then.
  auto start = event("a", job_status::queued, job_status::running, 1100);
  start.previous_us = 600;
  stats.apply(start);
  auto after = stats.snapshot(2000);
  CHECK(after.depth_by_priority[2] == 1);
  CHECK(after.depth_by_type.count("work") == 0);
  CHECK(after.by_status[static_cast<size_t>(job_status::queued)] == 1);
  CHECK(after.wait_us[0] == 500);
}

TEST_CASE("a recount after a purge replaces the counts of ended jobs only",
          "[statistics]") {
  job_statistics stats;
  stats.seed({{job_status::completed, 10},
              {job_status::failed, 4},
              {job_status::queued, 1}});
  std::vector<uint64_t> stored(job_status_count, 0);
  stored[static_cast<size_t>(job_status::completed)] = 3;
  stored[static_cast<size_t>(job_status::queued)] = 99; // Not taken.
  stats.recount_terminal(stored);
  auto now = stats.snapshot(0);
  CHECK(now.by_status[static_cast<size_t>(job_status::completed)] == 3);
  CHECK(now.by_status[static_cast<size_t>(job_status::failed)] == 0);
  CHECK(now.by_status[static_cast<size_t>(job_status::queued)] == 1);
}
