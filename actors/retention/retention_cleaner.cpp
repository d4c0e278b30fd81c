// Automatic retention cleanup. The purge itself is persistence's purge
// request, the same one `troupe cleanup` uses, so what "purge" means lives
// in one place; the audit trail is purged only here, never on demand.
#include "troupe/actors/retention/retention_cleaner.hpp"
#include "troupe/messages/request_timeouts.hpp"

#include "troupe/logging/log.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

using self_ptr =
    retention_cleaner_actor::stateful_pointer<retention_cleaner_state>;

// Purging a large store walks an index and deletes in batches.
constexpr auto purge_timeout = troupe::request_timeouts::store_purge;

void schedule_next(self_ptr self) {
  self->delayed_send(self, self->state.policy.interval, tick_atom_v);
}

/// The audit trail is kept as long as job history, and purged after it.
void purge_audit(self_ptr self, int64_t cutoff) {
  self->request(self->state.persistence, purge_timeout, purge_atom_v,
                audit_atom_v, cutoff)
      .then([=](uint64_t) { schedule_next(self); },
            [=](caf::error& err) {
              log_error("troupe retention cleanup of the audit trail failed: ",
                        message_of(err));
              schedule_next(self);
            });
}

} // namespace

retention_cleaner_actor::behavior_type retention_cleaner(
    retention_cleaner_actor::stateful_pointer<retention_cleaner_state> self,
    retention_policy policy, persistence_actor persistence,
    purge_observer observer) {
  auto& st = self->state;
  st.policy = policy;
  st.persistence = std::move(persistence);
  st.observer = std::move(observer);
  st.clock.emplace(self->clock());
  if (st.policy.enabled())
    schedule_next(self);
  return {
      [=](tick_atom) {
        auto cutoff = self->state.policy.cutoff_us(self->state.clock->now_us());
        // The next cleanup is scheduled only once this one has ended, so two
        // never overlap however long a purge takes.
        self->request(self->state.persistence, purge_timeout, purge_atom_v,
                      cutoff)
            .then(
                [=](purge_report& report) {
                  // No user asked, so what was skipped goes to the log.
                  for (const auto& x : report.damaged)
                    log_warn("troupe retention cleanup skipped the damaged "
                             "record of job '",
                             x.id, "': ", x.problem);
                  if (report.purged > 0 && self->state.observer)
                    self->state.observer(report.purged, cutoff);
                  purge_audit(self, cutoff);
                },
                [=](caf::error& err) {
                  log_error("troupe retention cleanup failed: ",
                            message_of(err));
                  purge_audit(self, cutoff);
                });
      },
  };
}

} // namespace troupe
