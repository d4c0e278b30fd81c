// Refusing unsafe exposure through the real binary: no listening beyond
// loopback without TLS unless --insecure-no-tls (which warns on every
// start), TLS files all or none, and the acl config key checked entry by
// entry.
#include <catch2/catch.hpp>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

namespace {

const std::string beyond_loopback =
    " is beyond loopback: serve it with TLS (--tls-cert, --tls-key, "
    "--tls-ca) or pass --insecure-no-tls";

const std::string warning = "troupe: WARNING: listening on 0.0.0.0:";

const std::string tls_rule =
    "tls: --tls-cert, --tls-key and --tls-ca go together";

/// `troupe ARGS` in the background, its stderr appended to the file `log`.
std::unique_ptr<background_process>
start_logged(const std::vector<std::string>& args, const std::string& log) {
  std::vector<std::string> wrapper{"/bin/sh", "-c",
                                   "exec \"$0\" \"$@\" 2>>'" + log + "'"};
  return std::make_unique<background_process>(args, wrapper);
}

std::string read_text(const std::string& path) {
  std::ifstream in{path};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

size_t count_of(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1))
    ++count;
  return count;
}

/// Writes `text` to `dir / name`; returns the path.
std::string write_file(const scratch_dir& dir, const std::string& name,
                       const std::string& text) {
  auto path = dir / name;
  std::ofstream{path} << text;
  return path;
}

void check_refused(const run_result& result, const std::string& message) {
  INFO("stdout: " << result.out << "\nstderr: " << result.err);
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains(message));
}

} // namespace

TEST_CASE("serve refuses to listen beyond loopback without TLS and changes "
          "nothing",
          "[cli][exposure]") {
  scratch_dir dir;
  auto data = dir / "data";
  check_refused(run_troupe({"serve", "--listen", "0.0.0.0:0", "--data", data}),
                "troupe: listen: 0.0.0.0" + beyond_loopback);
  check_refused(run_troupe({"serve", "--listen", "[::]:0", "--data", data}),
                "listen: ::" + beyond_loopback);
  auto config = write_file(dir, "wide.json", R"({"listen": "0.0.0.0:0"})");
  check_refused(run_troupe({"serve", "--config", config, "--data", data}),
                "listen: 0.0.0.0" + beyond_loopback);
  // Refused before anything was made: not even the data directory.
  CHECK_FALSE(std::filesystem::exists(data));
}

TEST_CASE("serve with --insecure-no-tls listens beyond loopback and warns on "
          "every start",
          "[cli][exposure]") {
  scratch_dir dir;
  auto log = dir / "serve.log";
  auto config =
      write_file(dir, "insecure.json", R"({"insecure_no_tls": true})");
  // Once by flag, once by config key.
  for (const auto& how : {std::vector<std::string>{"--insecure-no-tls"},
                          std::vector<std::string>{"--config", config}}) {
    std::vector<std::string> args{"serve", "--listen", "0.0.0.0:0", "--data",
                                  dir / "data"};
    args.insert(args.end(), how.begin(), how.end());
    auto server = start_logged(args, log);
    auto port = std::to_string(server->port_after("0.0.0.0:"));
    // 0.0.0.0 takes loopback too: a client reaches it there.
    auto listed = run_troupe({"list", "--server", "127.0.0.1:" + port});
    INFO("stderr: " << listed.err);
    CHECK(listed.exit_code == 0);
    CHECK(server->stop(SIGTERM) == 0);
    CHECK_THAT(read_text(log),
               Catch::Contains(warning + port +
                               " without TLS: anyone who reaches this port "
                               "can run jobs"));
  }
  CHECK(count_of(read_text(log), warning) == 2);
}

