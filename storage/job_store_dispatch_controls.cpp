// Dispatch controls in the `limits` family: one key per limit and per pause.
// Keys: 'l' or 'p', the scope byte, the type, owner or job id. A limit's
// value is a version byte, max_running (u32), rate (f64) and burst (u32),
// little-endian; a pause has an empty value.
#include <cmath>
#include <cstring>
#include <memory>

#include "rocksdb/db.h"

#include "troupe/messages/errc.hpp"
#include "troupe/storage/job_store.hpp"
#include "troupe/storage/key_schema.hpp"

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

bool decode_limit(std::string_view value, dispatch_limit& x) {
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

// One row of the family, taken apart; `problem` says why it cannot be used.
struct control_row {
  char kind = 0;
  control_scope scope = control_scope::type;
  std::string key;
  dispatch_limit limit;
  std::string problem;
};

control_row parse_control(std::string_view k, std::string_view value) {
  control_row row;
  if (k.size() < 3) {
    row.problem = "the key is too short to hold a kind, a scope and a name";
    return row;
  }
  row.kind = k[0];
  auto scope = static_cast<uint8_t>(k[1]);
  row.scope = static_cast<control_scope>(scope);
  row.key.assign(k.data() + 2, k.size() - 2);
  if (row.kind != limit_kind && row.kind != pause_kind)
    row.problem = "kind byte " + std::to_string(static_cast<uint8_t>(k[0])) +
                  " is neither 'l' (limit) nor 'p' (pause)";
  else if (scope >= control_scope_count)
    row.problem = "scope byte " + std::to_string(scope) + " is out of range";
  else if (row.kind == pause_kind && row.scope == control_scope::owner)
    row.problem = "a pause applies to a type or a job, not an owner";
  else if (row.kind == pause_kind && !value.empty())
    row.problem = "a pause has an empty value";
  else if (row.kind == limit_kind && row.scope == control_scope::job)
    row.problem = "a limit applies to a type or an owner, not a job";
  else if (row.kind == limit_kind && !decode_limit(value, row.limit))
    row.problem = "the limit does not decode";
  else if (row.kind == limit_kind &&
           !(std::isfinite(row.limit.rate) && row.limit.rate >= 0))
    row.problem = "the limit's rate is negative or not a finite number";
  row.limit.scope = row.scope;
  row.limit.key = row.key;
  return row;
}

caf::error check_scope(control_scope scope, const char* allowed) {
  if (static_cast<size_t>(scope) < control_scope_count)
    return {};
  return make_error(errc::invalid_field,
                    "scope: must be one of " + std::string{allowed} + ", got " +
                        std::to_string(static_cast<unsigned>(scope)));
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
  if (auto err = check_scope(limit.scope, "type,owner"))
    return err;
  auto st = db_->Put(
      control_write_options(options_.level), family(schema::limits),
      control_key(limit_kind, limit.scope, limit.key), encode_limit(limit));
  return st.ok() ? caf::error{} : failure(st, "storing a limit");
}

caf::error job_store::erase_limit(control_scope scope, const std::string& key) {
  if (auto err = check_scope(scope, "type,owner"))
    return err;
  auto st =
      db_->Delete(control_write_options(options_.level), family(schema::limits),
                  control_key(limit_kind, scope, key));
  return st.ok() ? caf::error{} : failure(st, "erasing a limit");
}

caf::error job_store::put_paused(control_scope scope, const std::string& key,
                                 bool paused) {
  if (auto err = check_scope(scope, "type,job"))
    return err;
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
    auto row =
        parse_control(it->key().ToStringView(), it->value().ToStringView());
    // Malformed rows were set aside when the store was opened, and writes
    // refuse them: one here was written by something else meanwhile.
    if (!row.problem.empty())
      return corrupt("the row '" +
                     schema::printable_key(it->key().ToStringView()) +
                     "' of the limits family is malformed: " + row.problem);
    if (row.kind == limit_kind)
      result.limits.push_back(std::move(row.limit));
    else
      (row.scope == control_scope::type ? result.paused_types
                                        : result.paused_jobs)
          .push_back(std::move(row.key));
  }
  if (!it->status().ok())
    return failure(it->status(), "reading the limits");
  return result;
}

namespace schema {

std::string limits_row_problem(std::string_view key, std::string_view value) {
  return parse_control(key, value).problem;
}

} // namespace schema

} // namespace troupe
