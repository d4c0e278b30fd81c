// The hostile client's connection and its two probes of a live coordinator.
#include "tests/e2e/hostile_client.hpp"

#include <catch2/catch.hpp>

#include "caf/io/middleman.hpp"

#include "troupe/messages/errc.hpp"
#include "troupe/messages/type_ids.hpp"

namespace troupe::test {

namespace {

constexpr auto request_timeout = std::chrono::seconds(30);

} // namespace

hostile_client::hostile_client(uint16_t port, const std::string& host)
    : config_(std::make_unique<caf::actor_system_config>()) {
  register_types(*config_);
  load_middleman(*config_, default_heartbeat_timeout);
  config_->set("logger.file-verbosity", caf::atom("quiet"));
  system_ = std::make_unique<caf::actor_system>(*config_);
  auto material = load_login_material({}, "", host, port);
  REQUIRE(material);
  auto remote = connect_coordinator(*system_, host, port, *material);
  REQUIRE(remote);
  coordinator_ = std::move(*remote);
  self_ = std::make_unique<caf::scoped_actor>(*system_);
  bool joined = false;
  (*self_)
      ->request(coordinator_.gateway, request_timeout, token(), join_atom_v)
      .receive(
          [&](coordinator_peers& peers) {
            peers_ = std::move(peers);
            joined = true;
          },
          [&](caf::error& err) { FAIL("join: " << message_of(err)); });
  REQUIRE(joined);
}

hostile_client::~hostile_client() {
  end_session(coordinator_);
  self_.reset();
}

std::string hostile_client::sync_with_registry() {
  spawn_request request;
  request.host = "127.0.0.1";
  request.port = 1;
  request.settings.slots = 0; // Refused before any connection is tried.
  std::string answer;
  (*self_)
      ->request(gateway(), request_timeout, token(), spawn_atom_v, request)
      .receive([&](std::string& name) { answer = "spawned " + name; },
               [&](caf::error& err) { answer = message_of(err); });
  return answer;
}

std::string hostile_client::submit(const std::string& type,
                                   std::chrono::milliseconds timeout) {
  job_spec spec;
  spec.type = type;
  std::string id;
  (*self_)
      ->request(gateway(), timeout, token(), submit_atom_v, spec)
      .receive([&](std::string& x) { id = std::move(x); },
               [&](caf::error&) { id.clear(); });
  return id;
}

} // namespace troupe::test
