// Index keys of the job controls: the unique-key index (latest job of a key)
// and the expiry index of jobs with a result TTL (see docs/storage.md).
#include "troupe/storage/key_schema.hpp"

namespace troupe::schema {

namespace {

constexpr int64_t us_per_s = 1000 * 1000;

} // namespace

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
  return x.finished_us + x.result_ttl_s * us_per_s;
}

void append_control_keys(const job_record& x, std::vector<std::string>& keys) {
  if (!x.unique_key.empty())
    keys.push_back(unique_prefix(x.unique_key) + encode_time(x.created_us) +
                   x.id);
  if (is_terminal(x.status) && x.result_ttl_s > 0)
    keys.push_back(expiry_prefix() + encode_time(expiry_time(x)) + x.id);
}

} // namespace troupe::schema
