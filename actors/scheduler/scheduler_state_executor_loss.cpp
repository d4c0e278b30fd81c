// What the scheduler's state machine does when an executor, or the node it ran
// on, is gone: its running attempts are re-queued as new attempts at once.
#include "troupe/actors/scheduler/attempt_rules.hpp"
#include "troupe/actors/scheduler/scheduler_state.hpp"

namespace troupe {

bool scheduler_state::executor_lost(const std::string& id, uint32_t attempt,
                                    const std::string& node,
                                    const std::string& reason, int64_t now) {
  auto* i = jobs_.find(id);
  if (i == nullptr || !is_current_attempt(*i, attempt, job_status::running))
    return false;
  auto& job = *i;
  clear_timer(id);
  auto what = "node " + node + " lost (" + reason + ") during attempt " +
              std::to_string(attempt);
  if (!has_retries_left(job)) {
    job.error = what;
    transition(job, job_status::failed, now, "cluster",
               what + "; no retries left");
    return true;
  }
  job.attempt += 1;
  transition(job, job_status::queued, now, "cluster",
             what + "; re-queued as attempt " + std::to_string(job.attempt));
  forget_last_attempt(job);
  enqueue(job, now);
  return true;
}

bool scheduler_state::needs_redispatch(const job_dispatch& dispatch) const {
  // The fence names the attempt: a parked job need not be unpacked.
  return jobs_.status(dispatch.id) == job_status::queued &&
         dispatch.fence != 0 && jobs_.fence(dispatch.id) == dispatch.fence;
}

} // namespace troupe
