// The job store's audit trail (family `audit`): entries keyed by time and a
// sequence number, appended like job writes, read oldest first, purged by
// age. A row that cannot be read is reported, never fatal.
#include "troupe/storage/job_store.hpp"

#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

#include "troupe/messages/errc.hpp"
#include "troupe/storage/key_schema.hpp"
#include "troupe/storage/record_codec.hpp"

namespace troupe {

namespace {

// How many entries one purge write batch deletes; bounds the batch size and
// the time the write lock is held.
constexpr size_t audit_purge_batch = 1024;

rocksdb::WriteOptions audit_write_options(durability level) {
  rocksdb::WriteOptions out;
  out.disableWAL = level == durability::none;
  out.sync = level == durability::fsync;
  return out;
}

caf::error check_field(size_t index, const char* field,
                       const std::string& value) {
  if (value.size() <= max_audit_field_bytes)
    return {};
  return make_error(errc::invalid_field,
                    "audit entry " + std::to_string(index) + " " + field +
                        ": at most " + std::to_string(max_audit_field_bytes) +
                        " bytes, got " + std::to_string(value.size()));
}

caf::error check_entry(size_t index, const audit_entry& x) {
  auto name = "audit entry " + std::to_string(index);
  if (x.at_us <= 0)
    return make_error(errc::invalid_field,
                      name + " at_us: must be a time after the epoch, got " +
                          std::to_string(x.at_us));
  if (x.action.empty())
    return make_error(errc::invalid_field, name + " action: must be given");
  const std::pair<const char*, const std::string*> fields[] = {
      {"principal", &x.principal}, {"action", &x.action}, {"target", &x.target},
      {"outcome", &x.outcome},     {"detail", &x.detail},
  };
  for (auto [field, value] : fields)
    if (auto err = check_field(index, field, *value))
      return err;
  return {};
}

caf::error check_query(const audit_query& query) {
  if (query.since_us < 0)
    return make_error(errc::invalid_field,
                      "since_us: must be 0 (all) or a time after the epoch, "
                      "got " +
                          std::to_string(query.since_us));
  if (query.principal.size() > max_audit_field_bytes)
    return make_error(errc::invalid_field,
                      "principal: at most " +
                          std::to_string(max_audit_field_bytes) + " bytes");
  if (query.limit < 1 || query.limit > max_audit_entries_per_query)
    return make_error(errc::invalid_field,
                      "limit: must be between 1 and " +
                          std::to_string(max_audit_entries_per_query) +
                          ", got " + std::to_string(query.limit));
  return {};
}

// Why audit row `key`, `value` cannot be used, or "" (and the entry in `x`).
std::string audit_row_problem(std::string_view key, std::string_view value,
                              audit_entry& x) {
  if (key.size() != schema::audit_key_size)
    return "its key has " + std::to_string(key.size()) + " bytes, expected " +
           std::to_string(schema::audit_key_size);
  auto decoded = decode_audit(value);
  if (!decoded)
    return message_of(decoded.error());
  if (decoded->at_us != schema::decode_time(key))
    return "it holds the time " + std::to_string(decoded->at_us) +
           " under the key time " + std::to_string(schema::decode_time(key));
  x = std::move(*decoded);
  return {};
}

} // namespace

caf::error job_store::append_audit(const std::vector<audit_entry>& entries) {
  for (size_t i = 0; i < entries.size(); ++i)
    if (auto err = check_entry(i, entries[i]))
      return err;
  if (entries.empty())
    return {};
  std::lock_guard<std::mutex> guard{write_mutex_};
  if (auto err = check_room())
    return err;
  // A store whose injected fault has struck is dead for audit writes too.
  if (fail_from_ != 0 && writes_ >= fail_from_)
    return make_error(errc::storage_failure,
                      "data directory '" + options_.path +
                          "': audit write failed: injected fault (tests only)");
  // RocksDB's sequence numbers only grow, across restarts too, and every
  // append runs under the write lock: so no two entries share a key.
  auto seq = db_->GetLatestSequenceNumber();
  rocksdb::WriteBatch out;
  for (const auto& x : entries) {
    auto st = out.Put(family(schema::audit), schema::audit_key(x.at_us, ++seq),
                      encode_audit(x));
    if (!st.ok())
      return failure(st, "staging an audit entry");
  }
  auto st = db_->Write(audit_write_options(options_.level), &out);
  if (!st.ok())
    return failure(st, "appending " + std::to_string(entries.size()) +
                           " audit entries");
  if (options_.level == durability::none)
    return {};
  return ledger_.record(db_->GetLatestSequenceNumber());
}

caf::expected<std::vector<audit_entry>>
job_store::list_audit(const audit_query& query,
                      std::vector<damaged_record>* damaged) const {
  if (auto err = check_query(query))
    return err;
  std::vector<audit_entry> out;
  auto visit = [&](std::string_view key, std::string_view value) {
    audit_entry x;
    auto problem = audit_row_problem(key, value, x);
    if (!problem.empty()) {
      if (damaged)
        damaged->push_back({schema::printable_key(key),
                            "data directory '" + options_.path +
                                "': audit row '" + schema::printable_key(key) +
                                "' cannot be read: " + problem});
      return true;
    }
    if (query.principal.empty() || x.principal == query.principal)
      out.push_back(std::move(x));
    return out.size() < query.limit;
  };
  // Well-formed keys are shorter than the upper bound, whatever their time.
  schema::key_range range{schema::encode_time(query.since_us),
                          std::string(schema::audit_key_size + 1, '\xff')};
  auto st = schema::scan_keys(*db_, family(schema::audit),
                              rocksdb::ReadOptions{}, range, false, visit);
  if (!st.ok())
    return failure(st, "reading the audit trail");
  return out;
}

caf::expected<uint64_t> job_store::purge_audit(int64_t before_us) {
  uint64_t purged = 0;
  for (;;) {
    std::lock_guard<std::mutex> guard{write_mutex_};
    std::vector<std::string> keys;
    auto collect = [&keys](std::string_view key, std::string_view) {
      keys.emplace_back(key);
      return keys.size() < audit_purge_batch;
    };
    schema::key_range range{std::string{}, schema::encode_time(before_us)};
    auto st = schema::scan_keys(*db_, family(schema::audit),
                                rocksdb::ReadOptions{}, range, false, collect);
    if (!st.ok())
      return failure(st, "scanning the audit trail");
    if (keys.empty())
      return purged;
    rocksdb::WriteBatch out;
    for (const auto& key : keys)
      if (st = out.Delete(family(schema::audit), key); !st.ok())
        return failure(st, "staging the purge of an audit entry");
    st = db_->Write(audit_write_options(options_.level), &out);
    if (!st.ok())
      return failure(st, "purging " + std::to_string(keys.size()) +
                             " audit entries");
    purged += keys.size();
    if (keys.size() < audit_purge_batch)
      return purged;
  }
}

} // namespace troupe
