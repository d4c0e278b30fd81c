// The attacks of a connected peer that knows troupe's internal messages: a
// request without a session, a fake executor, forged outcomes, and recover,
// drain, enqueue and exit sent straight to the scheduler and the queue. Each
// is refused and the coordinator goes on serving.
#include <catch2/catch.hpp>

#include "caf/io/middleman.hpp"

#include "tests/e2e/hostile_client.hpp"
#include "tests/e2e/node_fixture.hpp"
#include "troupe/actors/cluster/cluster_registry.hpp"
#include "troupe/actors/cluster/login.hpp"
#include "troupe/messages/errc.hpp"
#include "troupe/messages/type_ids.hpp"
#include "troupe/security/client_secret.hpp"

using namespace troupe;
using troupe::test::hostile_client;
using troupe::test::node_fixture;

namespace {

constexpr auto timeout = std::chrono::seconds(30);

/// A coordinator without executors of its own: only the hostile client's
/// fake executor can take its jobs.
struct forged_fixture : node_fixture {
  std::unique_ptr<node> coordinator;

  forged_fixture() {
    options.listen_port = 0;
    options.executor.slots = 0;
    coordinator = std::make_unique<node>(options);
    REQUIRE_FALSE(coordinator->start());
  }

  job_status status_of(const std::string& id) {
    auto record = coordinator->get(id);
    REQUIRE(record);
    return record->status;
  }
};

/// Registers the client's scoped actor as an executor of "echo" through
/// its uplink and asks for one job.
void pose_as_executor(hostile_client& client, const std::string& name) {
  const auto& peers = client.peers();
  executor_info info;
  info.name = name;
  info.node = "intruder";
  info.slots = 1;
  info.types = {"echo"};
  auto me = caf::actor_cast<executor_actor>(client.self());
  client.self()->send(peers.uplink, peers.token, register_atom_v, me, info);
  client.self()->send(peers.uplink, peers.token, demand_atom_v, me,
                      std::vector<std::string>{"echo"}, uint32_t{1},
                      uint32_t{0}, uint64_t{1});
}

/// Waits for the next dispatch and returns it with its sender (the queue).
std::pair<job_dispatch, queue_actor> next_dispatch(hostile_client& client) {
  std::pair<job_dispatch, queue_actor> result;
  client.self()->receive(
      [&](dispatch_atom, std::vector<job_dispatch>& jobs) {
        REQUIRE(jobs.size() == 1);
        result.first = std::move(jobs.front());
        result.second =
            caf::actor_cast<queue_actor>(client.self()->current_sender());
      },
      caf::after(timeout) >> [] { FAIL("no dispatch arrived"); });
  return result;
}

caf::error request_error(hostile_client& client, const caf::actor& dest,
                         caf::message msg) {
  caf::error result;
  client.self()
      ->request(dest, timeout, std::move(msg))
      .receive([](const caf::message&) { FAIL("the request was served"); },
               [&](caf::error& err) { result = std::move(err); });
  return result;
}

} // namespace

TEST_CASE_METHOD(forged_fixture,
                 "a request without a session or with a made-up token is "
                 "refused and changes nothing",
                 "[e2e][security]") {
  caf::actor_system_config cfg;
  register_types(cfg);
  load_middleman(cfg, default_heartbeat_timeout);
  caf::actor_system client{cfg};
  auto gateway = client.middleman().remote_actor<gateway_actor>(
      "127.0.0.1", coordinator->port());
  REQUIRE(gateway);
  caf::scoped_actor self{client};
  caf::error refused;
  self->request(*gateway, timeout, std::string{"made-up"}, submit_atom_v,
                spec("echo"))
      .receive([](std::string&) { FAIL("submitted without a session"); },
               [&](caf::error& err) { refused = std::move(err); });
  CHECK(code_of(refused) == errc::forbidden);
  CHECK_THAT(message_of(refused), Catch::Contains("no session"));
  credentials wrong;
  wrong.method = "secret";
  wrong.secret = std::string(64, '0');
  self->request(*gateway, timeout, login_atom_v, wrong)
      .receive([](session_grant&) { FAIL("logged in with a wrong secret"); },
               [&](caf::error& err) { refused = std::move(err); });
  CHECK(code_of(refused) == errc::forbidden);
  caf::scoped_actor local{coordinator->system()};
  size_t stored = 1;
  local
      ->request(coordinator->status_reporter(), timeout, list_atom_v,
                job_query{})
      .receive([&](job_listing& listing) { stored = listing.jobs.size(); },
               [&](caf::error& err) { FAIL(message_of(err)); });
  CHECK(stored == 0);
}

