// A scheduler_state with a fixed clock and seed, and short helpers so each
// test reads as the scenario it checks.
#pragma once

#include <catch2/catch.hpp>

#include "troupe/actors/scheduler/scheduler_state.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe::test {

inline scheduler_config fixture_config() {
  scheduler_config cfg;
  cfg.seed = 42;
  cfg.default_max_retries = 2;
  cfg.default_backoff_base_ms = 1000;
  cfg.park_above = 0; // Every transition meets parked jobs.
  return cfg;
}

struct scheduler_fixture {
  scheduler_state state{fixture_config()};
  int64_t now = 1'700'000'000'000'000;

  static job_spec spec(std::string type = "work",
                       std::vector<std::string> deps = {}) {
    job_spec x;
    x.type = std::move(type);
    x.deps = std::move(deps);
    return x;
  }

  std::string submit(job_spec x) {
    auto ids = state.submit({std::move(x)}, now);
    REQUIRE(ids);
    return ids->front();
  }

  job_status status(const std::string& id) {
    auto s = state.status_of(id);
    REQUIRE(s);
    return *s;
  }

  const job_record& job(const std::string& id) {
    auto ptr = state.find(id);
    REQUIRE(ptr != nullptr);
    return *ptr;
  }

  /// Starts the current attempt of `id` on executor "ex".
  void start(const std::string& id) {
    REQUIRE(state.started(id, job(id).attempt, "ex", "n1", state.fence_of(id),
                          now));
  }

  bool finish(const std::string& id, uint32_t attempt, bool ok,
              std::string error = "boom") {
    attempt_outcome out;
    out.id = id;
    out.attempt = attempt;
    out.succeeded = ok;
    out.result = ok ? R"({"ok":true})" : "";
    out.error = ok ? "" : std::move(error);
    out.executor = "ex";
    out.fence = state.fence_of(id);
    return state.finished(out, now);
  }

  /// Takes effects and writes, as the shell does on a flush.
  scheduler_effects flush() {
    state.take_writes(0);
    return state.take_effects();
  }
};

} // namespace troupe::test
