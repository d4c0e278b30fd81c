// The ready queue as a plain struct: jobs by type, owner and priority, FIFO
// within a priority, with ageing so low priorities never starve; quotas, rate
// limits and pauses hold back only the (type, owner) lanes they name.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "troupe/actors/queue/dispatch_limiter.hpp"
#include "troupe/messages/compact_id.hpp"
#include "troupe/messages/dispatch_limit.hpp"
#include "troupe/messages/job_dispatch.hpp"

namespace troupe {

/// Ordering policy of the queue.
struct queue_config {
  /// Waiting this long makes a job compete as one priority level more urgent.
  /// Default: 10 s.
  int64_t ageing_step_us = 10'000'000;
};

/// Ready jobs, per type, owner and priority.
class queue_state {
public:
  explicit queue_state(queue_config config = {});

  /// Adds a ready attempt. A newer attempt of the same job replaces an older;
  /// a dispatched attempt of the same job counts as ended.
  void push(job_dispatch entry);

  /// Removes job `id`; returns whether it was queued (paused or not).
  bool remove(const std::string& id);

  /// Takes the most urgent job among `types` (all types if empty) that no
  /// pause or limit holds back: lowest priority number after ageing, oldest
  /// first among equals. The job counts as running until `ended`.
  std::optional<job_dispatch> pop(const std::vector<std::string>& types,
                                  int64_t now);

  /// The dispatched attempt of job `id` ended (finished, failed, timed out,
  /// cancelled or abandoned); returns whether it was counted as running.
  bool ended(const std::string& id);

  /// Replaces the limits and pauses in force.
  void set_controls(const dispatch_controls& controls, int64_t now);

  /// When a job held back only by empty buckets may start; none if no job
  /// waits for tokens alone.
  std::optional<int64_t> next_token_at(int64_t now) const;

  /// Queued jobs held back per limit (see `describe(dispatch_block)`).
  std::map<std::string, uint64_t> throttled(int64_t now) const;

  /// Queued jobs held back by a pause of their type or of themselves.
  uint64_t paused() const;

  /// Number of queued jobs, paused ones included.
  size_t size() const { return live_.size() + held_.size(); }

  /// Whether job `id` is queued (paused or not).
  bool contains(const std::string& id) const {
    return live_.count(compact_id::borrowed(id)) > 0 || held_.count(id) > 0;
  }

  /// Attempts dispatched and not yet ended.
  size_t in_flight() const { return in_flight_.size(); }

  /// The quotas and buckets.
  const dispatch_limiter& limiter() const { return limiter_; }

private:
  /// A queued attempt in its lane, which names its type and owner, at the
  /// level of its priority.
  struct queued_attempt {
    compact_id id;
    std::string payload;
    int64_t enqueued_us = 0;
    uint64_t fence = 0;
    uint32_t attempt = 0;
    int32_t timeout_s = 0;
  };
  /// Jobs of one (type, owner), one FIFO per priority.
  struct lane {
    std::string type;
    std::string owner;
    std::array<std::deque<queued_attempt>, 10> levels;
    /// Entries that are neither removed nor superseded.
    size_t live = 0;
  };
  /// Lanes of one type by owner.
  using type_lanes = std::map<std::string, lane>;
  /// Where a queued attempt is. A lane stays in place while it has live
  /// entries, so the pointer is valid as long as the placement.
  struct placement {
    uint32_t attempt = 0;
    lane* in = nullptr;
  };
  /// A dispatched attempt, whose lane may be gone by the time it ends.
  struct running_attempt {
    std::string type;
    std::string owner;
  };

  void insert(job_dispatch entry, bool keep_order);
  void unlink(const std::string& id);
  void hold(const std::string& id);
  lane& lane_of(const std::string& type, const std::string& owner);
  void drop_if_empty(lane& l);
  /// Drops entries of removed or superseded attempts from the front of `q`.
  void skip_dead(std::deque<queued_attempt>& q);
  double score(const queued_attempt& entry, size_t level, int64_t now) const;
  /// The dispatch of `entry`, taken from `level` of lane `l`.
  static job_dispatch dispatch_of(queued_attempt entry, const lane& l,
                                  size_t level);

  queue_config config_;
  std::unordered_map<std::string, type_lanes> lanes_;
  /// Queued jobs in lanes; entries not matching their attempt are dead.
  std::unordered_map<compact_id, placement, compact_id_hash> live_;
  /// Queued jobs paused by id, out of their lanes.
  std::unordered_map<std::string, job_dispatch> held_;
  /// Dispatched attempts that have not ended.
  std::unordered_map<std::string, running_attempt> in_flight_;
  std::unordered_set<std::string> paused_types_;
  std::unordered_set<std::string> paused_jobs_;
  dispatch_limiter limiter_;
};

} // namespace troupe
