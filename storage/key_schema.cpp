// Builds and takes apart the keys of the job store and scans over key ranges
// (see docs/storage.md).
#include "troupe/storage/key_schema.hpp"

#include <algorithm>
#include <iterator>

#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

#include "troupe/messages/errc.hpp"
#include "troupe/storage/record_codec.hpp"

namespace troupe::schema {

namespace {

constexpr uint64_t sign_bit = uint64_t{1} << 63;

} // namespace

void append_u32_be(std::string& out, uint32_t x) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((x >> shift) & 0xff));
}

std::string encode_time(int64_t us) {
  // Flipping the sign bit maps int64 order onto unsigned order, which
  // big-endian bytes preserve under bytewise comparison.
  auto bits = static_cast<uint64_t>(us) ^ sign_bit;
  std::string out(time_size, '\0');
  for (size_t i = 0; i < time_size; ++i)
    out[i] = static_cast<char>((bits >> (8 * (time_size - 1 - i))) & 0xff);
  return out;
}

int64_t decode_time(std::string_view bytes) {
  uint64_t bits = 0;
  for (size_t i = 0; i < time_size; ++i)
    bits = (bits << 8) | static_cast<uint8_t>(bytes[i]);
  return static_cast<int64_t>(bits ^ sign_bit);
}

std::string encode_u32_le(uint32_t x) {
  std::string out;
  for (int shift = 0; shift < 32; shift += 8)
    out.push_back(static_cast<char>((x >> shift) & 0xff));
  return out;
}

caf::error check_id(const std::string& id, const char* field) {
  if (!id.empty() && id.find('\0') == std::string::npos)
    return {};
  return make_error(errc::invalid_field,
                    std::string{field} + " '" + id +
                        "' must be non-empty and contain no NUL byte");
}

std::string audit_key(int64_t at_us, uint64_t seq) {
  auto out = encode_time(at_us);
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((seq >> shift) & 0xff));
  return out;
}

std::string history_prefix(const std::string& id) {
  std::string out = id;
  out.push_back('\0');
  return out;
}

std::string history_key(const std::string& id, uint32_t seq) {
  auto out = history_prefix(id);
  append_u32_be(out, seq);
  return out;
}

rocksdb::Status
stage_job_put(const std::vector<rocksdb::ColumnFamilyHandle*>& families,
              const std::vector<std::string>& old_keys, const job_record& x,
              rocksdb::WriteBatch& out) {
  auto new_keys = index_keys(x);
  std::vector<std::string> stale;
  std::vector<std::string> fresh;
  // Keys in both sets stay untouched: rewriting them would only cost
  // memtable inserts, and deleting them tombstones.
  std::set_difference(old_keys.begin(), old_keys.end(), new_keys.begin(),
                      new_keys.end(), std::back_inserter(stale));
  std::set_difference(new_keys.begin(), new_keys.end(), old_keys.begin(),
                      old_keys.end(), std::back_inserter(fresh));
  auto st = out.Put(families[jobs], x.id, encode_record(x));
  for (const auto& key : stale)
    if (st.ok())
      st = out.Delete(families[index], key);
  for (const auto& key : fresh)
    if (st.ok())
      st = out.Put(families[index], key, rocksdb::Slice{});
  return st;
}

rocksdb::Status
stage_job_delete(rocksdb::DB& db,
                 const std::vector<rocksdb::ColumnFamilyHandle*>& families,
                 const job_record& x, rocksdb::WriteBatch& out) {
  auto st = out.Delete(families[jobs], x.id);
  for (const auto& key : index_keys(x))
    if (st.ok())
      st = out.Delete(families[index], key);
  if (!st.ok())
    return st;
  // Point deletes rather than DeleteRange: many small range tombstones slow
  // down later reads of the history family until compaction drops them.
  auto visit = [&](std::string_view key, std::string_view) {
    st = out.Delete(families[history], key);
    return st.ok();
  };
  auto scanned = scan_keys(db, families[history], rocksdb::ReadOptions{},
                           prefix_range(history_prefix(x.id)), false, visit);
  return st.ok() ? scanned : st;
}

key_range prefix_range(const std::string& prefix) {
  return {prefix, prefix_end(prefix)};
}

key_range time_range(const std::string& prefix, int64_t from_us,
                     int64_t to_us) {
  key_range range{prefix, prefix_end(prefix)};
  if (from_us != 0)
    range.lower = prefix + encode_time(from_us);
  if (to_us != 0)
    range.upper = prefix + encode_time(to_us);
  if (range.lower >= range.upper)
    range.upper = range.lower;
  return range;
}

std::string prefix_end(std::string prefix) {
  // Drop trailing 0xff bytes, then increment the last remaining byte.
  while (!prefix.empty() && static_cast<uint8_t>(prefix.back()) == 0xff)
    prefix.pop_back();
  if (!prefix.empty())
    prefix.back() = static_cast<char>(static_cast<uint8_t>(prefix.back()) + 1);
  return prefix;
}

rocksdb::Status scan_keys(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf,
                          const rocksdb::ReadOptions& read,
                          const key_range& range, bool reverse,
                          const key_visitor& visit) {
  if (range.lower >= range.upper)
    return rocksdb::Status::OK();
  // Bounds keep the iterator (and reverse seeks) inside the range.
  rocksdb::Slice lower{range.lower};
  rocksdb::Slice upper{range.upper};
  auto bounded = read;
  bounded.iterate_lower_bound = &lower;
  bounded.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it{db.NewIterator(bounded, cf)};
  for (reverse ? it->SeekToLast() : it->SeekToFirst(); it->Valid();
       reverse ? it->Prev() : it->Next())
    if (!visit(it->key().ToStringView(), it->value().ToStringView()))
      break;
  return it->status();
}

} // namespace troupe::schema
