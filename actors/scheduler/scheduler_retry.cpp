// Retry by filter: one listing request at a time against persistence, so the
// scheduler never has many requests in flight.
#include "troupe/actors/scheduler/scheduler_retry.hpp"
#include "troupe/messages/request_timeouts.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <unordered_set>

#include "troupe/actors/scheduler/spec_validation.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

using scheduler_self = scheduler_actor::stateful_pointer<scheduler_actor_state>;
using detail::changed;
using detail::now_us;
using detail::reply_when_durable;

constexpr auto lookup_timeout = troupe::request_timeouts::store;

/// Jobs found so far by a retry-by-filter request.
struct retry_scan {
  job_query query;
  std::vector<job_record> found;
};

/// Runs `then` once every dependency of `jobs` that the scheduler does not
/// know was looked up in the store.
void with_dependencies(scheduler_self self, const std::vector<job_record>& jobs,
                       std::function<void()> then,
                       std::function<void(caf::error&)> fail) {
  std::vector<std::string> unknown;
  std::unordered_set<std::string> seen;
  for (const auto& job : jobs)
    for (const auto& dep : job.deps)
      if (!self->state.machine->status_of(dep) && seen.insert(dep).second)
        unknown.push_back(dep);
  if (unknown.empty()) {
    then();
    return;
  }
  auto refuse = [fail](const caf::error& err) mutable {
    auto copy = err;
    fail(copy);
  };
  if (detail::defer_until_recovered(
          self, [=] { with_dependencies(self, jobs, then, fail); }, refuse))
    return;
  self->request(self->state.peers.persistence, lookup_timeout, lookup_atom_v,
                std::move(unknown))
      .then(
          [=](std::vector<job_record>& found) {
            self->state.machine->learn(found);
            then();
          },
          [=](caf::error& err) { fail(err); });
}

/// Retries `id` (`stored`: its record if it is not live) and replies with
/// its status once the change is durable.
void retry_known(scheduler_self self, const std::string& id,
                 std::shared_ptr<std::vector<job_record>> stored,
                 caf::typed_response_promise<job_status> rp,
                 const std::string& principal) {
  reply_when_durable(self, rp,
                     self->state.machine->retry(
                         id, stored->empty() ? nullptr : &stored->front(),
                         now_us(self), principal));
}

void retry_found(scheduler_self self, std::vector<job_record> found,
                 retry_promise rp, const std::string& principal) {
  auto ids = self->state.machine->retry_all(found, now_us(self), principal);
  self->state.commits.hold(
      [rp, ids = std::move(ids)](const caf::error& err) mutable {
        if (err)
          rp.deliver(err);
        else
          rp.deliver(ids);
      });
  changed(self);
}

/// Pages through the store's listing, one request at a time, until the
/// query's limit is reached or the listing ends; then retries what it found.
void scan_for_retry(scheduler_self self, std::shared_ptr<retry_scan> scan,
                    retry_promise rp, std::string principal) {
  constexpr uint32_t page_size = 500;
  auto page = scan->query;
  auto found = static_cast<uint32_t>(scan->found.size());
  page.limit = std::min(page_size, scan->query.limit - found);
  page.offset = scan->query.offset + found;
  self->request(self->state.peers.persistence, lookup_timeout, list_atom_v,
                page)
      .then(
          [=](job_listing& listing) mutable {
            // Damaged records are skipped: only what can be read is retried.
            auto& jobs = listing.jobs;
            bool more = jobs.size() == page.limit;
            scan->found.insert(scan->found.end(),
                               std::make_move_iterator(jobs.begin()),
                               std::make_move_iterator(jobs.end()));
            if (more && scan->found.size() < scan->query.limit) {
              scan_for_retry(self, scan, rp, principal);
              return;
            }
            with_dependencies(
                self, scan->found,
                [=] {
                  retry_found(self, std::move(scan->found), rp, principal);
                },
                [=](caf::error& err) mutable { rp.deliver(err); });
          },
          [=](caf::error& err) mutable { rp.deliver(err); });
}

/// Retries `id` once it, if the scheduler does not hold it, was read from
/// the store; waits while the scheduler still takes over unfinished jobs.
void retry_with_lookup(scheduler_self self, const std::string& id,
                       const std::string& principal,
                       caf::typed_response_promise<job_status> rp) {
  auto stored = std::make_shared<std::vector<job_record>>();
  auto fail = [rp](caf::error& err) mutable { rp.deliver(err); };
  auto with_record = [=] {
    const auto* live = self->state.machine->find(id);
    std::vector<job_record> jobs;
    if (live != nullptr)
      jobs.push_back(*live);
    else if (!stored->empty())
      jobs.push_back(stored->front());
    with_dependencies(
        self, jobs, [=] { retry_known(self, id, stored, rp, principal); },
        fail);
  };
  if (self->state.machine->find(id) != nullptr) {
    with_record();
    return;
  }
  if (detail::defer_until_recovered(
          self, [=] { retry_with_lookup(self, id, principal, rp); },
          [rp](const caf::error& err) mutable { rp.deliver(err); }))
    return;
  self->request(self->state.peers.persistence, lookup_timeout, lookup_atom_v,
                std::vector<std::string>{id})
      .then(
          [=](std::vector<job_record>& found) {
            self->state.machine->learn(found);
            *stored = std::move(found);
            with_record();
          },
          fail);
}

} // namespace

caf::typed_response_promise<job_status>
retry_one(scheduler_self self, const std::string& id,
          const std::string& principal) {
  auto rp = self->make_response_promise<job_status>();
  retry_with_lookup(self, id, principal, rp);
  return rp;
}

retry_promise retry_matching(scheduler_self self, job_query query,
                             const std::string& principal) {
  auto rp = self->make_response_promise<std::vector<std::string>>();
  if (auto err = validate_retry_query(query))
    rp.deliver(err);
  else if (self->state.commits.draining())
    rp.deliver(make_error(errc::shutting_down, "the node is shutting down"));
  else
    scan_for_retry(self, std::make_shared<retry_scan>(retry_scan{query, {}}),
                   rp, principal);
  return rp;
}

} // namespace troupe
