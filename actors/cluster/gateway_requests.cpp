// The requests a session may make, each checked against its principal's
// roles (and, for a submitter, ownership of the job) before it is relayed.
#include "troupe/actors/cluster/gateway_requests.hpp"

#include "troupe/actors/cluster/gateway_relay.hpp"
#include "troupe/messages/request_timeouts.hpp"

#include <tuple>

// GCC 12 takes the empty atoms captured by the relaying lambdas below for
// uninitialized values (a false positive: they have no state to read).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace troupe::detail {

namespace {

constexpr auto relay_timeout = request_timeouts::gateway;
constexpr auto purge_timeout = request_timeouts::gateway_purge;
constexpr auto spawn_timeout = request_timeouts::gateway_spawn;

template <class T>
using promise = caf::typed_response_promise<T>;

/// Runs `forward(session, rp)` if the session of `token` may do `action`;
/// refuses otherwise (and audits the refusal of a control action).
template <class T, class F>
promise<T> guarded(gateway_pointer self, const std::string& token,
                   guarded_action action, const std::string& what, F forward) {
  const auto* session = find_session(self, token);
  if (session == nullptr)
    return refuse<T>(self, forbidden("", what, action));
  if (!permits(session->roles, action)) {
    auto err = forbidden(session->principal, what, action);
    if (action != guarded_action::read_any)
      audit(self, session->principal, what, "", err);
    return refuse<T>(self, err);
  }
  auto rp = self->make_response_promise<T>();
  forward(*session, rp);
  return rp;
}

/// Like `guarded` for a request on job `id`: a principal without `any`
/// may still act on a job it owns.
template <class T, class F>
promise<T> on_job(gateway_pointer self, const std::string& token,
                  const std::string& id, guarded_action any,
                  const std::string& what, F forward) {
  const auto* found = find_session(self, token);
  if (found == nullptr || permits(found->roles, any) ||
      !permits(found->roles, guarded_action::touch_own))
    return guarded<T>(self, token, any, what + " job " + id, forward);
  auto rp = self->make_response_promise<T>();
  auto session = *found;
  self->request(self->state.settings.actors.reporter, relay_timeout, get_atom_v,
                id)
      .then(
          [=](job_record& job) mutable {
            if (job.owner == session.principal)
              return forward(session, rp);
            auto err = forbidden(session.principal, what + " job " + id, any);
            audit(self, session.principal, what, id, err);
            rp.deliver(err);
          },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

/// The owner of a submission is its principal unless an operator names
/// another.
caf::error own_submission(const gateway_session& session, job_spec& spec) {
  if (spec.owner.empty())
    spec.owner = session.principal;
  if (spec.owner != session.principal &&
      !permits(session.roles, guarded_action::submit_for_others))
    return forbidden(session.principal, "submit a job for owner " + spec.owner,
                     guarded_action::submit_for_others);
  return caf::none;
}

template <class T, class... Ts>
auto to_scheduler(gateway_pointer self, Ts... xs) {
  return [=](const gateway_session&, promise<T> rp) {
    relay_into(self, rp, self->state.settings.actors.scheduler, relay_timeout,
               xs...);
  };
}

template <class T, class... Ts>
auto to_reporter(gateway_pointer self, Ts... xs) {
  return [=](const gateway_session&, promise<T> rp) {
    relay_into(self, rp, self->state.settings.actors.reporter, relay_timeout,
               xs...);
  };
}

/// A control action of an admin, relayed to `dest` and audited.
template <class T, class Dest, class... Ts>
promise<T> administer(gateway_pointer self, const std::string& token,
                      const std::string& action, const std::string& target,
                      const Dest& dest, caf::timespan timeout, Ts... xs) {
  return guarded<T>(self, token, guarded_action::administer, action,
                    [=](const gateway_session& session, promise<T> rp) {
                      audited_into(self, rp, session.principal, action, target,
                                   dest, timeout, xs...);
                    });
}

std::string scope_key(control_scope scope, const std::string& key) {
  return (scope == control_scope::type ? "type " : "job ") + key;
}

/// Logging in, joining as an executor, spawning.
auto session_handlers(gateway_pointer self) {
  const auto& actors = self->state.settings.actors;
  [[maybe_unused]] auto scheduler = actors.scheduler;
  [[maybe_unused]] auto reporter = actors.reporter;
  [[maybe_unused]] auto registry = actors.registry;
  return std::make_tuple(
      [=](hello_atom) { return hello(self); },
      [=](login_atom, const credentials& creds) { return login(self, creds); },
      [=](const std::string& t, join_atom) { return join(self, t); },
      [=](const std::string& t, spawn_atom, const spawn_request& request) {
        return administer<std::string>(
            self, t, "spawn", request.host + ":" + std::to_string(request.port),
            registry, spawn_timeout, spawn_atom_v, request);
      });
}

/// Submitting, cancelling and retrying.
auto submit_handlers(gateway_pointer self) {
  const auto& actors = self->state.settings.actors;
  [[maybe_unused]] auto scheduler = actors.scheduler;
  [[maybe_unused]] auto reporter = actors.reporter;
  [[maybe_unused]] auto registry = actors.registry;
  using ga = guarded_action;
  return std::make_tuple(
      [=](const std::string& t, submit_atom, job_spec& spec) {
        return guarded<std::string>(
            self, t, ga::submit, "submit",
            [=](const gateway_session& session, promise<std::string> rp) {
              auto own = spec;
              if (auto err = own_submission(session, own))
                return rp.deliver(err), void();
              relay_into(self, rp, scheduler, relay_timeout, submit_atom_v,
                         std::move(own));
            });
      },
      [=](const std::string& t, submit_atom, std::vector<job_spec>& specs) {
        using ids = std::vector<std::string>;
        return guarded<ids>(
            self, t, ga::submit, "submit",
            [=](const gateway_session& session, promise<ids> rp) {
              auto own = specs;
              for (auto& spec : own)
                if (auto err = own_submission(session, spec))
                  return rp.deliver(err), void();
              relay_into(self, rp, scheduler, relay_timeout, submit_atom_v,
                         std::move(own));
            });
      },
      [=](const std::string& t, cancel_atom, const std::string& id) {
        return on_job<job_status>(
            self, t, id, ga::cancel_any, "cancel",
            [=](const gateway_session& session, promise<job_status> rp) {
              audited_into(self, rp, session.principal, "cancel", id, scheduler,
                           relay_timeout, cancel_atom_v, id, session.principal);
            });
      },
      [=](const std::string& t, retry_atom, const std::string& id) {
        return on_job<job_status>(
            self, t, id, ga::retry_any, "retry",
            [=](const gateway_session& session, promise<job_status> rp) {
              audited_into(self, rp, session.principal, "retry", id, scheduler,
                           relay_timeout, retry_atom_v, id, session.principal);
            });
      },
      [=](const std::string& t, retry_atom, job_query& query) {
        using ids = std::vector<std::string>;
        return guarded<ids>(
            self, t, ga::touch_own, "retry by filter",
            [=](const gateway_session& session, promise<ids> rp) {
              auto own = query;
              if (!permits(session.roles, ga::retry_any))
                own.owner = session.principal;
              audited_into(self, rp, session.principal, "retry.filter",
                           own.owner, scheduler, purge_timeout, retry_atom_v,
                           own, session.principal);
            });
      });
}

/// Reading jobs, listings and the audit trail.
auto read_handlers(gateway_pointer self) {
  const auto& actors = self->state.settings.actors;
  [[maybe_unused]] auto scheduler = actors.scheduler;
  [[maybe_unused]] auto reporter = actors.reporter;
  [[maybe_unused]] auto registry = actors.registry;
  using ga = guarded_action;
  return std::make_tuple(
      [=](const std::string& t, get_atom, const std::string& id) {
        return on_job<job_record>(
            self, t, id, ga::read_any, "read",
            to_reporter<job_record>(self, get_atom_v, id));
      },
      [=](const std::string& t, history_atom, const std::string& id) {
        using entries = std::vector<history_entry>;
        return on_job<entries>(self, t, id, ga::read_any, "read the history of",
                               to_reporter<entries>(self, history_atom_v, id));
      },
      [=](const std::string& t, list_atom, job_query& query) {
        return guarded<job_listing>(
            self, t, ga::touch_own, "list jobs",
            [=](const gateway_session& session, promise<job_listing> rp) {
              auto own = query;
              if (!permits(session.roles, ga::read_any))
                own.owner = session.principal;
              relay_into(self, rp, reporter, relay_timeout, list_atom_v, own);
            });
      },
      [=](const std::string& t, audit_atom, const audit_query& query) {
        using entries = std::vector<audit_entry>;
        return guarded<entries>(
            self, t, ga::read_any, "read the audit trail",
            to_reporter<entries>(self, audit_atom_v, query));
      });
}

/// Cleanup, backup, statistics, workers and events.
auto observe_handlers(gateway_pointer self) {
  const auto& actors = self->state.settings.actors;
  [[maybe_unused]] auto scheduler = actors.scheduler;
  [[maybe_unused]] auto reporter = actors.reporter;
  [[maybe_unused]] auto registry = actors.registry;
  using ga = guarded_action;
  return std::make_tuple(
      [=](const std::string& t, purge_atom, int64_t before_us) {
        // The status reporter audits these two itself, with what they did.
        return guarded<purge_report>(
            self, t, ga::administer, "cleanup",
            [=](const gateway_session& session, promise<purge_report> rp) {
              relay_into(self, rp, reporter, purge_timeout, purge_atom_v,
                         before_us, session.principal);
            });
      },
      [=](const std::string& t, backup_atom, const std::string& dir) {
        return guarded<backup_report>(
            self, t, ga::administer, "backup",
            [=](const gateway_session& session, promise<backup_report> rp) {
              relay_into(self, rp, reporter, purge_timeout, backup_atom_v, dir,
                         session.principal);
            });
      },
      [=](const std::string& t, stats_atom) {
        return guarded<stats_snapshot>(
            self, t, ga::read_any, "read statistics",
            to_reporter<stats_snapshot>(self, stats_atom_v));
      },
      [=](const std::string& t, workers_atom) {
        using infos = std::vector<executor_info>;
        return guarded<infos>(self, t, ga::read_any, "list workers",
                              to_reporter<infos>(self, workers_atom_v));
      },
      [=](const std::string& t, subscribe_atom, subscription_scope scope,
          const std::string& key, const caf::actor& subscriber) {
        auto forward = to_reporter<caf::ok_atom>(self, subscribe_atom_v, scope,
                                                 key, subscriber);
        if (scope == subscription_scope::job)
          return on_job<caf::ok_atom>(self, t, key, ga::read_any, "watch",
                                      forward);
        return guarded<caf::ok_atom>(self, t, ga::read_any, "watch events",
                                     forward);
      });
}

/// Limits, pauses and schedules.
auto control_handlers(gateway_pointer self) {
  const auto& actors = self->state.settings.actors;
  [[maybe_unused]] auto scheduler = actors.scheduler;
  [[maybe_unused]] auto reporter = actors.reporter;
  [[maybe_unused]] auto registry = actors.registry;
  using ga = guarded_action;
  return std::make_tuple(
      [=](const std::string& t, limits_atom, get_atom) {
        return guarded<dispatch_controls>(
            self, t, ga::read_any, "read limits",
            to_scheduler<dispatch_controls>(self, limits_atom_v, get_atom_v));
      },
      [=](const std::string& t, limits_atom, const dispatch_limit& limit) {
        return administer<dispatch_controls>(
            self, t, "limits.set", scope_key(limit.scope, limit.key), scheduler,
            relay_timeout, limits_atom_v, limit);
      },
      [=](const std::string& t, limits_atom, delete_atom, control_scope scope,
          const std::string& key) {
        return administer<dispatch_controls>(
            self, t, "limits.clear", scope_key(scope, key), scheduler,
            relay_timeout, limits_atom_v, delete_atom_v, scope, key);
      },
      [=](const std::string& t, pause_atom, control_scope scope,
          const std::string& key) {
        return administer<dispatch_controls>(
            self, t, "pause", scope_key(scope, key), scheduler, relay_timeout,
            pause_atom_v, scope, key);
      },
      [=](const std::string& t, resume_atom, control_scope scope,
          const std::string& key) {
        return administer<dispatch_controls>(
            self, t, "resume", scope_key(scope, key), scheduler, relay_timeout,
            resume_atom_v, scope, key);
      },
      [=](const std::string& t, schedules_atom, add_atom,
          const periodic_schedule& x) {
        return administer<periodic_schedule>(self, t, "schedule.add", x.name,
                                             scheduler, relay_timeout,
                                             schedules_atom_v, add_atom_v, x);
      },
      [=](const std::string& t, schedules_atom, list_atom) {
        using all = std::vector<periodic_schedule>;
        return guarded<all>(
            self, t, ga::read_any, "list schedules",
            to_scheduler<all>(self, schedules_atom_v, list_atom_v));
      },
      [=](const std::string& t, schedules_atom, delete_atom,
          const std::string& name) {
        return administer<ok_atom>(self, t, "schedule.remove", name, scheduler,
                                   relay_timeout, schedules_atom_v,
                                   delete_atom_v, name);
      });
}

} // namespace

gateway_actor::behavior_type gateway_behavior(gateway_pointer self) {
  auto all = std::tuple_cat(session_handlers(self), submit_handlers(self),
                            read_handlers(self), observe_handlers(self),
                            control_handlers(self));
  return std::apply(
      [](auto&&... handlers) {
        return gateway_actor::behavior_type{std::move(handlers)...};
      },
      std::move(all));
}

} // namespace troupe::detail
