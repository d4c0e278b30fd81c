// The queue's limits and pauses: applying a new set of controls, and what
// they hold back now (for statistics and for the next token timer).
#include "troupe/actors/queue/queue_state.hpp"

#include <algorithm>

namespace troupe {

void queue_state::set_controls(const dispatch_controls& controls, int64_t now) {
  limiter_.set_limits(controls.limits, now);
  paused_types_ = {controls.paused_types.begin(), controls.paused_types.end()};
  std::unordered_set<std::string> jobs{controls.paused_jobs.begin(),
                                       controls.paused_jobs.end()};
  std::vector<job_dispatch> resumed;
  for (auto& [id, entry] : held_)
    if (jobs.count(id) == 0)
      resumed.push_back(std::move(entry));
  for (auto& entry : resumed) {
    held_.erase(entry.id);
    insert(std::move(entry), true);
  }
  paused_jobs_ = std::move(jobs);
  for (const auto& id : paused_jobs_)
    if (live_.count(compact_id::borrowed(id)) > 0)
      hold(id);
}

void queue_state::hold(const std::string& id) {
  auto where = live_.at(compact_id::borrowed(id));
  auto& l = *where.in;
  for (size_t level = 0; level < l.levels.size(); ++level) {
    auto& q = l.levels[level];
    auto i = std::find_if(q.begin(), q.end(), [&](const queued_attempt& x) {
      return x.id.view() == id && x.attempt == where.attempt;
    });
    if (i == q.end())
      continue;
    auto entry = dispatch_of(std::move(*i), l, level);
    q.erase(i);
    unlink(id);
    held_[id] = std::move(entry);
    drop_if_empty(l);
    return;
  }
}

std::optional<int64_t> queue_state::next_token_at(int64_t now) const {
  if (limiter_.empty())
    return std::nullopt;
  std::optional<int64_t> result;
  for (const auto& [type, by_owner] : lanes_) {
    if (paused_types_.count(type) > 0)
      continue;
    for (const auto& [owner, l] : by_owner) {
      if (l.live == 0)
        continue;
      auto at = limiter_.ready_at(type, owner, now);
      if (at && *at > now && (!result || *at < *result))
        result = at;
    }
  }
  return result;
}

std::map<std::string, uint64_t> queue_state::throttled(int64_t now) const {
  std::map<std::string, uint64_t> result;
  if (limiter_.empty())
    return result;
  for (const auto& [type, by_owner] : lanes_) {
    if (paused_types_.count(type) > 0)
      continue;
    for (const auto& [owner, l] : by_owner)
      if (l.live > 0)
        if (auto block = limiter_.blocked(type, owner, now))
          result[describe(*block)] += l.live;
  }
  return result;
}

uint64_t queue_state::paused() const {
  uint64_t result = held_.size();
  for (const auto& type : paused_types_)
    if (auto i = lanes_.find(type); i != lanes_.end())
      for (const auto& [owner, l] : i->second)
        result += l.live;
  return result;
}

} // namespace troupe
