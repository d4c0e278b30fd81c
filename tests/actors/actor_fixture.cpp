// The actor test fixture: wiring of the real actors under the testing
// scheduler, and the helpers that drive them.
#include "tests/actors/actor_fixture.hpp"

#include <cstdlib>

#include "caf/after.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/exit_reason.hpp"

#include "troupe/actors/audit/audit_recorder.hpp"
#include "troupe/actors/persistence/persistence.hpp"
#include "troupe/actors/status_reporter/status_reporter.hpp"
#include "troupe/messages/errc.hpp"
#include "troupe/messages/type_ids.hpp"

namespace troupe::test {

namespace {

executor_actor::behavior_type probe_executor(executor_actor::pointer,
                                             std::shared_ptr<probe_log> log) {
  return {
      [=](dispatch_atom, std::vector<job_dispatch>& jobs) {
        for (auto& job : jobs)
          log->dispatched.push_back(std::move(job));
      },
      [](cancel_atom, const std::string&, uint32_t) {},
      [](started_atom, const std::string&, uint32_t) {},
      [](finished_atom, const attempt_outcome&, int64_t) {},
      [](flush_atom) {},
      [](progress_atom, const std::string&, uint32_t, double,
         const std::string&) {},
      [](heartbeat_atom) {},
      [](join_atom, const coordinator_peers&) {},
      [](leave_atom) {},
      [](drain_atom) { return ok_atom_v; },
  };
}

} // namespace

actor_fixture::actor_fixture() {
  auto opened = job_store::open({(dir.path / "db").string(), durability::wal});
  REQUIRE(opened);
  store = std::move(*opened);
  register_types(cfg);
  cfg.set("scheduler.policy", caf::atom("testing"));
  cfg.set("logger.file-verbosity", caf::atom("quiet"));
  sys = std::make_unique<caf::actor_system>(cfg);
  sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
  sched->clock().current_time += std::chrono::hours(1);
  self = std::make_unique<caf::scoped_actor>(*sys, true);
  persistence = sys->spawn(troupe::persistence, store);
  queue_handle = sys->spawn(queue, queue_config{});
  audit = sys->spawn(audit_recorder, persistence);
  reporter = sys->spawn(status_reporter, persistence, job_statistics{},
                        queue_handle, status_reporter_config{}, audit);
  scheduler_config sc;
  sc.seed = 7;
  sc.default_max_retries = 1;
  sc.default_backoff_base_ms = 1000;
  scheduler_handle = sys->spawn(
      scheduler, sc, scheduler_peers{persistence, queue_handle, reporter, {}});
  probe = sys->spawn(probe_executor, log);
  run();
}

actor_fixture::~actor_fixture() {
  for (auto handle : {caf::actor_cast<caf::actor>(scheduler_handle),
                      caf::actor_cast<caf::actor>(queue_handle),
                      caf::actor_cast<caf::actor>(reporter),
                      caf::actor_cast<caf::actor>(audit),
                      caf::actor_cast<caf::actor>(persistence),
                      caf::actor_cast<caf::actor>(probe)})
    (*self)->send_exit(handle, caf::exit_reason::user_shutdown);
  run();
  self.reset();
  sys.reset();
}

void actor_fixture::advance(std::chrono::milliseconds d) {
  sched->advance_time(d);
  run();
}

std::string actor_fixture::submit(job_spec spec) {
  auto handle = (*self)->request(scheduler_handle, caf::infinite, submit_atom_v,
                                 std::move(spec));
  run();
  std::string id;
  handle.receive([&](std::string& x) { id = std::move(x); },
                 [&](caf::error& err) { FAIL(message_of(err)); });
  return id;
}

caf::error actor_fixture::submit_error(job_spec spec) {
  auto handle = (*self)->request(scheduler_handle, caf::infinite, submit_atom_v,
                                 std::move(spec));
  run();
  caf::error result;
  handle.receive([&](std::string& id) { FAIL("accepted as " << id); },
                 [&](caf::error& err) { result = std::move(err); });
  return result;
}

caf::expected<job_status> actor_fixture::cancel(const std::string& id) {
  auto handle =
      (*self)->request(scheduler_handle, caf::infinite, cancel_atom_v, id);
  run();
  caf::expected<job_status> result{job_status::queued};
  handle.receive([&](job_status s) { result = s; },
                 [&](caf::error& err) { result = std::move(err); });
  return result;
}

void actor_fixture::report_started(const std::string& id, uint32_t attempt) {
  (*self)->send(
      scheduler_handle, started_atom_v, std::string{"probe"}, std::string{"n1"},
      std::vector<attempt_start>{{id, attempt, fence_of(id, attempt)}},
      caf::actor_cast<executor_actor>(*self));
  run();
}

void actor_fixture::report_finished(const std::string& id, uint32_t attempt,
                                    bool ok) {
  attempt_outcome out;
  out.id = id;
  out.attempt = attempt;
  out.succeeded = ok;
  out.result = ok ? "42" : "";
  out.error = ok ? "" : "exploded";
  out.executor = "probe";
  out.fence = fence_of(id, attempt);
  (*self)->send(scheduler_handle, finished_atom_v,
                std::vector<attempt_outcome>{out});
  run();
}

uint64_t actor_fixture::fence_of(const std::string& id,
                                 uint32_t attempt) const {
  for (const auto& job : log->dispatched)
    if (job.id == id && job.attempt == attempt)
      return job.fence;
  return 0;
}

void actor_fixture::dispatch(const std::string& id) {
  // Jobs queued before it go first: one slot at a time until it is out.
  for (int i = 0; i < 100 && fence_of(id, 1) == 0; ++i)
    grant(1);
  REQUIRE(fence_of(id, 1) != 0);
}

void actor_fixture::grant(uint32_t n) {
  (*self)->send(queue_handle, demand_atom_v, probe, std::vector<std::string>{},
                n, uint32_t{0}, uint64_t{0});
  run();
}

job_record actor_fixture::stored(const std::string& id) {
  auto record = store->get(id);
  REQUIRE(record);
  return *record;
}

std::vector<std::pair<std::string, uint32_t>> actor_fixture::cancel_requests() {
  std::vector<std::pair<std::string, uint32_t>> result;
  bool more = true;
  while (more)
    (*self)->receive(
        [&](cancel_atom, std::string& id, uint32_t attempt) {
          result.emplace_back(std::move(id), attempt);
        },
        caf::after(std::chrono::seconds(0)) >> [&] { more = false; });
  return result;
}

job_spec actor_fixture::spec(std::string type, std::vector<std::string> deps) {
  job_spec x;
  x.type = std::move(type);
  x.deps = std::move(deps);
  return x;
}

std::string actor_fixture::failed_job(const std::string& type,
                                      const std::string& owner) {
  auto s = spec(type);
  s.max_retries = 0;
  s.owner = owner;
  auto id = submit(s);
  dispatch(id);
  report_started(id, 1);
  report_finished(id, 1, false);
  REQUIRE(stored(id).status == job_status::failed);
  return id;
}

std::string actor_fixture::completed_job() {
  auto id = submit(spec());
  dispatch(id);
  report_started(id, 1);
  report_finished(id, 1, true);
  REQUIRE(stored(id).status == job_status::completed);
  return id;
}

} // namespace troupe::test
