// Rows written straight into a closed troupe store, past every check troupe
// makes: how the tests set up damaged data.
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "rocksdb/db.h"

#include "troupe/storage/key_schema.hpp"

namespace troupe::test {

/// Writes `rows` (family, key, value) straight into the RocksDB at `path`.
inline void write_raw(
    const std::string& path,
    const std::vector<std::tuple<schema::family, std::string, std::string>>&
        rows) {
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto* name : schema::family_names)
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions{});
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  REQUIRE(
      rocksdb::DB::Open(rocksdb::DBOptions{}, path, descriptors, &handles, &raw)
          .ok());
  for (const auto& [family, key, value] : rows)
    REQUIRE(
        raw->Put(rocksdb::WriteOptions{}, handles[family], key, value).ok());
  for (auto* handle : handles)
    REQUIRE(raw->DestroyColumnFamilyHandle(handle).ok());
  REQUIRE(raw->Close().ok());
  delete raw;
}

} // namespace troupe::test
