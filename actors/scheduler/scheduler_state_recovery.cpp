// What the scheduler's state machine does at a start and an orderly stop:
// it takes over the jobs the store holds that did not end (running ones are
// queued again, unless they keep crashing the node), and notes the running
// attempts a stop interrupts, so the next start tells them from a crash.
#include "troupe/actors/scheduler/attempt_rules.hpp"
#include "troupe/actors/scheduler/crashed_attempts.hpp"
#include "troupe/actors/scheduler/scheduler_state.hpp"

namespace troupe {

size_t scheduler_state::recover(recovered_jobs recovered, int64_t now) {
  std::vector<std::string> ids;
  for (auto& record : recovered.jobs) {
    if (is_terminal(record.status) || status_of(record.id) ||
        departed_.count(record.id) > 0)
      continue;
    ids.push_back(record.id);
    if (!record.unique_key.empty())
      unique_keys_.emplace(record.unique_key, record.id);
    jobs_.put(std::move(record));
  }
  for (const auto& id : ids) {
    auto& job = *jobs_.find(id);
    switch (job.status) {
    case job_status::running: {
      auto i = recovered.crashed_attempts.find(id);
      recover_running(
          job, i == recovered.crashed_attempts.end() ? 0 : i->second, now);
      break;
    }
    case job_status::queued:
      enqueue(job, now);
      emit(job, job.status, job.updated_us, now, "recovered",
           job_event_kind::recovered);
      break;
    case job_status::scheduled:
      set_timer(id, job.run_at_us);
      emit(job, job.status, job.updated_us, now, "recovered",
           job_event_kind::recovered);
      break;
    default: // waiting: dependencies are evaluated again.
      admit(job, now, false, "recovery", "recovered while waiting");
      break;
    }
  }
  // What no transition changed is parked at once; the rest once written.
  if (jobs_.size() > config_.park_above)
    for (const auto& id : ids)
      if (dirty_set_.count(id) == 0)
        jobs_.park(id);
  return ids.size();
}

void scheduler_state::recover_running(job_record& job, uint32_t crashed,
                                      int64_t now) {
  auto lost = job.attempt;
  clear_timer(job.id);
  if (crashed >= config_.max_crashed_attempts) {
    job.error = "attempt " + std::to_string(lost) + " crashed the node (" +
                std::to_string(crashed) +
                " attempts in a row were running when it died)";
    transition(job, job_status::failed, now, "recovery",
               job.error + "; not started again");
    return;
  }
  if (!has_retries_left(job)) {
    job.error = "node stopped during attempt " + std::to_string(lost);
    transition(job, job_status::failed, now, "recovery",
               job.error + "; no retries left");
    return;
  }
  job.attempt += 1;
  transition(job, job_status::queued, now, "recovery",
             recovery_note(lost, crashed > 0));
  forget_last_attempt(job);
  enqueue(job, now);
}

void scheduler_state::note_departures(bool on) {
  noting_departures_ = on;
  if (!on)
    departed_.clear();
}

void scheduler_state::note_stopping(int64_t now) {
  jobs_.for_each_unpacked([&](job_record& job) {
    if (job.status == job_status::running)
      transition(job, job_status::running, now, stop_principal,
                 stop_note(job.attempt));
  });
}

} // namespace troupe
