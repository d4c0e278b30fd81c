// Statistics of the read side as a plain struct fed with job events: counts
// by status, queue depth by priority and type, throughput and latencies.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "troupe/messages/job_event.hpp"
#include "troupe/messages/job_record.hpp"
#include "troupe/messages/statistics.hpp"

namespace troupe {

/// Running statistics over job events.
class job_statistics {
public:
  /// Starts from the counts found in the store.
  void seed(const std::map<job_status, uint64_t>& counts);

  /// Takes the counts of terminal statuses from `by_status` (indexed by
  /// status, as read from the store after a purge); counts of live jobs
  /// follow events only.
  void recount_terminal(const std::vector<uint64_t>& by_status);

  /// Applies one event.
  void apply(const job_event& event);

  /// Returns the statistics as of `now_us`.
  stats_snapshot snapshot(int64_t now_us) const;

private:
  void add_sample(std::deque<int64_t>& samples, int64_t value);

  std::array<int64_t, job_status_count> by_status_{};
  std::array<int64_t, 10> depth_by_priority_{};
  std::map<std::string, int64_t> depth_by_type_;
  /// Completion times in the last minute, microseconds since the epoch.
  std::deque<int64_t> completions_;
  /// Most recent latency samples, bounded.
  std::deque<int64_t> wait_samples_;
  std::deque<int64_t> run_samples_;
};

} // namespace troupe
