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

void flush(self_ptr self) {
  auto& st = self->state;
  auto ticket = st.commits.take_ticket();
  auto batch = st.machine->take_writes(ticket);
  bool has_writes = !batch.records.empty() || !batch.history.empty();
  auto now = st.commits.close(ticket, st.machine->take_effects(), has_writes);
  if (now) {
    perform(self, now->effects);
    for (auto& deliver : now->deliveries)
      deliver(caf::none);
    st.commits.finish_drain_if_idle();
    return;
  }
  self->send(st.peers.persistence, persist_atom_v, std::move(batch));
}

namespace {

/// Fail-stop: memory must never run ahead of the disk. Every reply still
/// waiting (in flight or not yet flushed) gets `err`, no effect is performed,
/// and the scheduler quits with `err` so the node stops; the next start
/// recovers what is durable.
void fail_stop(self_ptr self, const caf::error& err) {
  self->state.commits.fail_all(err);
  log_error("troupe scheduler: stopping: ", message_of(err));
  self->quit(err);
}

} // namespace

void persisted(self_ptr self, uint64_t ticket, const caf::error& err) {
  auto& st = self->state;
  auto batch = st.commits.acknowledge(ticket, err);
  if (!batch) {
    fail_stop(self, batch.error());
    return;
  }
  perform(self, batch->effects);
  for (auto& deliver : batch->deliveries)
    deliver(caf::none);
  st.commits.finish_drain_if_idle();
}

} // namespace troupe
