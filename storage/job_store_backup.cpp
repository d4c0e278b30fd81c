// A backup: a consistent RocksDB checkpoint of the open store in a new
// directory, with an acknowledgement ledger, openable as a data directory.
// It never writes into a directory that holds anything.
#include <filesystem>
#include <memory>
#include <system_error>

#include "rocksdb/db.h"
#include "rocksdb/utilities/checkpoint.h"

#include "troupe/messages/errc.hpp"
#include "troupe/storage/job_store.hpp"

namespace troupe {

namespace {

namespace fs = std::filesystem;

caf::error invalid_target(const std::string& dir, const std::string& rule) {
  return make_error(errc::invalid_field,
                    "to: backup directory '" + dir + "' " + rule);
}

// Refuses a target that is not a new (or empty) directory; removes an empty
// one, since RocksDB creates the checkpoint directory itself.
caf::error prepare_target(const std::string& dir) {
  if (dir.empty())
    return make_error(errc::invalid_field,
                      "to: must name a directory, got an empty path");
  fs::path path{dir};
  if (!path.is_absolute())
    return invalid_target(dir, "must be an absolute path (it names a "
                               "directory on the server's machine)");
  std::error_code ec;
  auto st = fs::status(path, ec);
  if (st.type() != fs::file_type::not_found) {
    if (ec)
      return invalid_target(dir, "cannot be inspected: " + ec.message());
    if (!fs::is_directory(st))
      return invalid_target(dir, "exists and is not a directory; a backup "
                                 "goes into a new or empty directory");
    if (!fs::is_empty(path, ec) || ec)
      return invalid_target(dir, "exists and is not empty; a backup goes "
                                 "into a new or empty directory");
    if (!fs::remove(path, ec))
      return invalid_target(dir, "cannot be replaced: " + ec.message());
  }
  auto parent = path.parent_path();
  if (!parent.empty() && !fs::create_directories(parent, ec) && ec)
    return invalid_target(dir, "cannot be created: " + ec.message());
  return {};
}

uint64_t bytes_under(const std::string& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator{dir, ec})
    if (entry.is_regular_file(ec))
      total += entry.file_size(ec);
  return total;
}

} // namespace

caf::expected<backup_report> job_store::checkpoint(const std::string& dir) {
  if (auto err = prepare_target(dir))
    return err;
  auto counts = count_by_status();
  if (!counts)
    return counts.error();
  rocksdb::Checkpoint* raw = nullptr;
  auto st = rocksdb::Checkpoint::Create(db_.get(), &raw);
  if (!st.ok())
    return failure(st, "preparing a backup of");
  std::unique_ptr<rocksdb::Checkpoint> cp{raw};
  // log_size_for_flush 0: memtables are flushed first, so writes made at
  // durability none (which skip the WAL) are in the checkpoint too.
  uint64_t sequence = 0;
  st = cp->CreateCheckpoint(fs::path{dir}.lexically_normal().string(), 0,
                            &sequence);
  if (!st.ok())
    return failure(st, "writing a backup to '" + dir + "' of");
  // The backup's ledger vouches for every write up to the checkpoint, so
  // opening it checks its WAL like any data directory's.
  ack_ledger ledger;
  auto found = ledger.open(dir);
  if (!found)
    return found.error();
  if (auto err = ledger.record(sequence))
    return err;
  backup_report report;
  report.path = fs::path{dir}.lexically_normal().string();
  for (const auto& [status, n] : *counts)
    report.jobs += n;
  report.bytes = bytes_under(dir);
  return report;
}

} // namespace troupe
