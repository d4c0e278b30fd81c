// Builds and takes apart the keys of the job store and checks that a data
// directory holds a store of this schema (see docs/storage.md).
#include "troupe/storage/key_schema.hpp"

#include <algorithm>
#include <filesystem>
#include <iterator>

#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

#include "troupe/messages/errc.hpp"
#include "troupe/storage/record_codec.hpp"

namespace troupe::schema {

namespace {

constexpr uint64_t sign_bit = uint64_t{1} << 63;

void append_u32_be(std::string& out, uint32_t x) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((x >> shift) & 0xff));
}

// Free-text components (type, owner, tag) may hold any byte, so they carry a
// length instead of a terminator: no prefix can then match another value.
std::string text_prefix(char kind, std::string_view text) {
  std::string out;
  out.reserve(1 + 4 + text.size());
  out.push_back(kind);
  append_u32_be(out, static_cast<uint32_t>(text.size()));
  out.append(text);
  return out;
}

std::string index_key(std::string prefix, int64_t time_us,
                      const std::string& id) {
  prefix += encode_time(time_us);
  prefix += id;
  return prefix;
}

bool is_lock_error(const rocksdb::Status& st) {
  // RocksDB reports a held LOCK file as an IO error; only the text tells.
  auto text = st.ToString();
  return st.IsIOError() &&
         (text.find("lock hold by current process") != std::string::npos ||
          text.find("While lock file") != std::string::npos ||
          text.find("Resource temporarily unavailable") != std::string::npos);
}

caf::error dir_error(errc code, const std::string& path,
                     const std::string& rule) {
  return make_error(code, "data directory '" + path + "' " + rule);
}

} // namespace

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

std::string status_prefix(job_status x) {
  return std::string{'s', static_cast<char>(x)};
}

std::string type_prefix(std::string_view type) {
  return text_prefix('t', type);
}

std::string owner_prefix(std::string_view owner) {
  return text_prefix('o', owner);
}

std::string tag_prefix(std::string_view tag) {
  return text_prefix('g', tag);
}

std::string created_prefix() {
  return "c";
}

std::string finished_prefix() {
  return "f";
}

