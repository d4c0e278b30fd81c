// The job store's write path: one atomic RocksDB batch per store_batch that
// keeps the indexes consistent, at the configured durability, recorded in
// the acknowledgement ledger.
#include "troupe/storage/job_store.hpp"

#include <array>
#include <unordered_map>
#include <unordered_set>

#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/perf_level.h"
#include "rocksdb/write_batch.h"

#include "troupe/messages/errc.hpp"
#include "troupe/storage/key_schema.hpp"
#include "troupe/storage/record_codec.hpp"
#include "troupe/storage/sealed_fields.hpp"

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

// `x` as stored: itself, or a copy with its sealed fields sealed by `keys`.
template <class T>
caf::expected<const T*> as_stored(const payload_keyring* keys, const T& x,
                                  T& copy) {
  if (keys == nullptr)
    return &x;
  copy = x;
  if (auto err = schema::seal_fields(*keys, copy))
    return err;
  return &copy;
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

caf::expected<std::vector<std::string>>
job_store::replaced_index_keys(const job_record& x, const job_record* staged,
                               bool created,
                               std::optional<job_status> replaced) {
  if (staged != nullptr)
    return schema::index_keys(*staged);
  if (created)
    return std::vector<std::string>{};
  if (replaced && !is_terminal(*replaced))
    return schema::index_keys(x, schema::index_state{*replaced, 0});
  auto stored = read_record(rocksdb::ReadOptions{}, x.id);
  if (stored)
    return schema::index_keys(*stored);
  if (code_of(stored.error()) == errc::not_found)
    return std::vector<std::string>{};
  return stored.error();
}

caf::error job_store::stage_batch(const store_batch& batch,
                                  rocksdb::WriteBatch& out) {
  const auto* keys = options_.encryption.get();
  std::unordered_set<std::string_view> created{batch.created.begin(),
                                               batch.created.end()};
  // The last version of each id staged so far: a second record with the
  // same id replaces the first, so it must delete the first one's keys.
  std::unordered_map<std::string_view, const job_record*> staged;
  for (size_t i = 0; i < batch.records.size(); ++i) {
    const auto& x = batch.records[i];
    auto earlier = staged.find(x.id);
    auto old_keys = replaced_index_keys(
        x, earlier != staged.end() ? earlier->second : nullptr,
        created.count(x.id) > 0,
        i < batch.replaced.size() ? std::optional{batch.replaced[i]}
                                  : std::nullopt);
    if (!old_keys)
      return old_keys.error();
    job_record copy;
    auto sealed = as_stored(keys, x, copy);
    if (!sealed)
      return sealed.error();
    auto st = schema::stage_job_put(families_, *old_keys, **sealed, out);
    if (!st.ok())
      return failure(st, "staging job '" + x.id + "'");
    staged[x.id] = &x;
  }
  for (const auto& x : batch.history) {
    history_entry copy;
    auto sealed = as_stored(keys, x, copy);
    if (!sealed)
      return sealed.error();
    auto st =
        out.Put(family(schema::history), schema::history_key(x.job_id, x.seq),
                encode_history(**sealed));
    if (!st.ok())
      return failure(st, "staging history of job '" + x.job_id + "'");
  }
  return {};
}

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
  // Counting perf statistics on every key comparison costs more than the
  // write itself; the level is per thread, and actors move between threads.
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  rocksdb::WriteBatch out;
  if (auto err = stage_batch(batch, out))
    return err;
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

} // namespace troupe
