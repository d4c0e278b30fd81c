// The RocksDB job store: atomic batch writes that keep the indexes
// consistent, and reads; opening and closing are in job_store_open.cpp.
#include "troupe/storage/job_store.hpp"

#include <array>
#include <unordered_map>

#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/snapshot.h"
#include "rocksdb/write_batch.h"

#include "troupe/messages/errc.hpp"
#include "troupe/storage/key_schema.hpp"
#include "troupe/storage/record_codec.hpp"

namespace troupe {

namespace {

constexpr std::array<const char*, 3> durability_names = {"none", "wal",
                                                         "fsync"};

rocksdb::WriteOptions write_options(durability level) {
  rocksdb::WriteOptions out;
  out.disableWAL = level == durability::none;
  out.sync = level == durability::fsync;
  return out;
}

} // namespace

std::string to_string(durability x) {
  return durability_names.at(static_cast<size_t>(x));
}

std::optional<durability> parse_durability(const std::string& name) {
  for (size_t i = 0; i < durability_names.size(); ++i)
    if (name == durability_names[i])
      return static_cast<durability>(i);
  return std::nullopt;
}

caf::error job_store::failure(const rocksdb::Status& status,
                              const std::string& action) const {
  return schema::status_error(options_.path, status, action);
}

caf::error job_store::corrupt(const std::string& what) const {
  return schema::corrupt_error(options_.path, what);
}

// -- writes -------------------------------------------------------------------

caf::error job_store::write(const store_batch& batch) {
  for (const auto& x : batch.records) {
    if (auto err = schema::check_id(x.id, "job id"))
      return err;
    if (auto err = schema::check_record_enums(x))
      return err;
  }
  for (const auto& x : batch.history)
    if (auto err = schema::check_id(x.job_id, "history entry job_id"))
      return err;
  std::lock_guard<std::mutex> guard{write_mutex_};
  if (auto err = check_room())
    return err;
  if (++writes_ >= fail_from_ && fail_from_ != 0)
    return make_error(errc::storage_failure,
                      "data directory '" + options_.path + "': write " +
                          std::to_string(writes_) +
                          " failed: injected fault (tests only)");
  rocksdb::WriteBatch out;
  // The latest version of each id in this batch: a second record with the
  // same id replaces the first, so it must delete the first one's keys.
  std::unordered_map<std::string, const job_record*> latest;
  for (const auto& x : batch.records) {
    const job_record* previous = nullptr;
    caf::expected<job_record> stored{caf::no_error};
    if (auto i = latest.find(x.id); i != latest.end())
      previous = i->second;
    else if (stored = read_record(rocksdb::ReadOptions{}, x.id); stored)
      previous = &*stored;
    else if (code_of(stored.error()) != errc::not_found)
      return stored.error();
    auto st = schema::stage_job_put(families_, previous, x, out);
    if (!st.ok())
      return failure(st, "staging job '" + x.id + "'");
    latest[x.id] = &x;
  }
  for (const auto& x : batch.history) {
    auto st = out.Put(family(schema::history),
                      schema::history_key(x.job_id, x.seq), encode_history(x));
    if (!st.ok())
      return failure(st, "staging history of job '" + x.job_id + "'");
  }
  auto st = db_->Write(write_options(options_.level), &out);
  if (!st.ok())
    return failure(st, "writing " + std::to_string(batch.records.size()) +
                           " records and " +
                           std::to_string(batch.history.size()) +
                           " history entries");
  // Writes at durability none are in no WAL: a crash loses them by design.
  if (options_.level == durability::none)
    return {};
  return ledger_.record(db_->GetLatestSequenceNumber());
}

// -- reads --------------------------------------------------------------------

caf::expected<job_record>
job_store::decode_stored(const std::string& id, const rocksdb::Status& st,
                         const std::string& value) const {
  if (st.IsNotFound())
    return make_error(errc::not_found, "no job with id '" + id + "'");
  if (!st.ok())
    return failure(st, "reading job '" + id + "'");
  auto x = decode_record(value);
  if (!x)
    return corrupt("record of job '" + id + "': " + message_of(x.error()));
  if (x->id != id)
    return corrupt("record under key '" + id + "' holds id '" + x->id + "'");
  return x;
}

caf::expected<job_record>
job_store::read_record(const rocksdb::ReadOptions& read,
                       const std::string& id) const {
  std::string value;
  auto st = db_->Get(read, family(schema::jobs), id, &value);
  return decode_stored(id, st, value);
}

caf::expected<job_record>
job_store::read_indexed(const rocksdb::ReadOptions& read,
                        const std::string& id) const {
  auto x = read_record(read, id);
  if (!x && code_of(x.error()) == errc::not_found)
    return corrupt("an index entry names job '" + id +
                   "', which has no record");
  return x;
}

caf::expected<job_record> job_store::get(const std::string& id) const {
  return read_record(rocksdb::ReadOptions{}, id);
}

caf::expected<std::vector<job_record>>
job_store::get_many(const std::vector<std::string>& ids) const {
  std::vector<rocksdb::Slice> keys(ids.begin(), ids.end());
  std::vector<rocksdb::ColumnFamilyHandle*> families(ids.size(),
                                                     family(schema::jobs));
  std::vector<std::string> values;
  auto statuses =
      db_->MultiGet(rocksdb::ReadOptions{}, families, keys, &values);
  std::vector<job_record> out;
  for (size_t i = 0; i < ids.size(); ++i) {
    auto x = decode_stored(ids[i], statuses[i], values[i]);
    if (x)
      out.push_back(std::move(*x));
    else if (code_of(x.error()) != errc::not_found)
      return x.error();
  }
  return out;
}

caf::expected<std::vector<history_entry>>
job_store::history(const std::string& id) const {
  auto prefix = schema::history_prefix(id);
  std::vector<history_entry> out;
  caf::error err;
  auto visit = [&](std::string_view key, std::string_view value) {
    auto x = decode_history(value);
    if (!x)
      err = corrupt("history of job '" + id + "': " + message_of(x.error()));
    else if (key.size() != prefix.size() + 4 || x->job_id != id)
      err = corrupt("history key of job '" + id + "' is malformed");
    else
      out.push_back(std::move(*x));
    return !err;
  };
  auto st =
      schema::scan_keys(*db_, family(schema::history), rocksdb::ReadOptions{},
                        schema::prefix_range(prefix), false, visit);
  if (err)
    return err;
  if (!st.ok())
    return failure(st, "reading the history of job '" + id + "'");
  return out;
}

caf::error job_store::scan_index(const rocksdb::ReadOptions& read,
                                 const schema::key_range& range,
                                 size_t prefix_size, bool reverse,
                                 const index_visitor& visit) const {
  caf::error err;
  auto on_key = [&](std::string_view key, std::string_view) {
    auto id = schema::index_id(key, prefix_size);
    if (!id) {
      err = corrupt("an index key of " + std::to_string(key.size()) +
                    " bytes is too short to hold a time and an id");
      return false;
    }
    bool stop = false;
    err = visit(std::string{*id}, stop);
    return !err && !stop;
  };
  auto st = schema::scan_keys(*db_, family(schema::index), read, range, reverse,
                              on_key);
  if (err)
    return err;
  return st.ok() ? caf::error{} : failure(st, "scanning the index");
}

caf::expected<std::vector<job_record>>
job_store::list(const job_query& query,
                std::vector<damaged_record>* damaged) const {
  auto prefix = schema::pick_index(*db_, family(schema::index), query);
  auto range =
      schema::time_range(prefix, query.created_from_us, query.created_to_us);
  rocksdb::ManagedSnapshot snapshot{db_.get()};
  rocksdb::ReadOptions read;
  read.snapshot = snapshot.snapshot();
  // Every index sorts by created time, then id: for sort=created the scan
  // order is the page order and the scan can stop once the page is full.
  const bool streaming = query.sort == job_sort::created;
  const uint64_t wanted = uint64_t{query.offset} + query.limit;
  std::vector<job_record> rows;
  auto visit = [&](const std::string& id, bool& stop) -> caf::error {
    auto x = read_indexed(read, id);
    if (!x && code_of(x.error()) == errc::data_dir_corrupt) {
      // One bad record must not hide every good one from every user.
      if (damaged)
        damaged->push_back({id, message_of(x.error())});
      return {};
    }
    if (!x)
      return x.error();
    if (matches(query, *x))
      rows.push_back(std::move(*x));
    stop = streaming && rows.size() >= wanted;
    return {};
  };
  if (auto err = scan_index(read, range, prefix.size(),
                            streaming && query.descending, visit))
    return err;
  make_page(rows, query, streaming);
  return rows;
}

caf::expected<std::vector<job_record>> job_store::non_terminal() const {
  rocksdb::ManagedSnapshot snapshot{db_.get()};
  rocksdb::ReadOptions read;
  read.snapshot = snapshot.snapshot();
  std::vector<job_record> out;
  for (auto status : {job_status::scheduled, job_status::waiting,
                      job_status::queued, job_status::running}) {
    auto visit = [&](const std::string& id, bool&) -> caf::error {
      auto x = read_indexed(read, id);
      if (x && x->status != status)
        return corrupt("the status index lists job '" + id + "' as " +
                       to_string(status) + ", its record says " +
                       to_string(x->status));
      if (!x)
        return x.error();
      out.push_back(std::move(*x));
      return {};
    };
    auto prefix = schema::status_prefix(status);
    if (auto err = scan_index(read, schema::prefix_range(prefix), prefix.size(),
                              false, visit))
      return err;
  }
  return out;
}

caf::expected<std::map<job_status, uint64_t>>
job_store::count_by_status() const {
  rocksdb::ManagedSnapshot snapshot{db_.get()};
  rocksdb::ReadOptions read;
  read.snapshot = snapshot.snapshot();
  std::map<job_status, uint64_t> counts;
  for (size_t i = 0; i < job_status_count; ++i) {
    auto status = static_cast<job_status>(i);
    auto& count = counts[status];
    auto visit = [&count](const std::string&, bool&) {
      ++count;
      return caf::error{};
    };
    auto prefix = schema::status_prefix(status);
    if (auto err = scan_index(read, schema::prefix_range(prefix), prefix.size(),
                              false, visit))
      return err;
  }
  return counts;
}

} // namespace troupe
