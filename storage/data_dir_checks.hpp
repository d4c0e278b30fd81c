// The checks of a data directory before and while it is opened: what it
// holds, its column families and schema version, and errors naming it.
#pragma once

#include <optional>
#include <string>

#include "caf/error.hpp"
#include "caf/expected.hpp"

namespace rocksdb {
class Status;
} // namespace rocksdb

namespace troupe::schema {

/// Returns whether `path` needs a new store (true) or holds one (false).
/// Creates a missing directory if `create_if_missing`; refuses a path that is
/// no directory, and a non-empty directory without a CURRENT file.
caf::expected<bool> inspect_directory(const std::string& path,
                                      bool create_if_missing);

/// Requires the store at `path` to have the schema's column families (those
/// added later may be missing) and no others; fails with
/// `errc::data_dir_corrupt` otherwise.
caf::error check_families(const std::string& path);

/// Requires the stored schema version `value` (`nullopt` if absent) to be
/// `version`; fails with `errc::data_dir_corrupt` otherwise.
caf::error check_version(const std::string& path,
                         const std::optional<std::string>& value);

/// Maps a failed RocksDB status to `errc::data_dir_locked` (held LOCK file),
/// `errc::data_dir_corrupt` (corruption) or `errc::storage_failure`, with a
/// message naming the directory `path` and the failed `action`.
caf::error status_error(const std::string& path, const rocksdb::Status& st,
                        const std::string& action);

/// Returns `errc::data_dir_corrupt` naming the directory `path` and `what`.
caf::error corrupt_error(const std::string& path, const std::string& what);

} // namespace troupe::schema
