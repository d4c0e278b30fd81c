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
job_store::stored_index_keys(const job_record& x, uint64_t inputs) {
  if (auto i = live_index_.find(compact_id{x.id});
      i != live_index_.end() && i->second.inputs == inputs)
    return schema::index_keys(x, i->second.state);
  auto stored = read_record(rocksdb::ReadOptions{}, x.id);
  if (stored)
    return schema::index_keys(*stored);
  if (code_of(stored.error()) == errc::not_found)
    return std::vector<std::string>{};
  return stored.error();
}

caf::error job_store::stage_batch(
    const store_batch& batch, rocksdb::WriteBatch& out,
    std::unordered_map<std::string, staged_version>& written) {
  const auto* keys = options_.encryption.get();
  std::unordered_set<std::string_view> created{batch.created.begin(),
                                               batch.created.end()};
  for (const auto& x : batch.records) {
    // A second record with the same id in this batch replaces the first, so
    // it must delete the first one's keys.
    auto inputs = schema::index_inputs_hash(x);
    std::vector<std::string> old_keys;
    if (auto i = written.find(x.id); i != written.end()) {
      old_keys = schema::index_keys(*i->second.record);
    } else if (created.count(x.id) == 0) {
      auto found = stored_index_keys(x, inputs);
      if (!found)
        return found.error();
      old_keys = std::move(*found);
    }
    job_record copy;
    auto sealed = as_stored(keys, x, copy);
    if (!sealed)
      return sealed.error();
    auto st = schema::stage_job_put(families_, old_keys, **sealed, out);
    if (!st.ok())
      return failure(st, "staging job '" + x.id + "'");
    written[x.id] = {&x, inputs};
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
  std::unordered_map<std::string, staged_version> written;
  if (auto err = stage_batch(batch, out, written))
    return err;
  auto st = db_->Write(write_options(options_.level), &out);
  if (!st.ok())
    return failure(st, "writing " + std::to_string(batch.records.size()) +
                           " records and " +
                           std::to_string(batch.history.size()) +
                           " history entries");
  for (const auto& [id, x] : written)
    if (is_terminal(x.record->status))
      live_index_.erase(compact_id{id});
    else
      live_index_[compact_id{id}] = {schema::index_state_of(*x.record),
                                     x.inputs};
  // Writes at durability none are in no WAL: a crash loses them by design.
  if (options_.level == durability::none)
    return {};
  return ledger_.record(db_->GetLatestSequenceNumber());
}

} // namespace troupe