TEST_CASE("a bare node refuses to listen beyond loopback without TLS and "
          "warns with --insecure-no-tls",
          "[cli][exposure]") {
  scratch_dir dir;
  check_refused(run_troupe({"node", "--listen", "0.0.0.0:0"}),
                "troupe: listen: 0.0.0.0" + beyond_loopback);
  // Names are not resolved: only "localhost" counts as loopback.
  for (auto host : {"10.0.0.1", "example.com", "::ffff:10.0.0.1"})
    check_refused(
        run_troupe({"node", "--listen", "[" + std::string{host} + "]:0"}),
        "listen: " + std::string{host} + beyond_loopback);
  auto log = dir / "node.log";
  {
    auto bare = start_logged(
        {"node", "--listen", "0.0.0.0:0", "--insecure-no-tls"}, log);
    auto port = std::to_string(bare->port_after("0.0.0.0:"));
    CHECK(bare->stop(SIGTERM) == 0);
    CHECK_THAT(read_text(log),
               Catch::Contains(warning + port + " without TLS"));
  }
  // All of 127.0.0.0/8 and localhost are loopback: no refusal, no warning.
  auto quiet = dir / "quiet.log";
  for (std::string host : {"127.0.0.2", "localhost"}) {
    auto bare = start_logged({"node", "--listen", host + ":0"}, quiet);
    CHECK_THAT(bare->banner(), Catch::Contains("listening on " + host + ":"));
    CHECK(bare->stop(SIGTERM) == 0);
  }
  CHECK(read_text(quiet).find("WARNING") == std::string::npos);
}

TEST_CASE("TLS files given partially are refused with exit 2 naming the rule",
          "[cli][exposure]") {
  scratch_dir dir;
  auto pem = write_file(dir, "some.pem", "not checked here\n");
  auto data = dir / "data";
  check_refused(run_troupe({"serve", "--data", data, "--tls-cert", pem}),
                tls_rule);
  check_refused(run_troupe({"node", "--tls-key", pem, "--tls-ca", pem}),
                tls_rule);
  check_refused(
      run_troupe({"worker", "--join", "127.0.0.1:1", "--tls-ca", pem}),
      tls_rule);
  auto config = write_file(dir, "cert-only.json",
                           nlohmann::json{{"tls_cert", pem}}.dump());
  check_refused(run_troupe({"serve", "--data", data, "--config", config}),
                tls_rule);
  // Checked before the server is contacted: exit 2, never 3.
  check_refused(run_troupe({"list", "--server", "127.0.0.1:1", "--tls-cert",
                            pem, "--tls-key", pem}),
                tls_rule);
  check_refused(run_troupe({"stats", "--server", "127.0.0.1:1"},
                           {"TROUPE_TLS_CA=" + pem}),
                tls_rule);
  check_refused(
      run_troupe({"serve", "--data", data, "--tls-cert", dir / "missing.pem",
                  "--tls-key", pem, "--tls-ca", pem}),
      "--tls-cert: cannot read file " + (dir / "missing.pem"));
  auto not_text = write_file(dir, "number.json", R"({"tls_ca": 7})");
  check_refused(run_troupe({"node", "--config", not_text}),
                "\"tls_ca\" must be a file name");
  CHECK_FALSE(std::filesystem::exists(data));
}

TEST_CASE("acl config errors are refused with exit 2 naming the key",
          "[cli][exposure]") {
  scratch_dir dir;
  const std::string roles =
      " must be an array of role names (admin, operator, submitter, reader, "
      "executor)";
  struct bad_acl {
    std::string acl;
    std::string message;
  };
  for (const auto& bad :
       {bad_acl{R"({"alice": ["root"]})",
                "\"acl.alice\"" + roles + ", got \"root\""},
        bad_acl{R"({"ops": "operator"})", "\"acl.ops\"" + roles},
        bad_acl{R"({"ops": ["reader", 1]})", "\"acl.ops\"" + roles},
        bad_acl{R"(["alice"])", "\"acl\" must be an object mapping "
                                "principals to arrays of role names"},
        bad_acl{R"({"": ["reader"]})",
                "\"acl.\": a principal must not be empty"}}) {
    auto config = write_file(dir, "acl.json", R"({"acl": )" + bad.acl + "}");
    INFO("acl: " << bad.acl);
    check_refused(
        run_troupe({"serve", "--data", dir / "data", "--config", config}),
        bad.message);
    check_refused(run_troupe({"node", "--config", config}), bad.message);
  }
  CHECK_FALSE(std::filesystem::exists(dir / "data"));
  auto good = write_file(
      dir, "good.json",
      R"({"acl": {"alice": ["submitter"], "ops": ["operator", "reader"]}})");
  server_process server{dir / "data", {"--config", good}};
  CHECK_THAT(server.banner(), Catch::Contains("listening on 127.0.0.1:"));
}
