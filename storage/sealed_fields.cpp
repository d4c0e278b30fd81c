// Sealing and opening the fields of stored values that hold what submitters
// and handlers wrote. The context of each value names its field and owner,
// so a sealed value copied into another field or job does not open.
#include "troupe/storage/sealed_fields.hpp"

#include <array>
#include <utility>

#include "troupe/messages/errc.hpp"
#include "troupe/security/payload_cipher.hpp"
#include "troupe/storage/key_schema.hpp"

namespace troupe::schema {

namespace {

// "field", NUL, the owner's name: what a sealed value is bound to.
std::string context_of(std::string_view field, const std::string& owner) {
  std::string out{field};
  out.push_back('\0');
  out += owner;
  return out;
}

caf::error seal_one(const payload_keyring& keys, std::string_view field,
                    const std::string& owner, std::string& value) {
  if (value.empty())
    return {};
  auto sealed = keys.seal(value, context_of(field, owner));
  if (!sealed)
    return make_error(errc::storage_failure, std::string{field} + " of '" +
                                                 owner +
                                                 "': " + sealed.error());
  value = std::move(*sealed);
  return {};
}

// Without a keyring the store holds no sealed value (a store marked as
// holding some refuses to open without one), so nothing is opened: a plain
// result that happens to start like a sealed value reads as it was written.
caf::error open_one(const payload_keyring* keys, std::string_view field,
                    const std::string& owner, std::string& value) {
  if (keys == nullptr || !is_sealed(value))
    return {};
  auto plain = keys->open(value, context_of(field, owner));
  if (!plain)
    return make_error(errc::data_dir_corrupt,
                      "field '" + std::string{field} + "': " + plain.error());
  value = std::move(*plain);
  return {};
}

// The fields of a record that are sealed, by name.
std::array<std::pair<const char*, std::string*>, 4> sealed_in(job_record& x) {
  return {{{"payload", &x.payload},
           {"result", &x.result},
           {"error", &x.error},
           {"progress_message", &x.progress_message}}};
}

// The history entry's owner: its job's id and, after a NUL, its `seq`.
std::string entry_owner(const history_entry& x) {
  return history_key(x.job_id, x.seq);
}

} // namespace

caf::error seal_fields(const payload_keyring& keys, job_record& x) {
  for (auto [field, value] : sealed_in(x))
    if (auto err = seal_one(keys, field, x.id, *value))
      return err;
  return {};
}

caf::error seal_fields(const payload_keyring& keys, history_entry& x) {
  return seal_one(keys, "message", entry_owner(x), x.message);
}

caf::error seal_fields(const payload_keyring& keys, periodic_schedule& x) {
  return seal_one(keys, "job.payload", x.name, x.job.payload);
}

caf::error open_fields(const payload_keyring* keys, job_record& x) {
  for (auto [field, value] : sealed_in(x))
    if (auto err = open_one(keys, field, x.id, *value))
      return err;
  return {};
}

caf::error open_fields(const payload_keyring* keys, history_entry& x) {
  return open_one(keys, "message", entry_owner(x), x.message);
}

caf::error open_fields(const payload_keyring* keys, periodic_schedule& x) {
  return open_one(keys, "job.payload", x.name, x.job.payload);
}

} // namespace troupe::schema
