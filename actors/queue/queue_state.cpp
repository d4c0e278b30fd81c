// Priority selection with ageing over per-(type, owner) lanes. Removal is
// lazy: a removed job's entry is skipped when it reaches the front. A lane
// held back by a limit or pause is skipped whole, so it never blocks others.
#include "troupe/actors/queue/queue_state.hpp"

#include <algorithm>

namespace troupe {

queue_state::queue_state(queue_config config) : config_(config) {
  // nop
}

// -- queued jobs --------------------------------------------------------------

void queue_state::push(job_dispatch entry) {
  ended(entry.id);
  unlink(entry.id);
  if (paused_jobs_.count(entry.id) > 0) {
    auto id = entry.id;
    held_[id] = std::move(entry);
    return;
  }
  insert(std::move(entry), false);
}

bool queue_state::remove(const std::string& id) {
  if (held_.erase(id) > 0)
    return true;
  auto i = live_.find(compact_id::borrowed(id));
  if (i == live_.end())
    return false;
  auto& l = *i->second.in;
  unlink(id);
  drop_if_empty(l);
  return true;
}

void queue_state::insert(job_dispatch entry, bool keep_order) {
  auto level = static_cast<size_t>(std::clamp<int>(entry.priority, 1, 10) - 1);
  auto& l = lane_of(entry.type, entry.owner);
  compact_id key{entry.id};
  live_[key] = placement{entry.attempt, &l};
  ++l.live;
  auto& q = l.levels[level];
  queued_attempt queued{std::move(key),    std::move(entry.payload),
                        entry.enqueued_us, entry.fence,
                        entry.attempt,     entry.timeout_s};
  if (!keep_order) {
    q.push_back(std::move(queued));
    return;
  }
  // A resumed job goes back where its enqueue time puts it.
  auto pos = std::upper_bound(
      q.begin(), q.end(), queued.enqueued_us,
      [](int64_t t, const queued_attempt& x) { return t < x.enqueued_us; });
  q.insert(pos, std::move(queued));
}

void queue_state::unlink(const std::string& id) {
  if (held_.erase(id) > 0)
    return;
  auto i = live_.find(compact_id::borrowed(id));
  if (i == live_.end())
    return;
  --i->second.in->live;
  live_.erase(i);
}

queue_state::lane& queue_state::lane_of(const std::string& type,
                                        const std::string& owner) {
  auto& by_owner = lanes_[type];
  auto i = by_owner.find(owner);
  if (i == by_owner.end()) {
    i = by_owner.emplace(owner, lane{}).first;
    i->second.type = type;
    i->second.owner = owner;
  }
  return i->second;
}

void queue_state::drop_if_empty(lane& l) {
  if (l.live > 0)
    return;
  auto i = lanes_.find(l.type);
  if (i == lanes_.end())
    return;
  auto owner = l.owner; // `l` goes with its entry.
  i->second.erase(owner);
  if (i->second.empty())
    lanes_.erase(i);
}

void queue_state::skip_dead(std::deque<queued_attempt>& q) {
  while (!q.empty()) {
    auto i = live_.find(q.front().id);
    if (i != live_.end() && i->second.attempt == q.front().attempt)
      return;
    q.pop_front();
  }
}

double queue_state::score(const queued_attempt& entry, size_t level,
                          int64_t now) const {
  auto age = static_cast<double>(std::max<int64_t>(0, now - entry.enqueued_us));
  return static_cast<double>(level + 1) -
         age / static_cast<double>(config_.ageing_step_us);
}

job_dispatch queue_state::dispatch_of(queued_attempt entry, const lane& l,
                                      size_t level) {
  job_dispatch result;
  result.id = entry.id.str();
  result.type = l.type;
  result.payload = std::move(entry.payload);
  result.attempt = entry.attempt;
  result.timeout_s = entry.timeout_s;
  result.priority = static_cast<uint8_t>(level + 1);
  result.owner = l.owner;
  result.enqueued_us = entry.enqueued_us;
  result.fence = entry.fence;
  return result;
}

// -- dispatch -----------------------------------------------------------------

std::optional<job_dispatch>
queue_state::pop(const std::vector<std::string>& types, int64_t now) {
  lane* best_lane = nullptr;
  size_t best_level = 0;
  double best_score = 0;
  auto consider = [&](const std::string& type, type_lanes& by_owner) {
    if (paused_types_.count(type) > 0)
      return;
    for (auto& [owner, l] : by_owner) {
      if (l.live == 0 || limiter_.blocked(type, owner, now))
        continue;
      for (size_t level = 0; level < l.levels.size(); ++level) {
        auto& q = l.levels[level];
        skip_dead(q);
        if (q.empty())
          continue;
        auto s = score(q.front(), level, now);
        if (best_lane == nullptr || s < best_score ||
            (s == best_score &&
             q.front().enqueued_us <
                 best_lane->levels[best_level].front().enqueued_us)) {
          best_lane = &l;
          best_level = level;
          best_score = s;
        }
      }
    }
  };
  if (types.empty()) {
    for (auto& [type, by_owner] : lanes_)
      consider(type, by_owner);
  } else {
    for (const auto& type : types)
      if (auto i = lanes_.find(type); i != lanes_.end())
        consider(type, i->second);
  }
  if (best_lane == nullptr)
    return std::nullopt;
  auto& q = best_lane->levels[best_level];
  auto entry = dispatch_of(std::move(q.front()), *best_lane, best_level);
  q.pop_front();
  unlink(entry.id);
  drop_if_empty(*best_lane);
  limiter_.take(entry.type, entry.owner, now);
  in_flight_[entry.id] = running_attempt{entry.type, entry.owner};
  return entry;
}

bool queue_state::ended(const std::string& id) {
  auto i = in_flight_.find(id);
  if (i == in_flight_.end())
    return false;
  limiter_.release(i->second.type, i->second.owner);
  in_flight_.erase(i);
  return true;
}

} // namespace troupe
