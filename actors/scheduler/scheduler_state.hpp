// The scheduler's state machine as a plain struct: every job's transitions,
// timers, retries and fencing, testable without an actor system. It never
// performs side effects itself; it collects writes and effects for the shell.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "caf/expected.hpp"

#include "troupe/actors/executor/job_handler.hpp"
#include "troupe/actors/scheduler/job_table.hpp"
#include "troupe/actors/scheduler/spec_validation.hpp"
#include "troupe/messages/job_dispatch.hpp"
#include "troupe/messages/job_event.hpp"
#include "troupe/messages/job_record.hpp"
#include "troupe/messages/job_spec.hpp"
#include "troupe/messages/persist_batch.hpp"
#include "troupe/messages/recovered_jobs.hpp"

namespace troupe {

/// Defaults and policies of the scheduler.
struct scheduler_config {
  /// Priority of jobs that name none. Default: 5.
  uint8_t default_priority = 5;
  /// Seconds an attempt may run. Default: 60.
  int32_t default_timeout_s = 60;
  /// Retries after the first attempt. Default: 3.
  int32_t default_max_retries = 3;
  /// First retry delay in milliseconds. Default: 1000.
  int64_t default_backoff_base_ms = 1000;
  /// Growth of the delay per attempt. Default: 2.
  double backoff_factor = 2.0;
  /// Longest retry delay in milliseconds. Default: 300000 (5 min).
  int64_t backoff_cap_ms = 300'000;
  /// Limits on submitted specs.
  job_limits limits;
  /// Payload checks of the job types this node handles, run at admission.
  /// Default: none.
  std::shared_ptr<const validator_map> payload_validators;
  /// Seed of the backoff jitter; 0 seeds from the system. Default: 0.
  uint64_t seed = 0;
  /// Terminal jobs whose status stays in memory (older ones are looked up in
  /// the store when named again). Default: 100000.
  size_t remembered_terminal_jobs = 100'000;
  /// A job whose attempts were running when the node died this many times in
  /// a row is failed at recovery instead of started again, so no job can
  /// keep a node in a crash loop. Default: 3.
  uint32_t max_crashed_attempts = 3;
  /// Jobs a start reads back from the store per page, while it already
  /// serves. Default: 4096.
  uint32_t recovery_page = 4096;
  /// Jobs the scheduler holds before it parks those no attempt runs and no
  /// change waits on in their compact encoding: below it, the memory saved
  /// is not worth the time. Default: 16384.
  size_t park_above = 16'384;
};

/// What the shell must do once the writes collected with it are durable.
struct scheduler_effects {
  /// Jobs to hand to the queue.
  std::vector<job_dispatch> enqueue;
  /// Jobs to remove from the queue.
  std::vector<std::string> dequeue;
  /// Jobs whose dispatched attempt ended (it left running, or a queued job
  /// ended), so the queue stops counting it against quotas.
  std::vector<std::string> ended;
  /// Jobs that wait for dependencies, with the unmet ones.
  std::vector<std::pair<std::string, std::vector<std::string>>> watch;
  /// Jobs that reached a terminal status.
  std::vector<std::pair<std::string, job_status>> settled;
  /// Attempts whose executor must stop them (id, attempt).
  std::vector<std::pair<std::string, uint32_t>> stop;
  /// Events for the status reporter.
  std::vector<job_event> events;
};

/// Every live job and its state machine.
class scheduler_state {
public:
  explicit scheduler_state(scheduler_config config);

  // -- admission --------------------------------------------------------------

  /// Ids named by `specs` (client ids and dependencies) that are neither live
  /// nor remembered, so the shell must look them up in the store first.
  std::vector<std::string>
  unknown_ids(const std::vector<job_spec>& specs) const;

  /// Remembers jobs read from the store (terminal ones by status only).
  void learn(const std::vector<job_record>& records);

  /// Unique keys named by `specs` that no live job holds and no ended job
  /// in memory holds a window for, so the shell must look up the latest job
  /// of each key in the store first.
  std::vector<std::string>
  unknown_unique_keys(const std::vector<job_spec>& specs) const;

