// The server's side of shell jobs: forks one supervisor per attempt (which
// starts the job), reads both pipes with poll (50 ms, so cancellation is
// noticed), asks the supervisor to end every process of the attempt with
// SIGTERM then SIGKILL, and always reaps.
#include "apps/troupe/shell_job.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "apps/troupe/shell_command.hpp"
#include "apps/troupe/shell_leftovers.hpp"
#include "apps/troupe/shell_supervisor.hpp"

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

// Closes every descriptor of `fds` that is open.
void close_all(std::initializer_list<int> fds) {
  for (int fd : fds)
    if (fd >= 0)
      close(fd);
}

/// One attempt's supervisor and the job it runs, from fork to reaping. The
/// server reads the job's output and decides when to end it; the supervisor
/// knows and signals every process of the attempt.
class shell_process {
public:
  shell_process() = default;
  shell_process(const shell_process&) = delete;
  shell_process& operator=(const shell_process&) = delete;

  ~shell_process() {
    if (supervisor_ > 0 && !supervisor_done_) {
      command(supervisor_command::kill);
      close_all({control_});
      control_ = -1; // End of file: the supervisor kills whatever is left.
      waitpid(supervisor_, nullptr, 0);
    }
    close_all({fds_[0], fds_[1], control_});
  }

  /// Forks the supervisor, which starts `cmd`; returns an error message or
  /// an empty string. `fatal()` tells whether trying again cannot help.
  std::string start(const shell_command& cmd) {
    int out[2], err[2], report[2], control[2];
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 ||
        pipe2(report, O_CLOEXEC) != 0 ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, control) != 0)
      return std::string{"cannot create a pipe: "} + strerror(errno);
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    // Everything the children use is built before fork.
    std::vector<char*> argv, envp;
    for (const auto& arg : cmd.argv)
      argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    for (const auto& entry : cmd.environment)
      envp.push_back(const_cast<char*>(entry.c_str()));
    envp.push_back(nullptr);
    supervisor_job job{cmd.program.c_str(), argv.data(), envp.data(),
                       cmd.cwd.empty() ? nullptr : cmd.cwd.c_str()};
    auto server = getpid();
    supervisor_ = fork();
    if (supervisor_ == 0)
      run_supervisor(job, {in, out[1], err[1], control[1], report[1]}, server);
    auto fork_errno = errno;
    close_all({in, out[1], err[1], control[1], report[1]});
    fds_[0] = out[0];
    fds_[1] = err[0];
    control_ = control[0];
    if (supervisor_ < 0) {
      close(report[0]);
      return std::string{"cannot fork: "} + strerror(fork_errno);
    }
    auto launched = read_launch_report(report[0], cmd);
    close(report[0]);
    // The supervisor sent the job's pid before the report pipe closed.
    while (launched.empty() && job_pid_ < 0 && control_ >= 0)
      read_control();
    return launched;
  }

  /// Reads output until every process of the attempt is gone; ends them
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
      } else if (!term_sent_ && exited_ && lingered && !supervisor_done_) {
        terminate(); // Processes left running after the main one exited.
      }
      if (supervisor_done_ && (lingered || !exited_))
        return;
      if (term_sent_ && !kill_sent_ && now - term_at_ >= term_grace) {
        command(supervisor_command::kill);
        kill_sent_ = true;
        kill_at_ = now;
      }
      if (kill_sent_ && now - kill_at_ >= term_grace && exited_)
        return; // Only unkillable processes are left; do not hang the slot.
    }
  }

  pid_t pid() const { return job_pid_; }
  bool fatal() const { return fatal_; }
  bool cancelled() const { return cancelled_; }
  bool killed() const { return kill_sent_; }
  /// Whether the supervisor itself was killed before the job's end.
  bool lost() const { return supervisor_done_ && !exited_; }
  int signal_number() const {
    return WIFSIGNALED(status_) ? WTERMSIG(status_) : 0;
  }
  int exit_code() const {
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + signal_number();
  }
  std::string stdout_tail() const { return utf8_tail(output_[0], tail_bytes); }
  std::string stderr_tail() const { return utf8_tail(output_[1], tail_bytes); }

