// The ready queue as a plain struct: jobs by type and priority, FIFO within a
// priority, with ageing so low priorities never starve. No actor code here.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "messages/job_dispatch.hpp"

namespace troupe {

/// Ordering policy of the queue.
struct queue_config {
  /// Waiting this long makes a job compete as one priority level more urgent.
  /// Default: 10 s.
  int64_t ageing_step_us = 10'000'000;
};

/// Ready jobs, per type and priority.
class queue_state {
public:
  explicit queue_state(queue_config config = {});

  /// Adds a ready attempt. A newer attempt of the same job replaces an older.
  void push(job_dispatch entry);

  /// Removes job `id`; returns whether it was queued.
  bool remove(const std::string& id);

  /// Takes the most urgent job among `types` (all types if empty): lowest
  /// priority number after ageing, oldest first among equals.
  std::optional<job_dispatch> pop(const std::vector<std::string>& types,
                                  int64_t now);

  /// Number of queued jobs.
  size_t size() const { return live_.size(); }

  /// Whether job `id` is queued.
  bool contains(const std::string& id) const { return live_.count(id) > 0; }

private:
  using lane = std::array<std::deque<job_dispatch>, 10>;

  /// Drops entries of removed or superseded attempts from the front of `q`.
  void skip_dead(std::deque<job_dispatch>& q);
  double score(const job_dispatch& entry, int64_t now) const;

  queue_config config_;
  std::unordered_map<std::string, lane> lanes_;
  /// Queued jobs and their current attempt; entries not matching are dead.
  std::unordered_map<std::string, uint32_t> live_;
};

} // namespace troupe
