// A cluster over mutual TLS as real processes: peers without a certificate
// of the cluster's CA are refused and audited while the server stays up, and
// a coordinator, a worker and a bare node with a spawned executor run jobs,
// re-queueing the job of a killed worker.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "tests/cluster/tls_fixture.hpp"
#include "tests/security/tls_peers.hpp"
#include "troupe/security/certificate_authority.hpp"

using namespace troupe::cluster_test;
using Catch::Matchers::Contains;
using troupe::cli_test::background_process;
using troupe::cli_test::json;

namespace {

/// A TCP connection to 127.0.0.1:`port`.
int connect_loopback(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  return fd;
}

/// Runs an OpenSSL client presenting `cert` (none if empty) against the
/// coordinator; it trusts our CA, so only the server can refuse it.
void present(const tls_fixture& f, const std::string& cert,
             const std::string& key) {
  troupe::test::client_plan plan;
  plan.cert = cert;
  plan.key = key;
  plan.ca = f.ca_dir + "/ca.pem";
  plan.message = "not BASP";
  plan.expect = 1; // read until the server answers or hangs up
  auto seen = troupe::test::run_openssl_client(
      connect_loopback(f.coordinator->port()), plan);
  INFO("client: " << seen.error);
  CHECK(seen.received.empty());
}

/// The refused.connection entries of the audit trail, read as "root".
std::vector<json> refusals(const tls_fixture& f) {
  auto listed = f.as("root", {"audit", "--json", "--limit", "1000"});
  INFO("audit: " << listed.err);
  REQUIRE(listed.exit_code == 0);
  std::vector<json> found;
  for (const auto& entry : listed.parsed())
    if (entry.at("action") == "refused.connection")
      found.push_back(entry);
  return found;
}

bool some_detail_mentions(const std::vector<json>& entries,
                          const std::string& text) {
  for (const auto& entry : entries)
    if (entry.value("detail", "").find(text) != std::string::npos)
      return true;
  return false;
}

} // namespace

TEST_CASE_METHOD(tls_fixture,
                 "a client without a certificate, with one of another CA or "
                 "an expired one is refused, the server stays up and the "
                 "audit names the refusals",
                 "[cluster][tls]") {
  start_coordinator({"--slots", "0"});
  issue("stranger", "admin", other_dir);
  troupe::certificate_request expired;
  expired.name = "expired";
  expired.role = "admin";
  expired.valid_from_s = static_cast<int64_t>(::time(nullptr)) - 400 * 86400;
  expired.valid_days = 1;
  troupe::issue_certificate(ca_dir, expired);
  auto wrong_secret = dir / "wrong.secret";
  std::ofstream{wrong_secret} << "not the secret\n";
  // A file of mode 0600, so that the CLI does try it on the server.
  std::filesystem::permissions(wrong_secret,
                               std::filesystem::perms::owner_read |
                                   std::filesystem::perms::owner_write);
  SECTION("through the CLI") {
    // Plain BASP bytes where the guard waits for a TLS ClientHello.
    auto plain = troupe::cli_test::run_troupe({"list", "--server",
                                               coordinator->address(),
                                               "--secret-file", wrong_secret});
    INFO("plain: " << plain.err);
    CHECK((plain.exit_code == 3 || plain.exit_code == 4));
    // Another cluster's certificate, trusting that cluster's CA so that the
    // CLI's own check of its files passes.
    auto stranger = troupe::cli_test::run_troupe(
        {"list", "--server", coordinator->address(), "--tls-cert",
         other_dir + "/stranger.pem", "--tls-key", other_dir + "/stranger.key",
         "--tls-ca", other_dir + "/ca.pem"});
    INFO("stranger: " << stranger.err);
    CHECK((stranger.exit_code == 3 || stranger.exit_code == 4));
    // The CLI checks its own files first: an expired certificate never
    // leaves it (the TLS client below shows the server refuses it too).
    auto old = as("expired", {"list"});
    INFO("expired: " << old.err);
    CHECK(old.exit_code == 4);
    CHECK_THAT(old.err, Contains("expired on"));
  }
  SECTION("through a TLS client that trusts our CA") {
    present(*this, "", "");
    present(*this, other_dir + "/stranger.pem", other_dir + "/stranger.key");
    present(*this, ca_dir + "/expired.pem", ca_dir + "/expired.key");
    auto entries = refusals(*this);
    INFO("refusals: " << json(entries).dump());
    CHECK(entries.size() >= 3);
    CHECK(some_detail_mentions(entries, "no certificate"));
    CHECK((some_detail_mentions(entries, "another") ||
           some_detail_mentions(entries, "issuer")));
    CHECK(some_detail_mentions(entries, "expired"));
    for (const auto& entry : entries) {
      CHECK(entry.at("outcome") == "refused");
      CHECK_THAT(entry.value("target", ""), Contains("127.0.0.1:"));
    }
  }
  // The server is still up and serves an admin of our CA.
  auto id = submit_as("root", "echo", R"({"after": "refusals"})");
  CHECK(status(id).at("status") == "queued");
  CHECK(as("root", {"list", "--json"}).exit_code == 0);
}

