// Runs attempts on the slot pool. The started report is sent before the task
// is posted, so the scheduler always sees started before finished. Outcomes
// and progress travel through the executor, so they always go to the
// coordinator it serves now; stale ones are fenced by the scheduler.
#include "troupe/actors/executor/executor.hpp"

#include <algorithm>
#include <exception>

#include "caf/send.hpp"

#include "troupe/actors/cluster/cluster_input.hpp"
#include "troupe/actors/scheduler/json_depth.hpp"
#include "troupe/actors/wall_clock.hpp"
#include "troupe/logging/log.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

using self_ptr = executor_actor::stateful_pointer<executor_state>;

attempt_outcome run_handler(const job_handler& handler, job_context& ctx) {
  attempt_outcome outcome;
  try {
    auto result = handler(ctx);
    outcome.succeeded = result.succeeded();
    if (outcome.succeeded)
      outcome.result = result.value().dump();
    else
      outcome.error = result.error();
    outcome.fatal = result.is_fatal();
  } catch (const std::exception& e) {
    outcome.error = std::string{"handler threw: "} + e.what();
  } catch (...) {
    outcome.error = "handler threw an unknown exception";
  }
  return outcome;
}

/// An outcome the scheduler would refuse becomes a failure that says why,
/// so the attempt ends now instead of at its timeout.
void bound_outcome(attempt_outcome& outcome) {
  using limits = remote_input_limits;
  if (outcome.result.size() > limits::max_result_bytes) {
    outcome.error = "the result has " + std::to_string(outcome.result.size()) +
                    " bytes, more than the limit of " +
                    std::to_string(limits::max_result_bytes);
    outcome.result.clear();
    outcome.succeeded = false;
  }
  if (outcome.error.size() > limits::max_error_bytes)
    outcome.error.resize(limits::max_error_bytes);
}

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

/// Runs on a slot thread: everything it uses is its own or shared.
attempt_outcome run_attempt(const job_dispatch& job, const job_handler* handler,
                            const std::string& where,
                            std::shared_ptr<std::atomic<bool>> flag,
                            std::shared_ptr<executor_outlet> outlet) {
  attempt_outcome outcome;
  if (handler == nullptr) {
    outcome.error = "no handler for type " + job.type + " on " + where;
    return outcome;
  }
  // A stored payload may predate the depth limit: too deep to hand to a
  // handler (dumping it recurses), it fails the job for good.
  // Opening that many levels takes at least that many bytes, so small
  // payloads (nearly all of them) skip the scan.
  if (job.payload.size() > max_safe_json_depth &&
      check_json(job.payload, max_safe_json_depth) == json_check::too_deep) {
    outcome.error = "the payload nests deeper than " +
                    std::to_string(max_safe_json_depth) + " levels";
    outcome.fatal = true;
    return outcome;
  }
  nlohmann::json payload;
  try {
    payload = nlohmann::json::parse(job.payload);
  } catch (const std::exception&) {
    payload = nullptr;
  }
  auto id = job.id;
  auto attempt = job.attempt;
  job_context ctx{
      job.id, job.attempt, std::move(payload), flag,
      [outlet, id, attempt](double f, const std::string& m) {
        outlet->send(
            progress_atom_v, id, attempt, f,
            m.substr(0, remote_input_limits::max_progress_message_bytes));
      }};
  outcome = run_handler(*handler, ctx);
  bound_outcome(outcome);
  return outcome;
}

void start_attempt(self_ptr self, job_dispatch& job) {
  auto& st = self->state;
  auto flag = std::make_shared<std::atomic<bool>>(false);
  auto stage =
      std::make_shared<std::atomic<attempt_stage>>(attempt_stage::queued);
  st.running[job.id] = running_attempt{job.attempt, flag, stage, job.fence};
  if (connected(self))
    self->send(st.peers.uplink, st.peers.token, started_atom_v, job.id,
               job.attempt, st.options.name, st.options.node, job.fence);
  auto handler_it = st.handlers->find(job.type);
  const job_handler* handler =
      handler_it != st.handlers->end() ? &handler_it->second : nullptr;
  st.pool->post([job = std::move(job), flag, stage, handler, outlet = st.outlet,
                 name = st.options.name, node = st.options.node,
                 handlers = st.handlers] {
    stage->store(attempt_stage::running);
    auto outcome = run_attempt(job, handler, name, flag, outlet);
    stage->store(attempt_stage::returned);
    outcome.id = job.id;
    outcome.attempt = job.attempt;
    outcome.executor = name;
    outcome.node = node;
    outcome.fence = job.fence;
    outlet->send(finished_atom_v, std::move(outcome));
  });
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
  auto busy = static_cast<uint32_t>(st.running.size());
  self->send(st.peers.uplink, st.peers.token, demand_atom_v,
             executor_actor{self}, st.types,
             busy < st.options.slots ? st.options.slots - busy : 0u, st.epoch);
}

void finished(self_ptr self, attempt_outcome& outcome) {
  auto& st = self->state;
  auto i = st.running.find(outcome.id);
  // The fence keeps out an outcome that no slot of this executor produced.
  if (i == st.running.end() || i->second.attempt != outcome.attempt ||
      i->second.fence != outcome.fence)
    return;
  st.running.erase(i);
  if (st.running.empty()) {
    for (auto& rp : st.drained)
      rp.deliver(ok_atom_v);
    st.drained.clear();
  }
  if (!connected(self))
    return; // The coordinator re-runs it: it was running when it went away.
  self->send(st.peers.uplink, st.peers.token, finished_atom_v,
             std::move(outcome));
  if (!st.draining)
    self->send(st.peers.uplink, st.peers.token, demand_atom_v,
               executor_actor{self}, st.types, uint32_t{1}, st.epoch);
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
  if (connected(self) && types)
    announce(self);
  // One that cannot serve sends no heartbeat: it would stay in the worker
  // table, since only registered executors are reported lost.
  if (types)
    self->send(self, heartbeat_atom_v);
  return {
      [=](dispatch_atom, job_dispatch& job) {
        if (from_coordinator(self))
          start_attempt(self, job);
      },
      [=](cancel_atom, const std::string& id, uint32_t attempt) {
        if (!from_coordinator(self))
          return;
        auto i = self->state.running.find(id);
        if (i != self->state.running.end() && i->second.attempt == attempt)
          i->second.cancel_flag->store(true);
      },
      [=](finished_atom, attempt_outcome& outcome) { finished(self, outcome); },
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
        self->state.draining = true;
        if (self->state.running.empty())
          rp.deliver(ok_atom_v);
        else
          self->state.drained.push_back(rp);
        return rp;
      },
      [=](heartbeat_atom) { heartbeat(self); },
  };
}

} // namespace troupe
