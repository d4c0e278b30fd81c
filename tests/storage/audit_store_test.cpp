// The store's audit trail: appends kept in time order (entries of one
// microsecond too), filters and limits, purge by age, a reopen, damaged rows
// and refused input.
#include <sys/statvfs.h>

#include <fstream>

#include "store_fixture.hpp"
#include "troupe/storage/key_schema.hpp"
#include "troupe/storage/record_codec.hpp"

using namespace troupe;
using namespace troupe::test;

namespace {

constexpr int64_t t0 = 1'700'000'000'000'000;
constexpr int64_t us_per_s = 1'000'000;

audit_entry entry(int64_t at_us, std::string principal, std::string action,
                  std::string target = "job-1") {
  audit_entry x;
  x.at_us = at_us;
  x.principal = std::move(principal);
  x.action = std::move(action);
  x.target = std::move(target);
  x.outcome = "ok";
  x.detail = "facts";
  return x;
}

/// The actions of `xs`, in order.
std::vector<std::string> actions(const std::vector<audit_entry>& xs) {
  std::vector<std::string> out;
  for (const auto& x : xs)
    out.push_back(x.action);
  return out;
}

std::vector<audit_entry> list(job_store& store, audit_query query = {}) {
  std::vector<damaged_record> damaged;
  auto out = require_value(store.list_audit(query, &damaged));
  CHECK(damaged.empty());
  return out;
}

} // namespace

TEST_CASE("an audit entry decodes to the entry that was encoded",
          "[codec][audit]") {
  auto x = entry(t0, "alice", "limits.set", "type:render");
  auto y = require_value(decode_audit(encode_audit(x)));
  CHECK(y.at_us == x.at_us);
  CHECK(y.principal == "alice");
  CHECK(y.action == "limits.set");
  CHECK(y.target == "type:render");
  CHECK(y.outcome == "ok");
  CHECK(y.detail == "facts");
  auto cut = encode_audit(x);
  cut.pop_back();
  auto damaged = decode_audit(cut);
  REQUIRE_FALSE(damaged);
  CHECK(code_of(damaged.error()) == errc::data_dir_corrupt);
}

TEST_CASE("audit entries are listed oldest first, entries of one "
          "microsecond in the order appended",
          "[store][audit]") {
  store_fixture f;
  require_ok(f.store->append_audit(
      {entry(t0 + 2, "a", "second"), entry(t0 + 1, "a", "first")}));
  require_ok(f.store->append_audit(
      {entry(t0 + 2, "a", "third"), entry(t0 + 2, "b", "fourth")}));
  auto all = list(*f.store);
  CHECK(actions(all) == ids{"first", "second", "third", "fourth"});
  CHECK(all[0].at_us == t0 + 1);
  CHECK(all[3].principal == "b");
  CHECK(all[3].target == "job-1");
  CHECK(all[3].outcome == "ok");
  CHECK(all[3].detail == "facts");
}

TEST_CASE("an audit listing filters by time and principal and stops at its "
          "limit",
          "[store][audit]") {
  store_fixture f;
  std::vector<audit_entry> xs;
  for (int i = 0; i < 6; ++i)
    xs.push_back(entry(t0 + i * us_per_s, i % 2 == 0 ? "alice" : "bob",
                       "a" + std::to_string(i)));
  require_ok(f.store->append_audit(xs));
  audit_query query;
  query.since_us = t0 + 2 * us_per_s;
  CHECK(actions(list(*f.store, query)) == ids{"a2", "a3", "a4", "a5"});
  query.principal = "bob";
  CHECK(actions(list(*f.store, query)) == ids{"a3", "a5"});
  query.limit = 1;
  CHECK(actions(list(*f.store, query)) == ids{"a3"});
  query = audit_query{};
  query.limit = 2;
  CHECK(actions(list(*f.store, query)) == ids{"a0", "a1"});
}

TEST_CASE("purging the audit trail deletes exactly the entries older than "
          "the cutoff",
          "[store][audit]") {
  store_fixture f;
  require_ok(f.store->append_audit(
      {entry(t0, "a", "old"), entry(t0 + 10, "a", "older-by-one"),
       entry(t0 + 11, "a", "at-cutoff"), entry(t0 + us_per_s, "a", "young")}));
  CHECK(require_value(f.store->purge_audit(t0 + 11)) == 2);
  CHECK(actions(list(*f.store)) == ids{"at-cutoff", "young"});
  CHECK(require_value(f.store->purge_audit(t0 + 11)) == 0);
}

TEST_CASE("purging a long audit trail deletes it batch by batch",
          "[store][audit]") {
  store_fixture f;
  std::vector<audit_entry> xs;
  for (int i = 0; i < 2500; ++i)
    xs.push_back(entry(t0 + i, "a", "x"));
  require_ok(f.store->append_audit(xs));
  CHECK(require_value(f.store->purge_audit(t0 + 2400)) == 2400);
  audit_query query;
  query.limit = max_audit_entries_per_query;
  CHECK(list(*f.store, query).size() == 100);
}

TEST_CASE("the audit trail survives a reopen, and later entries of the same "
          "microsecond are kept beside it",
          "[store][audit]") {
  store_fixture f;
  require_ok(f.store->append_audit({entry(t0, "a", "before")}));
  f.close();
  f.open();
  require_ok(f.store->append_audit({entry(t0, "a", "after")}));
  CHECK(actions(list(*f.store)) == ids{"before", "after"});
}

