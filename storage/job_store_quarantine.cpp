// Rows of the settings families (limits, schedules) that cannot be read are
// set aside at open, into the quarantine family, so that one bad row never
// makes the whole store unopenable; nothing is deleted.
#include <functional>
#include <memory>
#include <utility>

#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

#include "troupe/storage/job_store.hpp"
#include "troupe/storage/key_schema.hpp"

namespace troupe {

caf::error job_store::set_aside_malformed() {
  using problem_check =
      std::function<std::string(std::string_view, std::string_view)>;
  const auto* keys = options_.encryption.get();
  const std::pair<schema::family, problem_check> checked[] = {
      {schema::limits, &schema::limits_row_problem},
      {schema::schedules,
       [keys](std::string_view key, std::string_view value) {
         return schema::schedule_row_problem(key, value, keys);
       }},
  };
  rocksdb::WriteBatch out;
  std::vector<std::string> notes;
  for (const auto& [from, problem] : checked) {
    std::unique_ptr<rocksdb::Iterator> it{
        db_->NewIterator(rocksdb::ReadOptions{}, family(from))};
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      auto key = it->key().ToStringView();
      auto value = it->value().ToStringView();
      auto why = problem(key, value);
      if (why.empty())
        continue;
      auto st = out.Put(family(schema::quarantine),
                        schema::quarantine_key(from, key), value);
      if (st.ok())
        st = out.Delete(family(from), key);
      if (!st.ok())
        return failure(st, "staging a malformed row for the quarantine");
      notes.push_back("set aside the malformed row '" +
                      schema::printable_key(key) + "' of family '" +
                      schema::family_names[from] + "' (" + why +
                      "); it is kept in family 'quarantine'");
    }
    if (!it->status().ok())
      return failure(it->status(), std::string{"reading family '"} +
                                       schema::family_names[from] + "'");
  }
  if (notes.empty())
    return {};
  // The move is one atomic, synced write: a crash leaves the row in one of
  // the two places, never in neither.
  rocksdb::WriteOptions synced;
  synced.sync = true;
  if (auto st = db_->Write(synced, &out); !st.ok())
    return failure(st, "moving malformed rows to the quarantine");
  for (auto& note : notes)
    warnings_.push_back("data directory '" + options_.path + "': " + note);
  return {};
}

caf::expected<std::vector<quarantined_row>> job_store::quarantined() const {
  std::vector<quarantined_row> out;
  std::unique_ptr<rocksdb::Iterator> it{
      db_->NewIterator(rocksdb::ReadOptions{}, family(schema::quarantine))};
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto key = it->key().ToString();
    auto end = key.find('\0');
    quarantined_row row;
    row.family = key.substr(0, end);
    row.key = end == std::string::npos ? std::string{} : key.substr(end + 1);
    row.value = it->value().ToString();
    out.push_back(std::move(row));
  }
  if (!it->status().ok())
    return failure(it->status(), "reading the quarantine");
  return out;
}

} // namespace troupe
