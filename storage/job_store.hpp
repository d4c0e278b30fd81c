// The RocksDB job store: job records, per-job history and secondary indexes.
// Usable without an actor system; must never reset or repair a data directory.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "caf/expected.hpp"

#include "troupe/messages/audit_entry.hpp"
#include "troupe/messages/backup_report.hpp"
#include "troupe/messages/dispatch_limit.hpp"
#include "troupe/messages/job_listing.hpp"
#include "troupe/messages/job_query.hpp"
#include "troupe/messages/job_record.hpp"
#include "troupe/messages/schedule.hpp"
#include "troupe/storage/ack_ledger.hpp"
#include "troupe/storage/key_schema.hpp"
#include "troupe/storage/store_options.hpp"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Status;
struct ReadOptions;
class WriteBatch;
} // namespace rocksdb

namespace troupe {

class payload_keyring;

namespace schema {
struct key_range;
} // namespace schema

/// Records and history entries written together, atomically.
struct store_batch {
  /// Full records to insert or replace; indexes follow the new values.
  std::vector<job_record> records;
  /// History entries to append (each keyed by job id and `seq`).
  std::vector<history_entry> history;
  /// Ids among `records` the writer knows have no stored version (jobs it
  /// just created): the store reads no old version of them to replace.
  std::vector<std::string> created;
  /// The status of the stored version each of `records` replaces, one per
  /// record in order, as its writer last wrote it (ignored for `created`
  /// ids). A status that is not terminal lets the store delete that
  /// version's index keys without reading it: the writer vouches that the
  /// job's type, owner, tags, created time, unique key and result TTL have
  /// not changed since. A terminal status, or no entry (a shorter list),
  /// makes the store read the stored version.
  std::vector<job_status> replaced;
};

/// A row set aside in the quarantine family because it could not be read.
struct quarantined_row {
  /// The family it came from ("limits" or "schedules").
  std::string family;
  /// Its key and value there, byte for byte.
  std::string key;
  std::string value;
};

/// A durable store of jobs and their histories.
class job_store {
public:
  // -- constructors -----------------------------------------------------------

  /// Opens (or creates) the store at `options.path`. Fails with
  /// `errc::data_dir_locked`, `errc::data_dir_corrupt` or
  /// `errc::storage_failure` and a message naming the directory.
  static caf::expected<std::unique_ptr<job_store>>
  open(const store_options& options);

  ~job_store();

  job_store(const job_store&) = delete;
  job_store& operator=(const job_store&) = delete;

  // -- writes -----------------------------------------------------------------

  /// Writes `batch` atomically at the configured durability.
  caf::error write(const store_batch& batch);

  /// After a failed write (a full disk, an IO error), clears RocksDB's
  /// background error once its cause is gone (`DB::Resume`): fails while
  /// it is not. Only a store that resumed (or never failed) closes
  /// cleanly; the destructor tries once more and otherwise leaves the
  /// database to the process's exit.
  caf::error resume();

  /// Fails with `errc::storage_failure` while the file system holds less
  /// than `reserve_bytes` free.
  caf::error check_room() const;

  /// For tests of failure handling only: makes every `write` from the Nth
  /// next one on fail (see `store_options::fail_writes_from`); 0 heals.
  void fail_writes_from(uint64_t n);

  /// Deletes terminal jobs that finished before `finished_before_us`, with
  /// their history and index entries. Returns how many jobs were purged.
  /// Damaged records are left as they are, skipped and added to `damaged`
  /// (if given).
  caf::expected<uint64_t>
  purge_terminal(int64_t finished_before_us,
                 std::vector<damaged_record>* damaged = nullptr);

  /// Deletes terminal jobs whose result TTL ran out by `now_us` (finished
  /// more than `result_ttl_s` ago), with their history and index entries.
  /// Returns how many jobs were purged; skips damaged records like
  /// `purge_terminal`.
  caf::expected<uint64_t>
  purge_expired(int64_t now_us, std::vector<damaged_record>* damaged = nullptr);

  /// Retention cleanup: `purge_terminal(finished_before_us)`, then
  /// `purge_expired(now_us)`. Returns how many jobs were purged in all.
  caf::expected<uint64_t>
  purge_retention(int64_t finished_before_us, int64_t now_us,
                  std::vector<damaged_record>* damaged = nullptr);

  // -- backup -----------------------------------------------------------------

