// troupe's atoms, the message tags of its protocol. CAF's own atoms (get_atom,
// ok_atom, tick_atom, flush_atom, subscribe_atom, ...) are reused, never
// redefined.
#pragma once

#include "caf/atom.hpp"
#include "caf/type_id.hpp"

#define TROUPE_ATOM(name, text)                                                \
  using name = caf::atom_constant<caf::atom(text)>;                            \
  constexpr name name##_v = name{};

namespace troupe {

// -- reused from CAF ----------------------------------------------------------

using caf::add_atom;
using caf::add_atom_v;
using caf::connect_atom;
using caf::connect_atom_v;
using caf::delete_atom;
using caf::delete_atom_v;
using caf::flush_atom;
using caf::flush_atom_v;
using caf::get_atom;
using caf::get_atom_v;
using caf::join_atom;
using caf::join_atom_v;
using caf::leave_atom;
using caf::leave_atom_v;
using caf::ok_atom;
using caf::ok_atom_v;
using caf::spawn_atom;
using caf::spawn_atom_v;
using caf::subscribe_atom;
using caf::subscribe_atom_v;
using caf::tick_atom;
using caf::tick_atom_v;
using caf::unsubscribe_atom;
using caf::unsubscribe_atom_v;

// -- scheduler ----------------------------------------------------------------

/// Submit one job spec (or a vector of them, all or nothing).
TROUPE_ATOM(submit_atom, "submit")
/// Cancel a job in any non-terminal status.
TROUPE_ATOM(cancel_atom, "cancel")
/// Re-queue a failed or cancelled job as a new attempt.
TROUPE_ATOM(retry_atom, "retry")
/// An executor started an attempt.
TROUPE_ATOM(started_atom, "started")
/// A handler reported progress.
TROUPE_ATOM(progress_atom, "progress")
/// An attempt ended.
TROUPE_ATOM(finished_atom, "finished")
/// Recovered jobs handed to the scheduler at start.
TROUPE_ATOM(recover_atom, "recover")
/// Stop accepting work and persist everything.
TROUPE_ATOM(drain_atom, "drain")

// -- persistence --------------------------------------------------------------

/// Write a batch of transitions.
TROUPE_ATOM(persist_atom, "persist")
/// A batch is durable.
TROUPE_ATOM(persisted_atom, "persisted")
/// Internal: write what has been collected (group commit).
TROUPE_ATOM(commit_atom, "commit")
/// Read several records by id.
TROUPE_ATOM(lookup_atom, "lookup")
/// Read the history of a job.
TROUPE_ATOM(history_atom, "history")
/// List jobs matching a query.
TROUPE_ATOM(list_atom, "list")
/// Purge terminal jobs older than a cutoff.
TROUPE_ATOM(purge_atom, "purge")
/// Write a consistent checkpoint of the store into a new directory.
TROUPE_ATOM(backup_atom, "backup")

// -- dependency tracker -------------------------------------------------------

/// A job waits for these unmet dependencies.
TROUPE_ATOM(watch_atom, "watch")
/// A job reached a terminal status.
TROUPE_ATOM(settled_atom, "settled")
/// These jobs have every dependency completed.
TROUPE_ATOM(released_atom, "released")
/// A dependency of a job failed or was cancelled.
TROUPE_ATOM(dep_failed_atom, "depfailed")

// -- queue and executors ------------------------------------------------------

/// Ready jobs for the queue.
TROUPE_ATOM(enqueue_atom, "enqueue")
/// Remove a job from the queue.
TROUPE_ATOM(dequeue_atom, "dequeue")
/// An executor has free slots for these types.
TROUPE_ATOM(demand_atom, "demand")
/// Run this attempt.
TROUPE_ATOM(dispatch_atom, "dispatch")
/// An executor's periodic report.
TROUPE_ATOM(heartbeat_atom, "heartbeat")

// -- cluster registry -------------------------------------------------------

/// An executor announces itself to the coordinator's registry.
TROUPE_ATOM(register_atom, "register")
/// An executor (and the node it ran on) is gone.
TROUPE_ATOM(lost_atom, "lost")
// -- dispatch controls --------------------------------------------------------

/// Concurrency quotas and rate limits: set, clear, read, hand over.
TROUPE_ATOM(limits_atom, "limits")
/// Hold back the queued jobs of a type, or one job.
TROUPE_ATOM(pause_atom, "pause")
/// Dispatch the jobs of a paused type, or a paused job, again.
TROUPE_ATOM(resume_atom, "resume")
// -- schedules and unique jobs ----------------------------------------------

/// Periodic schedules: add, list or remove (with caf::add_atom, list_atom,
/// caf::delete_atom).
TROUPE_ATOM(schedules_atom, "schedules")
/// Start firing schedules into the scheduler given with it.
TROUPE_ATOM(arm_atom, "arm")
/// The latest job of each of these unique keys (a persistence lookup).
TROUPE_ATOM(unique_atom, "unique")

// -- status reporter ----------------------------------------------------------

/// Job events for the read side.
TROUPE_ATOM(events_atom, "events")
/// Statistics snapshot.
TROUPE_ATOM(stats_atom, "stats")
/// Worker table.
TROUPE_ATOM(workers_atom, "workers")

// -- sessions
// ------------------------------------------------------------------

/// Asks a gateway for a challenge to sign.
TROUPE_ATOM(hello_atom, "hello")
/// Presents credentials; the reply is a session.
TROUPE_ATOM(login_atom, "login")

// -- audit trail --------------------------------------------------------------

/// Append control actions to the audit trail, or read it.
TROUPE_ATOM(audit_atom, "audit")

} // namespace troupe

#undef TROUPE_ATOM
