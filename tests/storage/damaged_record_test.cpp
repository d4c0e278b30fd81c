// A damaged job record (bytes that do not decode) fails neither listings nor
// retention for everyone: both skip and report it and go on with the rest;
// the record itself is left as it is for inspection.
#include <catch2/catch.hpp>

#include "tests/storage/store_fixture.hpp"

using namespace troupe;
using namespace troupe::test;

namespace {

/// Three completed jobs a, b, c (finished at 10, 20, 30) with b's record
/// overwritten by bytes that do not decode.
struct damaged_fixture : store_fixture {
  damaged_fixture() {
    put_all({make_job("a", "work", job_status::completed, 1, 10),
             make_job("b", "work", job_status::completed, 2, 20),
             make_job("c", "work", job_status::completed, 3, 30)});
    close();
    write_raw(path, {{schema::jobs, "b", "\x02garbage"}});
    open();
  }
};

ids ids_of(const std::vector<damaged_record>& xs) {
  ids out;
  for (const auto& x : xs)
    out.push_back(x.id);
  return out;
}

} // namespace

TEST_CASE_METHOD(damaged_fixture,
                 "a listing skips and reports a damaged record and returns "
                 "the rest",
                 "[store][list][damaged]") {
  for (auto query : {job_query{}, with_status(job_status::completed)}) {
    std::vector<damaged_record> damaged;
    auto rows = require_value(store->list(query, &damaged));
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].id == "a");
    CHECK(rows[1].id == "c");
    CHECK(ids_of(damaged) == ids{"b"});
    CHECK(damaged[0].problem.find("record of job 'b'") != std::string::npos);
    CHECK(damaged[0].problem.find(path) != std::string::npos);
  }
  // A damaged record counts toward no page.
  job_query page;
  page.limit = 2;
  CHECK(list_ids(page) == ids{"a", "c"});
  // Reading it directly still says what is wrong.
  CHECK(code_of(store->get("b").error()) == errc::data_dir_corrupt);
}

TEST_CASE_METHOD(damaged_fixture,
                 "retention purges the rest and reports a damaged record, "
                 "which stays for inspection",
                 "[store][retention][damaged]") {
  std::vector<damaged_record> damaged;
  CHECK(require_value(store->purge_retention(100, 100, &damaged)) == 2);
  CHECK(ids_of(damaged) == ids{"b"});
  CHECK(code_of(store->get("a").error()) == errc::not_found);
  CHECK(code_of(store->get("c").error()) == errc::not_found);
  CHECK(code_of(store->get("b").error()) == errc::data_dir_corrupt);
  // A second cleanup reports it again and purges nothing more.
  damaged.clear();
  CHECK(require_value(store->purge_terminal(100, &damaged)) == 0);
  CHECK(ids_of(damaged) == ids{"b"});
}