private:
  // Blocks until the job was executed (end of file: the pipe closed on exec)
  // or until the supervisor or the job reported why it was not.
  std::string read_launch_report(int fd, const shell_command& cmd) {
    int record[2] = {0, 0};
    size_t got = 0;
    while (got < sizeof(record)) {
      auto n =
          read(fd, reinterpret_cast<char*>(record) + got, sizeof(record) - got);
      if (n > 0)
        got += static_cast<size_t>(n);
      else if (n == 0 || errno != EINTR)
        break;
    }
    if (got < sizeof(record))
      return {};
    auto stage = static_cast<launch_stage>(record[0]);
    auto why = std::string{strerror(record[1])};
    fatal_ = stage != launch_stage::fork;
    switch (stage) {
    case launch_stage::fork:
      return "cannot fork: " + why;
    case launch_stage::chdir:
      return "cannot change directory to " + cmd.cwd + ": " + why;
    default:
      return "cannot execute " + cmd.program + ": " + why;
    }
  }

  void command(supervisor_command what) {
    if (control_ < 0)
      return;
    auto byte = static_cast<char>(what);
    send(control_, &byte, 1, MSG_NOSIGNAL);
  }

  // Waits up to one poll interval for output or a report from the
  // supervisor; returns whether an output pipe is still open.
  bool read_pipes() {
    pollfd fds[3];
    nfds_t count = 0;
    int index[3];
    for (int i = 0; i < 2; ++i)
      if (fds_[i] >= 0) {
        fds[count] = pollfd{fds_[i], POLLIN, 0};
        index[count++] = i;
      }
    if (control_ >= 0) {
      fds[count] = pollfd{control_, POLLIN, 0};
      index[count++] = 2;
    }
    if (poll(count > 0 ? fds : nullptr, count, poll_interval_ms) <= 0)
      return fds_[0] >= 0 || fds_[1] >= 0;
    char buf[4096];
    for (nfds_t k = 0; k < count; ++k) {
      if (fds[k].revents == 0)
        continue;
      if (index[k] == 2) {
        read_control();
        continue;
      }
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

  // Reads the supervisor's report that the job's main process ended.
  void read_control() {
    char buf[64];
    auto n = read(control_, buf, sizeof(buf));
    if (n <= 0) {
      if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        close(control_);
        control_ = -1;
      }
      return;
    }
    control_input_.append(buf, static_cast<size_t>(n));
    constexpr size_t record = 1 + sizeof(int);
    while (control_input_.size() >= record) {
      int value = 0;
      std::memcpy(&value, control_input_.data() + 1, sizeof(int));
      if (control_input_[0] == supervisor_job_started) {
        job_pid_ = value;
      } else if (control_input_[0] == supervisor_job_exited && !exited_) {
        status_ = value;
        exited_ = true;
        exited_at_ = steady::now();
      }
      control_input_.erase(0, record);
    }
  }

  // Reaps the supervisor: it exits once no process of the attempt is left.
  void reap() {
    if (supervisor_done_)
      return;
    int status = 0;
    if (waitpid(supervisor_, &status, WNOHANG) != supervisor_)
      return;
    supervisor_done_ = true;
    while (control_ >= 0 && !exited_) {
      // Its last report may still be in the socket.
      pollfd fd{control_, POLLIN, 0};
      if (poll(&fd, 1, 0) <= 0)
        break;
      read_control();
    }
  }

  void terminate() {
    command(supervisor_command::terminate);
    term_sent_ = true;
    term_at_ = steady::now();
  }

  pid_t supervisor_ = -1;
  pid_t job_pid_ = -1;
  int fds_[2] = {-1, -1};
  int control_ = -1;
  std::string control_input_;
  std::string output_[2];
  bool exited_ = false;
  bool supervisor_done_ = false;
  bool fatal_ = false;
  int status_ = 0;
  bool cancelled_ = false;
  bool term_sent_ = false;
  bool kill_sent_ = false;
  steady::time_point exited_at_, term_at_, kill_at_;
};

job_result outcome_of(const shell_process& child) {
  auto out = child.stdout_tail();
  auto err = child.stderr_tail();
  if (child.lost())
    return job_result::failure("the supervisor of pid " +
                               std::to_string(child.pid()) +
                               " was killed; the attempt's processes were "
                               "ended; stderr: " +
                               err);
  if (child.cancelled())
    return job_result::failure(
        "cancelled: the processes of pid " + std::to_string(child.pid()) +
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

/// Sets `name` to `value` in `environment`, replacing an inherited value.
void set_variable(std::vector<std::string>& environment,
                  const std::string& name, const std::string& value) {
  auto prefix = name + "=";
  environment.erase(std::remove_if(environment.begin(), environment.end(),
                                   [&](const std::string& entry) {
                                     return entry.compare(0, prefix.size(),
                                                          prefix) == 0;
                                   }),
                    environment.end());
  environment.push_back(prefix + value);
}

/// The settings that mark every process of this attempt.
std::vector<std::string> attempt_marks(const job_context& ctx) {
  std::vector<std::string> marks{std::string{job_id_variable} + "=" + ctx.id(),
                                 std::string{job_attempt_variable} + "=" +
                                     std::to_string(ctx.attempt())};
  if (!shell_job_store().empty())
    marks.push_back(std::string{store_variable} + "=" + shell_job_store());
  return marks;
}

/// Ends what a killed supervisor left: its orphans are this process's
/// children now (it is their subreaper), so they are reaped here too.
void end_orphans_of(const std::vector<std::string>& marks) {
  for (auto pid : kill_processes_with(marks))
    waitpid(pid, nullptr, 0);
}

} // namespace

job_result run_shell_job(job_context& ctx) {
  shell_command cmd;
  // A payload that cannot run here never will: retrying cannot help.
  if (auto err = parse_shell_command(ctx.payload(), cmd); !err.empty())
    return job_result::fatal(err);
  auto marks = attempt_marks(ctx);
  for (const auto& mark : marks) {
    auto eq = mark.find('=');
    set_variable(cmd.environment, mark.substr(0, eq), mark.substr(eq + 1));
  }
  shell_process child;
  if (auto err = child.start(cmd); !err.empty())
    return child.fatal() ? job_result::fatal(err) : job_result::failure(err);
  ctx.progress(0, "running as pid " + std::to_string(child.pid()));
  child.supervise([&ctx] { return ctx.cancelled(); });
  if (child.lost())
    end_orphans_of(marks);
  return outcome_of(child);
}

void adopt_orphaned_processes() {
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

} // namespace troupe
