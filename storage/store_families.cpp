// The column families of a store: checks that an existing store has the
// schema's families (those added later may be missing) and no others.
#include <algorithm>
#include <string>
#include <vector>

#include "rocksdb/db.h"

#include "troupe/storage/key_schema.hpp"

namespace troupe::schema {

namespace {

std::string join(const std::vector<std::string>& xs) {
  std::string out;
  for (const auto& x : xs)
    out += (out.empty() ? "" : ", ") + x;
  return out;
}

} // namespace

caf::error check_families(const std::string& path) {
  std::vector<std::string> found;
  auto st = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions{}, path, &found);
  // CURRENT exists (see inspect_directory), so a file it leads to that is
  // missing or unreadable means a damaged store.
  if (st.IsPathNotFound() || st.IsNotFound() || st.IsCorruption())
    return corrupt_error(path, "reading its column families failed: " +
                                   st.ToString());
  if (!st.ok())
    return status_error(path, st, "reading its column families");
  std::vector<std::string> expected(family_names.begin(), family_names.end());
  std::sort(found.begin(), found.end());
  std::sort(expected.begin(), expected.end());
  auto has = [&](const char* x) {
    return std::binary_search(found.begin(), found.end(), x);
  };
  if (std::includes(expected.begin(), expected.end(), found.begin(),
                    found.end()) &&
      std::all_of(family_names.begin(),
                  family_names.begin() + original_family_count, has))
    return {};
  return corrupt_error(path, "it has the column families [" + join(found) +
                                 "], expected [" + join(expected) + "]");
}

} // namespace troupe::schema
