// A restart of `troupe serve` by exec: a fresh process opens the store as
// any start does, so nothing of the RocksDB that failed a write is reused.
#include "apps/troupe/serve_restart.hpp"

#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "apps/troupe/exit_codes.hpp"
#include "apps/troupe/stop_signals.hpp"
#include "troupe/actors/node/node.hpp"

namespace troupe::cli {

namespace {

// "<port>,<delay in ms>", set for the new process only.
constexpr const char* handoff_variable = "TROUPE_SERVE_RESTART";

// This process's own arguments, as the kernel holds them.
std::vector<std::string> own_arguments() {
  std::ifstream in{"/proc/self/cmdline", std::ios::binary};
  std::string all{std::istreambuf_iterator<char>{in}, {}};
  std::vector<std::string> result;
  for (size_t at = 0; at < all.size();) {
    auto end = all.find('\0', at);
    if (end == std::string::npos)
      end = all.size();
    result.push_back(all.substr(at, end - at));
    at = end + 1;
  }
  return result;
}

[[noreturn]] void exec_again(uint16_t port, std::chrono::milliseconds delay) {
  auto arguments = own_arguments();
  if (arguments.empty())
    throw cli_error{exit_unreachable,
                    "serve: cannot restart: cannot read the own arguments"};
  std::vector<char*> argv;
  for (auto& argument : arguments)
    argv.push_back(argument.data());
  argv.push_back(nullptr);
  auto handoff = std::to_string(port) + "," + std::to_string(delay.count());
  ::setenv(handoff_variable, handoff.c_str(), 1);
  std::cout.flush();
  std::cerr.flush();
  // The store's files (and its lock) and the sockets are close-on-exec.
  ::execv("/proc/self/exe", argv.data());
  auto reason = std::string{std::strerror(errno)};
  ::unsetenv(handoff_variable);
  throw cli_error{exit_unreachable, "serve: cannot restart: exec: " + reason};
}

// None once the file system of `path` has `reserve` bytes free; the same
// check the store makes before each write, without opening anything.
std::string missing_room(const std::string& path, uint64_t reserve) {
  struct statvfs fs {};
  if (::statvfs(path.c_str(), &fs) != 0)
    return "data directory '" + path +
           "': cannot read its free space: " + std::strerror(errno);
  auto free = uint64_t{fs.f_bavail} * fs.f_frsize;
  if (free >= reserve)
    return {};
  return "data directory '" + path + "' has " + std::to_string(free) +
         " bytes free, less than the " + std::to_string(reserve) +
         " it keeps in reserve";
}

} // namespace

restart_handoff take_restart_handoff() {
  restart_handoff result;
  const char* value = std::getenv(handoff_variable);
  if (!value)
    return result;
  std::string text{value};
  ::unsetenv(handoff_variable);
  auto comma = text.find(',');
  auto port = std::strtoul(text.c_str(), nullptr, 10);
  auto delay = comma == std::string::npos
                   ? 0
                   : std::strtoul(text.c_str() + comma + 1, nullptr, 10);
  result.restarted = true;
  if (port <= 65535)
    result.port = static_cast<uint16_t>(port);
  result.delay = std::clamp(std::chrono::milliseconds(delay),
                            first_restart_delay, last_restart_delay);
  return result;
}

void restart_process(node& server, stop_signals& signals,
                     std::chrono::milliseconds delay) {
  auto port = server.port();
  auto path = server.options().store.path;
  auto reserve = server.options().store.reserve_bytes;
  server.abandon();
  // A wait before every check, also the first: a failure that recurs at
  // once after each restart then backs off instead of looping.
  for (;;) {
    if (signals.wait_for(delay) != 0)
      return;
    delay = std::min(delay * 2, last_restart_delay);
    auto missing = missing_room(path, reserve);
    if (missing.empty())
      break;
    std::cerr << "troupe serve: cannot start again yet: " << missing
              << "; next try in " << delay.count() << " ms" << std::endl;
  }
  std::cerr << "troupe serve: restarting from the store" << std::endl;
  exec_again(port, delay);
}

} // namespace troupe::cli