  /// Writes a consistent checkpoint of the store into `dir`, an absolute
  /// path that must not exist or be an empty directory (else
  /// `errc::invalid_field`, field "to"), with an acknowledgement ledger, so
  /// that the directory opens as a data directory. Holds every write made
  /// before the call.
  caf::expected<backup_report> checkpoint(const std::string& dir);

  // -- schedules --------------------------------------------------------------

  /// Inserts or replaces schedule `x.name` (synced unless durability none).
  caf::error put_schedule(const periodic_schedule& x);

  /// Deletes schedule `name`; deleting an unknown name is no error.
  caf::error delete_schedule(const std::string& name);

  /// Returns every schedule, by name.
  caf::expected<std::vector<periodic_schedule>> schedules() const;

  // -- audit trail (family `audit`) ------------------------------------------

  /// Appends `entries` atomically, at the configured durability and counted
  /// against the free-space reserve like `write`. Refuses all of them,
  /// writing nothing, if one has no time (`at_us` <= 0), no action, or a
  /// field over `max_audit_field_bytes`, with `errc::invalid_field` naming
  /// the entry and the field.
  caf::error append_audit(const std::vector<audit_entry>& entries);

  /// Returns the entries matching `query`, oldest first (entries of the same
  /// microsecond in the order appended). Fails with `errc::invalid_field`
  /// on a query out of range. Rows that cannot be read are skipped (they
  /// count toward no limit) and added to `damaged` (if given), named by
  /// their key.
  caf::expected<std::vector<audit_entry>>
  list_audit(const audit_query& query,
             std::vector<damaged_record>* damaged = nullptr) const;

  /// Deletes the audit entries older than `before_us` (by the time in their
  /// key, so a damaged row goes too once old enough). Returns how many.
  caf::expected<uint64_t> purge_audit(int64_t before_us);

  // -- reads ------------------------------------------------------------------

  /// Returns the record of `id`, or `errc::not_found`.
  caf::expected<job_record> get(const std::string& id) const;

  /// Returns the records of those `ids` that exist, in the order given.
  caf::expected<std::vector<job_record>>
  get_many(const std::vector<std::string>& ids) const;

  /// Returns the history of `id` in order of `seq`; empty if unknown.
  caf::expected<std::vector<history_entry>>
  history(const std::string& id) const;

  /// Returns one page of jobs matching `query`, served from the indexes.
  /// Damaged records are skipped (they count toward no page) and added to
  /// `damaged` (if given).
  caf::expected<std::vector<job_record>>
  list(const job_query& query,
       std::vector<damaged_record>* damaged = nullptr) const;

  /// Up to a page of the jobs in one status and where the next page starts.
  struct job_page {
    /// Oldest first (by created time, then id).
    std::vector<job_record> jobs;
    /// The status index key of the last job, to pass as `after` for the
    /// next page; empty when this page ends the status.
    std::string next;
  };

  /// Returns up to `limit` jobs in `status` whose status index key comes
  /// after `after` (empty: from the first), from one snapshot. A start reads
  /// the jobs it takes over this way, page by page, while it already serves.
  caf::expected<job_page> page_by_status(job_status status,
                                         const std::string& after,
                                         size_t limit) const;

  /// Returns every job that is not in a terminal status, page by page (not
  /// one snapshot across pages).
  caf::expected<std::vector<job_record>> non_terminal() const;

  /// Returns the latest job (by created time) of each of `keys` that has
  /// one, from the unique-key index.
  caf::expected<std::vector<job_record>>
  latest_unique(const std::vector<std::string>& keys) const;

  /// Returns the number of jobs per status.
  caf::expected<std::map<job_status, uint64_t>> count_by_status() const;

  // -- dispatch controls (family `limits`) ------------------------------------

  /// Stores `limit`, replacing the one with its scope and key. Synced when
  /// the durability is fsync; never skips the WAL.
  caf::error put_limit(const dispatch_limit& limit);

  /// Erases the limit of `scope` and `key` (absent ones are no error).
  caf::error erase_limit(control_scope scope, const std::string& key);

  /// Stores (`paused`) or erases the pause of a type or job.
  caf::error put_paused(control_scope scope, const std::string& key,
                        bool paused);

  /// Returns every stored limit and pause.
  caf::expected<dispatch_controls> controls() const;

  // -- what opening found -----------------------------------------------------

  /// What opening the store reported without refusing it: malformed rows of
  /// the settings families (limits, schedules) set aside into the quarantine
  /// family. Each names the directory; the node prints them at start.
  const std::vector<std::string>& warnings() const { return warnings_; }

