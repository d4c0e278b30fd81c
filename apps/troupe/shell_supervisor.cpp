// The supervisor of one shell attempt. It runs between fork and exit of a
// child of a multithreaded server: only async-signal-safe calls, no heap, no
// locks. It finds the attempt's processes by walking /proc: being their
// subreaper, every process the job starts, detached or not, stays its
// descendant until it is reaped here.
#include "apps/troupe/shell_supervisor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace troupe {

namespace {

// Fixed descriptors of the supervisor once it set itself up.
constexpr int control_fd = 3;
constexpr int report_fd = 4;
// Most processes one walk of /proc considers, and most processes of one
// attempt it signals per walk (later walks catch the rest).
constexpr size_t max_processes = 1 << 15;
constexpr size_t max_tree = 4096;
// How often the supervisor looks again while processes must be killed.
constexpr int kill_poll_ms = 10;

pid_t table_pid[max_processes];
pid_t table_ppid[max_processes];
pid_t tree[max_tree];

struct dirent64_record {
  uint64_t ino;
  int64_t off;
  unsigned short reclen;
  unsigned char type;
  char name[1];
};

void write_text(const char* text) {
  auto ignored = write(STDERR_FILENO, text, strlen(text));
  (void)ignored;
}

pid_t parse_pid(const char* text) {
  pid_t value = 0;
  if (*text == '\0')
    return -1;
  for (; *text != '\0'; ++text) {
    if (*text < '0' || *text > '9' || value > 100'000'000)
      return -1;
    value = value * 10 + (*text - '0');
  }
  return value;
}

// Writes "/proc/PID/stat" into `buf`.
void stat_path(pid_t pid, char* buf) {
  char digits[16];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + pid % 10);
    pid /= 10;
  } while (pid > 0);
  const char* prefix = "/proc/";
  size_t len = strlen(prefix);
  memcpy(buf, prefix, len);
  while (n > 0)
    buf[len++] = digits[--n];
  memcpy(buf + len, "/stat", 6);
}

// The parent of `pid` from /proc/PID/stat ("pid (comm) S ppid ..."), or -1.
pid_t read_ppid(pid_t pid) {
  char path[40];
  stat_path(pid, path);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  char buf[512];
  auto n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  if (n <= 0)
    return -1;
  buf[n] = '\0';
  char* close_paren = nullptr;
  for (char* p = buf; *p != '\0'; ++p)
    if (*p == ')')
      close_paren = p;
  // ") S " then the parent's pid.
  if (close_paren == nullptr || close_paren + 4 >= buf + n)
    return -1;
  pid_t ppid = 0;
  for (char* p = close_paren + 4; *p >= '0' && *p <= '9'; ++p)
    ppid = ppid * 10 + (*p - '0');
  return ppid;
}

// Reads every process and its parent; returns how many.
size_t read_process_table() {
  int dir = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0)
    return 0;
  alignas(8) char buf[8192];
  size_t count = 0;
  for (;;) {
    auto got = syscall(SYS_getdents64, dir, buf, sizeof(buf));
    if (got <= 0)
      break;
    for (long off = 0; off < got;) {
      auto* entry = reinterpret_cast<dirent64_record*>(buf + off);
      off += entry->reclen;
      auto pid = parse_pid(entry->name);
      if (pid <= 0 || count == max_processes)
        continue;
      auto ppid = read_ppid(pid);
      if (ppid < 0)
        continue;
      table_pid[count] = pid;
      table_ppid[count] = ppid;
      ++count;
    }
  }
  close(dir);
  return count;
}

bool in_tree(pid_t pid, size_t size) {
  for (size_t i = 0; i < size; ++i)
    if (tree[i] == pid)
      return true;
  return false;
}

// Sends `sig` to every descendant of this process.
void signal_descendants(int sig) {
  auto count = read_process_table();
  size_t size = 0;
  tree[size++] = getpid();
  for (bool grew = true; grew;) {
    grew = false;
    for (size_t i = 0; i < count && size < max_tree; ++i)
      if (in_tree(table_ppid[i], size) && !in_tree(table_pid[i], size)) {
        tree[size++] = table_pid[i];
        grew = true;
      }
  }
  for (size_t i = 1; i < size; ++i)
    kill(tree[i], sig);
}

void send_record(char kind, int value) {
  char message[1 + sizeof(int)];
  message[0] = kind;
  memcpy(message + 1, &value, sizeof(int));
  send(control_fd, message, sizeof(message), MSG_NOSIGNAL);
}

