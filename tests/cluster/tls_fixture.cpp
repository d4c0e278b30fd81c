// The TLS fixture: a real CA made with the security library, and CLI calls
// that present one certificate or another.
#include "tests/cluster/tls_fixture.hpp"

#include <chrono>
#include <utility>

#include <catch2/catch.hpp>

#include "troupe/security/certificate_authority.hpp"

namespace troupe::cluster_test {

tls_fixture::tls_fixture() {
  create_authority(ca_dir);
  create_authority(other_dir, "another cluster CA");
  issue("coordinator", "admin");
  issue("root", "admin");
}

void tls_fixture::issue(const std::string& name, const std::string& role,
                        const std::string& from) const {
  certificate_request request;
  request.name = name;
  request.role = role;
  issue_certificate(from.empty() ? ca_dir : from, request);
}

std::vector<std::string> tls_fixture::with_tls(std::vector<std::string> args,
                                               const std::string& name,
                                               const std::string& from) const {
  auto certs = from.empty() ? ca_dir : from;
  args.insert(args.end(),
              {"--tls-cert", certs + "/" + name + ".pem", "--tls-key",
               certs + "/" + name + ".key", "--tls-ca", ca_dir + "/ca.pem"});
  return args;
}

tls_fixture::bare_node
tls_fixture::start_bare_node(const std::string& name) const {
  bare_node out;
  out.process = std::make_unique<cli_test::background_process>(
      with_tls({"node", "--listen", "127.0.0.1:0", "--name", name}, name));
  out.address =
      "127.0.0.1:" + std::to_string(out.process->port_after("127.0.0.1:"));
  return out;
}

void tls_fixture::start_coordinator(const std::vector<std::string>& extra,
                                    const std::string& cert) {
  coordinator.reset();
  auto args = with_tls({}, cert);
  args.insert(args.end(), extra.begin(), extra.end());
  coordinator = std::make_unique<cli_test::server_process>(dir / "data", args);
}

cli_test::run_result tls_fixture::as(const std::string& name,
                                     std::vector<std::string> args) const {
  args.push_back("--server");
  args.push_back(coordinator->address());
  return cli_test::run_troupe(with_tls(std::move(args), name));
}

std::string tls_fixture::submit_as(const std::string& name,
                                   const std::string& type,
                                   const std::string& payload) const {
  auto result = as(name, {"submit", "--type", type, "--payload", payload});
  INFO("submit as " << name << ": " << result.err);
  REQUIRE(result.exit_code == 0);
  auto id = result.out.substr(0, result.out.find('\n'));
  REQUIRE_FALSE(id.empty());
  return id;
}

cli_test::json tls_fixture::status(const std::string& id) const {
  auto result = as("root", {"status", id, "--json"});
  INFO("status " << id << ": " << result.err);
  REQUIRE(result.exit_code == 0);
  return result.parsed();
}

std::string tls_fixture::await_running(const std::string& id) const {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    auto job = status(id);
    if (job.at("status") == "running")
      return job.value("node", "");
    REQUIRE(job.at("status") == "queued");
  }
  FAIL("job " << id << " did not start within 60 s");
  return {};
}

cli_test::json tls_fixture::wait_done(const std::string& id) const {
  auto result = as("root", {"wait", id, "--timeout", "120"});
  INFO("wait " << id << ": " << result.out << result.err);
  REQUIRE(result.exit_code == 0);
  return status(id);
}

} // namespace troupe::cluster_test