  /// Remembers the unique-key windows of ended jobs read from the store.
  void learn_unique(const std::vector<job_record>& records);

  /// Validates and admits `specs`, all or nothing. Returns one id per spec;
  /// an existing id with the same spec or a live unique key returns the
  /// existing job, an existing id with a different spec is a conflict.
  /// `stored` holds the records the shell looked up for `unknown_ids`.
  caf::expected<std::vector<std::string>>
  submit(std::vector<job_spec> specs, int64_t now,
         const std::vector<job_record>& stored = {});

  /// Takes over jobs that were not terminal when the node last stopped:
  /// running ones are queued again, queued ones enqueued, scheduled ones
  /// timed, waiting ones evaluated again (so the jobs they wait for must be
  /// known by then). Skips jobs it already holds or that left memory while
  /// departures were noted: the store's copy read meanwhile is older.
  /// Returns how many it took over.
  size_t recover(recovered_jobs recovered, int64_t now);

  /// While on, notes the jobs that leave memory. A start turns it on before
  /// it asks for a page, and forgets the notes first unless the pages read
  /// since are still to be taken over (the waiting jobs, all together).
  void note_departures(bool on);

  /// Forgets the jobs noted as they left memory.
  void forget_departures() { departed_.clear(); }

  /// Notes in the history of every running job that the node is stopping in
  /// order, so the next start does not count the attempt as a crash.
  void note_stopping(int64_t now);

  // -- commands ---------------------------------------------------------------

  /// Cancels a job in any non-terminal status.
  caf::expected<job_status> cancel(const std::string& id, int64_t now,
                                   const std::string& principal);

  /// Re-admits a failed or cancelled job as a new attempt. `stored` is its
  /// record read from the store when it is no longer in memory.
  caf::expected<job_status> retry(const std::string& id,
                                  const job_record* stored, int64_t now,
                                  const std::string& principal);

  /// Re-admits every job of `stored` (records read from the store that
  /// matched a dead-letter filter) as a new attempt, as `retry` does for one.
  /// Jobs that are no longer failed or cancelled are skipped. Returns the
  /// ids retried, in the order of `stored`.
  std::vector<std::string> retry_all(const std::vector<job_record>& stored,
                                     int64_t now, const std::string& principal);

  // -- reports from executors and the dependency tracker ----------------------

  /// Returns false if the attempt is stale or `fence` is not the one of its
  /// dispatch (fenced): it must be stopped.
  bool started(const std::string& id, uint32_t attempt,
               const std::string& executor, const std::string& node,
               uint64_t fence, int64_t now);

  /// Records progress of the current attempt; stale or unfenced reports are
  /// ignored.
  void progress(const std::string& id, uint32_t attempt, double fraction,
                const std::string& message, uint64_t fence, int64_t now);

  /// Applies the outcome of an attempt; returns false if it was stale, came
  /// from another executor than the one that started it, or carries another
  /// fence than its dispatch.
  bool finished(const attempt_outcome& outcome, int64_t now);

  /// The fence of job `id`'s last dispatch (0: none).
  uint64_t fence_of(const std::string& id) const;

  /// Every dependency of these jobs is terminal.
  void released(const std::vector<std::string>& ids, int64_t now);

  /// Dependency `dep` of `id` ended in `dep_status` (failed or cancelled).
  void dependency_failed(const std::string& id, const std::string& dep,
                         job_status dep_status, int64_t now);

  // -- lost executors (scheduler_executor_loss.cpp) ---------------------------

  /// The executor running attempt `attempt` of `id` on `node` is gone: the
  /// job is re-queued at once as the next attempt (or failed when no retry
  /// is left), with a history entry naming the node and `reason`. Returns
  /// false if that attempt is not the running one.
  bool executor_lost(const std::string& id, uint32_t attempt,
                     const std::string& node, const std::string& reason,
                     int64_t now);

  /// Whether `dispatch`, sent to an executor that is gone, is still the
  /// job's queued attempt and must be queued again.
  bool needs_redispatch(const job_dispatch& dispatch) const;

  // -- time -------------------------------------------------------------------

  /// Fires every timer due at `now`: timeouts and scheduled starts.
  void tick(int64_t now);

