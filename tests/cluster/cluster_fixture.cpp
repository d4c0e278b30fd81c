// The cluster fixture: processes, a C++ client for bulk submits, and the
// readings the tests assert on.
#include "tests/cluster/cluster_fixture.hpp"

#include <chrono>

#include <catch2/catch.hpp>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/scoped_actor.hpp"

#include "troupe/actors/cluster/gateway.hpp"
#include "troupe/actors/cluster/login.hpp"
#include "troupe/messages/type_ids.hpp"

namespace troupe::cluster_test {

void cluster_fixture::start_coordinator(
    const std::vector<std::string>& extra_args, uint16_t port) {
  coordinator.reset();
  coordinator = std::make_unique<cli_test::server_process>(dir / "data",
                                                           extra_args, port);
}

background_process&
cluster_fixture::start_worker(const std::string& name,
                              std::vector<std::string> extra_args) {
  std::vector<std::string> args{"worker", "--join", coordinator->address(),
                                "--name", name};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  auto& slot = workers[name];
  slot = std::make_unique<background_process>(args);
  INFO("banner: " << slot->banner());
  REQUIRE(slot->banner().find("joined") != std::string::npos);
  return *slot;
}

run_result cluster_fixture::troupe(std::vector<std::string> args,
                                   bool expect_success) const {
  args.push_back("--server");
  args.push_back(coordinator->address());
  auto result = cli_test::run_troupe(args);
  if (expect_success) {
    INFO("troupe " << args.front() << ": " << result.err);
    REQUIRE(result.exit_code == 0);
  }
  return result;
}

std::vector<std::string>
cluster_fixture::submit_many(const std::string& type,
                             const std::string& payload, size_t count) const {
  caf::actor_system_config cfg;
  register_types(cfg);
  load_middleman(cfg, default_heartbeat_timeout);
  caf::actor_system sys{cfg};
  auto server = connect_coordinator(
      sys, "127.0.0.1", coordinator->port(),
      *load_login_material({}, "", "127.0.0.1", coordinator->port()));
  REQUIRE(server);
  std::vector<job_spec> specs(count);
  for (auto& spec : specs) {
    spec.type = type;
    spec.payload = payload;
  }
  std::vector<std::string> ids;
  caf::scoped_actor self{sys};
  self->request(server->gateway, std::chrono::seconds(60),
                server->session.token, submit_atom_v, std::move(specs))
      .receive([&](std::vector<std::string>& result) { ids = result; },
               [&](caf::error& err) { FAIL(to_string(err)); });
  // The session's holder must stop before the system does, as the CLI's
  // does: destroyed with the system it crashes the test.
  end_session(*server);
  REQUIRE(ids.size() == count);
  return ids;
}

void cluster_fixture::wait_all(const std::vector<std::string>& ids) const {
  std::vector<std::string> args{"wait"};
  args.insert(args.end(), ids.begin(), ids.end());
  args.push_back("--timeout");
  args.push_back("120");
  troupe(args);
}

json cluster_fixture::all_jobs() const {
  return troupe({"list", "--limit", "10000", "--json"}).parsed();
}

json cluster_fixture::history(const std::string& id) const {
  return troupe({"history", id, "--json"}).parsed();
}

void cluster_fixture::await_running_on(const std::string& name) const {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    auto running = troupe({"list", "--status", "running", "--json"}).parsed();
    for (const auto& job : running)
      if (job.value("node", "") == name)
        return;
  }
  FAIL("no job ran on " << name << " within 60 s");
}

size_t completions(const json& history) {
  size_t n = 0;
  for (const auto& entry : history)
    if (entry.value("to", "") == "completed")
      ++n;
  return n;
}

bool mentions(const json& history, const std::string& text) {
  for (const auto& entry : history)
    if (entry.value("message", "").find(text) != std::string::npos)
      return true;
  return false;
}

} // namespace troupe::cluster_test
