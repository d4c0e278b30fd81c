// The job store's parts for periodic schedules (family `schedules`, key =
// name).
#include "troupe/storage/job_store.hpp"

#include "rocksdb/db.h"

#include "troupe/messages/errc.hpp"
#include "troupe/security/payload_cipher.hpp"
#include "troupe/storage/key_schema.hpp"
#include "troupe/storage/record_codec.hpp"
#include "troupe/storage/sealed_fields.hpp"

namespace troupe {

caf::error job_store::put_schedule(const periodic_schedule& x) {
  if (auto err = schema::check_id(x.name, "schedule name"))
    return err;
  if (static_cast<size_t>(x.missed) >= missed_policy_count)
    return make_error(errc::invalid_field,
                      "missed: must be skip or run-once (0-1), got " +
                          std::to_string(static_cast<unsigned>(x.missed)));
  const auto* stored = &x;
  periodic_schedule copy;
  if (options_.encryption) {
    copy = x;
    if (auto err = schema::seal_fields(*options_.encryption, copy))
      return err;
    stored = &copy;
  }
  rocksdb::WriteOptions write;
  // A firing is recorded here after its job was written: syncing keeps the
  // two in that order across a machine crash when durability asks for it.
  write.disableWAL = options_.level == durability::none;
  write.sync = options_.level == durability::fsync;
  auto st = db_->Put(write, family(schema::schedules), x.name,
                     encode_schedule(*stored));
  return st.ok() ? caf::error{}
                 : failure(st, "writing schedule '" + x.name + "'");
}

caf::error job_store::delete_schedule(const std::string& name) {
  rocksdb::WriteOptions write;
  write.disableWAL = options_.level == durability::none;
  write.sync = options_.level == durability::fsync;
  auto st = db_->Delete(write, family(schema::schedules), name);
  return st.ok() ? caf::error{}
                 : failure(st, "deleting schedule '" + name + "'");
}

caf::expected<std::vector<periodic_schedule>> job_store::schedules() const {
  std::vector<periodic_schedule> out;
  const auto* keys = options_.encryption.get();
  caf::error err;
  auto visit = [&](std::string_view key, std::string_view value) {
    auto x = decode_schedule(value);
    if (!x)
      err = corrupt("schedule '" + std::string{key} +
                    "': " + message_of(x.error()));
    else if (x->name != key)
      err = corrupt("schedule under key '" + std::string{key} +
                    "' holds name '" + x->name + "'");
    else if (auto sealed = schema::open_fields(keys, *x))
      err =
          corrupt("schedule '" + std::string{key} + "': " + message_of(sealed));
    else
      out.push_back(std::move(*x));
    return !err;
  };
  schema::key_range all{std::string{}, std::string{"\xff\xff\xff\xff", 4}};
  auto st = schema::scan_keys(*db_, family(schema::schedules),
                              rocksdb::ReadOptions{}, all, false, visit);
  if (err)
    return err;
  if (!st.ok())
    return failure(st, "reading the schedules");
  return out;
}

namespace schema {

std::string schedule_row_problem(std::string_view key, std::string_view value,
                                 const payload_keyring* keys) {
  auto x = decode_schedule(value);
  if (!x)
    return message_of(x.error());
  if (x->name != key)
    return "it holds the schedule named '" + printable_key(x->name) + "'";
  // A payload sealed with a key this node lacks is not damaged: it stays,
  // and reading the schedules says which key is missing.
  const auto& payload = x->job.payload;
  if (keys != nullptr && is_sealed(payload) &&
      !keys->has(sealed_key_id(payload)))
    return {};
  if (auto err = open_fields(keys, *x))
    return message_of(err);
  return {};
}

} // namespace schema

} // namespace troupe
