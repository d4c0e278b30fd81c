// The store's parts for a job's unique window and result TTL: record format
// 2, reading format 1, the latest job of a unique key, purging by TTL.
#include "rocksdb/db.h"

#include "store_fixture.hpp"
#include "troupe/storage/key_schema.hpp"
#include "troupe/storage/record_codec.hpp"

using namespace troupe;
using namespace troupe::test;

namespace {

constexpr int64_t us_per_s = 1'000'000;
constexpr int64_t t0 = 1'700'000'000'000'000;

job_record ended(const std::string& id, int64_t finished_us,
                 int64_t result_ttl_s) {
  auto x = make_job(id, "work", job_status::completed, t0, finished_us);
  x.result_ttl_s = result_ttl_s;
  return x;
}

void put_history(store_fixture& f, const std::string& id) {
  store_batch batch;
  history_entry entry;
  entry.job_id = id;
  batch.history.push_back(entry);
  require_ok(f.store->write(batch));
}

} // namespace

TEST_CASE("a format 1 record still decodes, with no unique window or TTL",
          "[codec][controls]") {
  auto x = make_job("old", "work", job_status::completed, t0, t0 + 1);
  x.unique_key = "k";
  auto bytes = encode_record(x);
  // Format 1 is format 2 without the two trailing 8-byte fields.
  bytes.resize(bytes.size() - 16);
  bytes[0] = 1;
  auto y = require_value(decode_record(bytes));
  CHECK(y.id == "old");
  CHECK(y.unique_key == "k");
  CHECK(y.finished_us == t0 + 1);
  CHECK(y.unique_for_s == 0);
  CHECK(y.result_ttl_s == 0);
}

TEST_CASE("format 2 keeps the unique window and the result TTL",
          "[codec][controls]") {
  auto x = make_job("new", "work", job_status::queued, t0);
  x.unique_for_s = 3600;
  x.result_ttl_s = 86400;
  auto bytes = encode_record(x);
  CHECK(static_cast<uint8_t>(bytes[0]) == 2);
  auto y = require_value(decode_record(bytes));
  CHECK(y.unique_for_s == 3600);
  CHECK(y.result_ttl_s == 86400);
}

TEST_CASE_METHOD(store_fixture,
                 "the latest job of a unique key is found by the index",
                 "[store][controls]") {
  auto first = make_job("first", "work", job_status::completed, t0, t0 + 5);
  first.unique_key = "k";
  auto second = make_job("second", "work", job_status::queued, t0 + 10);
  second.unique_key = "k";
  auto other = make_job("other", "work", job_status::queued, t0 + 20);
  other.unique_key = "kk";
  put_all({first, second, other});
  auto found = require_value(store->latest_unique({"k", "none", "kk"}));
  REQUIRE(found.size() == 2);
  CHECK(found[0].id == "second");
  CHECK(found[1].id == "other");
}

TEST_CASE_METHOD(store_fixture,
                 "a job is purged once its result TTL ran out, younger than "
                 "the global retention",
                 "[store][controls]") {
  auto finished = t0 + 100 * us_per_s;
  put_all({ended("short", finished, 60), ended("long", finished, 3600),
           ended("kept", finished, 0)});
  auto running = make_job("running", "work", job_status::running, t0);
  running.result_ttl_s = 1;
  put(running);
  put_history(*this, "short");
  CHECK(require_value(store->purge_expired(finished + 59 * us_per_s)) == 0);
  CHECK(require_value(store->purge_expired(finished + 60 * us_per_s)) == 1);
  CHECK(code_of(store->get("short").error()) == errc::not_found);
  CHECK(require_value(store->history("short")).empty());
  // Retention cleanup: the global cutoff purges nothing here (everything
  // finished after it), the TTL of "long" has run out by now.
  auto now = finished + 3600 * us_per_s;
  CHECK(require_value(store->purge_retention(t0, now)) == 1);
  CHECK(code_of(store->get("long").error()) == errc::not_found);
  CHECK(store->get("kept"));
  CHECK(store->get("running"));
  // A global cutoff after the finish purges the rest of the terminal jobs.
  CHECK(require_value(store->purge_retention(finished + 1, now)) == 1);
  CHECK(count(job_status::completed) == 0);
  CHECK(count(job_status::running) == 1);
}
