// Priority selection with ageing over per-type lanes. Removal is lazy: a
// removed job's entry is skipped when it reaches the front.
#include "actors/queue_state.hpp"

#include <algorithm>

namespace troupe {

queue_state::queue_state(queue_config config) : config_(config) {
  // nop
}

void queue_state::push(job_dispatch entry) {
  auto level = std::clamp<int>(entry.priority, 1, 10) - 1;
  live_[entry.id] = entry.attempt;
  lanes_[entry.type][level].push_back(std::move(entry));
}

bool queue_state::remove(const std::string& id) {
  return live_.erase(id) > 0;
}

void queue_state::skip_dead(std::deque<job_dispatch>& q) {
  while (!q.empty()) {
    auto i = live_.find(q.front().id);
    if (i != live_.end() && i->second == q.front().attempt)
      return;
    q.pop_front();
  }
}

double queue_state::score(const job_dispatch& entry, int64_t now) const {
  auto age = static_cast<double>(std::max<int64_t>(0, now - entry.enqueued_us));
  return entry.priority - age / static_cast<double>(config_.ageing_step_us);
}

std::optional<job_dispatch>
queue_state::pop(const std::vector<std::string>& types, int64_t now) {
  std::deque<job_dispatch>* best = nullptr;
  double best_score = 0;
  auto consider = [&](lane& l) {
    for (auto& q : l) {
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
  };
  if (types.empty()) {
    for (auto& [type, l] : lanes_)
      consider(l);
  } else {
    for (const auto& type : types)
      if (auto i = lanes_.find(type); i != lanes_.end())
        consider(i->second);
  }
  if (best == nullptr)
    return std::nullopt;
  auto entry = std::move(best->front());
  best->pop_front();
  live_.erase(entry.id);
  return entry;
}

} // namespace troupe
