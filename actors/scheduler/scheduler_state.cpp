// The scheduler's transitions: start, progress, outcome, retries with backoff,
// timeouts and dependency results. Each transition is recorded in the
// history and handed to the shell, which persists before acting.
#include "troupe/actors/scheduler/scheduler_state.hpp"

#include <algorithm>
#include <cmath>

#include <openssl/rand.h>

#include "troupe/actors/scheduler/attempt_rules.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

constexpr int64_t us_per_ms = 1000;
constexpr int64_t us_per_s = 1000 * 1000;

const std::string scheduler_principal = "scheduler";

/// A fence no one can guess from the fences they saw: from OpenSSL's
/// generator, not from the scheduler's seeded one.
uint64_t random_fence() {
  uint64_t x = 0;
  while (x == 0)
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&x), sizeof(x)) != 1)
      throw std::runtime_error("fence: the random number generator failed");
  return x;
}

} // namespace

scheduler_state::scheduler_state(scheduler_config config)
    : config_(std::move(config)),
      rng_(config_.seed != 0 ? config_.seed : std::random_device{}()) {
  // nop
}

// -- reports ------------------------------------------------------------------

bool scheduler_state::started(const std::string& id, uint32_t attempt,
                              const std::string& executor,
                              const std::string& node, uint64_t fence,
                              int64_t now) {
  // Fence and status first: a stale report unpacks no parked job.
  if (fence != fence_of(id) || jobs_.status(id) != job_status::queued)
    return false;
  auto* i = jobs_.find(id);
  if (!is_current_attempt(*i, attempt, job_status::queued))
    return false;
  auto& job = *i;
  job.executor = executor;
  job.node = node;
  job.started_us = now;
  job.progress = 0;
  job.progress_message.clear();
  transition(job, job_status::running, now, "executor",
             "attempt " + std::to_string(attempt) + " started on " + executor);
  set_timer(id, now + int64_t{job.timeout_s} * us_per_s);
  return true;
}

void scheduler_state::progress(const std::string& id, uint32_t attempt,
                               double fraction, const std::string& message,
                               uint64_t fence, int64_t now) {
  auto* i = jobs_.find(id);
  if (i == nullptr || !is_current_attempt(*i, attempt, job_status::running) ||
      fence != fence_of(id))
    return;
  auto& job = *i;
  auto previous = job.updated_us;
  job.progress = std::clamp(fraction, 0.0, 1.0);
  job.progress_message = message;
  job.updated_us = now;
  touch(job, job.status);
  emit(job, job.status, previous, now, message, job_event_kind::progress);
}

bool scheduler_state::finished(const attempt_outcome& outcome, int64_t now) {
  auto* i = jobs_.find(outcome.id);
  if (i == nullptr ||
      !is_current_attempt(*i, outcome.attempt, job_status::running) ||
      outcome.executor != i->executor || outcome.fence != fence_of(outcome.id))
    return false;
  auto& job = *i;
  clear_timer(job.id);
  if (outcome.succeeded) {
    job.result = outcome.result.empty() ? "null" : outcome.result;
    job.error.clear();
    job.progress = 1;
    transition(job, job_status::completed, now, "executor",
               "attempt " + std::to_string(job.attempt) + " completed");
  } else if (outcome.fatal) {
    job.error = outcome.error;
    transition(job, job_status::failed, now, "executor",
               "attempt " + std::to_string(job.attempt) +
                   " failed: " + outcome.error + "; not retryable");
  } else {
    attempt_failed(job, outcome.error, now);
  }
  return true;
}

void scheduler_state::released(const std::vector<std::string>& ids,
                               int64_t now) {
  for (const auto& id : ids)
    if (jobs_.status(id) == job_status::waiting)
      make_ready(*jobs_.find(id), now, "dependencies completed");
}

