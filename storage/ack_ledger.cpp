// The acknowledgement ledger's file: read at open, overwritten in place
// (16 bytes at offset 0) after each acknowledged write.
#include "troupe/storage/ack_ledger.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

constexpr char magic[] = "TROUPEAK";
constexpr size_t magic_size = 8;
constexpr size_t file_size = magic_size + 8;

caf::error file_error(errc code, const std::string& path,
                      const std::string& what) {
  return make_error(code, "acknowledgement ledger '" + path + "' " + what);
}

} // namespace

ack_ledger::~ack_ledger() {
  if (fd_ >= 0)
    ::close(fd_);
}

caf::expected<std::optional<uint64_t>>
ack_ledger::open(const std::string& dir) {
  path_ = dir + "/TROUPE-ACKED";
  // Not created here: a start refused later leaves the directory as it was.
  fd_ = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
  if (fd_ < 0 && errno == ENOENT)
    return std::optional<uint64_t>{};
  if (fd_ < 0)
    return file_error(errc::storage_failure, path_,
                      std::string{"cannot be opened: "} + std::strerror(errno));
  char buf[file_size + 1];
  auto n = ::pread(fd_, buf, sizeof(buf), 0);
  if (n < 0)
    return file_error(errc::storage_failure, path_,
                      std::string{"cannot be read: "} + std::strerror(errno));
  if (n == 0)
    return std::optional<uint64_t>{};
  if (static_cast<size_t>(n) != file_size ||
      std::memcmp(buf, magic, magic_size) != 0)
    return file_error(errc::data_dir_corrupt, path_,
                      "is damaged (it must hold 16 bytes starting with "
                      "TROUPEAK)");
  uint64_t x = 0;
  for (size_t i = 0; i < 8; ++i)
    x |= uint64_t{static_cast<uint8_t>(buf[magic_size + i])} << (8 * i);
  return std::optional<uint64_t>{x};
}

caf::error ack_ledger::record(uint64_t sequence) {
  if (fd_ < 0)
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    return file_error(errc::storage_failure, path_,
                      std::string{"cannot be created: "} +
                          std::strerror(errno));
  char buf[file_size];
  std::memcpy(buf, magic, magic_size);
  for (size_t i = 0; i < 8; ++i)
    buf[magic_size + i] = static_cast<char>((sequence >> (8 * i)) & 0xff);
  // In place: the blocks exist already, so even a full disk takes it.
  auto n = ::pwrite(fd_, buf, file_size, 0);
  if (n != static_cast<ssize_t>(file_size))
    return file_error(errc::storage_failure, path_,
                      std::string{"cannot be written: "} +
                          (n < 0 ? std::strerror(errno) : "short write"));
  return {};
}

} // namespace troupe
