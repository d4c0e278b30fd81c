// Dispatch controls in the `limits` family: one key per limit and per pause.
// Keys: 'l' or 'p', the scope byte, the type, owner or job id. A limit's
// value is a version byte, max_running (u32), rate (f64) and burst (u32),
// little-endian; a pause has an empty value.
#include <cstring>
#include <memory>

#include "rocksdb/db.h"

#include "messages/errc.hpp"
#include "storage/job_store.hpp"
#include "storage/key_schema.hpp"

namespace troupe {

namespace {

constexpr char limit_kind = 'l';
constexpr char pause_kind = 'p';
constexpr uint8_t limit_format = 1;
constexpr size_t limit_value_size = 1 + 4 + 8 + 4;

std::string control_key(char kind, control_scope scope,
                        const std::string& key) {
  std::string out;
  out.push_back(kind);
  out.push_back(static_cast<char>(scope));
  out += key;
  return out;
}

void append_le(std::string& out, uint64_t x, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i)
    out.push_back(static_cast<char>((x >> (8 * i)) & 0xff));
}

uint64_t read_le(const char* in, size_t bytes) {
  uint64_t x = 0;
  for (size_t i = 0; i < bytes; ++i)
    x |= uint64_t{static_cast<uint8_t>(in[i])} << (8 * i);
  return x;
}

std::string encode_limit(const dispatch_limit& x) {
  std::string out;
  out.push_back(static_cast<char>(limit_format));
  append_le(out, x.max_running, 4);
  uint64_t bits = 0;
  std::memcpy(&bits, &x.rate, sizeof(bits));
  append_le(out, bits, 8);
  append_le(out, x.burst, 4);
  return out;
}

bool decode_limit(const rocksdb::Slice& value, dispatch_limit& x) {
  if (value.size() != limit_value_size ||
      static_cast<uint8_t>(value[0]) != limit_format)
    return false;
  const auto* in = value.data() + 1;
  x.max_running = static_cast<uint32_t>(read_le(in, 4));
  auto bits = read_le(in + 4, 8);
  std::memcpy(&x.rate, &bits, sizeof(bits));
  x.burst = static_cast<uint32_t>(read_le(in + 12, 4));
  return true;
}

rocksdb::WriteOptions control_write_options(durability level) {
  // Controls are few and rare: always logged, so even durability `none`
  // keeps an acknowledged change across a crash.
  rocksdb::WriteOptions out;
  out.sync = level == durability::fsync;
  return out;
}

} // namespace

caf::error job_store::put_limit(const dispatch_limit& limit) {
  auto st = db_->Put(
      control_write_options(options_.level), family(schema::limits),
      control_key(limit_kind, limit.scope, limit.key), encode_limit(limit));
  return st.ok() ? caf::error{} : failure(st, "storing a limit");
}

caf::error job_store::erase_limit(control_scope scope, const std::string& key) {
  auto st =
      db_->Delete(control_write_options(options_.level), family(schema::limits),
                  control_key(limit_kind, scope, key));
  return st.ok() ? caf::error{} : failure(st, "erasing a limit");
}

caf::error job_store::put_paused(control_scope scope, const std::string& key,
                                 bool paused) {
  auto options = control_write_options(options_.level);
  auto k = control_key(pause_kind, scope, key);
  auto st = paused ? db_->Put(options, family(schema::limits), k, "")
                   : db_->Delete(options, family(schema::limits), k);
  return st.ok() ? caf::error{} : failure(st, "storing a pause");
}

caf::expected<dispatch_controls> job_store::controls() const {
  dispatch_controls result;
  std::unique_ptr<rocksdb::Iterator> it{
      db_->NewIterator(rocksdb::ReadOptions{}, family(schema::limits))};
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto k = it->key();
    auto scope = k.size() >= 2 ? static_cast<uint8_t>(k[1]) : 255;
    if (scope > static_cast<uint8_t>(control_scope::job) ||
        (k[0] != limit_kind && k[0] != pause_kind))
      return corrupt("a key of the limits family is malformed");
    std::string key{k.data() + 2, k.size() - 2};
    auto s = static_cast<control_scope>(scope);
    if (k[0] == pause_kind) {
      (s == control_scope::type ? result.paused_types : result.paused_jobs)
          .push_back(std::move(key));
      continue;
    }
    dispatch_limit limit;
    limit.scope = s;
    limit.key = std::move(key);
    if (!decode_limit(it->value(), limit))
      return corrupt("the limit of " + to_string(s) + " " + limit.key +
                     " does not decode");
    result.limits.push_back(std::move(limit));
  }
  if (!it->status().ok())
    return failure(it->status(), "reading the limits");
  return result;
}

} // namespace troupe
