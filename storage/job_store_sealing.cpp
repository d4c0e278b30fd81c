// The store's encryption mark (meta row "sealed_key_ids"): a store that ever
// sealed a value says so, and with which keys, so that opening it without
// a key fails at once with a clear message instead of record by record.
#include <algorithm>

#include "rocksdb/db.h"

#include "troupe/messages/errc.hpp"
#include "troupe/security/payload_cipher.hpp"
#include "troupe/storage/job_store.hpp"
#include "troupe/storage/key_schema.hpp"
#include "troupe/storage/sealed_fields.hpp"

namespace troupe {

namespace {

bool is_key_id(const std::string& x) {
  return x.size() == 2 * payload_key_id_size &&
         std::all_of(x.begin(), x.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::vector<std::string> split_ids(const std::string& value) {
  std::vector<std::string> out;
  size_t begin = 0;
  for (;;) {
    auto end = value.find(',', begin);
    out.push_back(value.substr(begin, end - begin));
    if (end == std::string::npos)
      return out;
    begin = end + 1;
  }
}

std::string join_ids(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids)
    out += (out.empty() ? "" : ",") + id;
  return out;
}

} // namespace

caf::error job_store::check_sealing(bool fresh) {
  std::vector<std::string> marked;
  if (!fresh) {
    std::string value;
    auto st = db_->Get(rocksdb::ReadOptions{}, family(schema::meta),
                       schema::sealed_keys_key, &value);
    if (!st.ok() && !st.IsNotFound())
      return failure(st, "reading the encryption mark");
    if (st.ok())
      marked = split_ids(value);
    if (!std::all_of(marked.begin(), marked.end(), is_key_id))
      return corrupt("the encryption mark '" + schema::printable_key(value) +
                     "' is not a list of key ids (16 hex digits each)");
  }
  const auto* keys = options_.encryption.get();
  if (keys == nullptr) {
    if (marked.empty())
      return {};
    return make_error(errc::invalid_field,
                      "encryption-key: data directory '" + options_.path +
                          "' holds encrypted payloads (sealed with key " +
                          join_ids(marked) +
                          "): start with --encryption-key FILE "
                          "(encryption_key in the config file)");
  }
  for (const auto& id : marked)
    if (!keys->has(id))
      warnings_.push_back(
          "data directory '" + options_.path + "': values sealed with key " +
          id +
          " may remain, and this node was not given that key: they read "
          "as damaged records unless it is passed with "
          "--old-encryption-key FILE");
  if (std::find(marked.begin(), marked.end(), keys->current_id()) !=
      marked.end())
    return {};
  // Before any value is sealed with the current key.
  marked.push_back(keys->current_id());
  return put_meta(schema::sealed_keys_key, join_ids(marked));
}

} // namespace troupe
