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
  auto i = live_.find(id);
  if (i == live_.end())
    return false;
  auto where = std::move(i->second);
  unlink(id);
  drop_if_empty(where.type, where.owner);
  return true;
}

void queue_state::insert(job_dispatch entry, bool keep_order) {
  auto level = std::clamp<int>(entry.priority, 1, 10) - 1;
  auto& l = lanes_[entry.type][entry.owner];
  live_[entry.id] = placement{entry.attempt, entry.type, entry.owner};
  ++l.live;
  auto& q = l.levels[level];
  if (!keep_order) {
    q.push_back(std::move(entry));
    return;
  }
  // A resumed job goes back where its enqueue time puts it.
  auto pos = std::upper_bound(
      q.begin(), q.end(), entry.enqueued_us,
      [](int64_t t, const job_dispatch& x) { return t < x.enqueued_us; });
  q.insert(pos, std::move(entry));
}

void queue_state::unlink(const std::string& id) {
  if (held_.erase(id) > 0)
    return;
  auto i = live_.find(id);
  if (i == live_.end())
    return;
  if (auto* l = find_lane(i->second))
    --l->live;
  live_.erase(i);
}

queue_state::lane* queue_state::find_lane(const placement& where) {
  auto i = lanes_.find(where.type);
  if (i == lanes_.end())
    return nullptr;
  auto j = i->second.find(where.owner);
  return j != i->second.end() ? &j->second : nullptr;
}

void queue_state::drop_if_empty(const std::string& type,
                                const std::string& owner) {
  auto i = lanes_.find(type);
  if (i == lanes_.end())
    return;
  auto j = i->second.find(owner);
  if (j == i->second.end() || j->second.live > 0)
    return;
  i->second.erase(j);
  if (i->second.empty())
    lanes_.erase(i);
}

void queue_state::skip_dead(std::deque<job_dispatch>& q) {
  while (!q.empty()) {
    auto i = live_.find(q.front().id);
    if (i != live_.end() && i->second.attempt == q.front().attempt)
      return;
    q.pop_front();
  }
}

double queue_state::score(const job_dispatch& entry, int64_t now) const {
  auto age = static_cast<double>(std::max<int64_t>(0, now - entry.enqueued_us));
  return entry.priority - age / static_cast<double>(config_.ageing_step_us);
}

// -- dispatch -----------------------------------------------------------------

std::optional<job_dispatch>
queue_state::pop(const std::vector<std::string>& types, int64_t now) {
  std::deque<job_dispatch>* best = nullptr;
  double best_score = 0;
  auto consider = [&](const std::string& type, type_lanes& by_owner) {
    if (paused_types_.count(type) > 0)
      return;
    for (auto& [owner, l] : by_owner) {
      if (l.live == 0 || limiter_.blocked(type, owner, now))
        continue;
      for (auto& q : l.levels) {
        skip_dead(q);
        if (q.empty())
          continue;
        auto s = score(q.front(), now);
        if (best == nullptr || s < best_score ||
            (s == best_score &&
             q.front().enqueued_us < best->front().enqueued_us)) {
          best = &q;
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
  if (best == nullptr)
    return std::nullopt;
  auto entry = std::move(best->front());
  best->pop_front();
  unlink(entry.id);
  drop_if_empty(entry.type, entry.owner);
  limiter_.take(entry.type, entry.owner, now);
  in_flight_[entry.id] = placement{entry.attempt, entry.type, entry.owner};
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
