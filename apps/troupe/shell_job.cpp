// Child processes of shell jobs: fork/exec into a new process group, read
// both pipes with poll (50 ms, so cancellation is noticed), end the group
// with SIGTERM then SIGKILL, and always reap. Nothing but async-signal-safe
// calls may run between fork and exec: the server is multithreaded.
#include "apps/troupe/shell_job.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "apps/troupe/shell_command.hpp"

namespace troupe {

namespace {

using json = nlohmann::json;
using steady = std::chrono::steady_clock;

constexpr size_t tail_bytes = 4096;
constexpr int poll_interval_ms = 50;
// Between SIGTERM and SIGKILL, and between SIGKILL and giving up.
constexpr auto term_grace = std::chrono::seconds(2);
// How long output pipes may stay open after the main process exited (a
// background process holding them is then ended with the group).
constexpr auto linger = std::chrono::milliseconds(200);

bool continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// Cuts to the last `tail_bytes` and replaces bytes that are not UTF-8 with
// '?', because results and errors travel as JSON.
std::string utf8_tail(const std::string& data) {
  size_t begin = data.size() > tail_bytes ? data.size() - tail_bytes : 0;
  while (begin < data.size() && continuation(data[begin]))
    ++begin;
  std::string result;
  for (size_t i = begin; i < data.size();) {
    auto c = static_cast<unsigned char>(data[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    bool ok = len > 0 && i + len <= data.size();
    for (size_t k = 1; ok && k < len; ++k)
      ok = continuation(data[i + k]);
    if (ok && (len == 1 || c >= 0xC2)) {
      result.append(data, i, len);
      i += len;
    } else {
      result += '?';
      ++i;
    }
  }
  return result;
}

void write_text(const char* text) {
  auto ignored = write(STDERR_FILENO, text, strlen(text));
  (void)ignored;
}

// Runs in the forked child: async-signal-safe calls only.
[[noreturn]] void exec_child(const shell_command& cmd, char* const* argv,
                             char* const* envp, int in, int out, int err) {
  setpgid(0, 0);
  // The server blocks SIGINT/SIGTERM for sigwait; a job must not inherit
  // that, or it could not be terminated.
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_DFL);
  dup2(in, STDIN_FILENO);
  dup2(out, STDOUT_FILENO);
  dup2(err, STDERR_FILENO);
  // The job must not inherit the server's sockets or store files.
  if (close_range(3, ~0U, 0) != 0)
    for (int fd = 3; fd < 1024; ++fd)
      close(fd);
  if (!cmd.cwd.empty() && chdir(cmd.cwd.c_str()) != 0) {
    write_text("troupe shell job: cannot change directory to ");
    write_text(cmd.cwd.c_str());
    write_text("\n");
    _exit(126);
  }
  execve(cmd.program.c_str(), argv, envp);
  write_text("troupe shell job: cannot execute ");
  write_text(cmd.program.c_str());
  write_text("\n");
  _exit(127);
}

/// One child process and its process group, from fork to reaping.
class shell_process {
public:
  shell_process() = default;
  shell_process(const shell_process&) = delete;
  shell_process& operator=(const shell_process&) = delete;

  ~shell_process() {
    for (int fd : fds_)
      if (fd >= 0)
        close(fd);
    if (pid_ > 0 && !exited_) {
      kill(-pid_, SIGKILL);
      waitpid(pid_, &status_, 0);
    }
  }

  /// Forks and execs `cmd`; returns an error message or an empty string.
  std::string start(const shell_command& cmd) {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0)
      return std::string{"cannot create a pipe: "} + strerror(errno);
    if (pipe2(err, O_CLOEXEC) != 0) {
      close(out[0]);
      close(out[1]);
      return std::string{"cannot create a pipe: "} + strerror(errno);
    }
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    // Everything the child uses is built before fork.
    std::vector<char*> argv, envp;
    for (const auto& arg : cmd.argv)
      argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    for (const auto& entry : cmd.environment)
      envp.push_back(const_cast<char*>(entry.c_str()));
    envp.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0)
      exec_child(cmd, argv.data(), envp.data(), in, out[1], err[1]);
    auto fork_errno = errno;
    close(out[1]);
    close(err[1]);
    if (in >= 0)
      close(in);
    fds_[0] = out[0];
    fds_[1] = err[0];
    if (pid_ < 0)
      return std::string{"cannot fork: "} + strerror(fork_errno);
    // Also set here: whichever of parent and child runs first, the group
    // exists before anyone signals it.
    setpgid(pid_, pid_);
    return {};
  }

