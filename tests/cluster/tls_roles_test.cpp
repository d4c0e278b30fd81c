// Roles over mutual TLS with real processes: what a reader, a submitter and
// a non-executor may not do (exit 4, nothing changes), and an ACL entry of
// the server's config overriding the role in the certificate.
#include <fstream>

#include <catch2/catch.hpp>

#include "tests/cluster/tls_fixture.hpp"

using namespace troupe::cluster_test;
using Catch::Matchers::Contains;
using troupe::cli_test::background_process;

TEST_CASE_METHOD(tls_fixture,
                 "a reader cannot cancel and a submitter cannot see or cancel "
                 "another submitter's job but can its own",
                 "[cluster][tls][roles]") {
  issue("alice", "submitter");
  issue("bob", "submitter");
  issue("watcher", "reader");
  // No slots and no workers: every job stays queued unless cancelled.
  start_coordinator({"--slots", "0"});
  auto job = submit_as("alice", "echo", R"({"secret": "alice's"})");
  CHECK(status(job).at("owner") == "alice");
  auto by_reader = as("watcher", {"cancel", job});
  CHECK(by_reader.exit_code == 4);
  CHECK_THAT(by_reader.err, Contains("watcher"));
  CHECK(as("watcher", {"status", job, "--json"}).exit_code == 0);
  auto seen_by_bob = as("bob", {"status", job, "--json"});
  CHECK(seen_by_bob.exit_code == 4);
  CHECK(seen_by_bob.out.find("alice's") == std::string::npos);
  auto by_bob = as("bob", {"cancel", job});
  CHECK(by_bob.exit_code == 4);
  CHECK_THAT(by_bob.err, Contains("bob"));
  CHECK(status(job).at("status") == "queued");
  // The refusals are in the audit trail with their principals.
  auto audit = as("root", {"audit", "--json", "--principal", "bob"});
  REQUIRE(audit.exit_code == 0);
  bool bob_refused = false;
  for (const auto& entry : audit.parsed())
    bob_refused = bob_refused || (entry.at("action") == "cancel" &&
                                  entry.at("outcome") == "refused" &&
                                  entry.at("target") == job);
  CHECK(bob_refused);
  auto own = as("alice", {"cancel", job});
  INFO("alice cancels: " << own.err);
  CHECK(own.exit_code == 0);
  CHECK(status(job).at("status") == "cancelled");
  auto bobs = submit_as("bob", "echo", "{}");
  CHECK(status(bobs).at("owner") == "bob");
  auto own_status = as("bob", {"status", bobs, "--json"});
  INFO("bob reads his job: " << own_status.err);
  CHECK(own_status.exit_code == 0);
  // A submitter's listing holds only its own jobs.
  auto listed = as("bob", {"list", "--json"});
  INFO("bob lists: " << listed.err);
  REQUIRE(listed.exit_code == 0);
  CHECK(troupe::cli_test::ids_of(listed.parsed()) ==
        std::vector<std::string>{bobs});
}

TEST_CASE_METHOD(tls_fixture,
                 "a principal without the executor role cannot join as a "
                 "worker",
                 "[cluster][tls][roles]") {
  issue("watcher", "reader");
  start_coordinator({"--slots", "0"});
  auto refused = troupe::cli_test::run_troupe(
      with_tls({"worker", "--join", coordinator->address(), "--name",
                "intruder", "--join-timeout", "20"},
               "watcher"));
  INFO("worker: " << refused.out << refused.err);
  CHECK(refused.exit_code == 4);
  auto table = as("root", {"workers", "--json"});
  REQUIRE(table.exit_code == 0);
  CHECK(table.parsed().empty());
  // An executor principal may run jobs and nothing else.
  issue("w1", "executor");
  auto as_executor = as("w1", {"list", "--json"});
  CHECK(as_executor.exit_code == 4);
  CHECK(as("w1", {"submit", "--type", "echo", "--payload", "{}"}).exit_code ==
        4);
  // A job would stay queued: nothing took it.
  auto job = submit_as("root", "echo", "{}");
  CHECK(status(job).at("status") == "queued");
}

TEST_CASE_METHOD(tls_fixture,
                 "an ACL entry in the server's config overrides the role in "
                 "the certificate",
                 "[cluster][tls][roles]") {
  issue("ops", "reader");
  issue("demoted", "admin");
  issue("alice", "submitter");
  auto config = dir / "acl.json";
  std::ofstream{config} << R"({"acl": {"ops": ["operator"],)"
                        << R"( "demoted": ["reader"], "root": ["admin"]}})";
  start_coordinator({"--slots", "0", "--config", config});
  auto job = submit_as("alice", "echo", "{}");
  // alice has no ACL entry: her certificate's role still applies.
  CHECK(status(job).at("owner") == "alice");
  // An entry takes roles away too: the admin certificate reads only.
  auto by_demoted = as("demoted", {"cancel", job});
  CHECK(by_demoted.exit_code == 4);
  CHECK_THAT(by_demoted.err, Contains("demoted"));
  CHECK(status(job).at("status") == "queued");
  auto cancelled = as("ops", {"cancel", job});
  INFO("ops cancels: " << cancelled.err);
  CHECK(cancelled.exit_code == 0);
  CHECK(status(job).at("status") == "cancelled");
  // An operator reads everything, as a reader would.
  CHECK(as("ops", {"list", "--json"}).exit_code == 0);
}
