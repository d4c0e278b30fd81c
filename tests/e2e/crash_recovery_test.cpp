// Crash recovery: a child process running a node is killed with SIGKILL in
// the middle of a workload; a new node on the same directory completes every
// job whose submission had been acknowledged.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "tests/e2e/node_fixture.hpp"

using namespace troupe;
using troupe::test::node_fixture;

namespace {

/// A child process whose stdout we read line by line.
struct child_process {
  pid_t pid = -1;
  FILE* out = nullptr;

  child_process(const std::string& program,
                const std::vector<std::string>& args) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      std::vector<char*> argv{const_cast<char*>(program.c_str())};
      for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(program.c_str(), argv.data());
      _exit(127);
    }
    close(fds[1]);
    out = fdopen(fds[0], "r");
  }

  /// Blocks for the next line; empty at end of output.
  std::string next_line() {
    char buf[512];
    if (fgets(buf, sizeof(buf), out) == nullptr)
      return {};
    std::string line{buf};
    if (!line.empty() && line.back() == '\n')
      line.pop_back();
    return line;
  }

  int kill_and_reap() {
    ::kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    fclose(out);
    return status;
  }
};

} // namespace

TEST_CASE_METHOD(node_fixture,
                 "a node killed mid-run loses no acknowledged job and resumes "
                 "running ones as the next attempt",
                 "[e2e][recovery]") {
  child_process child{TROUPE_CRASH_CHILD, {options.store.path, "3000"}};
  std::set<std::string> acked;
  size_t started = 0;
  // Kill once the workload is in full swing: many acknowledged, many run.
  while (acked.size() < 1000 || started < 40) {
    auto line = child.next_line();
    REQUIRE_FALSE(line.empty());
    if (line.rfind("acked ", 0) == 0)
      acked.insert(line.substr(6));
    else if (line.rfind("running ", 0) == 0)
      ++started;
  }
  auto status = child.kill_and_reap();
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);

  node n{options};
  n.handle("work", [](job_context& ctx) {
    return nlohmann::json{{"attempt", ctx.attempt()}};
  });
  REQUIRE_FALSE(n.start());
  std::vector<std::string> ledger(acked.begin(), acked.end());
  auto records = wait(n, ledger);
  size_t resumed = 0;
  for (const auto& record : records) {
    REQUIRE(record.status == job_status::completed);
    auto entries = history(n, record.id);
    auto recovered = std::find_if(
        entries.begin(), entries.end(),
        [](const history_entry& e) { return e.principal == "recovery"; });
    if (recovered == entries.end())
      continue;
    ++resumed;
    CHECK(recovered->from == job_status::running);
    CHECK(recovered->message.find("was running when the node died") !=
          std::string::npos);
    CHECK(record.attempt == recovered->attempt);
    CHECK(record.attempt >= 2);
    CHECK(record.result ==
          "{\"attempt\":" + std::to_string(record.attempt) + "}");
  }
  CHECK(resumed >= 1);
}

TEST_CASE_METHOD(node_fixture,
                 "a job that kills the node three times in a row is failed "
                 "instead of recovered again",
                 "[e2e][recovery]") {
  // Each run recovers the job and starts it again, and it kills the node.
  for (int run = 1; run <= 3; ++run) {
    child_process child{TROUPE_CRASH_CHILD, {options.store.path, "poison"}};
    CHECK(child.next_line() == "acked poison");
    int status = 0;
    REQUIRE(waitpid(child.pid, &status, 0) == child.pid);
    fclose(child.out);
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);
  }
  node n{options};
  REQUIRE_FALSE(n.start());
  auto job = wait(n, {"poison"}).front();
  CHECK(job.status == job_status::failed);
  CHECK(job.attempt == 3);
  CHECK(job.error.find("attempt 3 crashed the node") == 0);
  auto entries = history(n, "poison");
  auto died =
      std::count_if(entries.begin(), entries.end(), [](const history_entry& e) {
        return e.message.find("when the node died") != std::string::npos;
      });
  CHECK(died == 2);
}