void report_launch_failure(launch_stage stage, int error) {
  int record[2] = {static_cast<int>(stage), error};
  auto ignored = write(report_fd, record, sizeof(record));
  (void)ignored;
}

// Moves the inherited descriptors to 0-4 and closes all others.
void take_descriptors(const supervisor_fds& fds) {
  int from[5] = {fds.in, fds.out, fds.err, fds.control, fds.report};
  int high[5];
  for (int i = 0; i < 5; ++i)
    high[i] = from[i] >= 0 ? fcntl(from[i], F_DUPFD, 100) : -1;
  for (int i = 0; i < 5; ++i)
    if (high[i] >= 0)
      dup2(high[i], i);
  if (close_range(5, ~0U, 0) != 0)
    for (int fd = 5; fd < 4096; ++fd)
      close(fd);
  fcntl(control_fd, F_SETFD, FD_CLOEXEC);
  fcntl(report_fd, F_SETFD, FD_CLOEXEC);
}

[[noreturn]] void exec_job(const supervisor_job& job) {
  setpgid(0, 0);
  // The supervisor blocks every signal; the job must not inherit that.
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_DFL);
  close(control_fd);
  if (job.cwd != nullptr && chdir(job.cwd) != 0) {
    report_launch_failure(launch_stage::chdir, errno);
    write_text("troupe shell job: cannot change directory to ");
    write_text(job.cwd);
    write_text("\n");
    _exit(126);
  }
  execve(job.program, job.argv, job.envp);
  report_launch_failure(launch_stage::exec, errno);
  write_text("troupe shell job: cannot execute ");
  write_text(job.program);
  write_text("\n");
  _exit(127);
}

// Reads one command byte; returns false once the server is gone.
bool obey(int fd) {
  char command;
  auto n = read(fd, &command, 1);
  if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
    return false;
  if (n == 1 && command == static_cast<char>(supervisor_command::terminate))
    signal_descendants(SIGTERM);
  else if (n == 1 && command == static_cast<char>(supervisor_command::kill))
    signal_descendants(SIGKILL);
  return true;
}

// Reaps every child that ended; exits once none is left.
void reap(pid_t job) {
  for (;;) {
    int status = 0;
    auto done = waitpid(-1, &status, WNOHANG);
    if (done > 0) {
      if (done == job)
        send_record(supervisor_job_exited, status);
      continue;
    }
    if (done < 0 && errno == ECHILD)
      _exit(0);
    return;
  }
}

} // namespace

[[noreturn]] void run_supervisor(const supervisor_job& job, supervisor_fds fds,
                                 pid_t server) {
  take_descriptors(fds);
  // Signals from the terminal or the job's group are not for the supervisor;
  // it learns of ended children through a signalfd.
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, nullptr);
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  // Ended children must stay waitable, whatever the server chose.
  signal(SIGCHLD, SIG_DFL);
  sigset_t child;
  sigemptyset(&child);
  sigaddset(&child, SIGCHLD);
  int child_fd = signalfd(-1, &child, SFD_CLOEXEC | SFD_NONBLOCK);
  bool server_gone = getppid() != server;
  auto pid = fork();
  if (pid < 0) {
    report_launch_failure(launch_stage::fork, errno);
    _exit(1);
  }
  if (pid == 0)
    exec_job(job);
  send_record(supervisor_job_started, pid);
  close(report_fd);
  // The job alone holds the output pipes now.
  dup2(STDIN_FILENO, STDOUT_FILENO);
  dup2(STDIN_FILENO, STDERR_FILENO);
  for (;;) {
    pollfd fds_to_poll[2] = {{control_fd, POLLIN, 0}, {child_fd, POLLIN, 0}};
    auto ready = poll(fds_to_poll, server_gone ? 0 : 1 + (child_fd >= 0),
                      server_gone || child_fd < 0 ? kill_poll_ms : -1);
    if (!server_gone && ready > 0 && fds_to_poll[0].revents != 0)
      server_gone = !obey(control_fd);
    if (child_fd >= 0 && fds_to_poll[1].revents != 0) {
      signalfd_siginfo info;
      while (read(child_fd, &info, sizeof(info)) > 0) {
        // nop: drained; the children are reaped below.
      }
    }
    if (server_gone)
      signal_descendants(SIGKILL);
    reap(pid);
  }
}

} // namespace troupe
