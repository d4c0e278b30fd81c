// The status a writer names for the version a record replaces: the store
// derives that version's index keys from it instead of reading it, and
// reads the stored version when the status is terminal or not named.
#include <catch2/catch.hpp>

#include "store_fixture.hpp"

using namespace troupe;
using namespace troupe::test;

namespace {

/// Writes `x` over a stored version whose status the writer names.
void replace(store_fixture& f, const job_record& x, job_status replaced) {
  store_batch batch;
  batch.records.push_back(x);
  batch.replaced.push_back(replaced);
  require_ok(f.store->write(batch));
}

} // namespace

TEST_CASE("a named status moves a job's index keys as a read would",
          "[store]") {
  store_fixture f;
  auto x = make_job("a", "t", job_status::queued, 10);
  f.put(x);
  x.status = job_status::running;
  replace(f, x, job_status::queued);
  CHECK(f.list_ids(with_status(job_status::queued)).empty());
  CHECK(f.list_ids(with_status(job_status::running)) == ids{"a"});
  x.status = job_status::failed;
  x.finished_us = 20;
  replace(f, x, job_status::running);
  CHECK(f.count(job_status::running) == 0);
  CHECK(f.count(job_status::failed) == 1);
  // A retry replaces a terminal version: the store reads it, and its
  // finished time, which the new record no longer has.
  x.status = job_status::queued;
  x.finished_us = 0;
  replace(f, x, job_status::failed);
  CHECK(f.count(job_status::failed) == 0);
  CHECK(f.list_ids(with_status(job_status::queued)) == ids{"a"});
  CHECK(f.list_ids(job_query{}) == ids{"a"});
}

TEST_CASE("records without a named status are read back, and a named one is "
          "trusted without a read",
          "[store]") {
  store_fixture f;
  f.put_all({make_job("a", "t", job_status::queued, 1),
             make_job("b", "t", job_status::waiting, 2)});
  store_batch batch;
  batch.records = {make_job("a", "t", job_status::running, 1),
                   make_job("b", "t", job_status::running, 2)};
  batch.replaced = {job_status::queued}; // None for "b": read.
  require_ok(f.store->write(batch));
  CHECK(f.count(job_status::queued) == 0);
  CHECK(f.count(job_status::waiting) == 0);
  CHECK(f.list_ids(with_status(job_status::running)) == (ids{"a", "b"}));
  // The store reads nothing when told: a wrong status leaves the key of
  // the status the stored version really has behind (counted, though a
  // listing skips it since the record disagrees).
  f.put(make_job("c", "t", job_status::waiting, 3));
  replace(f, make_job("c", "t", job_status::running, 3), job_status::queued);
  CHECK(f.count(job_status::waiting) == 1);
}
