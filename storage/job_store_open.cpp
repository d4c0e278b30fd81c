// Opening a data directory without ever repairing it (WAL replay, the
// acknowledgement-ledger check, quarantine of malformed rows), and closing
// it, also after a failed write.
#include "troupe/storage/job_store.hpp"

#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/slice_transform.h"

#include "troupe/logging/log.hpp"
#include "troupe/messages/errc.hpp"
#include "troupe/storage/data_dir_checks.hpp"
#include "troupe/storage/key_schema.hpp"

namespace troupe {

// -- opening and closing ------------------------------------------------------

job_store::job_store(store_options options)
    : options_(std::move(options)), fail_from_(options_.fail_writes_from) {}

caf::error job_store::resume() {
  auto st = db_->Resume();
  return st.ok() ? caf::error{} : failure(st, "resuming after a failed write");
}

void job_store::fail_writes_from(uint64_t n) {
  std::lock_guard<std::mutex> guard{write_mutex_};
  fail_from_ = n == 0 ? 0 : writes_ + n;
}

caf::expected<std::unique_ptr<job_store>>
job_store::open(const store_options& options) {
  auto fresh =
      schema::inspect_directory(options.path, options.create_if_missing);
  if (!fresh)
    return fresh.error();
  if (!*fresh)
    if (auto err = schema::check_families(options.path))
      return err;
  std::unique_ptr<job_store> store{new job_store(options)};
  if (auto err = store->open_db(*fresh))
    return err;
  return store;
}

namespace {

/// Log a start replays at most after a crash. Default: 64 MiB.
constexpr uint64_t max_replayed_log_bytes = uint64_t{64} << 20;

/// Memory the memtables of all families may take together before the
/// largest is flushed. Default: 32 MiB.
constexpr size_t memtable_budget_bytes = size_t{32} << 20;

/// Index keys start with their index (two bytes name it, or its first time
/// byte), and within an index they mostly arrive in time order: a memtable
/// insert starts where the last one of the same prefix went, instead of
/// searching the whole skip list.
rocksdb::ColumnFamilyOptions family_options() {
  rocksdb::ColumnFamilyOptions out;
  out.memtable_insert_with_hint_prefix_extractor.reset(
      rocksdb::NewCappedPrefixTransform(2));
  return out;
}

} // namespace

caf::error job_store::open_db(bool fresh) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = fresh;
  db_options.create_missing_column_families = true; // Later families too.
  // Guards against another process creating a store here meanwhile.
  db_options.error_if_exists = fresh;
  // Replay the WAL up to its first damaged record, without flushing what
  // was replayed, so the WAL stays as it was until the ledger check below
  // has passed: a refused start changes nothing a later start needs.
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  db_options.avoid_flush_during_recovery = true;
  db_options.paranoid_checks = true;
  // No preallocated WAL space: the free space the reserve check measures is
  // then the space there is, and a close frees nothing it did not use.
  db_options.allow_fallocate = false;
  // One writer at a time (`write_mutex_`): plain memtable inserts are
  // cheaper than the concurrent ones.
  db_options.allow_concurrent_memtable_write = false;
  db_options.enable_write_thread_adaptive_yield = false;
  // A start replays at most about this much log after a crash: past it,
  // RocksDB flushes the families whose writes hold the oldest log file.
  db_options.max_total_wal_size = max_replayed_log_bytes;
  db_options.db_write_buffer_size = memtable_budget_bytes;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto* name : schema::family_names)
    descriptors.emplace_back(name, family_options());
  // Before RocksDB writes anything: an open that runs out of room half-way
  // can leave the process unable to close what it opened.
  if (auto err = check_room())
    return err;
  rocksdb::DB* db = nullptr;
  auto st = rocksdb::DB::Open(db_options, options_.path, descriptors,
                              &families_, &db);
  if (!st.ok())
    return failure(st, "opening the store");
  db_.reset(db);
  // After the open, which holds the directory's lock and leaves a new
  // store's directory as it was if it fails.
  auto acknowledged = ledger_.open(options_.path);
  if (!acknowledged)
    return acknowledged.error();
  if (fresh) {
    if (auto err = put_meta(schema::version_key,
                            schema::encode_u32_le(schema::version)))
      return err;
    if (auto err = check_sealing(true))
      return err;
    return ledger_.record(db_->GetLatestSequenceNumber());
  }
  if (auto err = check_acknowledged(*acknowledged)) {
    flush_on_close_ = false;
    return err;
  }
  std::string value;
  st = db_->Get(rocksdb::ReadOptions{}, family(schema::meta),
                schema::version_key, &value);
  if (!st.ok() && !st.IsNotFound())
    return failure(st, "reading the schema version");
  if (auto err = schema::check_version(
          options_.path, st.ok() ? std::optional{value} : std::nullopt))
    return err;
  if (auto err = check_sealing(false)) {
    flush_on_close_ = false;
    return err;
  }
  if (auto err = set_aside_malformed())
    return err;
  // A store from before the ledger starts one now; the others confirm it.
  return ledger_.record(db_->GetLatestSequenceNumber());
}

caf::error job_store::put_meta(std::string_view key, const std::string& value) {
  auto* meta = family(schema::meta);
  rocksdb::WriteOptions synced;
  synced.sync = true;
  auto st = db_->Put(synced, meta, key, value);
  // In a table file, not only the WAL: a store whose WAL was lost still
  // says what it is.
  if (st.ok())
    st = db_->Flush(rocksdb::FlushOptions{}, meta);
  return st.ok() ? caf::error{}
                 : failure(st, "writing '" + std::string{key} +
                                   "' of the meta family");
}

job_store::~job_store() {
  if (!db_)
    return;
  auto report = [this](const rocksdb::Status& st, const char* action) {
    // A destructor cannot return the error; losing it silently is worse.
    if (!st.ok())
      log_error("troupe: ", action, " data directory '", options_.path,
                "' failed: ", st.ToString());
  };
  // After a failed write RocksDB refuses to close its WAL cleanly (its
  // writer keeps the error) until a resume succeeds: without one, the
  // database is left to the process's exit rather than closed half-way.
  if (auto st = db_->Resume(); !st.ok()) {
    report(st, "resuming after a failed write; leaving unclosed the");
    (void)db_.release(); // Deliberately leaked: see above.
    return;
  }
  // Writes at durability none skipped the WAL: only a flush keeps them.
  if (options_.level == durability::none && flush_on_close_)
    report(db_->Flush(rocksdb::FlushOptions{}, families_), "flushing");
  for (auto* handle : families_)
    report(db_->DestroyColumnFamilyHandle(handle), "releasing a family of");
  report(db_->Close(), "closing");
}

} // namespace troupe
