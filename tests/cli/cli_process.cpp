// Process handling for the CLI tests: fork/exec of the real troupe binary,
// output captured through pipes read with poll until both are closed.
#include "tests/cli/cli_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include <catch2/catch.hpp>

extern char** environ;

namespace troupe::cli_test {

namespace {

int exit_code_of(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

// Built before fork: the child only calls async-signal-safe functions.
struct exec_args {
  std::vector<std::string> strings;
  std::vector<char*> argv;
  std::vector<std::string> env_strings;
  std::vector<char*> envp;

  exec_args(const std::vector<std::string>& args,
            const std::vector<std::string>& env,
            const std::vector<std::string>& wrapper = {},
            const std::string& binary = TROUPE_BINARY) {
    strings = wrapper;
    strings.push_back(binary);
    strings.insert(strings.end(), args.begin(), args.end());
    for (auto& s : strings)
      argv.push_back(s.data());
    argv.push_back(nullptr);
    for (char** e = environ; *e != nullptr; ++e)
      if (std::string{*e}.rfind("TROUPE_SERVER=", 0) != 0)
        env_strings.emplace_back(*e);
    env_strings.insert(env_strings.end(), env.begin(), env.end());
    for (auto& s : env_strings)
      envp.push_back(s.data());
    envp.push_back(nullptr);
  }
};

[[noreturn]] void exec_troupe(exec_args& args, int out_fd, int err_fd) {
  if (out_fd >= 0)
    dup2(out_fd, STDOUT_FILENO);
  if (err_fd >= 0)
    dup2(err_fd, STDERR_FILENO);
  execve(args.argv[0], args.argv.data(), args.envp.data());
  _exit(127);
}

// Reads both pipes until the child closed them.
void drain(int out_fd, int err_fd, std::string& out, std::string& err) {
  int fds[2] = {out_fd, err_fd};
  std::string* sinks[2] = {&out, &err};
  while (fds[0] >= 0 || fds[1] >= 0) {
    pollfd polled[2];
    int index[2];
    nfds_t count = 0;
    for (int i = 0; i < 2; ++i)
      if (fds[i] >= 0) {
        polled[count] = pollfd{fds[i], POLLIN, 0};
        index[count++] = i;
      }
    if (poll(polled, count, -1) < 0)
      continue;
    char buf[4096];
    for (nfds_t k = 0; k < count; ++k) {
      if (polled[k].revents == 0)
        continue;
      auto n = read(polled[k].fd, buf, sizeof(buf));
      if (n > 0) {
        sinks[index[k]]->append(buf, static_cast<size_t>(n));
      } else {
        close(fds[index[k]]);
        fds[index[k]] = -1;
      }
    }
  }
}

} // namespace

json run_result::parsed() const {
  INFO("stdout: " << out << "\nstderr: " << err);
  REQUIRE(json::accept(out));
  return json::parse(out);
}

run_result run_troupe(const std::vector<std::string>& args,
                      const std::vector<std::string>& env) {
  return run_wrapped_troupe({}, args, env);
}

run_result run_wrapped_troupe(const std::vector<std::string>& wrapper,
                              const std::vector<std::string>& args,
                              const std::vector<std::string>& env) {
  return run_program({}, args, env, wrapper);
}

run_result run_program(const std::string& binary,
                       const std::vector<std::string>& args,
                       const std::vector<std::string>& env,
                       const std::vector<std::string>& wrapper) {
  exec_args prepared{args, env, wrapper,
                     binary.empty() ? std::string{TROUPE_BINARY} : binary};
  int out[2], err[2];
  REQUIRE(pipe2(out, O_CLOEXEC) == 0);
  REQUIRE(pipe2(err, O_CLOEXEC) == 0);
  auto pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0)
    exec_troupe(prepared, out[1], err[1]);
  close(out[1]);
  close(err[1]);
  run_result result;
  drain(out[0], err[0], result.out, result.err);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  result.exit_code = exit_code_of(status);
  return result;
}

background_process::background_process(
    const std::vector<std::string>& args,
    const std::vector<std::string>& wrapper) {
  exec_args prepared{args, {}, wrapper};
  int out[2];
  REQUIRE(pipe2(out, O_CLOEXEC) == 0);
  pid_ = fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0)
    exec_troupe(prepared, out[1], -1);
  close(out[1]);
  out_ = fdopen(out[0], "r");
  char line[512];
  // Blocks until the process is ready (or exits, closing the pipe).
  REQUIRE(fgets(line, sizeof(line), out_) != nullptr);
  banner_ = line;
  if (!banner_.empty() && banner_.back() == '\n')
    banner_.pop_back();
}

