// `troupe certs init` and `troupe certs issue` through the real binary: the
// files and their modes, certificates that verify against the CA, and
// refusals (an existing key, bad input) with exit 2 naming the flag.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "tests/cli/cli_process.hpp"
#include "troupe/security/credentials.hpp"

using namespace troupe::cli_test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

std::string text_of(const std::string& path) {
  return troupe::read_pem_file(path, "test");
}

} // namespace

TEST_CASE("certs init and issue write a CA and a certificate with 0600 keys",
          "[cli][certs]") {
  scratch_dir dir;
  auto ca = dir / "ca";
  auto init = run_troupe({"certs", "init", ca, "--name", "test CA"});
  INFO("stderr: " << init.err);
  REQUIRE(init.exit_code == 0);
  CHECK(init.out == "certificate: " + ca + "/ca.pem\nkey: " + ca + "/ca.key\n");
  CHECK(mode_of(ca) == 0700);
  CHECK(mode_of(ca + "/ca.key") == 0600);
  auto issue = run_troupe(
      {"certs", "issue", "--name", "node-1", "--role", "executor", ca});
  INFO("stderr: " << issue.err);
  REQUIRE(issue.exit_code == 0);
  CHECK(issue.out ==
        "certificate: " + ca + "/node-1.pem\nkey: " + ca + "/node-1.key\n");
  CHECK(mode_of(ca + "/node-1.key") == 0600);
  auto id = troupe::verify_certificate(text_of(ca + "/node-1.pem"),
                                       text_of(ca + "/ca.pem"));
  CHECK(id.principal == "node-1");
  CHECK(id.role == "executor");
  CHECK(troupe::verify_certificate(text_of(ca + "/ca.pem"),
                                   text_of(ca + "/ca.pem"))
            .principal == "test CA");
}

TEST_CASE("certs refuses to overwrite a CA or a key with exit 2",
          "[cli][certs]") {
  scratch_dir dir;
  auto ca = dir / "ca";
  REQUIRE(run_troupe({"certs", "init", ca}).exit_code == 0);
  auto ca_key = text_of(ca + "/ca.key");
  auto again = run_troupe({"certs", "init", ca});
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, StartsWith("troupe: DIR: " + ca +
                                   "/ca.key already "
                                   "exists"));
  CHECK(text_of(ca + "/ca.key") == ca_key);
  std::vector<std::string> args{"certs",  "issue",     "--name", "alice",
                                "--role", "submitter", ca};
  REQUIRE(run_troupe(args).exit_code == 0);
  auto key = text_of(ca + "/alice.key");
  auto twice = run_troupe(args);
  CHECK(twice.exit_code == 2);
  CHECK_THAT(twice.err,
             Contains("--name: " + ca + "/alice.key already exists"));
  CHECK(text_of(ca + "/alice.key") == key);
}

TEST_CASE("certs with a bad role, name, validity or directory exits 2 naming "
          "it",
          "[cli][certs]") {
  scratch_dir dir;
  auto ca = dir / "ca";
  REQUIRE(run_troupe({"certs", "init", ca}).exit_code == 0);
  auto issue = [&](const std::string& name, const std::string& role,
                   const std::string& days = "365",
                   const std::string& where = {}) {
    return run_troupe({"certs", "issue", "--name", name, "--role", role,
                       "--days", days, where.empty() ? ca : where});
  };
  auto bad_role = issue("bob", "root");
  CHECK(bad_role.exit_code == 2);
  CHECK_THAT(bad_role.err,
             Contains("--role: must be admin, operator, submitter, reader or "
                      "executor, got \"root\""));
  auto bad_name = issue("../bob", "reader");
  CHECK(bad_name.exit_code == 2);
  CHECK_THAT(bad_name.err, Contains("--name: must be 1 to 64 characters"));
  auto bad_days = issue("bob", "reader", "0");
  CHECK(bad_days.exit_code == 2);
  CHECK_THAT(bad_days.err, Contains("--days: must be between 1 and 36500"));
  auto no_ca = issue("bob", "reader", "365", dir / "nowhere");
  CHECK(no_ca.exit_code == 2);
  CHECK_THAT(no_ca.err, Contains("DIR: cannot read " + (dir / "nowhere")));
  auto no_role = run_troupe({"certs", "issue", "--name", "bob", ca});
  CHECK(no_role.exit_code == 2);
  CHECK_THAT(no_role.err, Contains("--role"));
  // None of the refusals wrote a file.
  CHECK_FALSE(std::filesystem::exists(ca + "/bob.key"));
}
