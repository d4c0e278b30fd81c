// The store's periodic schedules: their encoding, their family across a
// reopen, and a store from before the family existed.
#include "rocksdb/db.h"

#include "store_fixture.hpp"
#include "troupe/storage/key_schema.hpp"
#include "troupe/storage/record_codec.hpp"

using namespace troupe;
using namespace troupe::test;

namespace {

constexpr int64_t us_per_s = 1'000'000;
constexpr int64_t t0 = 1'700'000'000'000'000;

periodic_schedule make_schedule(const std::string& name) {
  periodic_schedule x;
  x.name = name;
  x.cron = "*/5 * * * *";
  x.missed = missed_policy::run_once;
  x.created_us = t0;
  x.last_fired_us = t0 + 300 * us_per_s;
  x.last_job_id = name + ":2023-11-14T22:18:20Z";
  x.job.type = "report";
  x.job.payload = R"({"k":1})";
  x.job.priority = 3;
  x.job.timeout_s = 30;
  x.job.max_retries = 1;
  x.job.owner = "ops";
  x.job.tags = {"a", "b"};
  x.job.result_ttl_s = 60;
  return x;
}

} // namespace

TEST_CASE("a schedule decodes to the schedule that was encoded",
          "[codec][controls]") {
  auto x = make_schedule("nightly");
  auto y = require_value(decode_schedule(encode_schedule(x)));
  CHECK(y.name == x.name);
  CHECK(y.cron == x.cron);
  CHECK(y.every_ms == x.every_ms);
  CHECK(y.missed == missed_policy::run_once);
  CHECK(y.created_us == x.created_us);
  CHECK(y.last_fired_us == x.last_fired_us);
  CHECK(y.last_job_id == x.last_job_id);
  CHECK(y.job.type == "report");
  CHECK(y.job.payload == x.job.payload);
  CHECK(y.job.priority == 3);
  CHECK(y.job.timeout_s == 30);
  CHECK(y.job.max_retries == 1);
  CHECK(y.job.owner == "ops");
  CHECK(y.job.tags == x.job.tags);
  CHECK(y.job.result_ttl_s == 60);
  auto bytes = encode_schedule(x);
  bytes += "x"; // A trailing byte is damage.
  CHECK_FALSE(decode_schedule(bytes));
}

TEST_CASE_METHOD(store_fixture, "schedules are kept across a reopen",
                 "[store][controls]") {
  require_ok(store->put_schedule(make_schedule("b")));
  require_ok(store->put_schedule(make_schedule("a")));
  auto updated = make_schedule("a");
  updated.last_fired_us += 300 * us_per_s;
  require_ok(store->put_schedule(updated));
  close();
  open();
  auto all = require_value(store->schedules());
  REQUIRE(all.size() == 2);
  CHECK(all[0].name == "a");
  CHECK(all[0].last_fired_us == updated.last_fired_us);
  CHECK(all[1].name == "b");
  require_ok(store->delete_schedule("b"));
  require_ok(store->delete_schedule("unknown"));
  CHECK(require_value(store->schedules()).size() == 1);
}

TEST_CASE("a store from before the schedules family opens and gains it",
          "[store][controls]") {
  temp_dir dir;
  auto path = (dir.path / "data").string();
  make_original_store(path);
  auto store = require_value(job_store::open({path, durability::wal}));
  require_ok(store->put_schedule(make_schedule("s")));
  CHECK(require_value(store->schedules()).size() == 1);
}
