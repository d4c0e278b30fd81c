// A start's take-over of unfinished jobs: one page request to persistence at
// a time, so submissions and reports are served between pages.
#include "troupe/actors/scheduler/scheduler_recovery.hpp"

#include <unordered_set>

#include "troupe/logging/log.hpp"
#include "troupe/messages/errc.hpp"
#include "troupe/messages/request_timeouts.hpp"

namespace troupe {

namespace {

using self_ptr = scheduler_actor::stateful_pointer<scheduler_actor_state>;
using detail::changed;
using detail::now_us;

constexpr auto page_timeout = troupe::request_timeouts::store;

/// The status read after `x`: running, queued, scheduled, then waiting.
job_status next_status(job_status x) {
  switch (x) {
  case job_status::running:
    return job_status::queued;
  case job_status::queued:
    return job_status::scheduled;
  default:
    return job_status::waiting;
  }
}

/// Fail-stop: without its unfinished jobs the scheduler would disagree with
/// the store, so it stops and the node with it.
void fail_recovery(self_ptr self, const caf::error& err) {
  log_warn("troupe: taking over the unfinished jobs failed: ", to_string(err));
  abandon_recovery(self, err);
  self->quit(err);
}

void finish(self_ptr self) {
  auto& st = self->state;
  auto progress = std::move(*st.recovery);
  st.recovery.reset();
  st.machine->note_departures(false);
  if (progress.recovered > 0)
    log_info("troupe: took over ", progress.recovered, " unfinished jobs in ",
             (now_us(self) - progress.started_us) / 1000, " ms");
  for (auto& work : progress.deferred)
    work.first();
}

/// Takes over the waiting jobs, once every job they wait for that the
/// scheduler does not hold was looked up (it ended, or never existed).
void take_over_waiting(self_ptr self) {
  auto& st = self->state;
  const auto& waiting = st.recovery->waiting;
  std::unordered_set<std::string> held;
  for (const auto& job : waiting)
    held.insert(job.id);
  std::vector<std::string> unknown;
  for (const auto& job : waiting)
    for (const auto& dep : job.deps)
      if (!st.machine->status_of(dep) && held.insert(dep).second)
        unknown.push_back(dep);
  auto adopt = [self] {
    auto& st = self->state;
    recovered_jobs jobs;
    jobs.jobs = std::move(st.recovery->waiting);
    st.recovery->recovered +=
        st.machine->recover(std::move(jobs), now_us(self));
    changed(self);
    finish(self);
  };
  if (unknown.empty()) {
    adopt();
    return;
  }
  self->request(st.peers.persistence, page_timeout, lookup_atom_v,
                std::move(unknown))
      .then(
          [=](std::vector<job_record>& found) {
            if (!self->state.recovery)
              return; // Abandoned meanwhile.
            self->state.machine->learn(found);
            adopt();
          },
          [=](caf::error& err) { fail_recovery(self, err); });
}

void request_page(self_ptr self);

void on_page(self_ptr self, recovered_jobs& page) {
  auto& st = self->state;
  if (!st.recovery)
    return; // Abandoned meanwhile.
  auto& progress = *st.recovery;
  progress.after = std::move(page.next);
  if (progress.status == job_status::waiting) {
    progress.waiting.insert(progress.waiting.end(),
                            std::make_move_iterator(page.jobs.begin()),
                            std::make_move_iterator(page.jobs.end()));
  } else {
    progress.recovered += st.machine->recover(std::move(page), now_us(self));
    changed(self);
  }
  if (progress.after.empty()) {
    if (progress.status == job_status::waiting) {
      take_over_waiting(self);
      return;
    }
    progress.status = next_status(progress.status);
  }
  request_page(self);
}

void request_page(self_ptr self) {
  auto& st = self->state;
  const auto& progress = *st.recovery;
  // A page read from now on may be older than a job that leaves meanwhile;
  // waiting pages are kept until the last, so their notes are kept too.
  if (progress.status != job_status::waiting || progress.after.empty())
    st.machine->forget_departures();
  st.machine->note_departures(true);
  self->request(st.peers.persistence, page_timeout, recover_atom_v,
                st.recovery->status, st.recovery->after,
                st.machine->config().recovery_page)
      .then([=](recovered_jobs& page) { on_page(self, page); },
            [=](caf::error& err) { fail_recovery(self, err); });
}

} // namespace

void begin_recovery(self_ptr self) {
  auto& st = self->state;
  if (st.recovery)
    return;
  st.recovery.emplace();
  st.recovery->started_us = now_us(self);
  request_page(self);
}

void abandon_recovery(self_ptr self, const caf::error& reason) {
  auto& st = self->state;
  if (!st.recovery)
    return;
  auto deferred = std::move(st.recovery->deferred);
  st.recovery.reset();
  st.machine->note_departures(false);
  for (auto& work : deferred)
    work.second(reason);
}

namespace detail {

bool defer_until_recovered(self_ptr self, std::function<void()> then,
                           std::function<void(const caf::error&)> fail) {
  auto& st = self->state;
  if (!st.recovery)
    return false;
  st.recovery->deferred.emplace_back(std::move(then), std::move(fail));
  return true;
}

} // namespace detail

} // namespace troupe
