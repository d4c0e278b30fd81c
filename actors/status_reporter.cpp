// Fan-out of job events and the read-side queries. Reads are relayed to
// persistence, which answers from the store after committing pending writes.
#include "actors/status_reporter.hpp"

#include <algorithm>

#include "caf/send.hpp"

#include "actors/cluster_input.hpp"
#include "actors/wall_clock.hpp"

namespace troupe {

namespace {

using self_ptr = status_reporter_actor::stateful_pointer<status_reporter_state>;

constexpr auto read_timeout = std::chrono::seconds(60);

void remove_subscriber(std::vector<caf::actor>& subs,
                       const caf::actor_addr& who) {
  subs.erase(
      std::remove_if(subs.begin(), subs.end(),
                     [&](const caf::actor& x) { return x.address() == who; }),
      subs.end());
}

void unsubscribe(self_ptr self, const caf::actor_addr& who) {
  auto& st = self->state;
  remove_subscriber(st.to_all, who);
  for (auto* index : {&st.by_job, &st.by_type})
    for (auto i = index->begin(); i != index->end();) {
      remove_subscriber(i->second, who);
      i = i->second.empty() ? index->erase(i) : std::next(i);
    }
}

void publish(self_ptr self, const job_event& event) {
  auto& st = self->state;
  for (auto& sub : st.to_all)
    caf::anon_send(sub, event);
  if (auto i = st.by_type.find(event.type); i != st.by_type.end())
    for (auto& sub : i->second)
      caf::anon_send(sub, event);
  if (auto i = st.by_job.find(event.id); i != st.by_job.end())
    for (auto& sub : i->second)
      caf::anon_send(sub, event);
}

/// Asks persistence and answers the client. Not `delegate`: persistence is a
/// detached actor, and its replies to remote clients could outlive a
/// client's connection inside the middleman, keeping its thread (and the
/// actor system's shutdown) waiting.
template <class T, class... Ts>
caf::typed_response_promise<T> relay(self_ptr self, Ts... xs) {
  auto rp = self->make_response_promise<T>();
  self->request(self->state.persistence, read_timeout, xs...)
      .then([rp](T& result) mutable { rp.deliver(std::move(result)); },
            [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

/// The statistics, with what the queue holds back by limits and pauses.
caf::typed_response_promise<stats_snapshot>
stats_with_throttling(self_ptr self) {
  auto rp = self->make_response_promise<stats_snapshot>();
  auto snapshot =
      self->state.stats.snapshot(wall_clock{self->clock()}.now_us());
  if (!self->state.queue) {
    rp.deliver(std::move(snapshot));
    return rp;
  }
  self->request(self->state.queue, read_timeout, stats_atom_v)
      .then(
          [rp, snapshot](stats_snapshot& held) mutable {
            snapshot.throttled = std::move(held.throttled);
            snapshot.paused = held.paused;
            rp.deliver(std::move(snapshot));
          },
          [rp, snapshot](caf::error&) mutable {
            // The queue is gone (shutting down): the rest is still true.
            rp.deliver(std::move(snapshot));
          });
  return rp;
}

} // namespace

status_reporter_actor::behavior_type status_reporter(
    status_reporter_actor::stateful_pointer<status_reporter_state> self,
    persistence_actor persistence, std::map<job_status, uint64_t> counts,
    queue_actor queue) {
  self->state.persistence = std::move(persistence);
  self->state.queue = std::move(queue);
  self->state.stats.seed(counts);
  self->set_down_handler(
      [=](const caf::down_msg& msg) { unsubscribe(self, msg.source); });
  return {
      [=](events_atom, const std::vector<job_event>& events) {
        for (const auto& event : events) {
          self->state.stats.apply(event);
          publish(self, event);
        }
      },
      [=](subscribe_atom, subscription_scope scope, const std::string& key,
          caf::actor subscriber) -> ok_atom {
        auto& st = self->state;
        self->monitor(subscriber);
        switch (scope) {
        case subscription_scope::job:
          st.by_job[key].push_back(std::move(subscriber));
          break;
        case subscription_scope::type:
          st.by_type[key].push_back(std::move(subscriber));
          break;
        default:
          st.to_all.push_back(std::move(subscriber));
        }
        return ok_atom_v;
      },
      [=](unsubscribe_atom, const caf::actor& subscriber) {
        self->demonitor(subscriber);
        unsubscribe(self, subscriber.address());
      },
      [=](get_atom, const std::string& id) {
        return relay<job_record>(self, get_atom_v, id);
      },
      [=](history_atom, const std::string& id) {
        return relay<std::vector<history_entry>>(self, history_atom_v, id);
      },
      [=](list_atom, const job_query& query) {
        return relay<std::vector<job_record>>(self, list_atom_v, query);
      },
      [=](purge_atom, int64_t before_us) {
        return relay<uint64_t>(self, purge_atom_v, before_us);
      },
      [=](stats_atom) { return stats_with_throttling(self); },
      [=](heartbeat_atom, executor_info& info) {
        if (auto err = check_executor_info(info))
          return report_refused("a heartbeat", err);
        // Ages are measured on this node's clock, not the executor's.
        info.heartbeat_us = wall_clock{self->clock()}.now_us();
        auto name = info.name;
        self->state.workers[name] = std::move(info);
      },
      [=](lost_atom, const std::string& name) {
        self->state.workers.erase(name);
      },
      [=](workers_atom) {
        std::vector<executor_info> result;
        for (const auto& [name, info] : self->state.workers)
          result.push_back(info);
        return result;
      },
  };
}

} // namespace troupe
