// Runs attempts on the slot pool. The started report is sent before the task
// is posted, so the scheduler always sees started before finished.
#include "actors/executor.hpp"

#include <exception>

#include "caf/send.hpp"

#include "actors/wall_clock.hpp"

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
  } catch (const std::exception& e) {
    outcome.error = std::string{"handler threw: "} + e.what();
  } catch (...) {
    outcome.error = "handler threw an unknown exception";
  }
  return outcome;
}

void start_attempt(self_ptr self, job_dispatch& job) {
  auto& st = self->state;
  auto flag = std::make_shared<std::atomic<bool>>(false);
  st.running[job.id] = running_attempt{job.attempt, flag};
  self->send(st.peers.scheduler, started_atom_v, job.id, job.attempt,
             st.options.name, st.options.node);
  auto handler_it = st.handlers->find(job.type);
  auto scheduler = st.peers.scheduler;
  auto me = executor_actor{self};
  auto stopping = st.stopping;
  auto name = st.options.name;
  auto node = st.options.node;
  const job_handler* handler =
      handler_it != st.handlers->end() ? &handler_it->second : nullptr;
  st.pool->post([job = std::move(job), flag, handler, scheduler, me, stopping,
                 name, node, handlers = st.handlers] {
    attempt_outcome outcome;
    if (handler == nullptr) {
      outcome.error = "no handler for type " + job.type + " on " + name;
    } else {
      nlohmann::json payload;
      try {
        payload = nlohmann::json::parse(job.payload);
      } catch (const std::exception& e) {
        payload = nullptr;
      }
      auto id = job.id;
      auto attempt = job.attempt;
      job_context ctx{job.id, job.attempt, std::move(payload), flag,
                      [scheduler, id, attempt](double f, const std::string& m) {
                        caf::anon_send(scheduler, progress_atom_v, id, attempt,
                                       f, m);
                      }};
      outcome = run_handler(*handler, ctx);
    }
    outcome.id = job.id;
    outcome.attempt = job.attempt;
    outcome.executor = name;
    outcome.node = node;
    if (stopping->load())
      return;
    caf::anon_send(scheduler, finished_atom_v, outcome);
    caf::anon_send(me, finished_atom_v, std::move(outcome));
  });
}

} // namespace

executor_state::~executor_state() {
  stopping->store(true);
  for (auto& [id, attempt] : running)
    attempt.cancel_flag->store(true);
  pool.reset(); // Joins the handler threads.
}

executor_actor::behavior_type
executor(executor_actor::stateful_pointer<executor_state> self,
         executor_options options, executor_peers peers,
         std::shared_ptr<const handler_map> handlers) {
  auto& st = self->state;
  st.options = std::move(options);
  st.peers = std::move(peers);
  st.handlers = std::move(handlers);
  for (const auto& [type, fn] : *st.handlers)
    st.types.push_back(type);
  st.pool = std::make_unique<detail::slot_pool>(st.options.slots);
  self->send(st.peers.queue, demand_atom_v, executor_actor{self}, st.types,
             st.options.slots);
  self->send(self, heartbeat_atom_v);
  return {
      [=](dispatch_atom, job_dispatch& job) { start_attempt(self, job); },
      [=](cancel_atom, const std::string& id, uint32_t attempt) {
        auto i = self->state.running.find(id);
        if (i != self->state.running.end() && i->second.attempt == attempt)
          i->second.cancel_flag->store(true);
      },
      [=](finished_atom, const attempt_outcome& outcome) {
        auto& st = self->state;
        auto i = st.running.find(outcome.id);
        if (i != st.running.end() && i->second.attempt == outcome.attempt)
          st.running.erase(i);
        if (st.running.empty()) {
          for (auto& rp : st.drained)
            rp.deliver(ok_atom_v);
          st.drained.clear();
        }
        self->send(st.peers.queue, demand_atom_v, executor_actor{self},
                   st.types, uint32_t{1});
      },
      [=](drain_atom) {
        auto rp = self->make_response_promise<ok_atom>();
        if (self->state.running.empty())
          rp.deliver(ok_atom_v);
        else
          self->state.drained.push_back(rp);
        return rp;
      },
      [=](heartbeat_atom) {
        auto& st = self->state;
        executor_info info;
        info.name = st.options.name;
        info.node = st.options.node;
        info.types = st.types;
        info.slots = st.options.slots;
        for (const auto& [id, attempt] : st.running)
          info.running.push_back(id);
        info.heartbeat_us = wall_clock{self->clock()}.now_us();
        self->send(st.peers.reporter, heartbeat_atom_v, std::move(info));
        self->delayed_send(self, st.options.heartbeat_interval,
                           heartbeat_atom_v);
      },
  };
}

} // namespace troupe
