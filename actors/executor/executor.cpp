// Runs attempts on the slot pool. A slot reports an attempt's start when it
// takes it and its outcome when it ends; the executor sends them on in
// batches, starts before outcomes, so the scheduler sees started before
// finished. Reports travel through the executor, so they always go to the
// coordinator it serves now; stale ones are fenced by the scheduler.
#include "troupe/actors/executor/executor.hpp"

#include <algorithm>

#include "caf/send.hpp"

#include "troupe/actors/cluster/cluster_input.hpp"
#include "troupe/actors/executor/attempt_runner.hpp"
#include "troupe/actors/wall_clock.hpp"
#include "troupe/logging/log.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

using self_ptr = executor_actor::stateful_pointer<executor_state>;

/// Dispatches and cancels come from the coordinator's node only: BASP
/// addresses actors by small ids, so anyone connected to this node could
/// otherwise hand it work.
bool from_coordinator(self_ptr self) {
  const auto& sender = self->current_sender();
  const auto& uplink = self->state.peers.uplink;
  return sender != nullptr && (sender->node() == self->node() ||
                               (uplink && sender->node() == uplink.node()));
}

/// Joins, leaves and drains come from this node's own actors.
bool from_this_node(self_ptr self) {
  const auto& sender = self->current_sender();
  return sender != nullptr && sender->node() == self->node();
}

bool connected(self_ptr self) {
  return static_cast<bool>(self->state.peers.uplink);
}

void start_attempt(self_ptr self, job_dispatch& job) {
  auto& st = self->state;
  auto flag = std::make_shared<std::atomic<bool>>(false);
  auto stage =
      std::make_shared<std::atomic<attempt_stage>>(attempt_stage::queued);
  st.running[job.id] =
      running_attempt{job.attempt, false, flag, stage, job.fence};
  auto handler_it = st.handlers->find(job.type);
  const job_handler* handler =
      handler_it != st.handlers->end() ? &handler_it->second : nullptr;
  // `handlers` keeps `handler` alive on the slot thread.
  st.pool->post([job = std::move(job), flag, stage, handler, outlet = st.outlet,
                 name = st.options.name, node = st.options.node,
                 handlers = st.handlers] {
    stage->store(attempt_stage::running);
    run_attempt(job, handler, name, node, flag, outlet);
    stage->store(attempt_stage::returned);
  });
}

/// Reports go out together once the mailbox holds no more of them: the
/// flush message queues behind every report already waiting.
void schedule_flush(self_ptr self) {
  auto& st = self->state;
  if (st.flush_scheduled)
    return;
  st.flush_scheduled = true;
  self->send(self, flush_atom_v);
}

/// Sends the outcomes in batches of at most about `max_result_bytes`.
void send_outcomes(self_ptr self, std::vector<attempt_outcome>& outcomes) {
  auto& st = self->state;
  std::vector<attempt_outcome> batch;
  size_t bytes = 0;
  for (auto& outcome : outcomes) {
    auto size = outcome.result.size() + outcome.error.size();
    if (!batch.empty() &&
        bytes + size > remote_input_limits::max_result_bytes) {
      self->send(st.peers.uplink, st.peers.token, finished_atom_v,
                 std::move(batch));
      batch.clear();
      bytes = 0;
    }
    bytes += size;
    batch.push_back(std::move(outcome));
  }
  if (!batch.empty())
    self->send(st.peers.uplink, st.peers.token, finished_atom_v,
               std::move(batch));
}

/// Starts before outcomes, so the scheduler sees an attempt start before it
/// ends; then the credits that fill the window again.
void flush_reports(self_ptr self) {
  auto& st = self->state;
  st.flush_scheduled = false;
  // Without a coordinator, the next one re-runs them: they were running
  // when it went away.
  if (connected(self)) {
    if (!st.starts.empty())
      self->send(st.peers.uplink, st.peers.token, started_atom_v,
                 st.options.name, st.options.node, std::move(st.starts));
    send_outcomes(self, st.outcomes);
    auto held = static_cast<uint32_t>(st.running.size());
    if (auto credits = st.draining ? 0 : st.window.top_up(held))
      self->send(st.peers.uplink, st.peers.token, demand_atom_v,
                 executor_actor{self}, st.types, credits, st.window.waiting(),
                 st.epoch);
  }
  st.starts.clear();
  st.outcomes.clear();
  if (st.running.empty()) {
    for (auto& rp : st.drained)
      rp.deliver(ok_atom_v);
    st.drained.clear();
  }
}

void began(self_ptr self, const std::string& id, uint32_t attempt) {
  auto& st = self->state;
  auto i = st.running.find(id);
  if (i == st.running.end() || i->second.attempt != attempt ||
      i->second.started)
    return;
  i->second.started = true;
  st.starts.push_back(attempt_start{id, attempt, i->second.fence});
  schedule_flush(self);
}

/// Tells the registry and the queue what this executor offers.
void announce(self_ptr self) {
  auto& st = self->state;
  executor_info info;
  info.name = st.options.name;
  info.node = st.options.node;
  info.types = st.types;
  info.slots = st.options.slots;
  self->send(st.peers.uplink, st.peers.token, register_atom_v,
             executor_actor{self}, info);
  ++st.epoch;
  auto held = static_cast<uint32_t>(st.running.size());
  self->send(st.peers.uplink, st.peers.token, demand_atom_v,
             executor_actor{self}, st.types, st.window.announce(held),
             st.window.waiting(), st.epoch);
}