void scheduler_state::dependency_failed(const std::string& id,
                                        const std::string& dep,
                                        job_status dep_status, int64_t now) {
  if (jobs_.status(id) != job_status::waiting)
    return;
  auto& job = *jobs_.find(id);
  auto reason = "dependency " + dep + " " + to_string(dep_status);
  switch (job.on_dependency_failure) {
  case dependency_policy::fail:
    job.error = reason;
    transition(job, job_status::failed, now, scheduler_principal, reason);
    break;
  case dependency_policy::cancel:
    job.error = reason;
    transition(job, job_status::cancelled, now, scheduler_principal, reason);
    break;
  case dependency_policy::ignore:
    break; // Runs once the tracker releases it.
  }
}

// -- time ---------------------------------------------------------------------

void scheduler_state::tick(int64_t now) {
  while (!timers_.empty() && timers_.begin()->first <= now) {
    auto id = timers_.begin()->second;
    clear_timer(id);
    auto* i = jobs_.find(id);
    if (i == nullptr)
      continue;
    auto& job = *i;
    if (job.status == job_status::scheduled) {
      make_ready(job, now, "run_at reached");
    } else if (job.status == job_status::running) {
      effects_.stop.emplace_back(job.id, job.attempt);
      attempt_failed(
          job, "timed out after " + std::to_string(job.timeout_s) + " s", now);
    }
  }
}

std::optional<int64_t> scheduler_state::next_timer() const {
  if (timers_.empty())
    return std::nullopt;
  return timers_.begin()->first;
}

// -- output -------------------------------------------------------------------

persist_batch scheduler_state::take_writes(uint64_t ticket) {
  persist_batch batch;
  batch.ticket = ticket;
  batch.records.reserve(dirty_.size());
  batch.replaced.reserve(dirty_.size());
  for (const auto& [id, stored] : dirty_) {
    auto* i = jobs_.find(id);
    if (i == nullptr)
      continue;
    batch.replaced.push_back(stored);
    if (!is_terminal(i->status)) {
      batch.records.push_back(*i);
      if (jobs_.size() > config_.park_above)
        jobs_.park(id);
      continue;
    }
    // Leaves memory: the batch takes the record itself.
    remember_settled(id, i->status);
    if (noting_departures_)
      departed_.insert(id);
    batch.records.push_back(*jobs_.take(id));
  }
  dirty_.clear();
  dirty_set_.clear();
  batch.history.swap(history_);
  batch.created.swap(created_);
  return batch;
}

scheduler_effects scheduler_state::take_effects() {
  scheduler_effects result;
  std::swap(result, effects_);
  return result;
}

// -- queries ------------------------------------------------------------------

const job_record* scheduler_state::find(const std::string& id) const {
  return jobs_.find(id);
}

std::optional<job_status>
scheduler_state::status_of(const std::string& id) const {
  if (auto status = jobs_.status(id))
    return status;
  if (auto i = settled_.find(id); i != settled_.end())
    return i->second;
  return std::nullopt;
}

// -- internals ----------------------------------------------------------------

void scheduler_state::remember_settled(const std::string& id,
                                       job_status status) {
  settled_[id] = status;
  settled_order_.push_back(id);
  while (settled_order_.size() > config_.remembered_terminal_jobs) {
    settled_.erase(settled_order_.front());
    settled_order_.pop_front();
  }
}

void scheduler_state::transition(job_record& job, job_status to, int64_t now,
                                 const std::string& principal,
                                 const std::string& message, bool created) {
  auto from = job.status;
  history_entry entry;
  entry.job_id = job.id;
  entry.seq = job.history_length++;
  entry.time_us = now;
  entry.from = from;
  entry.to = to;
  entry.attempt = job.attempt;
  entry.executor = job.executor;
  entry.node = job.node;
  entry.principal = principal;
  entry.message = message;
  history_.push_back(std::move(entry));
  if ((from == job_status::running && to != job_status::running) ||
      (from == job_status::queued && is_terminal(to)))
    effects_.ended.push_back(job.id);
  auto previous = created ? int64_t{0} : job.updated_us;
  job.status = to;
  job.updated_us = now;
  if (is_terminal(to)) {
    job.finished_us = now;
    clear_timer(job.id);
    if (!job.unique_key.empty()) {
      auto i = unique_keys_.find(job.unique_key);
      if (i != unique_keys_.end() && i->second == job.id)
        unique_keys_.erase(i);
      remember_window(job);
    }
    effects_.settled.emplace_back(job.id, to);
  }
  touch(job, from);
  emit(job, from, previous, now, message,
       created ? job_event_kind::created : job_event_kind::transition);
}