background_process::~background_process() {
  if (pid_ > 0)
    stop(SIGKILL);
}

uint16_t background_process::port_after(const std::string& marker) const {
  auto at = banner_.find(marker);
  INFO("banner: " << banner_);
  REQUIRE(at != std::string::npos);
  auto port = std::stoi(banner_.substr(at + marker.size()));
  REQUIRE(port > 0);
  return static_cast<uint16_t>(port);
}

std::string background_process::wait_for_output(const std::string& needle) {
  char line[512];
  while (fgets(line, sizeof(line), out_) != nullptr) {
    std::string text = line;
    if (text.find(needle) != std::string::npos)
      return text;
  }
  FAIL("the process exited without printing \"" << needle << "\"");
  return {};
}

int background_process::stop(int signal) {
  if (pid_ <= 0)
    return -1;
  ::kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (out_ != nullptr)
    fclose(out_);
  out_ = nullptr;
  return exit_code_of(status);
}

server_process::server_process(const std::string& data_dir,
                               const std::vector<std::string>& extra_args,
                               uint16_t port) {
  std::vector<std::string> args{"serve", "--listen",
                                "127.0.0.1:" + std::to_string(port)};
  if (!data_dir.empty()) {
    args.push_back("--data");
    args.push_back(data_dir);
  }
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  process_ = std::make_unique<background_process>(args);
  port_ = process_->port_after("127.0.0.1:");
}

std::string server_process::address() const {
  return "127.0.0.1:" + std::to_string(port_);
}

std::vector<std::string> shell_config_args(const scratch_dir& dir) {
  auto path = dir / "shell.json";
  std::ofstream{path} << R"({"job_types": {"shell": true}})";
  return {"--config", path};
}

cli_fixture::cli_fixture() : cli_fixture(true) {
  // nop
}

cli_fixture::cli_fixture(bool start) {
  if (start)
    start_server();
}

void cli_fixture::start_server(const std::vector<std::string>& extra_args) {
  server.reset();
  auto args = server_args;
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  server = std::make_unique<server_process>(dir / "data", args);
}

shell_fixture::shell_fixture() : cli_fixture(false) {
  server_args = shell_config_args(dir);
  start_server();
}

run_result cli_fixture::troupe(std::vector<std::string> args) const {
  args.push_back("--server");
  args.push_back(server->address());
  return run_troupe(args);
}

std::string cli_fixture::submit(std::vector<std::string> args) const {
  args.insert(args.begin(), "submit");
  auto result = troupe(args);
  INFO("stderr: " << result.err);
  REQUIRE(result.exit_code == 0);
  auto id = result.out.substr(0, result.out.find('\n'));
  REQUIRE_FALSE(id.empty());
  return id;
}

json cli_fixture::status(const std::string& id) const {
  auto result = troupe({"status", id, "--json"});
  INFO("stderr: " << result.err);
  REQUIRE(result.exit_code == 0);
  return result.parsed();
}

json cli_fixture::list(std::vector<std::string> args) const {
  args.insert(args.begin(), "list");
  args.push_back("--json");
  auto result = troupe(args);
  INFO("stderr: " << result.err);
  REQUIRE(result.exit_code == 0);
  return result.parsed();
}

std::vector<std::string> ids_of(const json& jobs) {
  std::vector<std::string> result;
  for (const auto& job : jobs)
    result.push_back(job.at("id").get<std::string>());
  return result;
}

} // namespace troupe::cli_test
