// A client in a second actor system reaches a node over CAF's middleman
// (BASP over loopback TCP) through the published gateway.
#include "caf/io/middleman.hpp"

#include "tests/e2e/node_fixture.hpp"
#include "troupe/actors/cluster/gateway.hpp"
#include "troupe/actors/cluster/login.hpp"
#include "troupe/messages/type_ids.hpp"

using namespace troupe;
using troupe::test::node_fixture;

TEST_CASE_METHOD(node_fixture,
                 "a remote client submits through the gateway and reads the "
                 "result",
                 "[e2e][remote]") {
  options.listen_port = 0;
  node n{options};
  n.handle("echo", [](job_context& ctx) { return ctx.payload(); });
  REQUIRE_FALSE(n.start());
  REQUIRE(n.port() != 0);

  caf::actor_system_config cfg;
  register_types(cfg);
  cfg.load<caf::io::middleman>();
  caf::actor_system client{cfg};
  auto remote =
      connect_coordinator(client, "127.0.0.1", n.port(),
                          *load_login_material({}, "", "127.0.0.1", n.port()));
  REQUIRE(remote);
  caf::scoped_actor self{client};
  std::string id;
  self->request(remote->gateway, std::chrono::seconds(10),
                remote->session.token, submit_atom_v,
                spec("echo", R"({"hello":"remote"})"))
      .receive([&](std::string& x) { id = std::move(x); },
               [&](caf::error& err) { FAIL(message_of(err)); });
  auto record = wait(n, {id}).front();
  CHECK(record.status == job_status::completed);
  CHECK(record.result == R"({"hello":"remote"})");
  self->request(remote->gateway, std::chrono::seconds(10),
                remote->session.token, get_atom_v, id)
      .receive([&](job_record& x) { CHECK(x.result == record.result); },
               [&](caf::error& err) { FAIL(message_of(err)); });
  auto unreachable =
      connect_coordinator(client, "127.0.0.1", 1, login_material{});
  CHECK_FALSE(unreachable);
}
