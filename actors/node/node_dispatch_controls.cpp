// Dispatch controls of an embedded node: the limits and pauses it starts
// with, and blocking calls that change them through the scheduler.
#include <unordered_set>

#include "troupe/actors/node/node.hpp"
#include "troupe/actors/scheduler/dispatch_rules.hpp"
#include "troupe/messages/request_timeouts.hpp"

namespace troupe {

namespace {

constexpr auto request_timeout = troupe::request_timeouts::client;

} // namespace

caf::expected<dispatch_controls> startup_controls(job_store& store,
                                                  const node_options& options) {
  for (const auto& limit : options.dispatch_limits)
    if (auto err = validate_limit(limit))
      return err;
  auto controls = store.controls();
  if (!controls)
    return controls.error();
  for (const auto& limit : options.dispatch_limits) {
    if (auto err = store.put_limit(limit))
      return err;
    put_limit(*controls, limit);
  }
  auto paused = store.get_many(controls->paused_jobs);
  if (!paused)
    return paused.error();
  std::unordered_set<std::string> unfinished;
  for (const auto& job : *paused)
    if (!is_terminal(job.status))
      unfinished.insert(job.id);
  std::vector<std::string> kept;
  for (auto& id : controls->paused_jobs) {
    if (unfinished.count(id) > 0) {
      kept.push_back(std::move(id));
    } else if (auto err = store.put_paused(control_scope::job, id, false)) {
      return err;
    }
  }
  controls->paused_jobs = std::move(kept);
  return controls;
}

namespace {

template <class... Ts>
caf::expected<dispatch_controls>
ask(caf::actor_system& sys, const scheduler_actor& scheduler, Ts&&... xs) {
  caf::scoped_actor self{sys};
  caf::expected<dispatch_controls> result{dispatch_controls{}};
  self->request(scheduler, request_timeout, std::forward<Ts>(xs)...)
      .receive([&](dispatch_controls& x) { result = std::move(x); },
               [&](caf::error& err) { result = std::move(err); });
  return result;
}

} // namespace

caf::expected<dispatch_controls> node::set_limit(dispatch_limit limit) {
  if (auto err = check_started("controls"))
    return err;
  return ask(*system_, scheduler_, limits_atom_v, std::move(limit));
}

caf::expected<dispatch_controls> node::clear_limit(control_scope scope,
                                                   std::string key) {
  if (auto err = check_started("controls"))
    return err;
  return ask(*system_, scheduler_, limits_atom_v, delete_atom_v, scope,
             std::move(key));
}

caf::expected<dispatch_controls> node::pause(control_scope scope,
                                             std::string key) {
  if (auto err = check_started("controls"))
    return err;
  return ask(*system_, scheduler_, pause_atom_v, scope, std::move(key));
}

caf::expected<dispatch_controls> node::resume(control_scope scope,
                                              std::string key) {
  if (auto err = check_started("controls"))
    return err;
  return ask(*system_, scheduler_, resume_atom_v, scope, std::move(key));
}

caf::expected<dispatch_controls> node::controls() {
  if (auto err = check_started("controls"))
    return err;
  return ask(*system_, scheduler_, limits_atom_v, get_atom_v);
}

} // namespace troupe
