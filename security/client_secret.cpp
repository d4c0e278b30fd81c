// Writing and finding the secret of loopback clients.
#include "troupe/security/client_secret.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace troupe {

namespace {

std::string home_dir() {
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != 0)
    return home;
  if (auto* pw = getpwuid(geteuid()); pw != nullptr && pw->pw_dir != nullptr)
    return pw->pw_dir;
  throw std::runtime_error("secret: this user has no home directory");
}

std::string servers_dir(bool create) {
  auto dir = home_dir() + "/.troupe";
  if (create) {
    ::mkdir(dir.c_str(), 0700);
    dir += "/servers";
    ::mkdir(dir.c_str(), 0700);
    return dir;
  }
  return dir + "/servers";
}

std::string address_name(const std::string& host, uint16_t port) {
  std::string name;
  for (char c : host)
    name +=
        (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-')
            ? c
            : '_';
  return name + "_" + std::to_string(port);
}

/// Writes `text` to `path` through a new file of mode 0600 renamed over it,
/// so no reader ever sees a partial or wider-open file.
void write_private(const std::string& path, const std::string& text) {
  auto tmp = path + ".new";
  ::unlink(tmp.c_str());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    throw std::runtime_error("secret: cannot write " + tmp + ": " +
                             std::strerror(errno));
  auto written = ::write(fd, text.data(), text.size());
  auto synced = ::fsync(fd);
  ::close(fd);
  if (written != static_cast<ssize_t>(text.size()) || synced != 0 ||
      ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw std::runtime_error("secret: cannot write " + path + ": " +
                             std::strerror(errno));
  }
}

std::string read_private(const std::string& path, const std::string& what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw std::runtime_error(what + " " + path + " is missing (" +
                             std::strerror(errno) + ")");
  if (st.st_uid != geteuid() || (st.st_mode & 077) != 0)
    throw std::runtime_error(what + " " + path +
                             " must belong to this user and have mode 0600");
  std::ifstream in{path};
  std::stringstream buf;
  buf << in.rdbuf();
  auto text = buf.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  if (!in && !in.eof())
    throw std::runtime_error(what + " " + path + " cannot be read");
  return text;
}

} // namespace

std::string secret_locator(const std::string& host, uint16_t port) {
  return servers_dir(false) + "/" + address_name(host, port);
}

std::string default_secret_file(const std::string& host, uint16_t port) {
  return secret_locator(host, port) + ".secret";
}

void write_client_secret(const std::string& path, const std::string& secret,
                         const std::string& host, uint16_t port) {
  write_private(path, secret + "\n");
  servers_dir(true);
  char resolved[PATH_MAX];
  auto absolute = ::realpath(path.c_str(), resolved) != nullptr
                      ? std::string{resolved}
                      : path;
  write_private(secret_locator(host, port), absolute + "\n");
}

void forget_client_secret(const std::string& path, const std::string& host,
                          uint16_t port) {
  auto locator = secret_locator(host, port);
  std::ifstream in{locator};
  std::string target;
  std::getline(in, target);
  char resolved[PATH_MAX];
  auto absolute = ::realpath(path.c_str(), resolved) != nullptr
                      ? std::string{resolved}
                      : path;
  if (target == absolute)
    ::unlink(locator.c_str());
}

std::string read_client_secret(const std::string& path, const std::string& host,
                               uint16_t port) {
  if (!path.empty())
    return read_private(path, "secret file");
  // A server listening on every address leaves its pointer under the
  // wildcard it was given. A server killed before it could remove its
  // pointer leaves a stale one: the newest pointer whose secret file still
  // exists is the running server's, which wrote it when it started.
  std::string best;
  struct timespec newest {};
  for (const auto& candidate :
       {host, std::string{"0.0.0.0"}, std::string{"::"}}) {
    auto locator = secret_locator(candidate, port);
    struct stat st {};
    if (::stat(locator.c_str(), &st) != 0)
      continue;
    std::ifstream in{locator};
    std::string target;
    std::getline(in, target);
    struct stat secret {};
    if (target.empty() || ::stat(target.c_str(), &secret) != 0)
      continue;
    if (best.empty() || st.st_mtim.tv_sec > newest.tv_sec ||
        (st.st_mtim.tv_sec == newest.tv_sec &&
         st.st_mtim.tv_nsec > newest.tv_nsec)) {
      best = locator;
      newest = st.st_mtim;
    }
  }
  if (best.empty())
    throw std::runtime_error(
        "no secret for the troupe server at " + host + ":" +
        std::to_string(port) + " (" + secret_locator(host, port) +
        " is missing): run the client as the server's user, pass "
        "--secret-file DATA/client.secret, or use TLS certificates");
  return read_private(read_private(best, "secret pointer"), "secret file");
}

std::string current_user_name() {
  if (auto* pw = getpwuid(geteuid()); pw != nullptr && pw->pw_name != nullptr)
    return pw->pw_name;
  return "uid" + std::to_string(geteuid());
}

} // namespace troupe
