// The scheduler's persist-then-act pipeline and its fail-stop: effects and
// replies are released only when their batch is durable, never otherwise.
#include "troupe/actors/scheduler/scheduler_commit.hpp"

#include "troupe/actors/scheduler/scheduler_dispatch_controls.hpp"
#include "troupe/logging/log.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

using self_ptr = scheduler_actor::stateful_pointer<scheduler_actor_state>;

void perform(self_ptr self, scheduler_effects& fx) {
  auto& st = self->state;
  for (auto& [id, deps] : fx.watch)
    self->send(st.tracker, watch_atom_v, id, std::move(deps));
  for (auto& [id, attempt] : fx.stop) {
    auto i = st.running_on.find(id);
    if (i != st.running_on.end()) {
      self->send(i->second, cancel_atom_v, id, attempt);
      st.running_on.erase(i);
    }
  }
  std::vector<std::string> settled_ids;
  for (auto& [id, status] : fx.settled) {
    st.running_on.erase(id);
    self->send(st.tracker, settled_atom_v, id, status);
    settled_ids.push_back(id);
  }
  forget_paused(self, settled_ids);
  // Before any enqueue, so a re-queued job's old attempt is ended first.
  if (!fx.ended.empty())
    self->send(st.peers.queue, finished_atom_v, std::move(fx.ended));
  for (auto& id : fx.dequeue)
    self->send(st.peers.queue, dequeue_atom_v, std::move(id));
  if (!fx.enqueue.empty())
    self->send(st.peers.queue, enqueue_atom_v, std::move(fx.enqueue));
  if (!fx.events.empty())
    self->send(st.peers.reporter, events_atom_v, std::move(fx.events));
}

} // namespace

void finish_drain_if_idle(self_ptr self) {
  auto& st = self->state;
  if (!st.draining || !st.in_flight.empty() || st.flush_scheduled)
    return;
  for (auto& rp : st.drained)
    rp.deliver(ok_atom_v);
  st.drained.clear();
}

void flush(self_ptr self) {
  auto& st = self->state;
  st.flush_scheduled = false;
  auto ticket = st.next_ticket++;
  auto batch = st.machine->take_writes(ticket);
  in_flight_batch pending{ticket, st.machine->take_effects(),
                          std::move(st.deliveries)};
  st.deliveries.clear();
  if (batch.records.empty() && batch.history.empty() && st.in_flight.empty()) {
    // Nothing to make durable and nothing ahead of it: act now.
    perform(self, pending.effects);
    for (auto& deliver : pending.deliveries)
      deliver(caf::none);
    finish_drain_if_idle(self);
    return;
  }
  st.in_flight.push_back(std::move(pending));
  self->send(st.peers.persistence, persist_atom_v, std::move(batch));
}

namespace {

/// Fail-stop: memory must never run ahead of the disk. Every reply still
/// waiting (in flight or not yet flushed) gets `err`, no effect is performed,
/// and the scheduler quits with `err` so the node stops; the next start
/// recovers what is durable.
void fail_stop(self_ptr self, const caf::error& err) {
  auto& st = self->state;
  for (auto& batch : st.in_flight)
    for (auto& deliver : batch.deliveries)
      deliver(err);
  st.in_flight.clear();
  for (auto& deliver : st.deliveries)
    deliver(err);
  st.deliveries.clear();
  for (auto& rp : st.drained)
    rp.deliver(err);
  st.drained.clear();
  log_error("troupe scheduler: stopping: ", message_of(err));
  self->quit(err);
}

} // namespace

void persisted(self_ptr self, uint64_t ticket, const caf::error& err) {
  auto& st = self->state;
  if (st.in_flight.empty() || st.in_flight.front().ticket != ticket) {
    auto expected = st.in_flight.empty()
                        ? std::string{"none"}
                        : std::to_string(st.in_flight.front().ticket);
    fail_stop(self, make_error(errc::storage_failure,
                               "persistence acknowledged batch " +
                                   std::to_string(ticket) + ", expected " +
                                   expected));
    return;
  }
  if (err) {
    // Not durable, so not acted on: the submitters learn it failed.
    fail_stop(self, err);
    return;
  }
  auto batch = std::move(st.in_flight.front());
  st.in_flight.pop_front();
  perform(self, batch.effects);
  for (auto& deliver : batch.deliveries)
    deliver(err);
  finish_drain_if_idle(self);
}

} // namespace troupe
