// Tests of the job store's writes and reads: round trips, index consistency
// through transitions, history order, recovery listing, retention, reopening.
#include <algorithm>
#include <string>

#include "store_fixture.hpp"

using namespace troupe;
using namespace troupe::test;

namespace {

job_record full_record(const std::string& id) {
  job_record x;
  x.id = id;
  x.type = "resize";
  x.payload = R"({"w":640,"h":480})";
  x.priority = 2;
  x.deps = {"dep-a", "dep-b"};
  x.on_dependency_failure = dependency_policy::cancel;
  x.timeout_s = 90;
  x.max_retries = 7;
  x.backoff_base_ms = 2500;
  x.owner = "alice";
  x.tags = {"images", "batch"};
  x.unique_key = "resize:42";
  x.run_at_us = 1'700'000'000'500'000;
  x.status = job_status::running;
  x.attempt = 3;
  x.executor = "executor-2";
  x.node = "node-a";
  x.progress = 0.75;
  x.progress_message = "three quarters";
  x.result = R"({"bytes":10})";
  x.error = "attempt 2 timed out";
  x.history_length = 5;
  x.created_us = 1'700'000'000'000'000;
  x.updated_us = 1'700'000'000'900'000;
  x.started_us = 1'700'000'000'600'000;
  x.finished_us = 0;
  return x;
}

history_entry entry(const std::string& id, uint32_t seq, job_status from,
                    job_status to) {
  history_entry x;
  x.job_id = id;
  x.seq = seq;
  x.time_us = 1000 + seq;
  x.from = from;
  x.to = to;
  x.attempt = seq + 1;
  x.executor = "executor-" + std::to_string(seq);
  x.node = "node-a";
  x.principal = "scheduler";
  x.message = "step " + std::to_string(seq);
  return x;
}

std::vector<std::string> sorted_ids(const std::vector<job_record>& xs) {
  std::vector<std::string> out;
  for (const auto& x : xs)
    out.push_back(x.id);
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

TEST_CASE("write then get returns every field of the record", "[store]") {
  store_fixture f;
  auto x = full_record("job-1");
  f.put(x);
  auto y = require_value(f.store->get("job-1"));
  CHECK(y.id == x.id);
  CHECK(y.type == x.type);
  CHECK(y.payload == x.payload);
  CHECK(y.priority == x.priority);
  CHECK(y.deps == x.deps);
  CHECK(y.on_dependency_failure == x.on_dependency_failure);
  CHECK(y.timeout_s == x.timeout_s);
  CHECK(y.max_retries == x.max_retries);
  CHECK(y.backoff_base_ms == x.backoff_base_ms);
  CHECK(y.owner == x.owner);
  CHECK(y.tags == x.tags);
  CHECK(y.unique_key == x.unique_key);
  CHECK(y.run_at_us == x.run_at_us);
  CHECK(y.status == x.status);
  CHECK(y.attempt == x.attempt);
  CHECK(y.executor == x.executor);
  CHECK(y.node == x.node);
  CHECK(y.progress == x.progress);
  CHECK(y.progress_message == x.progress_message);
  CHECK(y.result == x.result);
  CHECK(y.error == x.error);
  CHECK(y.history_length == x.history_length);
  CHECK(y.created_us == x.created_us);
  CHECK(y.updated_us == x.updated_us);
  CHECK(y.started_us == x.started_us);
  CHECK(y.finished_us == x.finished_us);
}

TEST_CASE("history entries come back with every field", "[store]") {
  store_fixture f;
  store_batch batch;
  batch.records.push_back(full_record("job-1"));
  batch.history.push_back(
      entry("job-1", 0, job_status::queued, job_status::running));
  batch.history.push_back(
      entry("job-1", 1, job_status::running, job_status::failed));
  require_ok(f.store->write(batch));
  auto history = require_value(f.store->history("job-1"));
  REQUIRE(history.size() == 2);
  const auto& y = history[1];
  CHECK(y.job_id == "job-1");
  CHECK(y.seq == 1);
  CHECK(y.time_us == 1001);
  CHECK(y.from == job_status::running);
  CHECK(y.to == job_status::failed);
  CHECK(y.attempt == 2);
  CHECK(y.executor == "executor-1");
  CHECK(y.node == "node-a");
  CHECK(y.principal == "scheduler");
  CHECK(y.message == "step 1");
  CHECK(require_value(f.store->history("unknown")).empty());
}

TEST_CASE("get of an unknown id fails with not_found", "[store]") {
  store_fixture f;
  auto x = f.store->get("nope");
  REQUIRE_FALSE(x);
  CHECK(code_of(x.error()) == errc::not_found);
  CHECK_THAT(message_of(x.error()), Catch::Contains("nope"));
}

TEST_CASE("get_many returns existing records in the order asked", "[store]") {
  store_fixture f;
  f.put_all({make_job("a", "t", job_status::queued, 1),
             make_job("b", "t", job_status::queued, 2),
             make_job("c", "t", job_status::queued, 3)});
  auto xs = require_value(f.store->get_many({"c", "missing", "a", "b"}));
  REQUIRE(xs.size() == 3);
  CHECK(xs[0].id == "c");
  CHECK(xs[1].id == "a");
  CHECK(xs[2].id == "b");
  CHECK(require_value(f.store->get_many({})).empty());
}

TEST_CASE("a write with an empty id or a NUL in an id is refused", "[store]") {
  store_fixture f;
  store_batch batch;
  batch.records.push_back(make_job("", "t", job_status::queued, 1));
  CHECK(code_of(f.store->write(batch)) == errc::invalid_field);
  batch.records.front().id = std::string{"a\0b", 3};
  CHECK(code_of(f.store->write(batch)) == errc::invalid_field);
  batch.records.clear();
  batch.history.push_back(entry(std::string{"a\0b", 3}, 0, job_status::queued,
                                job_status::running));
  CHECK(code_of(f.store->write(batch)) == errc::invalid_field);
  CHECK(f.count(job_status::queued) == 0);
}

TEST_CASE("indexes follow a job through queued, running and completed",
          "[store]") {
  store_fixture f;
  auto x = make_job("a", "t", job_status::queued, 10);
  x.owner = "alice";
  x.tags = {"red"};
  f.put(x);
  CHECK(f.list_ids(with_status(job_status::queued)) == ids{"a"});
  CHECK(f.count(job_status::queued) == 1);
  x.status = job_status::running;
  f.put(x);
  CHECK(f.list_ids(with_status(job_status::queued)).empty());
  CHECK(f.list_ids(with_status(job_status::running)) == ids{"a"});
  CHECK(f.count(job_status::queued) == 0);
  CHECK(f.count(job_status::running) == 1);
  x.status = job_status::completed;
  x.finished_us = 20;
  f.put(x);
  CHECK(f.list_ids(with_status(job_status::running)).empty());
  CHECK(f.list_ids(with_status(job_status::completed)) == ids{"a"});
  auto counts = require_value(f.store->count_by_status());
  CHECK(counts.size() == job_status_count);
  CHECK(counts[job_status::completed] == 1);
  CHECK(counts[job_status::running] == 0);
  // The unchanged type, owner and tag keys still find it exactly once.
  job_query by_tag;
  by_tag.tag = "red";
  CHECK(f.list_ids(by_tag) == ids{"a"});
  CHECK(f.list_ids(job_query{}) == ids{"a"});
}

TEST_CASE("the last of several versions in one batch wins, indexes agree",
          "[store]") {
  store_fixture f;
  f.put(make_job("a", "old-type", job_status::queued, 10));
  auto running = make_job("a", "new-type", job_status::running, 10);
  auto done = make_job("a", "new-type", job_status::failed, 10, 30);
  done.tags = {"late"};
  auto other = make_job("b", "t", job_status::waiting, 5);
  f.put_all({running, other, done});
  CHECK(require_value(f.store->get("a")).status == job_status::failed);
  auto counts = require_value(f.store->count_by_status());
  CHECK(counts[job_status::queued] == 0);
  CHECK(counts[job_status::running] == 0);
  CHECK(counts[job_status::failed] == 1);
  CHECK(counts[job_status::waiting] == 1);
  job_query by_type;
  by_type.type = "old-type";
  CHECK(f.list_ids(by_type).empty());
  by_type.type = "new-type";
  CHECK(f.list_ids(by_type) == ids{"a"});
  job_query by_tag;
  by_tag.tag = "late";
  CHECK(f.list_ids(by_tag) == ids{"a"});
  CHECK(f.list_ids(job_query{}) == (ids{"b", "a"}));
}

TEST_CASE("history with more than 256 entries comes back in seq order",
          "[store]") {
  store_fixture f;
  store_batch batch;
  // Written in a scrambled order; big-endian seq keys must restore it.
  for (uint32_t i = 0; i < 700; ++i)
    batch.history.push_back(
        entry("job", (i * 263) % 700, job_status::queued, job_status::running));
  batch.history.push_back(
      entry("job-2", 0, job_status::queued, job_status::running));
  require_ok(f.store->write(batch));
  auto history = require_value(f.store->history("job"));
  REQUIRE(history.size() == 700);
  for (uint32_t i = 0; i < 700; ++i)
    REQUIRE(history[i].seq == i);
  CHECK(require_value(f.store->history("job-2")).size() == 1);
}

TEST_CASE("non_terminal returns exactly the jobs not in a terminal status",
          "[store]") {
  store_fixture f;
  f.put_all({make_job("s", "t", job_status::scheduled, 1),
             make_job("w", "t", job_status::waiting, 2),
             make_job("q", "t", job_status::queued, 3),
             make_job("r", "t", job_status::running, 4),
             make_job("c", "t", job_status::completed, 5, 6),
             make_job("f", "t", job_status::failed, 6, 7),
             make_job("x", "t", job_status::cancelled, 7, 8)});
  auto xs = require_value(f.store->non_terminal());
  CHECK(sorted_ids(xs) == (ids{"q", "r", "s", "w"}));
  f.put(make_job("r", "t", job_status::completed, 4, 9));
  CHECK(sorted_ids(require_value(f.store->non_terminal())) ==
        (ids{"q", "s", "w"}));
}

TEST_CASE("page_by_status reads one status oldest first, page by page, and "
          "names where the next page starts",
          "[store]") {
  store_fixture f;
  f.put_all({make_job("q3", "t", job_status::queued, 30),
             make_job("q1", "t", job_status::queued, 10),
             make_job("r", "t", job_status::running, 15),
             make_job("q2", "t", job_status::queued, 20),
             make_job("c", "t", job_status::completed, 5, 6)});
  auto first =
      require_value(f.store->page_by_status(job_status::queued, "", 2));
  REQUIRE(first.jobs.size() == 2);
  CHECK(first.jobs[0].id == "q1");
  CHECK(first.jobs[1].id == "q2");
  REQUIRE_FALSE(first.next.empty());
  // A job written between two pages shows up where its key sorts.
  f.put(make_job("q0", "t", job_status::queued, 1));
  f.put(make_job("q4", "t", job_status::queued, 40));
  auto second =
      require_value(f.store->page_by_status(job_status::queued, first.next, 2));
  REQUIRE(second.jobs.size() == 2);
  CHECK(second.jobs[0].id == "q3");
  CHECK(second.jobs[1].id == "q4");
  auto third = require_value(
      f.store->page_by_status(job_status::queued, second.next, 2));
  CHECK(third.jobs.empty());
  CHECK(third.next.empty());
  auto running =
      require_value(f.store->page_by_status(job_status::running, "", 2));
  REQUIRE(running.jobs.size() == 1);
  CHECK(running.jobs[0].id == "r");
  CHECK(running.next.empty());
  CHECK(code_of(f.store->page_by_status(job_status::running, first.next, 2)
                    .error()) == errc::invalid_field);
  CHECK(code_of(f.store->page_by_status(job_status::queued, "", 0).error()) ==
        errc::invalid_field);
}

TEST_CASE("purge_terminal removes only terminal jobs finished before the "
          "cutoff, with their history and index entries",
          "[store][retention]") {
  store_fixture f;
  auto old_done = make_job("old-done", "t", job_status::completed, 1, 100);
  old_done.owner = "alice";
  old_done.tags = {"red"};
  f.put_all({old_done, make_job("old-failed", "t", job_status::failed, 2, 200),
             make_job("recent", "t", job_status::cancelled, 3, 900),
             make_job("running", "t", job_status::running, 4),
             make_job("queued", "t", job_status::queued, 0)});
  store_batch history;
  history.history = {
      entry("old-done", 0, job_status::queued, job_status::completed),
      entry("recent", 0, job_status::queued, job_status::cancelled)};
  require_ok(f.store->write(history));
  CHECK(require_value(f.store->purge_terminal(500)) == 2);
  CHECK(code_of(f.store->get("old-done").error()) == errc::not_found);
  CHECK(code_of(f.store->get("old-failed").error()) == errc::not_found);
  CHECK(require_value(f.store->history("old-done")).empty());
  CHECK(require_value(f.store->history("recent")).size() == 1);
  CHECK(f.list_ids(job_query{}) == (ids{"queued", "recent", "running"}));
  job_query by_owner;
  by_owner.owner = "alice";
  CHECK(f.list_ids(by_owner).empty());
  job_query by_tag;
  by_tag.tag = "red";
  CHECK(f.list_ids(by_tag).empty());
  CHECK(f.count(job_status::completed) == 0);
  CHECK(f.count(job_status::failed) == 0);
  CHECK(f.count(job_status::cancelled) == 1);
  CHECK(require_value(f.store->purge_terminal(500)) == 0);
  CHECK(require_value(f.store->purge_terminal(901)) == 1);
  CHECK(f.list_ids(job_query{}) == (ids{"queued", "running"}));
}

TEST_CASE("purge_terminal works through more jobs than one batch holds",
          "[store][retention]") {
  store_fixture f;
  std::vector<job_record> jobs;
  for (int i = 0; i < 600; ++i)
    jobs.push_back(make_job("done-" + std::to_string(i), "t",
                            job_status::completed, i, 1000 + i % 7));
  jobs.push_back(make_job("late", "t", job_status::completed, 1, 5000));
  f.put_all(jobs);
  CHECK(require_value(f.store->purge_terminal(2000)) == 600);
  CHECK(f.count(job_status::completed) == 1);
  CHECK(f.list_ids(job_query{}) == ids{"late"});
}

TEST_CASE("a closed and reopened store keeps records, history and indexes",
          "[store][durability]") {
  auto level = GENERATE(durability::none, durability::wal, durability::fsync);
  INFO("durability " << to_string(level));
  store_fixture f{level};
  store_batch batch;
  batch.records = {full_record("a"),
                   make_job("b", "t", job_status::completed, 5, 6)};
  batch.history = {entry("a", 0, job_status::queued, job_status::running)};
  require_ok(f.store->write(batch));
  f.close();
  f.open(level);
  CHECK(require_value(f.store->get("a")).payload == full_record("a").payload);
  CHECK(require_value(f.store->history("a")).size() == 1);
  CHECK(f.list_ids(with_status(job_status::running)) == ids{"a"});
  CHECK(f.count(job_status::completed) == 1);
  CHECK(f.store->options().level == level);
  // The reopened store keeps maintaining the indexes it found.
  f.put(make_job("a", "resize", job_status::failed, full_record("a").created_us,
                 7));
  f.close();
  f.open(level);
  CHECK(f.list_ids(with_status(job_status::running)).empty());
  CHECK(f.count(job_status::failed) == 1);
}

TEST_CASE("durability levels have names that parse back", "[store]") {
  for (auto level : {durability::none, durability::wal, durability::fsync})
    CHECK(parse_durability(to_string(level)) == level);
  CHECK(to_string(durability::fsync) == "fsync");
  CHECK_FALSE(parse_durability("sync"));
}
