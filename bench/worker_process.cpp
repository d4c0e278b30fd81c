// fork/exec of a `troupe worker` with stdout on a pipe and stderr in a log
// file; its first line is read with a blocking read, never with a sleep.
#include "bench/worker_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <utility>
#include <vector>

#include "troupe/messages/errc.hpp"

namespace troupe::bench {

namespace {

int exit_code_of(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

caf::error failure(const std::string& what) {
  return make_error(errc::node_unreachable, what);
}

/// Runs in the child: only async-signal-safe calls. Descriptors beyond
/// stdio are closed so the worker holds none of the coordinator's sockets.
[[noreturn]] void exec_worker(std::vector<char*>& argv, int out_fd,
                              int err_fd) {
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  close_range(3, ~0U, 0);
  execv(argv[0], argv.data());
  _exit(127);
}

} // namespace

caf::expected<worker_process>
worker_process::start(const worker_settings& settings) {
  // Built before fork: the child must not allocate.
  std::vector<std::string> args{
      settings.binary, "worker",
      "--join",        settings.join,
      "--name",        settings.name,
      "--slots",       std::to_string(settings.slots)};
  if (settings.tls.enabled())
    args.insert(args.end(), {"--tls-cert", settings.tls.cert, "--tls-key",
                             settings.tls.key, "--tls-ca", settings.tls.ca});
  std::vector<char*> argv;
  for (auto& arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  int log = ::open(settings.log_file.c_str(),
                   O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log < 0)
    return failure("cannot open " + settings.log_file + ": " +
                   std::strerror(errno));
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    ::close(log);
    return failure(std::string{"pipe: "} + std::strerror(errno));
  }
  worker_process proc;
  proc.pid_ = fork();
  if (proc.pid_ == 0)
    exec_worker(argv, out[1], log);
  ::close(out[1]);
  ::close(log);
  if (proc.pid_ < 0) {
    ::close(out[0]);
    return failure(std::string{"fork: "} + std::strerror(errno));
  }
  proc.out_ = fdopen(out[0], "r");
  char line[512];
  // Blocks until the worker joined, or exited and so closed the pipe.
  if (proc.out_ == nullptr || fgets(line, sizeof(line), proc.out_) == nullptr)
    return failure(settings.name + " exited before joining (exit code " +
                   std::to_string(proc.stop(SIGKILL)) + ", see " +
                   settings.log_file + ")");
  proc.banner_ = line;
  if (!proc.banner_.empty() && proc.banner_.back() == '\n')
    proc.banner_.pop_back();
  if (proc.banner_.find("joined") == std::string::npos)
    return failure(settings.name + " did not join: " + proc.banner_);
  return proc;
}

worker_process::worker_process(worker_process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      out_(std::exchange(other.out_, nullptr)),
      banner_(std::move(other.banner_)) {
  // nop
}

worker_process& worker_process::operator=(worker_process&& other) noexcept {
  if (this != &other) {
    stop(SIGKILL);
    pid_ = std::exchange(other.pid_, -1);
    out_ = std::exchange(other.out_, nullptr);
    banner_ = std::move(other.banner_);
  }
  return *this;
}

worker_process::~worker_process() {
  stop(SIGKILL);
}

int worker_process::stop(int signal) {
  int code = -1;
  if (pid_ > 0) {
    ::kill(pid_, signal);
    int status = 0;
    if (waitpid(pid_, &status, 0) == pid_)
      code = exit_code_of(status);
    pid_ = -1;
  }
  if (out_ != nullptr)
    fclose(out_);
  out_ = nullptr;
  return code;
}

} // namespace troupe::bench
