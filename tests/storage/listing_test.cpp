// Tests of job listings: each filter, combined filters, the three sort orders
// in both directions, and paging.
#include <string>

#include "store_fixture.hpp"

using namespace troupe;
using namespace troupe::test;

namespace {

// Six jobs with distinct values for every sort key:
//   id  type    owner  tags         status     created priority updated
//   a   resize  alice  red          queued     10      5        60
//   b   resize  bob    red, blue    running    20      1        50
//   c   encode  alice  blue         completed  30      9        40
//   d   encode  carol               queued     40      3        30
//   e   resize  alice  blue, green  failed     50      1        20
//   f   upload  bob    red          scheduled  60      7        10
struct list_fixture : store_fixture {
  list_fixture() {
    put_all(
        {job("a", "resize", "alice", {"red"}, job_status::queued, 10, 5),
         job("b", "resize", "bob", {"red", "blue"}, job_status::running, 20, 1),
         job("c", "encode", "alice", {"blue"}, job_status::completed, 30, 9),
         job("d", "encode", "carol", {}, job_status::queued, 40, 3),
         job("e", "resize", "alice", {"blue", "green"}, job_status::failed, 50,
             1),
         job("f", "upload", "bob", {"red"}, job_status::scheduled, 60, 7)});
  }

  static job_record job(const std::string& id, const std::string& type,
                        const std::string& owner, std::vector<std::string> tags,
                        job_status status, int64_t created, uint8_t priority) {
    auto x = make_job(id, type, status, created, created + 1);
    x.owner = owner;
    x.tags = std::move(tags);
    x.priority = priority;
    x.updated_us = 70 - created;
    return x;
  }
};

job_query sorted_by(job_sort sort, bool descending) {
  job_query query;
  query.sort = sort;
  query.descending = descending;
  return query;
}

} // namespace

TEST_CASE("listing without filters returns all jobs oldest first",
          "[store][list]") {
  list_fixture f;
  CHECK(f.list_ids(job_query{}) == (ids{"a", "b", "c", "d", "e", "f"}));
}

TEST_CASE("listing filters by status", "[store][list]") {
  list_fixture f;
  CHECK(f.list_ids(with_status(job_status::queued)) == (ids{"a", "d"}));
  CHECK(f.list_ids(with_status(job_status::waiting)).empty());
}

TEST_CASE("listing filters by type, owner and tag", "[store][list]") {
  list_fixture f;
  job_query query;
  query.type = "resize";
  CHECK(f.list_ids(query) == (ids{"a", "b", "e"}));
  query = job_query{};
  query.owner = "bob";
  CHECK(f.list_ids(query) == (ids{"b", "f"}));
  query = job_query{};
  query.tag = "blue";
  CHECK(f.list_ids(query) == (ids{"b", "c", "e"}));
  query.tag = "purple";
  CHECK(f.list_ids(query).empty());
}

TEST_CASE("listing filters by a created range, from inclusive, to exclusive",
          "[store][list]") {
  list_fixture f;
  job_query query;
  query.created_from_us = 20;
  query.created_to_us = 50;
  CHECK(f.list_ids(query) == (ids{"b", "c", "d"}));
  query.created_to_us = 0;
  CHECK(f.list_ids(query) == (ids{"b", "c", "d", "e", "f"}));
  query.created_from_us = 0;
  query.created_to_us = 30;
  CHECK(f.list_ids(query) == (ids{"a", "b"}));
  query.created_from_us = 40;
  CHECK(f.list_ids(query).empty());
}

TEST_CASE("listing combines filters with AND", "[store][list]") {
  list_fixture f;
  job_query query;
  query.type = "resize";
  query.owner = "alice";
  CHECK(f.list_ids(query) == (ids{"a", "e"}));
  query.tag = "blue";
  CHECK(f.list_ids(query) == ids{"e"});
  query.has_status = true;
  query.status = job_status::failed;
  query.created_from_us = 50;
  CHECK(f.list_ids(query) == ids{"e"});
  query.created_to_us = 50;
  CHECK(f.list_ids(query).empty());
  job_query status_and_tag = with_status(job_status::queued);
  status_and_tag.tag = "red";
  CHECK(f.list_ids(status_and_tag) == ids{"a"});
}