TEST_CASE_METHOD(tls_fixture,
                 "a full cluster runs jobs over mutual TLS, and a killed "
                 "worker's job is re-queued",
                 "[cluster][tls]") {
  issue("w1", "executor");
  issue("bare-1", "executor");
  start_coordinator({"--slots", "0"});
  auto worker = std::make_unique<background_process>(
      with_tls({"worker", "--join", coordinator->address(), "--name", "w1",
                "--slots", "1"},
               "w1"));
  INFO("worker: " << worker->banner());
  REQUIRE_THAT(worker->banner(), Contains("joined"));
  auto echo = wait_done(submit_as("root", "echo", R"({"n": 1})"));
  CHECK(echo.at("node") == "w1");
  auto sleep = wait_done(submit_as("root", "sleep", R"({"ms": 10})"));
  CHECK(sleep.at("node") == "w1");
  // A long job fills the worker's one slot, then a second place to run.
  auto held = submit_as("root", "sleep", R"({"ms": 4000})");
  CHECK(await_running(held) == "w1");
  auto bare = start_bare_node("bare-1");
  auto spawned = as("root", {"spawn-executor", "--node", bare.address, "--name",
                             "bare-1/spawned", "--types", "echo,sleep"});
  INFO("spawn: " << spawned.err);
  REQUIRE(spawned.exit_code == 0);
  auto remote = wait_done(submit_as("root", "echo", R"({"n": 2})"));
  CHECK(remote.at("executor") == "bare-1/spawned");
  CHECK(worker->stop(SIGKILL) == 128 + SIGKILL);
  auto moved = wait_done(held);
  CHECK(moved.at("status") == "completed");
  CHECK(moved.at("node") == "bare-1");
  CHECK(moved.at("attempt") >= 2);
  auto after = wait_done(submit_as("root", "sleep", R"({"ms": 10})"));
  CHECK(after.at("executor") == "bare-1/spawned");
}

TEST_CASE_METHOD(tls_fixture,
                 "a bare node over TLS refuses a spawn from a coordinator "
                 "whose certificate is not admin",
                 "[cluster][tls]") {
  issue("weak-coordinator", "operator");
  issue("bare-1", "executor");
  start_coordinator({"--slots", "0"}, "weak-coordinator");
  auto bare = start_bare_node("bare-1");
  auto refused = as("root", {"spawn-executor", "--node", bare.address});
  INFO("spawn: " << refused.err);
  CHECK(refused.exit_code == 4);
  auto table = as("root", {"workers", "--json"});
  REQUIRE(table.exit_code == 0);
  CHECK(table.parsed().empty());
}
