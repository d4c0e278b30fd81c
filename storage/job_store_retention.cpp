// Retention of the job store: purging terminal jobs by finish time (global
// retention) and by their own result TTL (expiry index), in bounded batches.
#include "storage/job_store.hpp"

#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

#include "messages/errc.hpp"
#include "storage/key_schema.hpp"

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

caf::expected<uint64_t> job_store::purge_terminal(int64_t finished_before_us) {
  return purge_index(schema::finished_prefix(), finished_before_us);
}

caf::expected<uint64_t> job_store::purge_expired(int64_t now_us) {
  // The expiry index is exclusive at its upper bound: a job expiring exactly
  // at `now_us` is due, so scan up to the next microsecond.
  return purge_index(schema::expiry_prefix(), now_us + 1);
}

caf::expected<uint64_t> job_store::purge_retention(int64_t finished_before_us,
                                                   int64_t now_us) {
  auto by_age = purge_terminal(finished_before_us);
  if (!by_age)
    return by_age;
  auto by_ttl = purge_expired(now_us);
  if (!by_ttl)
    return by_ttl;
  return *by_age + *by_ttl;
}

caf::expected<uint64_t> job_store::purge_index(const std::string& prefix,
                                               int64_t before_us) {
  std::string resume = prefix;
  uint64_t total = 0;
  for (;;) {
    auto purged = purge_batch(prefix, resume, before_us);
    if (!purged)
      return purged.error();
    total += *purged;
    if (*purged < purge_batch_size)
      return total;
  }
}

caf::expected<size_t> job_store::purge_batch(const std::string& prefix,
                                             std::string& resume,
                                             int64_t before_us) {
  std::lock_guard<std::mutex> guard{write_mutex_};
  schema::key_range range{resume, prefix + schema::encode_time(before_us)};
  std::vector<std::string> ids;
  auto collect = [&ids](const std::string& id, bool& stop) {
    ids.push_back(id);
    stop = ids.size() >= purge_batch_size;
    return caf::error{};
  };
  rocksdb::ReadOptions read;
  if (auto err = scan_index(read, range, prefix.size(), false, collect))
    return err;
  rocksdb::WriteBatch out;
  for (const auto& id : ids) {
    auto x = read_indexed(read, id);
    if (!x)
      return x.error();
    auto time = index_time(prefix, *x);
    if (!is_terminal(x->status) || time >= before_us)
      return corrupt("the " +
                     std::string{prefix == "x" ? "expiry" : "finished"} +
                     " index lists job '" + id +
                     "', whose record is not terminal or ends later");
    if (auto st = schema::stage_job_delete(*db_, families_, *x, out); !st.ok())
      return failure(st, "staging the purge of job '" + id + "'");
    // The next batch starts right after this job's index key.
    resume = prefix + schema::encode_time(time) + id + '\0';
  }
  if (ids.empty())
    return size_t{0};
  auto st = db_->Write(purge_write_options(options_.level), &out);
  if (!st.ok())
    return failure(st, "purging " + std::to_string(ids.size()) + " jobs");
  return ids.size();
}

} // namespace troupe
