// Group commit: batches that arrive while one is being written are merged and
// written together, then each sender gets its acknowledgement.
#include "troupe/actors/persistence/persistence.hpp"

#include <chrono>

#include "caf/actor_cast.hpp"
#include "caf/typed_event_based_actor.hpp"

#include "troupe/actors/scheduler/crashed_attempts.hpp"
#include "troupe/logging/log.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

using self_ptr = persistence_actor::stateful_pointer<persistence_state>;

void commit(self_ptr self) {
  auto& st = self->state;
  st.commit_scheduled = false;
  if (st.waiting.empty() && st.pending.records.empty() &&
      st.pending.history.empty())
    return;
  caf::error err;
  if (!st.pending.records.empty() || !st.pending.history.empty())
    err = st.store->write(st.pending);
  st.pending.records.clear();
  st.pending.history.clear();
  st.pending.created.clear();
  st.pending.replaced.clear();
  auto waiting = std::move(st.waiting);
  st.waiting.clear();
  for (auto& [sender, ticket] : waiting)
    if (sender)
      self->send(caf::actor_cast<scheduler_actor>(sender), persisted_atom_v,
                 ticket, err);
  // Fail-stop: after a failed write the store's state is unknown (RocksDB
  // may refuse every later write), so nothing more is written or read; the
  // node sees this actor go down with the error and stops.
  if (err)
    self->quit(err);
}

template <class T>
caf::result<T> reply(caf::expected<T> x) {
  if (x)
    return std::move(*x);
  return std::move(x.error());
}

caf::result<ok_atom> acknowledge(caf::error err) {
  if (err)
    return err;
  return ok_atom_v;
}

caf::result<std::vector<audit_entry>> read_audit(job_store& store,
                                                 const audit_query& query) {
  std::vector<damaged_record> damaged;
  auto entries = store.list_audit(query, &damaged);
  // The reply has no place for them; the server's log names each one.
  for (const auto& x : damaged)
    log_warn("troupe: skipped a damaged row of the audit trail: ", x.problem);
  return reply(std::move(entries));
}

/// A page of the unfinished jobs in `status` after `after`, and for running
/// ones how often in a row the node died under them.
caf::result<recovered_jobs> read_recovery_page(const job_store& store,
                                               job_status status,
                                               const std::string& after,
                                               uint32_t limit) {
  if (is_terminal(status))
    return make_error(errc::invalid_field, "status: " + to_string(status) +
                                               " jobs are not recovered");
  auto page = store.page_by_status(status, after, limit);
  if (!page)
    return std::move(page.error());
  recovered_jobs result;
  for (const auto& job : page->jobs) {
    if (job.status != job_status::running)
      continue;
    auto history = store.history(job.id);
    if (!history)
      return std::move(history.error());
    if (auto crashed = count_crashed_attempts(*history); crashed > 0)
      result.crashed_attempts.emplace(job.id, crashed);
  }
  result.jobs = std::move(page->jobs);
  result.next = std::move(page->next);
  return result;
}

} // namespace