TEST_CASE("listing sorts by created in both directions", "[store][list]") {
  list_fixture f;
  CHECK(f.list_ids(sorted_by(job_sort::created, false)) ==
        (ids{"a", "b", "c", "d", "e", "f"}));
  CHECK(f.list_ids(sorted_by(job_sort::created, true)) ==
        (ids{"f", "e", "d", "c", "b", "a"}));
  auto by_tag = sorted_by(job_sort::created, true);
  by_tag.tag = "red";
  CHECK(f.list_ids(by_tag) == (ids{"f", "b", "a"}));
}

TEST_CASE("listing sorts by priority, then created, in both directions",
          "[store][list]") {
  list_fixture f;
  CHECK(f.list_ids(sorted_by(job_sort::priority, false)) ==
        (ids{"b", "e", "d", "a", "f", "c"}));
  CHECK(f.list_ids(sorted_by(job_sort::priority, true)) ==
        (ids{"c", "f", "a", "d", "e", "b"}));
}

TEST_CASE("listing sorts by updated in both directions", "[store][list]") {
  list_fixture f;
  CHECK(f.list_ids(sorted_by(job_sort::updated, false)) ==
        (ids{"f", "e", "d", "c", "b", "a"}));
  CHECK(f.list_ids(sorted_by(job_sort::updated, true)) ==
        (ids{"a", "b", "c", "d", "e", "f"}));
}

TEST_CASE("ties in the sort key are broken by id", "[store][list]") {
  store_fixture f;
  f.put_all({make_job("y", "t", job_status::queued, 5),
             make_job("x", "t", job_status::queued, 5),
             make_job("z", "t", job_status::queued, 5)});
  CHECK(f.list_ids(sorted_by(job_sort::created, false)) ==
        (ids{"x", "y", "z"}));
  CHECK(f.list_ids(sorted_by(job_sort::created, true)) == (ids{"z", "y", "x"}));
  CHECK(f.list_ids(sorted_by(job_sort::updated, false)) ==
        (ids{"x", "y", "z"}));
}

TEST_CASE("limit and offset page through a listing", "[store][list]") {
  list_fixture f;
  auto sort =
      GENERATE(job_sort::created, job_sort::priority, job_sort::updated);
  auto descending = GENERATE(false, true);
  auto query = sorted_by(sort, descending);
  auto all = f.list_ids(query);
  REQUIRE(all.size() == 6);
  ids paged;
  query.limit = 4;
  for (query.offset = 0; query.offset < 8; query.offset += query.limit) {
    auto page = f.list_ids(query);
    CHECK(page.size() <= query.limit);
    paged.insert(paged.end(), page.begin(), page.end());
  }
  CHECK(paged == all);
  query.offset = 2;
  query.limit = 2;
  CHECK(f.list_ids(query) == (ids{all[2], all[3]}));
  query.offset = 6;
  CHECK(f.list_ids(query).empty());
  query.offset = 0;
  query.limit = 0;
  CHECK(f.list_ids(query).empty());
}

TEST_CASE("a page deep into a long listing is right in both directions",
          "[store][list]") {
  store_fixture f;
  std::vector<job_record> jobs;
  for (int i = 0; i < 1000; ++i)
    jobs.push_back(make_job("job-" + std::to_string(1000 + i), "t",
                            job_status::queued, i));
  f.put_all(jobs);
  auto query = with_status(job_status::queued);
  query.limit = 3;
  query.offset = 995;
  CHECK(f.list_ids(query) == (ids{"job-1995", "job-1996", "job-1997"}));
  query.descending = true;
  query.offset = 1;
  CHECK(f.list_ids(query) == (ids{"job-1998", "job-1997", "job-1996"}));
}
