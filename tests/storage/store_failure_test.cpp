// What the store refuses before touching RocksDB: an open below the
// free-space reserve (writes below it are covered on a real full disk by the
// CLI tests), and the write fault injected for tests, after which nothing of
// a refused write is stored and the store writes again once healed.
#include <catch2/catch.hpp>

#include "tests/storage/store_fixture.hpp"

using namespace troupe;
using namespace troupe::test;

namespace {

caf::error write_one(job_store& store, const std::string& id) {
  store_batch batch;
  batch.records.push_back(make_job(id, "work", job_status::queued, 1));
  return store.write(batch);
}

} // namespace

TEST_CASE("a store is not opened below the free-space reserve",
          "[store][failure]") {
  temp_dir dir;
  store_options options;
  options.path = (dir.path / "data").string();
  options.reserve_bytes = uint64_t{1} << 62; // More than any disk has.
  // Neither created nor opened: RocksDB writes nothing on a disk that full.
  auto refused = job_store::open(options);
  REQUIRE_FALSE(refused);
  CHECK(code_of(refused.error()) == errc::storage_failure);
  CHECK(message_of(refused.error()).find("keeps in reserve") !=
        std::string::npos);
  CHECK(std::filesystem::is_empty(options.path));
  options.reserve_bytes = 0;
  auto store = require_value(job_store::open(options));
  require_ok(write_one(*store, "a"));
  store.reset();
  options.reserve_bytes = uint64_t{1} << 62;
  CHECK(code_of(job_store::open(options).error()) == errc::storage_failure);
}

TEST_CASE("an injected write failure fails every write from the Nth until "
          "healed",
          "[store][failure]") {
  store_fixture f;
  f.store->fail_writes_from(2);
  require_ok(write_one(*f.store, "a"));
  CHECK(code_of(write_one(*f.store, "b")) == errc::storage_failure);
  CHECK(code_of(write_one(*f.store, "c")) == errc::storage_failure);
  f.store->fail_writes_from(0);
  require_ok(write_one(*f.store, "d"));
  CHECK(f.count(job_status::queued) == 2);
  CHECK(code_of(f.store->get("b").error()) == errc::not_found);
}
