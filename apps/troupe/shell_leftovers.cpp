// Scans of /proc/PID/environ for the processes of shell attempts.
#include "apps/troupe/shell_leftovers.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace troupe {

namespace {

std::string& store_name() {
  static std::string name;
  return name;
}

/// The environment `pid` started with, as "NAME=value" entries; empty if
/// it cannot be read (gone, or another user's).
std::vector<std::string> environment_of(pid_t pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/environ",
                   std::ios::binary};
  std::string data{std::istreambuf_iterator<char>{in}, {}};
  std::vector<std::string> entries;
  size_t begin = 0;
  while (begin < data.size()) {
    auto end = data.find('\0', begin);
    if (end == std::string::npos)
      end = data.size();
    entries.push_back(data.substr(begin, end - begin));
    begin = end + 1;
  }
  return entries;
}

/// Whether another process holds the RocksDB lock of `data_dir`.
bool store_in_use(const std::string& data_dir) {
  int fd = open((data_dir + "/LOCK").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  bool held = fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
  close(fd);
  return held;
}

} // namespace

const std::string& shell_job_store() {
  return store_name();
}

void set_shell_job_store(std::string store) {
  store_name() = std::move(store);
}

std::vector<pid_t>
kill_processes_with(const std::vector<std::string>& settings) {
  std::vector<pid_t> killed;
  auto* dir = opendir("/proc");
  if (dir == nullptr)
    return killed;
  auto self = getpid();
  while (auto* entry = readdir(dir)) {
    char* end = nullptr;
    auto pid = static_cast<pid_t>(std::strtol(entry->d_name, &end, 10));
    if (pid <= 0 || *end != '\0' || pid == self)
      continue;
    auto env = environment_of(pid);
    bool match = !env.empty();
    for (size_t i = 0; match && i < settings.size(); ++i)
      match = std::find(env.begin(), env.end(), settings[i]) != env.end();
    if (match && kill(pid, SIGKILL) == 0)
      killed.push_back(pid);
  }
  closedir(dir);
  return killed;
}

size_t end_leftover_shell_jobs(const std::string& data_dir) {
  std::error_code ec;
  auto store = std::filesystem::weakly_canonical(data_dir, ec).string();
  if (ec)
    store = data_dir;
  set_shell_job_store(store);
  if (store_in_use(store))
    return 0; // Its server runs; starting fails on the lock anyway.
  return kill_processes_with({std::string{store_variable} + "=" + store})
      .size();
}

} // namespace troupe
