// Messages no well-behaved peer sends, from a client connected to the
// coordinator's port: each is refused, and the coordinator goes on serving.
#include <algorithm>
#include <chrono>

#include "caf/io/middleman.hpp"

#include "tests/e2e/hostile_client.hpp"
#include "tests/e2e/node_fixture.hpp"
#include "troupe/actors/cluster/cluster_registry.hpp"
#include "troupe/messages/errc.hpp"
#include "troupe/messages/type_ids.hpp"
#include "troupe/security/client_secret.hpp"

using namespace troupe;
using troupe::test::hostile_client;
using troupe::test::node_fixture;

namespace {

constexpr auto request_timeout = std::chrono::seconds(30);

struct hostile_fixture : node_fixture {
  std::unique_ptr<node> coordinator;

  void start_coordinator() {
    options.listen_port = 0;
    coordinator = std::make_unique<node>(options);
    coordinator->handle("echo", [](job_context& ctx) { return ctx.payload(); });
    REQUIRE_FALSE(coordinator->start());
  }

  std::vector<executor_info> workers(hostile_client& client) {
    std::vector<executor_info> result;
    client.self()
        ->request(client.gateway(), request_timeout, client.token(),
                  workers_atom_v)
        .receive([&](std::vector<executor_info>& xs) { result = xs; },
                 [&](caf::error& err) { FAIL(message_of(err)); });
    return result;
  }
};

executor_info some_executor(std::string name) {
  executor_info info;
  info.name = std::move(name);
  info.node = "intruder";
  info.slots = 2;
  info.types = {"echo"};
  return info;
}

} // namespace

TEST_CASE_METHOD(hostile_fixture,
                 "null executor handles sent to the cluster registry are "
                 "refused and the coordinator still answers a submit",
                 "[e2e][hostile]") {
  start_coordinator();
  hostile_client client{coordinator->port()};
  auto& self = client.self();
  const auto& peers = client.peers();
  self->send(peers.uplink, peers.token, register_atom_v, executor_actor{},
             some_executor("ghost"));
  self->send(peers.uplink, peers.token, register_atom_v, executor_actor{},
             make_error(errc::invalid_field, "refusing"));
  CHECK_THAT(client.sync_with_registry(),
             Catch::Contains("slots: must be between 1 and 1024"));
  auto id = client.submit("echo");
  REQUIRE_FALSE(id.empty());
  CHECK(wait(*coordinator, {id}).front().status == job_status::completed);
}

TEST_CASE_METHOD(hostile_fixture,
                 "a spawn request with out-of-range slots is refused naming "
                 "the field",
                 "[e2e][hostile]") {
  start_coordinator();
  hostile_client client{coordinator->port()};
  spawn_request request;
  request.host = "127.0.0.1";
  request.port = 1;
  request.settings.slots = 5000;
  std::string answer;
  client.self()
      ->request(client.gateway(), request_timeout, client.token(), spawn_atom_v,
                request)
      .receive([&](std::string& name) { answer = name; },
               [&](caf::error& err) { answer = message_of(err); });
  CHECK(answer == "slots: must be between 1 and 1024, got 5000");
}

TEST_CASE_METHOD(hostile_fixture,
                 "heartbeats with out-of-range fields do not enter the worker "
                 "table",
                 "[e2e][hostile]") {
  start_coordinator();
  hostile_client client{coordinator->port()};
  auto& self = client.self();
  const auto& peers = client.peers();
  auto as_executor = caf::actor_cast<executor_actor>(self);
  auto zero_slots = some_executor("zero-slots");
  zero_slots.slots = 0;
  auto huge_name = some_executor(std::string(100'000, 'n'));
  auto too_busy = some_executor("too-busy");
  too_busy.running.assign(3, "job-1");
  // Registered through the uplink first: it passes on only the heartbeats
  // of its own executors, and the checks below are the reporter's.
  for (auto& info : {zero_slots, huge_name, too_busy}) {
    self->send(peers.uplink, peers.token, register_atom_v, as_executor, info);
    self->send(peers.uplink, peers.token, heartbeat_atom_v, info);
  }
  auto good = some_executor("well-formed");
  self->send(peers.uplink, peers.token, register_atom_v, as_executor, good);
  self->send(peers.uplink, peers.token, heartbeat_atom_v, good);
  // The uplink passes the heartbeats on in order, but the reporter answers
  // this client's requests through the gateway, another path: ask again
  // until the last heartbeat is in, within a deadline.
  std::vector<executor_info> table;
  auto has_good = [&] {
    return std::any_of(table.begin(), table.end(), [](const auto& info) {
      return info.name == "well-formed";
    });
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  do
    table = workers(client);
  while (!has_good() && std::chrono::steady_clock::now() < deadline);
  std::vector<std::string> names;
  for (const auto& info : table)
    names.push_back(info.name);
  CHECK(std::count(names.begin(), names.end(), "well-formed") == 1);
  CHECK(std::count(names.begin(), names.end(), "zero-slots") == 0);
  CHECK(std::count(names.begin(), names.end(), "too-busy") == 0);
  CHECK(std::none_of(names.begin(), names.end(),
                     [](const std::string& n) { return n.size() > 256; }));
}

TEST_CASE_METHOD(node_fixture,
                 "a bare node refuses to remote-spawn an executor with "
                 "out-of-range slots and goes on serving",
                 "[e2e][hostile]") {
  options.bare = true;
  options.listen_port = 0;
  node bare{options};
  bare.handle("echo", [](job_context& ctx) { return ctx.payload(); });
  REQUIRE_FALSE(bare.start());
  caf::actor_system_config cfg;
  register_types(cfg);
  load_middleman(cfg, default_heartbeat_timeout);
  caf::actor_system client{cfg};
  auto& mm = client.middleman();
  auto nid = mm.connect("127.0.0.1", bare.port());
  REQUIRE(nid);
  credentials creds;
  creds.method = "secret";
  creds.secret = read_client_secret("", "127.0.0.1", bare.port());
  auto spawn = [&](uint32_t slots) {
    executor_settings settings;
    settings.slots = slots;
    return mm.remote_spawn<executor_actor>(
        *nid, remote_executor_type,
        caf::make_message(settings, coordinator_peers{}, creds),
        request_timeout);
  };
  for (uint32_t slots : {0u, 4'000'000'000u}) {
    auto refused = spawn(slots);
    if (refused) {
      caf::scoped_actor self{client};
      self->wait_for(*refused); // It quit at once: nothing was started.
    }
  }
  auto accepted = spawn(2);
  REQUIRE(accepted);
  caf::scoped_actor self{client};
  bool drained = false;
  self->request(*accepted, request_timeout, drain_atom_v)
      .receive([&](ok_atom) { drained = true; },
               [&](caf::error& err) { FAIL(message_of(err)); });
  CHECK(drained);
}
