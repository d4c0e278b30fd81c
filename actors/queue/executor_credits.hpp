// The queue's executor credits as plain state: each executor's standing
// demand, the round-robin hand-out of jobs, and the loss window of attempts
// it may have been sent but not started.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "troupe/messages/job_dispatch.hpp"

namespace troupe {

/// Credits per executor, keyed by `Handle` (the executor's actor handle in
/// the queue; any equality-comparable type in tests).
template <class Handle>
class executor_credits {
public:
  /// An executor's standing demand.
  struct entry {
    Handle handle;
    std::vector<std::string> types;
    uint32_t credits = 0;
    /// Attempts it keeps beyond its slots: credits beyond that many are
    /// free slots.
    uint32_t waiting = 0;
    /// The announcement the credits belong to (see `demand`).
    uint64_t epoch = 0;
    /// The last `max_credits` attempts dispatched to it, oldest first,
    /// without their payloads (the scheduler holds them). An executor holds
    /// at most that many and starts them in the order it receives them, so
    /// those it never started are among these (the scheduler skips the ones
    /// that did start).
    std::deque<job_dispatch> recent;
  };

  /// `max_credits` caps what one executor may hold.
  explicit executor_credits(uint32_t max_credits) : max_credits_(max_credits) {}

  /// Adds `credits` from announcement `epoch`. Credits are replaced by a
  /// newer announcement and capped, so neither a re-join nor a repeated
  /// demand gives an executor more than `max_credits`. False if the demand
  /// belongs to an announcement already replaced (nothing changed).
  bool demand(Handle handle, std::vector<std::string> types, uint32_t credits,
              uint32_t waiting, uint64_t epoch) {
    auto i = find(handle);
    if (i == entries_.end()) {
      i = entries_.insert(
          entries_.end(),
          entry{std::move(handle), std::move(types), 0, 0, epoch, {}});
    } else if (epoch < i->epoch) {
      return false;
    } else if (epoch > i->epoch) {
      i->credits = 0;
      i->epoch = epoch;
      i->types = std::move(types);
    }
    i->credits = std::min(i->credits + credits, max_credits_);
    i->waiting = waiting;
    return true;
  }

  /// Whether some executor has a credit left.
  bool any_idle() const {
    return std::any_of(entries_.begin(), entries_.end(),
                       [](const entry& ex) { return ex.credits > 0; });
  }

  /// Hands out jobs, one per credit, round-robin from a start that moves
  /// each round so executors share work: first to free slots, and only
  /// then to executors whose slots are all busy, so no job waits behind
  /// another while a slot elsewhere is free. `pop(types)` yields the most
  /// urgent eligible job for those types, or nothing; `has_jobs()` says
  /// whether any job waits. Returns each executor with the job it gets, in
  /// hand-out order; each is remembered in its loss window.
  template <class Pop, class HasJobs>
  std::vector<std::pair<Handle, job_dispatch>> assign(Pop&& pop,
                                                      HasJobs&& has_jobs) {
    std::vector<std::pair<Handle, job_dispatch>> out;
    for (bool free_slots_only : {true, false})
      assign_round(pop, has_jobs, free_slots_only, out);
    return out;
  }

  /// Forgets a lost executor; returns the attempts of its loss window,
  /// oldest first and without their payloads (empty if it was unknown).
  std::vector<job_dispatch> lose(const Handle& handle) {
    auto i = find(handle);
    if (i == entries_.end())
      return {};
    std::vector<job_dispatch> recent{i->recent.begin(), i->recent.end()};
    entries_.erase(i);
    return recent;
  }

  /// The executor `handle`'s entry, or null.
  const entry* find_entry(const Handle& handle) const {
    auto i = find_in(entries_, handle);
    return i == entries_.end() ? nullptr : &*i;
  }

  /// Executors known.
  size_t size() const { return entries_.size(); }

private:
  /// `x` as the loss window keeps it: every field but the payload.
  static job_dispatch without_payload(const job_dispatch& x) {
    job_dispatch out;
    out.id = x.id;
    out.type = x.type;
    out.attempt = x.attempt;
    out.timeout_s = x.timeout_s;
    out.priority = x.priority;
    out.owner = x.owner;
    out.enqueued_us = x.enqueued_us;
    out.fence = x.fence;
    return out;
  }

  /// Rounds of one job per executor until no credit (of free slots only,
  /// if `free_slots_only`) can take a job.
  template <class Pop, class HasJobs>
  void assign_round(Pop& pop, HasJobs& has_jobs, bool free_slots_only,
                    std::vector<std::pair<Handle, job_dispatch>>& out) {
    bool progress = true;
    while (progress && has_jobs()) {
      progress = false;
      auto n = entries_.size();
      for (size_t k = 0; k < n && has_jobs(); ++k) {
        auto& ex = entries_[(next_ + k) % n];
        if (ex.credits == 0 || (free_slots_only && ex.credits <= ex.waiting))
          continue;
        if (std::optional<job_dispatch> job = pop(ex.types)) {
          --ex.credits;
          ex.recent.push_back(without_payload(*job));
          if (ex.recent.size() > max_credits_)
            ex.recent.pop_front();
          out.emplace_back(ex.handle, std::move(*job));
          progress = true;
        }
      }
      if (n > 0)
        next_ = (next_ + 1) % n;
    }
  }

  // Const or not, as `entries` is.
  template <class Entries>
  static auto find_in(Entries& entries, const Handle& handle) {
    return std::find_if(entries.begin(), entries.end(),
                        [&](const entry& ex) { return ex.handle == handle; });
  }

  typename std::vector<entry>::iterator find(const Handle& handle) {
    return find_in(entries_, handle);
  }

  uint32_t max_credits_;
  std::vector<entry> entries_;
  /// Round-robin start.
  size_t next_ = 0;
};

} // namespace troupe
