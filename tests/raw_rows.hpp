// Rows written straight into a closed troupe store, past every check troupe
// makes: how the tests set up damaged data.
#pragma once

#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "rocksdb/db.h"

#include "troupe/storage/key_schema.hpp"

namespace troupe::test {

/// Opens the RocksDB at `path` with column families `families` (each
/// created if missing), lets `change` edit it through the handles (in the
/// order of `families`) and closes it again.
inline void with_raw_store(
    const std::string& path, const std::vector<std::string>& families,
    const std::function<void(
        rocksdb::DB&, std::vector<rocksdb::ColumnFamilyHandle*>&)>& change) {
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : families)
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions{});
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  REQUIRE(rocksdb::DB::Open(options, path, descriptors, &handles, &raw).ok());
  std::unique_ptr<rocksdb::DB> db{raw};
  change(*db, handles);
  for (auto* handle : handles)
    REQUIRE(db->DestroyColumnFamilyHandle(handle).ok());
  REQUIRE(db->Close().ok());
}

/// Every column family of a troupe store, in `schema::family` order.
inline std::vector<std::string> all_families() {
  return {std::begin(schema::family_names), std::end(schema::family_names)};
}

/// The families of a store from schema version 1, before any was added.
inline std::vector<std::string> original_families() {
  return {schema::family_names.begin(),
          schema::family_names.begin() + schema::original_family_count};
}

/// Creates at `path` a store as the first schema version made it: only the
/// original families, and the version key.
inline void make_original_store(const std::string& path) {
  with_raw_store(path, original_families(), [](auto& db, auto& handles) {
    REQUIRE(db.Put(rocksdb::WriteOptions{}, handles[schema::meta],
                   std::string{schema::version_key},
                   schema::encode_u32_le(schema::version))
                .ok());
  });
}

/// Writes `rows` (family, key, value) straight into the RocksDB at `path`.
inline void write_raw(
    const std::string& path,
    const std::vector<std::tuple<schema::family, std::string, std::string>>&
        rows) {
  with_raw_store(path, all_families(), [&](auto& db, auto& handles) {
    for (const auto& [family, key, value] : rows)
      REQUIRE(
          db.Put(rocksdb::WriteOptions{}, handles[family], key, value).ok());
  });
}

} // namespace troupe::test
