// Every process a shell attempt starts ends with the attempt, however it
// detached (setsid): on completion, on cancellation, when the server is
// killed, and at the next start when even the attempt's supervisor was
// killed with the server.
#include <catch2/catch.hpp>

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

namespace {

using steady = std::chrono::steady_clock;

// How long the OS may take to start or end a process on a loaded machine.
constexpr auto os_deadline = std::chrono::seconds(20);

std::vector<pid_t> read_pids(const std::string& path) {
  std::ifstream in{path};
  std::vector<pid_t> pids;
  for (pid_t pid = 0; in >> pid;)
    pids.push_back(pid);
  return pids;
}

// Polls the file the job writes until it names `count` processes.
std::vector<pid_t> wait_for_pids(const std::string& path, size_t count) {
  auto deadline = steady::now() + os_deadline;
  auto pids = read_pids(path);
  while (pids.size() < count && steady::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    pids = read_pids(path);
  }
  REQUIRE(pids.size() >= count);
  return pids;
}

// The state letter of `pid` in /proc/PID/stat, or 0 if it is gone.
char state_of(pid_t pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/stat"};
  std::string text{std::istreambuf_iterator<char>{in}, {}};
  auto paren = text.rfind(')');
  return paren == std::string::npos || paren + 2 >= text.size()
             ? 0
             : text[paren + 2];
}

bool running(pid_t pid) {
  auto state = state_of(pid);
  return state != 0 && state != 'Z';
}

// Waits for the OS to end `pid` (gone, or a zombie nobody here can reap).
bool ended(pid_t pid) {
  auto deadline = steady::now() + os_deadline;
  while (running(pid) && steady::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return !running(pid);
}

// The processes whose parent is `parent`.
std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> result;
  auto* dir = opendir("/proc");
  REQUIRE(dir != nullptr);
  while (auto* entry = readdir(dir)) {
    auto pid = static_cast<pid_t>(std::atoi(entry->d_name));
    if (pid <= 0)
      continue;
    std::ifstream in{"/proc/" + std::to_string(pid) + "/stat"};
    std::string text{std::istreambuf_iterator<char>{in}, {}};
    auto paren = text.rfind(')');
    if (paren != std::string::npos &&
        std::atoi(text.c_str() + paren + 4) == parent)
      result.push_back(pid);
  }
  closedir(dir);
  return result;
}

// A job that writes its pid, then starts a detached `sleep 30` in a session
// of its own that writes its pid too, waits for that, and then sleeps too
// or exits.
json detaching_job(const std::string& pids, bool main_waits) {
  auto cmd = "echo $$ >> " + pids + "; setsid sh -c 'echo $$ >> " + pids +
             "; exec sleep 30' > /dev/null 2>&1 & until [ $(wc -l < " + pids +
             ") -ge 2 ]; do sleep 0.02; done" +
             (main_waits ? "; sleep 30" : "");
  return json{{"cmd", cmd}};
}

} // namespace

TEST_CASE_METHOD(shell_fixture,
                 "no process of a shell job survives a SIGKILL of the server "
                 "and its restart",
                 "[cli][shell][processes]") {
  auto pids_file = dir / "pids";
  auto id = submit({"--type", "shell", "--payload",
                    detaching_job(pids_file, true).dump(), "--id", "orphan"});
  auto pids = wait_for_pids(pids_file, 2);
  REQUIRE(server->stop(SIGKILL) == 128 + SIGKILL);
  start_server();
  for (auto pid : pids) {
    INFO("pid " << pid);
    CHECK(ended(pid));
  }
  // The job runs again, alone.
  auto again = wait_for_pids(pids_file, 4);
  CHECK(status(id)["attempt"] == 2);
  REQUIRE(troupe({"cancel", id}).exit_code == 0);
  for (size_t i = 2; i < again.size(); ++i)
    CHECK(ended(again[i]));
}

TEST_CASE_METHOD(shell_fixture,
                 "a restart kills what shell jobs left when their supervisors "
                 "died with the server",
                 "[cli][shell][processes]") {
  auto pids_file = dir / "pids";
  submit(
      {"--type", "shell", "--payload", detaching_job(pids_file, true).dump()});
  auto pids = wait_for_pids(pids_file, 2);
  // Frozen, the server cannot react; its supervisors die with it.
  auto server_pid = server->pid();
  REQUIRE(::kill(server_pid, SIGSTOP) == 0);
  auto supervisors = children_of(server_pid);
  REQUIRE_FALSE(supervisors.empty());
  for (auto pid : supervisors)
    ::kill(pid, SIGKILL);
  server->stop(SIGKILL);
  for (auto pid : pids)
    CHECK(running(pid)); // Nobody is left to end them.
  start_server();
  for (auto pid : pids) {
    INFO("pid " << pid);
    CHECK(ended(pid));
  }
}

TEST_CASE_METHOD(shell_fixture,
                 "cancelling or completing a shell job ends its detached "
                 "processes",
                 "[cli][shell][processes]") {
  auto cancelled_pids = dir / "cancelled";
  auto id = submit({"--type", "shell", "--payload",
                    detaching_job(cancelled_pids, true).dump()});
  auto pids = wait_for_pids(cancelled_pids, 2);
  REQUIRE(troupe({"cancel", id}).exit_code == 0);
  for (auto pid : pids)
    CHECK(ended(pid));
  // The main process exits at once and leaves the detached one behind.
  auto completed_pids = dir / "completed";
  auto done = submit({"--type", "shell", "--payload",
                      detaching_job(completed_pids, false).dump(), "--wait"});
  CHECK(status(done)["status"] == "completed");
  pids = wait_for_pids(completed_pids, 2);
  for (auto pid : pids)
    CHECK(ended(pid));
}