  /// The earliest pending timer, if any.
  std::optional<int64_t> next_timer() const;

  // -- output -----------------------------------------------------------------

  /// Whether writes are waiting to be persisted.
  bool has_writes() const { return !dirty_.empty() || !history_.empty(); }

  /// Takes the collected writes; terminal jobs leave memory afterwards.
  persist_batch take_writes(uint64_t ticket);

  /// Takes the collected effects.
  scheduler_effects take_effects();

  // -- queries ----------------------------------------------------------------

  /// The live record of `id`, or null.
  const job_record* find(const std::string& id) const;

  /// The status of `id` if live or remembered.
  std::optional<job_status> status_of(const std::string& id) const;

  /// Number of jobs held in memory.
  size_t live_jobs() const { return jobs_.size(); }

  const scheduler_config& config() const { return config_; }

private:
  /// Re-queues (or fails) a job whose attempt was running at the last stop;
  /// `crashed` counts the attempts in a row the node died under.
  void recover_running(job_record& job, uint32_t crashed, int64_t now);

  job_record make_record(job_spec spec, int64_t now);
  void admit(job_record& job, int64_t now, bool created,
             const std::string& principal, const std::string& message);
  void transition(job_record& job, job_status to, int64_t now,
                  const std::string& principal, const std::string& message,
                  bool created = false);
  void attempt_failed(job_record& job, const std::string& error, int64_t now);
  /// Forgets what the last attempt reported (start, progress) when `job`
  /// moves on to its next attempt, so no view shows it as the current one's.
  static void forget_last_attempt(job_record& job);
  void make_ready(job_record& job, int64_t now, const std::string& message);
  void enqueue(const job_record& job, int64_t now);
  void set_timer(const std::string& id, int64_t due);
  void clear_timer(const std::string& id);
  /// Marks `job` to be written, whose status was `before` until the change
  /// that calls this: on a job's first change since the last take, the
  /// status of its stored version.
  void touch(const job_record& job, job_status before);
  void emit(const job_record& job, job_status from, int64_t previous_us,
            int64_t now, const std::string& message, job_event_kind kind);
  int64_t backoff_us(const job_record& job);
  caf::error check_batch(const std::vector<job_spec>& specs) const;
  caf::error check_payload(const job_spec& spec,
                           const std::string& prefix) const;
  caf::error check_resubmitted(const std::vector<job_spec>& specs,
                               const std::vector<job_record>& stored,
                               int64_t now);
  void remember_settled(const std::string& id, job_status status);
  void remember_window(const job_record& job);
  const std::string* unique_holder(const std::string& key, int64_t now);

  scheduler_config config_;
  std::mt19937_64 rng_;
  uint64_t next_id_ = 0;
  /// Jobs in memory: every non-terminal one, terminal ones until written;
  /// with the fence of each one's last dispatch. Finding a parked job
  /// unpacks it, which changes no state: `find` is const.
  mutable job_table jobs_;
  /// Terminal jobs no longer in memory, by status.
  std::unordered_map<std::string, job_status> settled_;
  /// Ids of `settled_`, oldest first, for bounded eviction.
  std::deque<std::string> settled_order_;
  /// Unique keys of live jobs.
  std::unordered_map<std::string, std::string> unique_keys_;
  /// Unique keys of ended jobs with a window: the job and the window's end.
  std::unordered_map<std::string, std::pair<std::string, int64_t>>
      unique_windows_;
  /// Pending timers (due, id) and the due time per id.
  std::set<std::pair<int64_t, std::string>> timers_;
  std::unordered_map<std::string, int64_t> timer_of_;
  /// Writes and effects collected since the last take: the jobs changed,
  /// each with the status it had when last written (see `touch`).
  std::vector<std::pair<std::string, job_status>> dirty_;
  std::unordered_set<std::string> dirty_set_;
  std::vector<history_entry> history_;
  /// Ids of the jobs created since the last take: none has a stored version.
  std::vector<std::string> created_;
  /// Jobs that left memory while `noting_departures_`.
  bool noting_departures_ = false;
  std::unordered_set<std::string> departed_;
  scheduler_effects effects_;
};

} // namespace troupe
