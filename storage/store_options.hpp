// How a job store is opened: where, how durable each write is, the free
// space it keeps, encryption at rest and the losses an operator accepts.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace troupe {

class payload_keyring;

/// How durable a write is when `job_store::write` returns.
enum class durability : uint8_t {
  /// In the memtable only: lost on a process crash.
  none,
  /// In the write-ahead log (not synced): survives a process crash.
  wal,
  /// In the synced write-ahead log: survives a machine crash.
  fsync,
};

/// Returns "none", "wal" or "fsync".
std::string to_string(durability x);

/// Parses "none", "wal" or "fsync".
std::optional<durability> parse_durability(const std::string& name);

/// Options of a job store.
struct store_options {
  /// Directory of the RocksDB instance. Default: "troupe-data".
  std::string path = "troupe-data";
  /// Durability of every write. Default: wal.
  durability level = durability::wal;
  /// Create an empty store if the directory holds none. Default: true.
  bool create_if_missing = true;
  /// Free bytes the file system of `path` must keep: `open` and `write`
  /// refuse with `errc::storage_failure` below it, so that RocksDB does not
  /// run out of room in the middle of a write (which leaves it in an error
  /// state only a resume clears). It covers a flush of a full memtable
  /// (RocksDB's default `write_buffer_size`). 0 checks nothing.
  /// Default: 64 MiB.
  uint64_t reserve_bytes = 64 * 1024 * 1024;
  /// For tests of failure handling only: every `write` from the Nth on
  /// (counting from 1) fails with `errc::storage_failure` before touching
  /// the database, as a dead disk would. 0: never. Default: 0.
  uint64_t fail_writes_from = 0;
  /// Operations of acknowledged writes the operator accepts as lost when
  /// the write-ahead log lost them (truncated, damaged or deleted). A store
  /// with such a loss opens only if this equals the loss `open` reported;
  /// 0 accepts none. Default: 0.
  uint64_t accept_data_loss = 0;
  /// Encryption at rest: the keys that seal payloads, results, errors,
  /// progress and history messages and schedules' payloads as they are
  /// written, and open them as they are read; indexes stay plain. A store
  /// that ever held a sealed value refuses to open without a keyring; a
  /// plain store opens with one (its old values still read). Default: none
  /// (values are stored as they are).
  std::shared_ptr<const payload_keyring> encryption = nullptr;
};

} // namespace troupe
