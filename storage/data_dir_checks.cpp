// The checks of a data directory: what it holds before open (empty, a store
// of this schema or something else), lock and status errors, its column
// families (those added later may be missing, no others), and free space.
#include "troupe/storage/data_dir_checks.hpp"

#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "rocksdb/db.h"

#include "troupe/messages/errc.hpp"
#include "troupe/storage/job_store.hpp"
#include "troupe/storage/key_schema.hpp"

namespace troupe::schema {

namespace {

bool is_lock_error(const rocksdb::Status& st) {
  // RocksDB reports a held LOCK file as an IO error; only the text tells.
  auto text = st.ToString();
  return st.IsIOError() &&
         (text.find("lock hold by current process") != std::string::npos ||
          text.find("While lock file") != std::string::npos ||
          text.find("Resource temporarily unavailable") != std::string::npos);
}

caf::error dir_error(errc code, const std::string& path,
                     const std::string& rule) {
  return make_error(code, "data directory '" + path + "' " + rule);
}

std::string join(const std::vector<std::string>& xs) {
  std::string out;
  for (const auto& x : xs)
    out += (out.empty() ? "" : ", ") + x;
  return out;
}

} // namespace

caf::error check_families(const std::string& path) {
  std::vector<std::string> found;
  auto st = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions{}, path, &found);
  // CURRENT exists (see inspect_directory), so a file it leads to that is
  // missing or unreadable means a damaged store.
  if (st.IsPathNotFound() || st.IsNotFound() || st.IsCorruption())
    return corrupt_error(path, "reading its column families failed: " +
                                   st.ToString());
  if (!st.ok())
    return status_error(path, st, "reading its column families");
  std::vector<std::string> expected(family_names.begin(), family_names.end());
  std::sort(found.begin(), found.end());
  std::sort(expected.begin(), expected.end());
  auto has = [&](const char* x) {
    return std::binary_search(found.begin(), found.end(), x);
  };
  if (std::includes(expected.begin(), expected.end(), found.begin(),
                    found.end()) &&
      std::all_of(family_names.begin(),
                  family_names.begin() + original_family_count, has))
    return {};
  return corrupt_error(path, "it has the column families [" + join(found) +
                                 "], expected [" + join(expected) + "]");
}

// -- the data directory -------------------------------------------------------

namespace {

bool holds_files(const std::string& path, std::error_code& ec) {
  namespace fs = std::filesystem;
  for (fs::directory_iterator i{path, ec}, end; !ec && i != end;
       i.increment(ec))
    if (!i->is_directory(ec))
      return true;
  return false;
}

} // namespace

caf::expected<bool> inspect_directory(const std::string& path,
                                      bool create_if_missing) {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto st = fs::status(path, ec);
  bool exists = st.type() != fs::file_type::not_found;
  if (ec && exists)
    return dir_error(errc::storage_failure, path,
                     "cannot be inspected: " + ec.message());
  ec.clear(); // A missing path is no error: it becomes a new store.
  if (exists && !fs::is_directory(st))
    return dir_error(errc::data_dir_corrupt, path,
                     "exists but is not a directory");
  if (exists && fs::exists(fs::path{path} / "CURRENT", ec))
    return false;
  // Initialising a directory with files in it could mix a store into
  // someone else's files, so only a missing one, or one that holds nothing
  // but subdirectories (e.g. `troupe-data/demo` beside a server's store in
  // `troupe-data`), becomes a new store.
  if (exists && !ec && holds_files(path, ec))
    return dir_error(errc::data_dir_corrupt, path,
                     "holds files but no store (no CURRENT file); "
                     "refusing to initialise it");
  if (ec)
    return dir_error(errc::storage_failure, path,
                     "cannot be read: " + ec.message());
  if (!create_if_missing)
    return dir_error(errc::storage_failure, path,
                     "holds no store and create_if_missing is off");
  if (!exists && !fs::create_directories(path, ec) && ec)
    return dir_error(errc::storage_failure, path,
                     "cannot be created: " + ec.message());
  return true;
}

caf::error check_version(const std::string& path,
                         const std::optional<std::string>& value) {
  if (!value)
    return corrupt_error(path, "it has no schema version");
  if (value->size() != 4)
    return corrupt_error(path, "its schema version has " +
                                   std::to_string(value->size()) +
                                   " bytes, expected 4");
  uint32_t found = 0;
  for (size_t i = 0; i < 4; ++i)
    found |= uint32_t{static_cast<uint8_t>((*value)[i])} << (8 * i);
  if (found == version)
    return {};
  return corrupt_error(path, "it has schema version " + std::to_string(found) +
                                 ", this build reads only version " +
                                 std::to_string(version));
}

caf::error status_error(const std::string& path, const rocksdb::Status& st,
                        const std::string& action) {
  if (is_lock_error(st))
    return dir_error(errc::data_dir_locked, path,
                     "is locked by another process or store: " + st.ToString());
  auto code =
      st.IsCorruption() ? errc::data_dir_corrupt : errc::storage_failure;
  return dir_error(code, path, "failed " + action + ": " + st.ToString());
}

caf::error corrupt_error(const std::string& path, const std::string& what) {
  return dir_error(errc::data_dir_corrupt, path, "is damaged: " + what);
}

} // namespace troupe::schema

namespace troupe {

caf::error job_store::check_room() const {
  if (options_.reserve_bytes == 0)
    return {};
  struct statvfs fs {};
  if (::statvfs(options_.path.c_str(), &fs) != 0)
    return make_error(
        errc::storage_failure,
        "data directory '" + options_.path +
            "': cannot read its free space: " + std::strerror(errno));
  auto free = uint64_t{fs.f_bavail} * fs.f_frsize;
  if (free >= options_.reserve_bytes)
    return {};
  return make_error(errc::storage_failure,
                    "data directory '" + options_.path + "' has " +
                        std::to_string(free) + " bytes free, less than the " +
                        std::to_string(options_.reserve_bytes) +
                        " it keeps in reserve: no space left for writes");
}

} // namespace troupe