  /// Reads output until the process and its group are gone; ends the group
  /// once `cancelled` returns true or the main process left others behind.
  void supervise(const std::function<bool()>& cancelled) {
    for (;;) {
      bool pipes_open = read_pipes();
      reap();
      auto now = steady::now();
      bool lingered = !pipes_open || now - exited_at_ > linger;
      if (!term_sent_ && cancelled()) {
        cancelled_ = true;
        terminate();
      } else if (!term_sent_ && exited_ && lingered && group_alive()) {
        terminate(); // Processes left running after the main one exited.
      }
      if (exited_ && lingered && !group_alive())
        return;
      if (term_sent_ && !kill_sent_ && now - term_at_ >= term_grace) {
        kill(-pid_, SIGKILL);
        kill_sent_ = true;
        kill_at_ = now;
      }
      if (kill_sent_ && now - kill_at_ >= term_grace && exited_)
        return; // Only unreapable strangers are left; do not hang the slot.
    }
  }

  pid_t pid() const { return pid_; }
  bool cancelled() const { return cancelled_; }
  bool killed() const { return kill_sent_; }
  int signal_number() const {
    return WIFSIGNALED(status_) ? WTERMSIG(status_) : 0;
  }
  int exit_code() const {
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + signal_number();
  }
  std::string stdout_tail() const { return utf8_tail(output_[0]); }
  std::string stderr_tail() const { return utf8_tail(output_[1]); }

private:
  // Waits up to one poll interval for output; returns whether a pipe is
  // still open.
  bool read_pipes() {
    pollfd fds[2];
    nfds_t count = 0;
    int index[2];
    for (int i = 0; i < 2; ++i)
      if (fds_[i] >= 0) {
        fds[count] = pollfd{fds_[i], POLLIN, 0};
        index[count++] = i;
      }
    if (poll(count > 0 ? fds : nullptr, count, poll_interval_ms) <= 0)
      return count > 0;
    char buf[4096];
    for (nfds_t k = 0; k < count; ++k) {
      if (fds[k].revents == 0)
        continue;
      auto n = read(fds[k].fd, buf, sizeof(buf));
      if (n > 0) {
        auto& out = output_[index[k]];
        out.append(buf, static_cast<size_t>(n));
        if (out.size() > 4 * tail_bytes)
          out.erase(0, out.size() - tail_bytes - 4);
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        close(fds_[index[k]]);
        fds_[index[k]] = -1;
      }
    }
    return fds_[0] >= 0 || fds_[1] >= 0;
  }

  // Reaps the main process and, when this process is their subreaper, the
  // orphans of its group.
  void reap() {
    int status = 0;
    pid_t done;
    while ((done = waitpid(-pid_, &status, WNOHANG)) > 0)
      if (done == pid_) {
        exited_ = true;
        status_ = status;
        exited_at_ = steady::now();
      }
  }

  bool group_alive() const { return kill(-pid_, 0) == 0 || errno == EPERM; }

  void terminate() {
    kill(-pid_, SIGTERM);
    term_sent_ = true;
    term_at_ = steady::now();
  }

  pid_t pid_ = -1;
  int fds_[2] = {-1, -1};
  std::string output_[2];
  bool exited_ = false;
  int status_ = 0;
  bool cancelled_ = false;
  bool term_sent_ = false;
  bool kill_sent_ = false;
  steady::time_point exited_at_, term_at_, kill_at_;
};

job_result outcome_of(const shell_process& child) {
  auto out = child.stdout_tail();
  auto err = child.stderr_tail();
  if (child.cancelled())
    return job_result::failure(
        "cancelled: process group " + std::to_string(child.pid()) +
        (child.killed() ? " killed with SIGKILL" : " ended with SIGTERM") +
        "; stderr: " + err);
  int code = child.exit_code();
  if (code != 0) {
    auto why = child.signal_number() != 0
                   ? "killed by signal " +
                         std::to_string(child.signal_number()) +
                         " (exit code " + std::to_string(code) + ")"
                   : "exit code " + std::to_string(code);
    return job_result::failure(why + "; stderr: " + err);
  }
  return json{{"exit_code", code}, {"stdout_tail", out}, {"stderr_tail", err}};
}

} // namespace

job_result run_shell_job(job_context& ctx) {
  shell_command cmd;
  if (auto err = parse_shell_command(ctx.payload(), cmd); !err.empty())
    return job_result::failure(err);
  shell_process child;
  if (auto err = child.start(cmd); !err.empty())
    return job_result::failure(err);
  ctx.progress(0, "running as pid " + std::to_string(child.pid()));
  child.supervise([&ctx] { return ctx.cancelled(); });
  return outcome_of(child);
}

void adopt_orphaned_processes() {
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

} // namespace troupe
