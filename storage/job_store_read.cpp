// The job store's read path: records by id (also several at once), history,
// the latest job of unique keys, scans of the index, pages of the jobs in one
// status and counts by status, each from one consistent snapshot.
#include "troupe/storage/job_store.hpp"

#include <unordered_map>

#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/snapshot.h"

#include "troupe/messages/errc.hpp"
#include "troupe/storage/data_dir_checks.hpp"
#include "troupe/storage/key_schema.hpp"
#include "troupe/storage/record_codec.hpp"
#include "troupe/storage/sealed_fields.hpp"

namespace troupe {

caf::error job_store::failure(const rocksdb::Status& status,
                              const std::string& action) const {
  return schema::status_error(options_.path, status, action);
}

caf::error job_store::corrupt(const std::string& what) const {
  return schema::corrupt_error(options_.path, what);
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
  if (auto err = schema::open_fields(options_.encryption.get(), *x))
    return corrupt("record of job '" + id + "': " + message_of(err));
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
  const auto* keys = options_.encryption.get();
  std::vector<history_entry> out;
  caf::error err;
  auto visit = [&](std::string_view key, std::string_view value) {
    auto x = decode_history(value);
    if (!x)
      err = corrupt("history of job '" + id + "': " + message_of(x.error()));
    else if (key.size() != prefix.size() + 4 || x->job_id != id)
      err = corrupt("history key of job '" + id + "' is malformed");
    else if (auto sealed = schema::open_fields(keys, *x))
      err = corrupt("history of job '" + id + "': " + message_of(sealed));
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

caf::expected<job_store::job_page>
job_store::page_by_status(job_status status, const std::string& after,
                          size_t limit) const {
  if (limit == 0)
    return make_error(errc::invalid_field, "limit: must be at least 1");
  auto prefix = schema::status_prefix(status);
  auto range = schema::prefix_range(prefix);
  if (!after.empty()) {
    if (after.compare(0, prefix.size(), prefix) != 0)
      return make_error(errc::invalid_field, "after: not a key of the " +
                                                 to_string(status) + " index");
    range.lower = after + '\0'; // The first key after it.
  }
  rocksdb::ManagedSnapshot snapshot{db_.get()};
  rocksdb::ReadOptions read;
  read.snapshot = snapshot.snapshot();
  std::vector<std::string> ids;
  std::string last;
  caf::error err;
  auto on_key = [&](std::string_view key, std::string_view) {
    auto id = schema::index_id(key, prefix.size());
    if (!id) {
      err = corrupt("a " + to_string(status) + " index key of " +
                    std::to_string(key.size()) +
                    " bytes is too short to hold a time and an id");
      return false;
    }
    ids.emplace_back(*id);
    last.assign(key);
    return ids.size() < limit;
  };
  auto st = schema::scan_keys(*db_, family(schema::index), read, range, false,
                              on_key);
  if (err)
    return err;
  if (!st.ok())
    return failure(st, "scanning the status index");
  std::vector<rocksdb::Slice> keys(ids.begin(), ids.end());
  std::vector<rocksdb::ColumnFamilyHandle*> families(ids.size(),
                                                     family(schema::jobs));
  std::vector<std::string> values;
  auto statuses = db_->MultiGet(read, families, keys, &values);
  job_page page;
  page.jobs.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    auto x = decode_stored(ids[i], statuses[i], values[i]);
    if (!x && code_of(x.error()) == errc::not_found)
      return corrupt("an index entry names job '" + ids[i] +
                     "', which has no record");
    if (!x)
      return x.error();
    if (x->status != status)
      return corrupt("the status index lists job '" + ids[i] + "' as " +
                     to_string(status) + ", its record says " +
                     to_string(x->status));
    page.jobs.push_back(std::move(*x));
  }
  if (ids.size() == limit)
    page.next = std::move(last);
  return page;
}

caf::expected<std::vector<job_record>> job_store::non_terminal() const {
  constexpr size_t page_size = 4096;
  std::vector<job_record> out;
  for (auto status : {job_status::scheduled, job_status::waiting,
                      job_status::queued, job_status::running}) {
    std::string after;
    do {
      auto page = page_by_status(status, after, page_size);
      if (!page)
        return page.error();
      out.insert(out.end(), std::make_move_iterator(page->jobs.begin()),
                 std::make_move_iterator(page->jobs.end()));
      after = std::move(page->next);
    } while (!after.empty());
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

caf::expected<std::vector<job_record>>
job_store::latest_unique(const std::vector<std::string>& keys) const {
  std::vector<job_record> out;
  rocksdb::ReadOptions read;
  for (const auto& key : keys) {
    auto prefix = schema::unique_prefix(key);
    std::string latest;
    auto visit = [&latest](const std::string& id, bool& stop) {
      latest = id;
      stop = true;
      return caf::error{};
    };
    if (auto err = scan_index(read, schema::prefix_range(prefix), prefix.size(),
                              true, visit))
      return err;
    if (latest.empty())
      continue;
    auto x = read_indexed(read, latest);
    if (!x)
      return x.error();
    out.push_back(std::move(*x));
  }
  return out;
}

} // namespace troupe
