// The uplink's checks and relays.
#include "troupe/actors/cluster/executor_uplink.hpp"

#include <algorithm>

#include "troupe/actors/cluster/cluster_input.hpp"
#include "troupe/logging/log.hpp"
#include "troupe/messages/errc.hpp"
#include "troupe/security/credentials.hpp"

namespace troupe {

namespace {

using self_ptr = executor_uplink_actor::stateful_pointer<executor_uplink_state>;

/// Refusals are counted and only every 1000th is logged, so a flood cannot
/// fill the log.
void refuse(self_ptr self, const std::string& why) {
  static thread_local uint64_t refused = 0;
  if (refused++ % 1000 == 0)
    log_warn("troupe: uplink of ", self->state.identity.principal,
             " refused a report: ", why);
}

bool token_ok(self_ptr self, const std::string& token) {
  if (equal_in_constant_time(token, self->state.identity.token))
    return true;
  refuse(self, "a wrong token");
  return false;
}

/// The executor named `name`, if it registered through this uplink.
bool ours(self_ptr self, const std::string& name) {
  if (self->state.executors.count(name) > 0)
    return true;
  refuse(self, "executor " + name + " did not register through it");
  return false;
}

bool ours(self_ptr self, const executor_actor& handle) {
  for (const auto& [name, known] : self->state.executors)
    if (known == handle)
      return true;
  refuse(self, "an executor that did not register through it");
  return false;
}

void registered(self_ptr self, executor_actor& handle, executor_info& info) {
  auto& st = self->state;
  if (!handle)
    return refuse(self, "a null executor");
  if (auto i = st.executors.find(info.name);
      i != st.executors.end() && i->second != handle)
    return refuse(self, "the name " + info.name + " is taken");
  st.executors[info.name] = handle;
  self->send(st.actors.registry, register_atom_v, std::move(handle),
             std::move(info));
}

} // namespace

executor_uplink_actor::behavior_type executor_uplink(
    executor_uplink_actor::stateful_pointer<executor_uplink_state> self,
    coordinator_actors actors, uplink_identity identity) {
  self->state.actors = std::move(actors);
  self->state.identity = std::move(identity);
  const auto& a = self->state.actors;
  auto scheduler = a.scheduler;
  auto queue = a.queue;
  auto registry = a.registry;
  auto reporter = a.reporter;
  return {
      [=](const std::string& t, register_atom, executor_actor& handle,
          executor_info& info) {
        if (token_ok(self, t))
          registered(self, handle, info);
      },
      [=](const std::string& t, register_atom, executor_actor& handle,
          caf::error& reason) {
        if (token_ok(self, t) && handle)
          self->send(registry, register_atom_v, std::move(handle),
                     std::move(reason));
      },
      [=](const std::string& t, demand_atom, executor_actor& handle,
          std::vector<std::string>& types, uint32_t credits, uint32_t waiting,
          uint64_t epoch) {
        if (token_ok(self, t) && ours(self, handle))
          self->send(queue, demand_atom_v, std::move(handle), std::move(types),
                     credits, waiting, epoch);
      },
      [=](const std::string& t, started_atom, std::string& executor,
          std::string& node, std::vector<attempt_start>& starts) {
        if (!token_ok(self, t) || !ours(self, executor))
          return;
        auto handle = self->state.executors[executor];
        self->send(scheduler, started_atom_v, std::move(executor),
                   std::move(node), std::move(starts), handle);
      },
      [=](const std::string& t, progress_atom, std::string& id,
          uint32_t attempt, double fraction, std::string& message,
          uint64_t fence) {
        if (token_ok(self, t))
          self->send(scheduler, progress_atom_v, std::move(id), attempt,
                     fraction, std::move(message), fence);
      },
      [=](const std::string& t, finished_atom,
          std::vector<attempt_outcome>& outcomes) {
        if (!token_ok(self, t))
          return;
        auto not_ours = [&](const attempt_outcome& x) {
          return !ours(self, x.executor);
        };
        outcomes.erase(
            std::remove_if(outcomes.begin(), outcomes.end(), not_ours),
            outcomes.end());
        if (!outcomes.empty())
          self->send(scheduler, finished_atom_v, std::move(outcomes));
      },
      [=](const std::string& t, heartbeat_atom, executor_info& info) {
        if (token_ok(self, t) && ours(self, info.name))
          self->send(reporter, heartbeat_atom_v, std::move(info));
      },
  };
}

} // namespace troupe