void finished(self_ptr self, attempt_outcome& outcome, int64_t run_us) {
  auto& st = self->state;
  auto i = st.running.find(outcome.id);
  // The fence keeps out an outcome that no slot of this executor produced.
  if (i == st.running.end() || i->second.attempt != outcome.attempt ||
      i->second.fence != outcome.fence)
    return;
  st.running.erase(i);
  st.window.ran(run_us);
  st.outcomes.push_back(std::move(outcome));
  schedule_flush(self);
}

void heartbeat(self_ptr self) {
  auto& st = self->state;
  if (connected(self)) {
    executor_info info;
    info.name = st.options.name;
    info.node = st.options.node;
    info.types = st.types;
    info.slots = st.options.slots;
    for (const auto& [id, attempt] : st.running)
      if (attempt.started)
        info.running.push_back(id);
    info.heartbeat_us = wall_clock{self->clock()}.now_us();
    self->send(st.peers.uplink, st.peers.token, heartbeat_atom_v,
               std::move(info));
  }
  self->delayed_send(self, st.options.heartbeat_interval, heartbeat_atom_v);
}

} // namespace

caf::expected<std::vector<std::string>>
executor_types(const handler_map& handlers,
               const std::vector<std::string>& wanted) {
  std::vector<std::string> types;
  if (wanted.empty()) {
    for (const auto& [type, fn] : handlers)
      types.push_back(type);
    std::sort(types.begin(), types.end());
    return types;
  }
  for (const auto& type : wanted) {
    if (handlers.count(type) == 0)
      return make_error(errc::invalid_field,
                        "types: this node has no handler for type " + type);
    if (std::find(types.begin(), types.end(), type) == types.end())
      types.push_back(type);
  }
  return types;
}

executor_state::~executor_state() {
  if (outlet)
    outlet->close();
  for (auto& [id, attempt] : running)
    attempt.cancel_flag->store(true);
  if (!pool || pool->stop(options.abandon_after) == 0)
    return;
  // Bounded: the actor system and node shutdown go on without them.
  for (auto& [id, attempt] : running)
    if (attempt.stage->load() == attempt_stage::running)
      log_warn("troupe: executor ", options.name, " abandoned attempt ",
               attempt.attempt, " of job ", id,
               ": its handler did not return within ",
               options.abandon_after.count(),
               " ms of being cancelled; the attempt is re-queued as "
               "after a crash");
}

executor_actor::behavior_type
executor(executor_actor::stateful_pointer<executor_state> self,
         executor_options options, coordinator_peers peers,
         std::shared_ptr<const handler_map> handlers) {
  auto& st = self->state;
  st.options = std::move(options);
  st.peers = std::move(peers);
  st.handlers = std::move(handlers);
  auto types = executor_types(*st.handlers, st.options.types);
  if (types)
    st.types = std::move(*types);
  else if (connected(self)) // The registry tells whoever spawned it, and
    self->send(st.peers.uplink, st.peers.token, register_atom_v,
               executor_actor{self}, types.error()); // stops it.
  else
    self->quit(types.error());
  st.outlet = std::make_shared<executor_outlet>(executor_actor{self});
  st.pool = std::make_unique<detail::slot_pool>(st.options.slots);
  st.window = dispatch_window{
      st.options.slots, st.options.lookahead.count(),
      std::min(st.options.max_waiting, remote_input_limits::max_waiting)};
  if (connected(self) && types)
    announce(self);
  // One that cannot serve sends no heartbeat: it would stay in the worker
  // table, since only registered executors are reported lost.
  if (types)
    self->send(self, heartbeat_atom_v);
  return {
      [=](dispatch_atom, std::vector<job_dispatch>& jobs) {
        if (!from_coordinator(self))
          return;
        for (auto& job : jobs) {
          self->state.window.received();
          start_attempt(self, job);
        }
      },
      [=](cancel_atom, const std::string& id, uint32_t attempt) {
        if (!from_coordinator(self))
          return;
        auto i = self->state.running.find(id);
        if (i != self->state.running.end() && i->second.attempt == attempt)
          i->second.cancel_flag->store(true);
      },
      [=](started_atom, const std::string& id, uint32_t attempt) {
        began(self, id, attempt);
      },
      [=](finished_atom, attempt_outcome& outcome, int64_t run_us) {
        finished(self, outcome, run_us);
      },
      [=](flush_atom) { flush_reports(self); },
      [=](progress_atom, const std::string& id, uint32_t attempt,
          double fraction, const std::string& message) {
        auto& st = self->state;
        auto i = st.running.find(id);
        if (connected(self) && i != st.running.end() &&
            i->second.attempt == attempt)
          self->send(st.peers.uplink, st.peers.token, progress_atom_v, id,
                     attempt, fraction, message, i->second.fence);
      },
      [=](join_atom, coordinator_peers& peers) {
        if (!from_this_node(self))
          return;
        if (auto err = check_peers(peers)) {
          report_refused("a join", err);
          return;
        }
        self->state.peers = std::move(peers);
        announce(self);
      },
      [=](leave_atom) {
        if (from_this_node(self))
          self->state.peers = coordinator_peers{};
      },
      [=](drain_atom) {
        auto rp = self->make_response_promise<ok_atom>();
        auto& st = self->state;
        st.draining = true;
        // Reports not flushed yet go out first.
        if (st.running.empty() && !st.flush_scheduled)
          rp.deliver(ok_atom_v);
        else
          st.drained.push_back(rp);
        return rp;
      },
      [=](heartbeat_atom) { heartbeat(self); },
  };
}

} // namespace troupe
