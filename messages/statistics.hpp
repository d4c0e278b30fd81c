// The read side's summaries: queue and latency statistics and the worker
// table. Plain data.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "caf/meta/type_name.hpp"

namespace troupe {

/// A snapshot of the node's statistics.
struct stats_snapshot {
  /// Jobs per status, indexed by `job_status`.
  std::vector<uint64_t> by_status;
  /// Queued jobs per priority; index 0 is priority 1.
  std::vector<uint64_t> depth_by_priority;
  /// Queued jobs per type.
  std::map<std::string, uint64_t> depth_by_type;
  /// Jobs completed per second over the last minute.
  double throughput_per_s = 0;
  /// Time from queued to started, microseconds: p50, p90, p99.
  std::vector<int64_t> wait_us;
  /// Time from started to finished, microseconds: p50, p90, p99.
  std::vector<int64_t> run_us;
  /// Queued jobs held back by a quota or rate limit, per limit, e.g.
  /// "type sleep: max_running 2" or "owner ana: rate 50/s".
  std::map<std::string, uint64_t> throttled;
  /// Queued jobs held back by a pause of their type or of themselves.
  uint64_t paused = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stats_snapshot& x) {
  return f(caf::meta::type_name("troupe::stats_snapshot"), x.by_status,
           x.depth_by_priority, x.depth_by_type, x.throughput_per_s, x.wait_us,
           x.run_us, x.throttled, x.paused);
}

/// One executor as seen in its last heartbeat.
struct executor_info {
  std::string name;
  std::string node;
  /// Job types it handles.
  std::vector<std::string> types;
  uint32_t slots = 0;
  /// Ids of the jobs it runs now.
  std::vector<std::string> running;
  /// When the heartbeat was sent, microseconds since the epoch.
  int64_t heartbeat_us = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, executor_info& x) {
  return f(caf::meta::type_name("troupe::executor_info"), x.name, x.node,
           x.types, x.slots, x.running, x.heartbeat_us);
}

} // namespace troupe
