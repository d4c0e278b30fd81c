// Keys of the index family: one per status, type, owner, tag, created and
// finished time, the unique-key index (latest job of a key) and the expiry
// index of jobs with a result TTL; which index serves a listing (see
// docs/storage.md).
#include <algorithm>
#include <functional>
#include <iterator>

#include "rocksdb/db.h"

#include "troupe/storage/key_schema.hpp"

namespace troupe::schema {

namespace {

constexpr int64_t us_per_s = 1000 * 1000;

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

} // namespace

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

std::vector<std::string> index_keys(const job_record& x, index_state at) {
  std::vector<std::string> keys;
  keys.reserve(5 + x.tags.size());
  keys.push_back(index_key(status_prefix(at.status), x.created_us, x.id));
  keys.push_back(index_key(created_prefix(), x.created_us, x.id));
  if (!x.type.empty())
    keys.push_back(index_key(type_prefix(x.type), x.created_us, x.id));
  if (!x.owner.empty())
    keys.push_back(index_key(owner_prefix(x.owner), x.created_us, x.id));
  for (const auto& tag : x.tags)
    if (!tag.empty())
      keys.push_back(index_key(tag_prefix(tag), x.created_us, x.id));
  if (is_terminal(at.status))
    keys.push_back(index_key(finished_prefix(), at.finished_us, x.id));
  append_unique_and_expiry_keys(x, at, keys);
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

std::optional<std::string_view> index_id(std::string_view key,
                                         size_t prefix_size) {
  if (key.size() <= prefix_size + time_size)
    return std::nullopt;
  return key.substr(prefix_size + time_size);
}

std::string unique_prefix(std::string_view unique_key) {
  // Same layout as the type index (kind byte, length, text), other kind.
  auto out = type_prefix(unique_key);
  out[0] = 'u';
  return out;
}

std::string expiry_prefix() {
  return "x";
}

int64_t expiry_time(const job_record& x) {
  return expiry_time(x, index_state_of(x));
}

int64_t expiry_time(const job_record& x, index_state at) {
  return at.finished_us + x.result_ttl_s * us_per_s;
}

void append_unique_and_expiry_keys(const job_record& x, index_state at,
                                   std::vector<std::string>& keys) {
  if (!x.unique_key.empty())
    keys.push_back(unique_prefix(x.unique_key) + encode_time(x.created_us) +
                   x.id);
  if (is_terminal(at.status) && x.result_ttl_s > 0)
    keys.push_back(expiry_prefix() + encode_time(expiry_time(x, at)) + x.id);
}

} // namespace troupe::schema
