// Batching of audit entries: what arrives while an append is in flight goes
// into the next one, so a burst of control actions costs few store writes.
#include "troupe/actors/audit/audit_recorder.hpp"

#include "troupe/logging/log.hpp"
#include "troupe/messages/errc.hpp"
#include "troupe/messages/request_timeouts.hpp"

namespace troupe {

namespace {

using self_ptr = audit_recorder_actor::stateful_pointer<audit_recorder_state>;

void schedule_commit(self_ptr self) {
  // Queues behind what is in the mailbox, so all of it shares one append.
  if (self->state.commit_scheduled)
    return;
  self->state.commit_scheduled = true;
  self->send(self, commit_atom_v);
}

void settle(std::vector<caf::typed_response_promise<ok_atom>>& waiters,
            const caf::error& err) {
  for (auto& rp : waiters) {
    if (err)
      rp.deliver(err);
    else
      rp.deliver(ok_atom_v);
  }
  waiters.clear();
}

void commit(self_ptr self) {
  auto& st = self->state;
  st.commit_scheduled = false;
  if (st.in_flight)
    return; // The reply commits again.
  auto now = st.clock->now_us();
  auto entries = st.pending.take(now);
  st.flight_waiters = std::move(st.pending_waiters);
  st.pending_waiters.clear();
  if (entries.empty()) {
    // Everything sent before these waiters asked is durable already.
    settle(st.flight_waiters, caf::none);
    return;
  }
  st.in_flight = true;
  auto count = entries.size();
  auto done = [self, count](const caf::error& err) {
    auto& st = self->state;
    st.in_flight = false;
    if (err)
      log_error("troupe: ", count,
                " entries of the audit trail were not "
                "written: ",
                message_of(err));
    settle(st.flight_waiters, err);
    if (!st.pending.empty() || !st.pending_waiters.empty())
      schedule_commit(self);
  };
  self->request(st.persistence, request_timeouts::store, audit_atom_v,
                std::move(entries))
      .then([done](ok_atom) { done(caf::none); },
            [done](caf::error& err) { done(err); });
}

} // namespace

audit_recorder_actor::behavior_type audit_recorder(
    audit_recorder_actor::stateful_pointer<audit_recorder_state> self,
    persistence_actor persistence) {
  self->state.persistence = std::move(persistence);
  self->state.clock.emplace(self->clock());
  return {
      [=](audit_atom, audit_entry& x) {
        self->state.pending.add(std::move(x), self->state.clock->now_us());
        schedule_commit(self);
      },
      [=](audit_atom, std::vector<audit_entry>& xs) {
        auto& st = self->state;
        auto rp = self->make_response_promise<ok_atom>();
        auto now = st.clock->now_us();
        for (auto& x : xs)
          st.pending.add(std::move(x), now);
        st.pending_waiters.push_back(rp);
        schedule_commit(self);
        return rp;
      },
      [=](flush_atom) {
        auto rp = self->make_response_promise<ok_atom>();
        self->state.pending_waiters.push_back(rp);
        schedule_commit(self);
        return rp;
      },
      [=](commit_atom) { commit(self); },
  };
}

} // namespace troupe
