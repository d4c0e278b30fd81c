// Retention of the job store: purging terminal jobs by finish time (global
// retention) and by their own result TTL (expiry index), in bounded batches.
#include "troupe/storage/job_store.hpp"

#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

#include "troupe/messages/errc.hpp"
#include "troupe/storage/key_schema.hpp"

namespace troupe {

namespace {

// How many jobs one purge write batch deletes; bounds the batch size and the
// time the write lock is held.
constexpr size_t purge_batch_size = 256;

rocksdb::WriteOptions purge_write_options(durability level) {
  rocksdb::WriteOptions out;
  out.disableWAL = level == durability::none;
  out.sync = level == durability::fsync;
  return out;
}

// The time under which index `prefix` lists job `x`.
int64_t index_time(const std::string& prefix, const job_record& x) {
  return prefix == schema::expiry_prefix() ? schema::expiry_time(x)
                                           : x.finished_us;
}

} // namespace

caf::expected<uint64_t>
job_store::purge_terminal(int64_t finished_before_us,
                          std::vector<damaged_record>* damaged) {
  return purge_index(schema::finished_prefix(), finished_before_us, damaged);
}

caf::expected<uint64_t>
job_store::purge_expired(int64_t now_us, std::vector<damaged_record>* damaged) {
  // The expiry index is exclusive at its upper bound: a job expiring exactly
  // at `now_us` is due, so scan up to the next microsecond.
  return purge_index(schema::expiry_prefix(), now_us + 1, damaged);
}

caf::expected<uint64_t>
job_store::purge_retention(int64_t finished_before_us, int64_t now_us,
                           std::vector<damaged_record>* damaged) {
  auto by_age = purge_terminal(finished_before_us, damaged);
  if (!by_age)
    return by_age;
  auto by_ttl = purge_expired(now_us, damaged);
  if (!by_ttl)
    return by_ttl;
  return *by_age + *by_ttl;
}

caf::expected<uint64_t>
job_store::purge_index(const std::string& prefix, int64_t before_us,
                       std::vector<damaged_record>* damaged) {
  std::string resume = prefix;
  std::vector<damaged_record> skipped;
  uint64_t total = 0;
  for (;;) {
    auto visited = purge_batch(prefix, resume, before_us, skipped, total);
    if (!visited)
      return visited.error();
    if (*visited < purge_batch_size)
      break;
  }
  if (damaged)
    damaged->insert(damaged->end(), skipped.begin(), skipped.end());
  return total;
}

caf::expected<size_t>
job_store::purge_batch(const std::string& prefix, std::string& resume,
                       int64_t before_us, std::vector<damaged_record>& damaged,
                       uint64_t& purged) {
  std::lock_guard<std::mutex> guard{write_mutex_};
  schema::key_range range{resume, prefix + schema::encode_time(before_us)};
  // Whole keys, not just ids: the next batch resumes after the last one,
  // which for a damaged record is the only place its time is known.
  std::vector<std::string> keys;
  auto collect = [&keys](std::string_view key, std::string_view) {
    keys.emplace_back(key);
    return keys.size() < purge_batch_size;
  };
  rocksdb::ReadOptions read;
  auto scanned = schema::scan_keys(*db_, family(schema::index), read, range,
                                   false, collect);
  if (!scanned.ok())
    return failure(scanned, "scanning the index");
  rocksdb::WriteBatch out;
  size_t staged = 0;
  for (const auto& key : keys) {
    // The next batch starts right after this index key.
    resume = key + '\0';
    auto id = schema::index_id(key, prefix.size());
    if (!id)
      return corrupt("an index key of " + std::to_string(key.size()) +
                     " bytes is too short to hold a time and an id");
    auto x = read_indexed(read, std::string{*id});
    if (!x && code_of(x.error()) == errc::data_dir_corrupt) {
      // Left as it is for inspection; the others are purged.
      damaged.push_back({std::string{*id}, message_of(x.error())});
      continue;
    }
    if (!x)
      return x.error();
    auto time = index_time(prefix, *x);
    if (!is_terminal(x->status) || time >= before_us) {
      damaged.push_back(
          {x->id, "data directory '" + options_.path + "': the " +
                      std::string{prefix == "x" ? "expiry" : "finished"} +
                      " index lists job '" + x->id +
                      "', whose record is not terminal or ends later"});
      continue;
    }
    if (auto st = schema::stage_job_delete(*db_, families_, *x, out); !st.ok())
      return failure(st, "staging the purge of job '" + x->id + "'");
    ++staged;
  }
  if (staged > 0) {
    auto st = db_->Write(purge_write_options(options_.level), &out);
    if (!st.ok())
      return failure(st, "purging " + std::to_string(staged) + " jobs");
    purged += staged;
  }
  return keys.size();
}

} // namespace troupe