std::vector<std::string> index_keys(const job_record& x) {
  std::vector<std::string> keys;
  keys.reserve(5 + x.tags.size());
  keys.push_back(index_key(status_prefix(x.status), x.created_us, x.id));
  keys.push_back(index_key(created_prefix(), x.created_us, x.id));
  if (!x.type.empty())
    keys.push_back(index_key(type_prefix(x.type), x.created_us, x.id));
  if (!x.owner.empty())
    keys.push_back(index_key(owner_prefix(x.owner), x.created_us, x.id));
  for (const auto& tag : x.tags)
    if (!tag.empty())
      keys.push_back(index_key(tag_prefix(tag), x.created_us, x.id));
  if (is_terminal(x.status))
    keys.push_back(index_key(finished_prefix(), x.finished_us, x.id));
  append_control_keys(x, keys);
  // A tag listed twice yields one key, so a listing returns the job once.
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::vector<std::string> index_candidates(const job_query& query) {
  std::vector<std::string> out;
  if (!query.owner.empty())
    out.push_back(owner_prefix(query.owner));
  if (!query.tag.empty())
    out.push_back(tag_prefix(query.tag));
  if (!query.type.empty())
    out.push_back(type_prefix(query.type));
  if (query.has_status)
    out.push_back(status_prefix(query.status));
  if (out.empty())
    out.push_back(created_prefix());
  return out;
}

std::string pick_index(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* index_cf,
                       const job_query& query) {
  auto candidates = index_candidates(query);
  if (candidates.size() == 1)
    return candidates.front();
  std::vector<key_range> ranges;
  std::vector<rocksdb::Range> spans;
  for (const auto& prefix : candidates)
    ranges.push_back(
        time_range(prefix, query.created_from_us, query.created_to_us));
  for (const auto& range : ranges)
    spans.emplace_back(range.lower, range.upper);
  std::vector<uint64_t> sizes(spans.size());
  rocksdb::SizeApproximationOptions approx;
  approx.include_memtables = true;
  auto st =
      db.GetApproximateSizes(approx, index_cf, spans.data(),
                             static_cast<int>(spans.size()), sizes.data());
  if (!st.ok())
    return candidates.front(); // Only an estimate: any candidate is correct.
  auto best = std::min_element(sizes.begin(), sizes.end()) - sizes.begin();
  return candidates[static_cast<size_t>(best)];
}

rocksdb::Status
stage_job_put(const std::vector<rocksdb::ColumnFamilyHandle*>& families,
              const job_record* previous, const job_record& x,
              rocksdb::WriteBatch& out) {
  auto new_keys = index_keys(x);
  std::vector<std::string> stale;
  std::vector<std::string> fresh;
  // Keys in both sets stay untouched: rewriting them would only cost
  // memtable inserts, and deleting them tombstones.
  if (previous != nullptr) {
    auto old_keys = index_keys(*previous);
    std::set_difference(old_keys.begin(), old_keys.end(), new_keys.begin(),
                        new_keys.end(), std::back_inserter(stale));
    std::set_difference(new_keys.begin(), new_keys.end(), old_keys.begin(),
                        old_keys.end(), std::back_inserter(fresh));
  } else {
    fresh = std::move(new_keys);
  }
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

std::optional<std::string_view> index_id(std::string_view key,
                                         size_t prefix_size) {
  if (key.size() <= prefix_size + time_size)
    return std::nullopt;
  return key.substr(prefix_size + time_size);
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

// -- the data directory -------------------------------------------------------

namespace {

bool holds_files(const std::string& path, std::error_code& ec) {
  namespace fs = std::filesystem;
  for (fs::directory_iterator i{path, ec}, end; !ec && i != end;
       i.increment(ec))
    if (!i->is_directory(ec))
      return true;
  return false;
}

} // namespace

caf::expected<bool> inspect_directory(const std::string& path,
                                      bool create_if_missing) {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto st = fs::status(path, ec);
  bool exists = st.type() != fs::file_type::not_found;
  if (ec && exists)
    return dir_error(errc::storage_failure, path,
                     "cannot be inspected: " + ec.message());
  ec.clear(); // A missing path is no error: it becomes a new store.
  if (exists && !fs::is_directory(st))
    return dir_error(errc::data_dir_corrupt, path,
                     "exists but is not a directory");
  if (exists && fs::exists(fs::path{path} / "CURRENT", ec))
    return false;
  // Initialising a directory with files in it could mix a store into
  // someone else's files, so only a missing one, or one that holds nothing
  // but subdirectories (e.g. `troupe-data/demo` beside a server's store in
  // `troupe-data`), becomes a new store.
  if (exists && !ec && holds_files(path, ec))
    return dir_error(errc::data_dir_corrupt, path,
                     "holds files but no store (no CURRENT file); "
                     "refusing to initialise it");
  if (ec)
    return dir_error(errc::storage_failure, path,
                     "cannot be read: " + ec.message());
  if (!create_if_missing)
    return dir_error(errc::storage_failure, path,
                     "holds no store and create_if_missing is off");
  if (!exists && !fs::create_directories(path, ec) && ec)
    return dir_error(errc::storage_failure, path,
                     "cannot be created: " + ec.message());
  return true;
}

caf::error check_version(const std::string& path,
                         const std::optional<std::string>& value) {
  if (!value)
    return corrupt_error(path, "it has no schema version");
  if (value->size() != 4)
    return corrupt_error(path, "its schema version has " +
                                   std::to_string(value->size()) +
                                   " bytes, expected 4");
  uint32_t found = 0;
  for (size_t i = 0; i < 4; ++i)
    found |= uint32_t{static_cast<uint8_t>((*value)[i])} << (8 * i);
  if (found == version)
    return {};
  return corrupt_error(path, "it has schema version " + std::to_string(found) +
                                 ", this build reads only version " +
                                 std::to_string(version));
}

caf::error status_error(const std::string& path, const rocksdb::Status& st,
                        const std::string& action) {
  if (is_lock_error(st))
    return dir_error(errc::data_dir_locked, path,
                     "is locked by another process or store: " + st.ToString());
  auto code =
      st.IsCorruption() ? errc::data_dir_corrupt : errc::storage_failure;
  return dir_error(code, path, "failed " + action + ": " + st.ToString());
}

caf::error corrupt_error(const std::string& path, const std::string& what) {
  return dir_error(errc::data_dir_corrupt, path, "is damaged: " + what);
}

} // namespace troupe::schema