TEST_CASE("a store from before the audit family gains it on open",
          "[store][audit]") {
  temp_dir dir;
  auto path = (dir.path / "data").string();
  make_original_store(path);
  auto store = require_value(job_store::open({path, durability::wal}));
  require_ok(store->append_audit({entry(t0, "a", "first")}));
  CHECK(actions(list(*store)) == ids{"first"});
}

TEST_CASE("a damaged audit row is skipped and reported, the others listed",
          "[store][audit]") {
  store_fixture f;
  require_ok(f.store->append_audit(
      {entry(t0, "a", "good"), entry(t0 + 3, "a", "also-good")}));
  f.close();
  auto moved = encode_audit(entry(t0 + 5, "a", "moved"));
  write_raw(f.path, {{schema::audit, schema::audit_key(t0 + 1, 1), "\x07junk"},
                     {schema::audit, schema::audit_key(t0 + 2, 1), moved},
                     {schema::audit, schema::encode_time(t0 + 2), moved}});
  f.open();
  std::vector<damaged_record> damaged;
  auto listed = require_value(f.store->list_audit({}, &damaged));
  CHECK(actions(listed) == ids{"good", "also-good"});
  REQUIRE(damaged.size() == 3);
  CHECK_THAT(damaged[0].problem, Catch::Contains("format version 7"));
  CHECK_THAT(damaged[1].problem, Catch::Contains("key has 8 bytes"));
  CHECK_THAT(damaged[2].problem, Catch::Contains("under the key time"));
  CHECK_THAT(damaged[0].problem, Catch::Contains(f.path));
  // Old enough, they go with the rest.
  CHECK(require_value(f.store->purge_audit(t0 + 3)) == 4);
  CHECK(actions(list(*f.store)) == ids{"also-good"});
}

TEST_CASE("a bad audit entry or query is refused, naming the field, and "
          "nothing is written",
          "[store][audit]") {
  store_fixture f;
  auto refused = [&](std::vector<audit_entry> xs, const std::string& what) {
    auto err = f.store->append_audit(xs);
    CHECK(code_of(err) == errc::invalid_field);
    CHECK_THAT(message_of(err), Catch::Contains(what));
  };
  refused({entry(t0, "a", "ok"), entry(0, "a", "x")}, "entry 1 at_us");
  refused({entry(t0, "a", "")}, "entry 0 action: must be given");
  auto big = entry(t0, "a", "x");
  big.detail.assign(max_audit_field_bytes + 1, 'd');
  refused({big}, "entry 0 detail: at most 4096 bytes");
  CHECK(list(*f.store).empty());
  for (uint32_t limit : {0u, max_audit_entries_per_query + 1}) {
    audit_query query;
    query.limit = limit;
    auto bad = f.store->list_audit(query);
    REQUIRE_FALSE(bad);
    CHECK_THAT(message_of(bad.error()), Catch::Contains("limit: must be"));
  }
  audit_query negative;
  negative.since_us = -1;
  CHECK(code_of(f.store->list_audit(negative).error()) == errc::invalid_field);
}

TEST_CASE("audit appends are refused below the free-space reserve, like job "
          "writes",
          "[store][audit][failure]") {
  temp_dir dir;
  struct statvfs fs {};
  REQUIRE(::statvfs(dir.path.c_str(), &fs) == 0);
  auto free = uint64_t{fs.f_bavail} * fs.f_frsize;
  constexpr uint64_t mib = 1024 * 1024;
  REQUIRE(free > 1024 * mib);
  store_options options;
  options.path = (dir.path / "data").string();
  // 64 MiB of room above the reserve (others may write meanwhile); a file
  // of 512 MiB takes it away.
  options.reserve_bytes = free - 64 * mib;
  auto store = require_value(job_store::open(options));
  {
    std::ofstream out{dir.path / "filler", std::ios::binary};
    std::string chunk(mib, 'x');
    for (int i = 0; i < 512; ++i)
      out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  }
  auto full = store->append_audit({entry(t0, "a", "x")});
  CHECK(code_of(full) == errc::storage_failure);
  CHECK_THAT(message_of(full), Catch::Contains("keeps in reserve"));
  store_batch batch;
  batch.records.push_back(make_job("j", "t", job_status::queued, t0));
  CHECK(code_of(store->write(batch)) == errc::storage_failure);
  CHECK(require_value(store->list_audit({})).empty());
}

TEST_CASE("after an injected write failure audit appends fail too",
          "[store][audit][failure]") {
  store_fixture f;
  require_ok(f.store->append_audit({entry(t0, "a", "before")}));
  f.store->fail_writes_from(1);
  store_batch batch;
  batch.records.push_back(make_job("j", "t", job_status::queued, t0));
  CHECK(code_of(f.store->write(batch)) == errc::storage_failure);
  CHECK(code_of(f.store->append_audit({entry(t0, "a", "dead")})) ==
        errc::storage_failure);
  f.store->fail_writes_from(0);
  require_ok(f.store->append_audit({entry(t0, "a", "healed")}));
  CHECK(actions(list(*f.store)) == ids{"before", "healed"});
}
