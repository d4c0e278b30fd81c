// The files of a certificate directory: a private directory, keys written
// once with O_EXCL and mode 0600, and the CA loaded back.
#include "troupe/security/detail/certificate_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace troupe::detail {

namespace {

// Writes a new file; false with `error` set if it exists or fails.
bool write_new_file(const std::string& path, const std::string& text,
                    mode_t mode, std::string& error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    error = errno == EEXIST ? "already exists" : std::strerror(errno);
    return false;
  }
  size_t done = 0;
  while (done < text.size()) {
    auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      error = std::strerror(errno);
      break;
    }
    done += static_cast<size_t>(n);
  }
  // The umask can only take bits away; fchmod makes the mode exact.
  if (done == text.size() && (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0))
    error = std::strerror(errno);
  auto ok = done == text.size() && error.empty();
  if (::close(fd) != 0 && ok) {
    error = std::strerror(errno);
    ok = false;
  }
  if (!ok)
    ::unlink(path.c_str());
  return ok;
}

} // namespace

void make_private_directory(const std::string& dir) {
  namespace fs = std::filesystem;
  if (dir.empty())
    throw security_error("dir: must not be empty");
  std::error_code ec;
  auto parent = fs::path{dir}.parent_path();
  if (!parent.empty())
    fs::create_directories(parent, ec);
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    throw security_error("dir: cannot create " + dir + ": " +
                         std::strerror(errno));
  if (!fs::is_directory(dir, ec))
    throw security_error("dir: " + dir + " is not a directory");
}

issued_files files_of(const std::string& dir, const std::string& stem) {
  auto base = std::filesystem::path{dir} / stem;
  return {base.string() + ".pem", base.string() + ".key"};
}

void check_absent(const issued_files& files, const char* field,
                  const char* why) {
  for (const auto* path : {&files.key, &files.cert}) {
    std::error_code ec;
    if (std::filesystem::symlink_status(*path, ec).type() !=
        std::filesystem::file_type::not_found)
      throw security_error(std::string{field} + ": " + *path +
                           " already exists (" + why + ")");
  }
}

void write_key_pair(const issued_files& files, const std::string& cert_pem,
                    const std::string& key_pem, const char* field) {
  std::string error;
  if (!write_new_file(files.key, key_pem, 0600, error))
    throw security_error(std::string{field} + ": cannot write " + files.key +
                         ": " + error);
  if (!write_new_file(files.cert, cert_pem, 0644, error)) {
    ::unlink(files.key.c_str());
    throw security_error(std::string{field} + ": cannot write " + files.cert +
                         ": " + error);
  }
}

loaded_authority load_authority(const std::string& dir) {
  auto files = files_of(dir, "ca");
  loaded_authority ca;
  ca.cert = parse_certificate(read_pem_file(files.cert, "dir"));
  if (!ca.cert)
    throw security_error("dir: " + files.cert + " holds no PEM certificate");
  ca.key = parse_private_key(read_pem_file(files.key, "dir"));
  if (!ca.key)
    throw security_error("dir: " + files.key +
                         " holds no unencrypted PEM private key");
  if (X509_check_private_key(ca.cert.get(), ca.key.get()) != 1) {
    take_openssl_error();
    throw security_error("dir: " + files.key + " does not match " + files.cert);
  }
  return ca;
}

} // namespace troupe::detail
