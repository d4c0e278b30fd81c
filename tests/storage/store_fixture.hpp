// Helpers shared by the storage tests: a temporary data directory, job records
// built in one line, and store calls that REQUIRE success.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/raw_rows.hpp"
#include "tests/temp_dir.hpp"
#include "troupe/messages/errc.hpp"
#include "troupe/storage/job_store.hpp"
#include "troupe/storage/key_schema.hpp"

namespace troupe::test {

/// Fails the test with the error's message unless `err` is empty.
inline void require_ok(const caf::error& err) {
  INFO((err ? message_of(err) : std::string{"no error"}));
  REQUIRE(!err);
}

/// Returns the value of `x`, failing the test with the error's message.
template <class T>
T require_value(caf::expected<T> x) {
  INFO((x ? std::string{"no error"} : message_of(x.error())));
  REQUIRE(x);
  return std::move(*x);
}

/// A job with the given identity; other fields keep their defaults, except
/// `updated_us` (= created) and, for terminal jobs, `finished_us`.
inline job_record make_job(const std::string& id, const std::string& type,
                           job_status status, int64_t created_us,
                           int64_t finished_us = 0) {
  job_record x;
  x.id = id;
  x.type = type;
  x.status = status;
  x.created_us = created_us;
  x.updated_us = created_us;
  x.finished_us = is_terminal(status) ? finished_us : 0;
  return x;
}

/// A store in a fresh temporary directory ("data" inside it).
struct store_fixture {
  temp_dir dir;
  std::string path = (dir.path / "data").string();
  std::unique_ptr<job_store> store;

  explicit store_fixture(durability level = durability::wal) { open(level); }

  void open(durability level = durability::wal) {
    store_options options;
    options.path = path;
    options.level = level;
    store = require_value(job_store::open(options));
  }

  /// Closes the store cleanly, as a shutdown would.
  void close() { store.reset(); }

  void put(const job_record& x) {
    store_batch batch;
    batch.records.push_back(x);
    require_ok(store->write(batch));
  }

  void put_all(const std::vector<job_record>& xs) {
    store_batch batch;
    batch.records = xs;
    require_ok(store->write(batch));
  }

  /// The ids of one page of `query`, in page order.
  std::vector<std::string> list_ids(const job_query& query) {
    std::vector<std::string> ids;
    for (const auto& x : require_value(store->list(query)))
      ids.push_back(x.id);
    return ids;
  }

  uint64_t count(job_status status) {
    return require_value(store->count_by_status())[status];
  }
};

/// A query for jobs in `status`.
inline job_query with_status(job_status status) {
  job_query query;
  query.has_status = true;
  query.status = status;
  return query;
}

using ids = std::vector<std::string>;

} // namespace troupe::test
