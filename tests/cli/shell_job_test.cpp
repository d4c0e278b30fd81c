// The shell job type through a real server: output tails, exit codes, and
// a timed-out job whose whole process group is ended and reaped.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <thread>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

namespace {

pid_t read_pid(const std::string& path) {
  std::ifstream in{path};
  pid_t pid = 0;
  in >> pid;
  return pid;
}

// Waits for the OS (not for an actor) to remove `pid`, for at most 10 s.
bool process_gone(pid_t pid) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (::kill(pid, 0) == -1 && errno == ESRCH)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

} // namespace

TEST_CASE_METHOD(shell_fixture,
                 "a shell job returns its exit code and output tails",
                 "[cli][shell]") {
  auto id = submit({"--type", "shell", "--payload",
                    R"({"cmd": "echo hello; echo oops >&2"})", "--wait"});
  auto job = status(id);
  REQUIRE(job["status"] == "completed");
  CHECK(job["result"]["exit_code"] == 0);
  CHECK(job["result"]["stdout_tail"] == "hello\n");
  CHECK(job["result"]["stderr_tail"] == "oops\n");
  json payload{{"argv", {"sh", "-c", "echo $GREETING; pwd"}},
               {"env", {{"GREETING", "hi there"}}},
               {"cwd", dir.path.string()}};
  auto with_env =
      submit({"--type", "shell", "--payload", payload.dump(), "--wait"});
  CHECK(status(with_env)["result"]["stdout_tail"] ==
        "hi there\n" + dir.path.string() + "\n");
  // Only the last 4 KiB of a long output are kept.
  auto long_output = submit(
      {"--type", "shell", "--payload",
       R"({"cmd": "i=0; while [ $i -lt 2000 ]; do echo line$i; i=$((i+1)); done"})",
       "--wait"});
  auto tail = status(long_output)["result"]["stdout_tail"].get<std::string>();
  CHECK(tail.size() <= 4096);
  CHECK_THAT(tail, Catch::EndsWith("line1999\n"));
}

TEST_CASE_METHOD(shell_fixture,
                 "a shell job with a non-zero exit fails with its stderr",
                 "[cli][shell]") {
  auto result = troupe({"submit", "--type", "shell", "--payload",
                        R"({"cmd": "echo broken pipe dream >&2; exit 3"})",
                        "--retries", "0", "--wait"});
  CHECK(result.exit_code == 1);
  auto id = result.out.substr(0, result.out.find('\n'));
  auto error = status(id)["error"].get<std::string>();
  CHECK_THAT(error, Catch::Contains("exit code 3"));
  CHECK_THAT(error, Catch::Contains("broken pipe dream"));
  // A payload that can never run is refused at submission.
  auto bad = troupe({"submit", "--type", "shell", "--payload", R"({"cwd": 1})",
                     "--retries", "0", "--wait", "--json"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("needs exactly one of"));
  CHECK(bad.out.empty());
}

TEST_CASE_METHOD(shell_fixture,
                 "a shell job whose program cannot be executed fails at once",
                 "[cli][shell]") {
  auto missing = troupe({"submit", "--type", "shell", "--payload",
                         R"({"argv": ["no-such-program-xyz"]})", "--retries",
                         "3", "--wait"});
  CHECK(missing.exit_code == 1);
  auto id = missing.out.substr(0, missing.out.find('\n'));
  auto job = status(id);
  CHECK(job["status"] == "failed");
  CHECK(job["attempt"] == 1); // No retry, although three were allowed.
  CHECK_THAT(job["error"].get<std::string>(),
             Catch::Contains("no-such-program-xyz not found"));
  // Found, but not executable: the supervisor reports why exec failed.
  auto script = dir / "not-executable.sh";
  std::ofstream{script} << "echo never\n";
  json payload{{"argv", {script}}};
  auto refused = troupe({"submit", "--type", "shell", "--payload",
                         payload.dump(), "--retries", "3", "--wait"});
  CHECK(refused.exit_code == 1);
  id = refused.out.substr(0, refused.out.find('\n'));
  job = status(id);
  CHECK(job["attempt"] == 1);
  CHECK_THAT(job["error"].get<std::string>(),
             Catch::Contains("cannot execute " + script) &&
                 Catch::Contains("Permission denied"));
}

TEST_CASE_METHOD(shell_fixture,
                 "a timed-out shell job ends its whole process group",
                 "[cli][shell]") {
  auto shell_pid = dir / "shell.pid";
  auto child_pid = dir / "child.pid";
  json payload{{"cmd", "echo $$ > " + shell_pid + "; sleep 30 & echo $! > " +
                           child_pid + "; wait"}};
  auto result =
      troupe({"submit", "--type", "shell", "--payload", payload.dump(),
              "--timeout", "1", "--retries", "0", "--wait"});
  CHECK(result.exit_code == 1);
  auto id = result.out.substr(0, result.out.find('\n'));
  CHECK_THAT(status(id)["error"].get<std::string>(),
             Catch::Contains("timed out after 1 s"));
  auto shell = read_pid(shell_pid);
  auto child = read_pid(child_pid);
  REQUIRE(shell > 0);
  REQUIRE(child > 0);
  CHECK(process_gone(shell));
  CHECK(process_gone(child)); // Killed and reaped: not even a zombie.
}