void scheduler_state::attempt_failed(job_record& job, const std::string& error,
                                     int64_t now) {
  job.error = error;
  if (!has_retries_left(job)) {
    transition(job, job_status::failed, now, scheduler_principal,
               "attempt " + std::to_string(job.attempt) + " failed: " + error +
                   "; no retries left");
    return;
  }
  auto delay = backoff_us(job);
  job.run_at_us = now + delay;
  transition(job, job_status::scheduled, now, scheduler_principal,
             "attempt " + std::to_string(job.attempt) + " failed: " + error +
                 "; retry in " + std::to_string(delay / us_per_ms) + " ms");
  job.attempt += 1;
  forget_last_attempt(job);
  touch(job, job.status);
  set_timer(job.id, job.run_at_us);
}

void scheduler_state::forget_last_attempt(job_record& job) {
  job.started_us = 0;
  job.progress = 0;
  job.progress_message.clear();
}

void scheduler_state::make_ready(job_record& job, int64_t now,
                                 const std::string& message) {
  if (job.run_at_us > now) {
    if (job.status != job_status::scheduled)
      transition(job, job_status::scheduled, now, scheduler_principal,
                 message + "; waiting for run_at");
    set_timer(job.id, job.run_at_us);
    return;
  }
  transition(job, job_status::queued, now, scheduler_principal, message);
  enqueue(job, now);
}

void scheduler_state::enqueue(const job_record& job, int64_t now) {
  job_dispatch entry;
  entry.id = job.id;
  entry.type = job.type;
  entry.payload = job.payload;
  entry.attempt = job.attempt;
  entry.timeout_s = job.timeout_s;
  entry.priority = job.priority;
  entry.owner = job.owner;
  entry.enqueued_us = now;
  entry.fence = random_fence();
  jobs_.set_fence(job.id, entry.fence);
  effects_.enqueue.push_back(std::move(entry));
}

uint64_t scheduler_state::fence_of(const std::string& id) const {
  return jobs_.fence(id);
}

void scheduler_state::set_timer(const std::string& id, int64_t due) {
  clear_timer(id);
  timers_.emplace(due, id);
  timer_of_.emplace(id, due);
}

void scheduler_state::clear_timer(const std::string& id) {
  auto i = timer_of_.find(id);
  if (i == timer_of_.end())
    return;
  timers_.erase({i->second, id});
  timer_of_.erase(i);
}

void scheduler_state::touch(const job_record& job, job_status before) {
  if (dirty_set_.insert(job.id).second)
    dirty_.emplace_back(job.id, before);
}

void scheduler_state::emit(const job_record& job, job_status from,
                           int64_t previous_us, int64_t now,
                           const std::string& message, job_event_kind kind) {
  job_event event;
  event.kind = kind;
  event.id = job.id;
  event.type = job.type;
  event.owner = job.owner;
  event.from = from;
  event.to = job.status;
  event.attempt = job.attempt;
  event.priority = job.priority;
  event.time_us = now;
  event.previous_us = previous_us;
  event.created_us = job.created_us;
  event.started_us = job.started_us;
  event.progress = job.progress;
  event.message = message;
  event.executor = job.executor;
  effects_.events.push_back(std::move(event));
}

int64_t scheduler_state::backoff_us(const job_record& job) {
  // Equal jitter: half the exponential delay is fixed, half is random, so
  // retries of jobs that failed together spread out but never come early.
  auto base = static_cast<double>(job.backoff_base_ms);
  auto exp = std::pow(config_.backoff_factor, double(job.attempt - 1));
  auto delay_ms = std::min(base * exp, double(config_.backoff_cap_ms));
  auto half = static_cast<int64_t>(delay_ms * us_per_ms / 2);
  if (half <= 0)
    return 0;
  std::uniform_int_distribution<int64_t> jitter{0, half};
  return half + jitter(rng_);
}

} // namespace troupe