persistence_actor::behavior_type
persistence(local_only_pointer<persistence_actor, persistence_state> self,
            std::shared_ptr<job_store> store) {
  self->state.store = std::move(store);
  return {
      [=](persist_atom, persist_batch& batch) {
        auto& st = self->state;
        auto& records = st.pending.records;
        // One entry per record, in step with the records of the batches
        // merged before and after this one; a record its sender named no
        // status for gets a terminal one, which makes the store read it.
        auto& replaced = st.pending.replaced;
        replaced.insert(replaced.end(), batch.replaced.begin(),
                        batch.replaced.end());
        replaced.resize(records.size() + batch.records.size(),
                        job_status::completed);
        records.insert(records.end(),
                       std::make_move_iterator(batch.records.begin()),
                       std::make_move_iterator(batch.records.end()));
        auto& history = st.pending.history;
        history.insert(history.end(),
                       std::make_move_iterator(batch.history.begin()),
                       std::make_move_iterator(batch.history.end()));
        auto& created = st.pending.created;
        created.insert(created.end(),
                       std::make_move_iterator(batch.created.begin()),
                       std::make_move_iterator(batch.created.end()));
        st.waiting.emplace_back(self->current_sender(), batch.ticket);
        // The commit message queues behind every batch already in the mailbox,
        // so all of them share one write (group commit).
        if (!st.commit_scheduled) {
          st.commit_scheduled = true;
          self->send(self, commit_atom_v);
        }
      },
      [=](commit_atom) { commit(self); },
      [=](get_atom, const std::string& id) -> caf::result<job_record> {
        commit(self);
        return reply(self->state.store->get(id));
      },
      [=](lookup_atom, const std::vector<std::string>& ids)
          -> caf::result<std::vector<job_record>> {
        commit(self);
        return reply(self->state.store->get_many(ids));
      },
      [=](history_atom,
          const std::string& id) -> caf::result<std::vector<history_entry>> {
        commit(self);
        return reply(self->state.store->history(id));
      },
      [=](list_atom, const job_query& query) -> caf::result<job_listing> {
        commit(self);
        job_listing listing;
        auto rows = self->state.store->list(query, &listing.damaged);
        if (!rows)
          return std::move(rows.error());
        listing.jobs = std::move(*rows);
        return listing;
      },
      [=](purge_atom, int64_t before_us) -> caf::result<purge_report> {
        commit(self);
        // Jobs whose own result TTL ran out go too, however young.
        auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
        purge_report report;
        auto purged =
            self->state.store->purge_retention(before_us, now, &report.damaged);
        if (!purged)
          return std::move(purged.error());
        report.purged = *purged;
        return report;
      },
      [=](backup_atom, const std::string& dir) -> caf::result<backup_report> {
        // Everything acknowledged before the request is in the checkpoint.
        commit(self);
        return reply(self->state.store->checkpoint(dir));
      },
      [=](lookup_atom, unique_atom, const std::vector<std::string>& keys)
          -> caf::result<std::vector<job_record>> {
        commit(self);
        return reply(self->state.store->latest_unique(keys));
      },
      [=](limits_atom, const dispatch_limit& limit) -> caf::result<ok_atom> {
        return acknowledge(self->state.store->put_limit(limit));
      },
      [=](limits_atom, delete_atom, control_scope scope,
          const std::string& key) -> caf::result<ok_atom> {
        return acknowledge(self->state.store->erase_limit(scope, key));
      },
      [=](pause_atom, control_scope scope, const std::string& key,
          bool paused) -> caf::result<ok_atom> {
        return acknowledge(self->state.store->put_paused(scope, key, paused));
      },
      [=](flush_atom) -> caf::result<ok_atom> {
        commit(self);
        return ok_atom_v;
      },
      [=](recover_atom, job_status status, const std::string& after,
          uint32_t limit) -> caf::result<recovered_jobs> {
        commit(self); // The page shows every write received before it.
        return read_recovery_page(*self->state.store, status, after, limit);
      },
      [=](stats_atom) -> caf::result<stats_snapshot> {
        commit(self);
        auto counts = self->state.store->count_by_status();
        if (!counts)
          return counts.error();
        stats_snapshot result;
        for (const auto& [status, n] : *counts) {
          auto index = static_cast<size_t>(status);
          if (result.by_status.size() <= index)
            result.by_status.resize(index + 1);
          result.by_status[index] = n;
        }
        return result;
      },
      [=](audit_atom,
          const std::vector<audit_entry>& entries) -> caf::result<ok_atom> {
        return acknowledge(self->state.store->append_audit(entries));
      },
      [=](audit_atom, const audit_query& query) {
        return read_audit(*self->state.store, query);
      },
      [=](purge_atom, audit_atom, int64_t before_us) -> caf::result<uint64_t> {
        return reply(self->state.store->purge_audit(before_us));
      },
  };
}

} // namespace troupe