  /// Every row set aside in the quarantine family, kept for inspection.
  caf::expected<std::vector<quarantined_row>> quarantined() const;

  /// The options this store was opened with.
  const store_options& options() const { return options_; }

private:
  /// Receives the id of each index entry; sets `stop` to end the scan early.
  using index_visitor =
      std::function<caf::error(const std::string& id, bool& stop)>;

  job_store(store_options options);

  // Opens the RocksDB instance and creates or checks the schema version.
  caf::error open_db(bool fresh);

  // Compares the last acknowledged write (from the ledger; `nullopt` for a
  // store that had none) with what RocksDB recovered; refuses a loss unless
  // the options accept exactly it.
  caf::error check_acknowledged(std::optional<uint64_t> acknowledged);

  // Writes row `key` of the meta family, synced and flushed into a table
  // file.
  caf::error put_meta(std::string_view key, const std::string& value);

  // Refuses a store marked as holding sealed values when no keyring was
  // given; with one, adds its current key to the mark and warns of marked
  // keys it lacks.
  caf::error check_sealing(bool fresh);

  // Moves the rows of the limits and schedules families that cannot be read
  // to the quarantine family, noting each in `warnings_`.
  caf::error set_aside_malformed();

  // Stages the records (with their index keys) and history entries of
  // `batch` into `out`, sealed if the store encrypts. Called with the write
  // lock held.
  caf::error stage_batch(const store_batch& batch, rocksdb::WriteBatch& out);

  // The index keys of the version of `x` that writing it replaces (none if
  // there is none): those of `staged` if an earlier record of the batch has
  // its id; none if `created`; else those of its stored version, derived
  // from `x` if the writer named that version's status (`replaced`) and it
  // is not terminal, read from RocksDB if not.
  caf::expected<std::vector<std::string>>
  replaced_index_keys(const job_record& x, const job_record* staged,
                      bool created, std::optional<job_status> replaced);

  // Turns the outcome of reading job `id` into its record or an error.
  caf::expected<job_record> decode_stored(const std::string& id,
                                          const rocksdb::Status& st,
                                          const std::string& value) const;

  // Reads and decodes one record; `errc::not_found` if absent.
  caf::expected<job_record> read_record(const rocksdb::ReadOptions& read,
                                        const std::string& id) const;

  // Like `read_record` for an id taken from an index, where an absent
  // record means a damaged store.
  caf::expected<job_record> read_indexed(const rocksdb::ReadOptions& read,
                                         const std::string& id) const;

  // Visits the ids of the index keys in `range`, whose common prefix has
  // `prefix_size` bytes, in key order or in reverse.
  caf::error scan_index(const rocksdb::ReadOptions& read,
                        const schema::key_range& range, size_t prefix_size,
                        bool reverse, const index_visitor& visit) const;

  // Deletes every job listed in time index `prefix` (finished or expiry)
  // before `before_us`, one write batch at a time.
  caf::expected<uint64_t> purge_index(const std::string& prefix,
                                      int64_t before_us,
                                      std::vector<damaged_record>* damaged);

  // Deletes up to one batch of jobs listed in time index `prefix` from
  // `resume` up to `before_us`; advances `resume` past them. Returns how
  // many index entries it visited (purged or damaged).
  caf::expected<size_t> purge_batch(const std::string& prefix,
                                    std::string& resume, int64_t before_us,
                                    std::vector<damaged_record>& damaged,
                                    uint64_t& purged);

  // Maps a failed RocksDB status to a troupe error naming the directory.
  caf::error failure(const rocksdb::Status& status,
                     const std::string& action) const;

  // An error for damaged contents, naming the directory and `what`.
  caf::error corrupt(const std::string& what) const;

  rocksdb::ColumnFamilyHandle* family(size_t index) const {
    return families_[index];
  }

  store_options options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> families_;
  std::vector<std::string> warnings_;
  ack_ledger ledger_;
  // False after a refused open: closing then changes nothing on disk.
  bool flush_on_close_ = true;
  // Fault injection (tests only): writes made and the first one that fails.
  uint64_t writes_ = 0;
  uint64_t fail_from_ = 0;
  // Serialises writers: `write` reads old records to delete stale index keys,
  // which is only correct if no other write changes them in between.
  std::mutex write_mutex_;
};

} // namespace troupe