TEST_CASE_METHOD(forged_fixture,
                 "internal actors refuse what a connected executor sends "
                 "them directly and the coordinator goes on serving",
                 "[e2e][security]") {
  hostile_client client{coordinator->port()};
  pose_as_executor(client, "fake");
  auto id = client.submit("echo");
  REQUIRE_FALSE(id.empty());
  auto [job, queue] = next_dispatch(client);
  REQUIRE(job.id == id);
  REQUIRE(queue);
  REQUIRE(queue.node() != client.system().node());
  // A start with a guessed fence is refused, and the scheduler, which
  // answers it with a cancel, thereby shows its handle.
  const auto& peers = client.peers();
  client.self()->send(
      peers.uplink, peers.token, started_atom_v, std::string{"fake"},
      std::string{"intruder"},
      std::vector<attempt_start>{{id, job.attempt, job.fence + 1}});
  scheduler_actor scheduler;
  client.self()->receive(
      [&](cancel_atom, const std::string& cancelled, uint32_t) {
        CHECK(cancelled == id);
        scheduler =
            caf::actor_cast<scheduler_actor>(client.self()->current_sender());
      },
      caf::after(timeout) >> [] { FAIL("the stale start was not fenced"); });
  REQUIRE(scheduler);
  CHECK(status_of(id) == job_status::queued);
  auto as_actor = [](const auto& handle) {
    return caf::actor_cast<caf::actor>(handle);
  };
  // Sent straight to local-only actors: each request is refused, each
  // one-way message dropped.
  auto drained = request_error(client, as_actor(scheduler),
                               caf::make_message(drain_atom_v));
  CHECK(code_of(drained) == errc::forbidden);
  auto queue_stats =
      request_error(client, as_actor(queue), caf::make_message(stats_atom_v));
  CHECK(code_of(queue_stats) == errc::forbidden);
  attempt_outcome forged;
  forged.id = id;
  forged.attempt = job.attempt;
  forged.succeeded = true;
  forged.result = R"("forged")";
  forged.executor = "fake";
  forged.fence = job.fence;
  client.self()->send(scheduler, finished_atom_v,
                      std::vector<attempt_outcome>{forged});
  client.self()->send(scheduler, recover_atom_v);
  client.self()->send(scheduler, released_atom_v, std::vector<std::string>{id});
  client.self()->send(queue, enqueue_atom_v, std::vector<job_dispatch>{job});
  client.self()->send_exit(scheduler, caf::exit_reason::kill);
  client.self()->send_exit(queue, caf::exit_reason::kill);
  // A second session, without the fence, cannot finish it either.
  hostile_client other{coordinator->port()};
  other.self()->send(other.peers().uplink, other.peers().token, finished_atom_v,
                     std::vector<attempt_outcome>{forged});
  // Still serving: a new submission is accepted, and the real executor's
  // start and outcome, with the fence, complete the job.
  auto second = client.submit("echo");
  REQUIRE_FALSE(second.empty());
  CHECK(status_of(id) == job_status::queued);
  client.self()->send(peers.uplink, peers.token, started_atom_v,
                      std::string{"fake"}, std::string{"intruder"},
                      std::vector<attempt_start>{{id, job.attempt, job.fence}});
  attempt_outcome real = forged;
  real.result = R"({"real":true})";
  client.self()->send(peers.uplink, peers.token, finished_atom_v,
                      std::vector<attempt_outcome>{real});
  auto done = wait(*coordinator, {id}).front();
  CHECK(done.status == job_status::completed);
  CHECK(done.result == R"({"real":true})");
}

TEST_CASE_METHOD(node_fixture, "a bare node refuses a spawn without its secret",
                 "[e2e][security]") {
  options.bare = true;
  options.listen_port = 0;
  node bare{options};
  bare.handle("echo", [](job_context& ctx) { return ctx.payload(); });
  REQUIRE_FALSE(bare.start());
  caf::actor_system_config cfg;
  register_types(cfg);
  load_middleman(cfg, default_heartbeat_timeout);
  caf::actor_system client{cfg};
  auto nid = client.middleman().connect("127.0.0.1", bare.port());
  REQUIRE(nid);
  credentials wrong;
  wrong.method = "secret";
  wrong.secret = "guessed";
  executor_settings settings;
  settings.slots = 1;
  auto spawned = client.middleman().remote_spawn<executor_actor>(
      *nid, remote_executor_type,
      caf::make_message(settings, coordinator_peers{}, wrong), timeout);
  REQUIRE(spawned); // CAF spawns it; it quits at once with the refusal.
  caf::scoped_actor self{client};
  self->wait_for(*spawned);
  // With the bare node's own secret, the same spawn serves.
  credentials right;
  right.method = "secret";
  right.secret = read_client_secret("", "127.0.0.1", bare.port());
  auto serving = client.middleman().remote_spawn<executor_actor>(
      *nid, remote_executor_type,
      caf::make_message(settings, coordinator_peers{}, right), timeout);
  REQUIRE(serving);
  bool drained = false;
  self->request(*serving, timeout, drain_atom_v)
      .receive([&](ok_atom) { drained = true; },
               [&](caf::error& err) { FAIL(message_of(err)); });
  CHECK(drained);
}
