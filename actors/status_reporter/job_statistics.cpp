// Counting transitions: each event moves one job from one status to another;
// creations add a job, progress reports change no count.
#include "troupe/actors/status_reporter/job_statistics.hpp"

#include <algorithm>

namespace troupe {

namespace {

constexpr size_t max_samples = 10'000;
constexpr int64_t minute_us = 60'000'000;

std::vector<int64_t> percentiles(const std::deque<int64_t>& samples) {
  if (samples.empty())
    return {0, 0, 0};
  std::vector<int64_t> sorted(samples.begin(), samples.end());
  std::sort(sorted.begin(), sorted.end());
  auto at = [&](double q) {
    auto index = static_cast<size_t>(q * double(sorted.size() - 1));
    return sorted[index];
  };
  return {at(0.5), at(0.9), at(0.99)};
}

} // namespace

void job_statistics::seed(const std::map<job_status, uint64_t>& counts) {
  for (const auto& [status, n] : counts)
    by_status_[static_cast<size_t>(status)] += static_cast<int64_t>(n);
}

void job_statistics::recount_terminal(const std::vector<uint64_t>& by_status) {
  for (size_t i = 0; i < by_status.size() && i < job_status_count; ++i)
    if (is_terminal(static_cast<job_status>(i)))
      by_status_[i] = static_cast<int64_t>(by_status[i]);
}

void job_statistics::add_sample(std::deque<int64_t>& samples, int64_t value) {
  samples.push_back(value);
  if (samples.size() > max_samples)
    samples.pop_front();
}

void job_statistics::apply(const job_event& event) {
  auto level = std::clamp<int>(event.priority, 1, 10) - 1;
  if (event.kind == job_event_kind::recovered) {
    // Counted by status from the store already; back in the queue now.
    if (event.to == job_status::queued) {
      depth_by_priority_[level] += 1;
      depth_by_type_[event.type] += 1;
    }
    return;
  }
  if (event.kind == job_event_kind::progress ||
      (event.kind == job_event_kind::transition && event.from == event.to))
    return;
  if (event.kind != job_event_kind::created) {
    by_status_[static_cast<size_t>(event.from)] -= 1;
    if (event.from == job_status::queued) {
      depth_by_priority_[level] -= 1;
      if (--depth_by_type_[event.type] <= 0)
        depth_by_type_.erase(event.type);
      if (event.to == job_status::running && event.previous_us > 0)
        add_sample(wait_samples_, event.time_us - event.previous_us);
    }
  }
  by_status_[static_cast<size_t>(event.to)] += 1;
  if (event.to == job_status::queued) {
    depth_by_priority_[level] += 1;
    depth_by_type_[event.type] += 1;
  }
  if (event.to == job_status::completed) {
    completions_.push_back(event.time_us);
    while (!completions_.empty() &&
           completions_.front() < event.time_us - minute_us)
      completions_.pop_front();
  }
  if (event.from == job_status::running && event.started_us > 0)
    add_sample(run_samples_, event.time_us - event.started_us);
}

stats_snapshot job_statistics::snapshot(int64_t now_us) const {
  stats_snapshot result;
  for (auto n : by_status_)
    result.by_status.push_back(static_cast<uint64_t>(std::max<int64_t>(0, n)));
  for (auto n : depth_by_priority_)
    result.depth_by_priority.push_back(
        static_cast<uint64_t>(std::max<int64_t>(0, n)));
  for (const auto& [type, n] : depth_by_type_)
    if (n > 0)
      result.depth_by_type.emplace(type, static_cast<uint64_t>(n));
  auto recent =
      std::count_if(completions_.begin(), completions_.end(),
                    [&](int64_t t) { return t >= now_us - minute_us; });
  result.throughput_per_s = static_cast<double>(recent) / 60.0;
  result.wait_us = percentiles(wait_samples_);
  result.run_us = percentiles(run_samples_);
  return result;
}

} // namespace troupe
