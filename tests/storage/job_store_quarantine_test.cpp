// Malformed rows of the settings families, written behind the store's back,
// are set aside into the quarantine family at open and reported; the store
// still opens, keeps the good rows, and refuses to write such rows itself.
#include <catch2/catch.hpp>

#include "tests/storage/store_fixture.hpp"
#include "troupe/storage/key_schema.hpp"

using namespace troupe;
using namespace troupe::test;

namespace {

std::string bytes(std::initializer_list<int> xs, std::string tail = "") {
  std::string out;
  for (int x : xs)
    out.push_back(static_cast<char>(x));
  return out + tail;
}

} // namespace

TEST_CASE("malformed rows of the settings families are set aside at open, "
          "reported and kept",
          "[store][limits][quarantine]") {
  store_fixture f;
  require_ok(f.store->put_paused(control_scope::type, "mail", true));
  periodic_schedule good;
  good.name = "good";
  good.every_ms = 60'000;
  good.job.type = "report";
  require_ok(f.store->put_schedule(good));
  f.close();
  auto bad_pause = bytes({'p', 9}, "j1");
  auto bad_limit = bytes({'l', 0}, "sleep");
  write_raw(f.path, {{schema::limits, bad_pause, ""},
                     {schema::limits, bad_limit, "garbage"},
                     {schema::schedules, "broken", bytes({7}, "junk")}});
  f.open();
  const auto& warnings = f.store->warnings();
  REQUIRE(warnings.size() == 3);
  // In key order: 'l' before 'p'.
  CHECK(warnings[0].find("the limit does not decode") != std::string::npos);
  CHECK(warnings[1].find("scope byte 9 is out of range") != std::string::npos);
  CHECK(warnings[1].find("'p\\x09j1'") != std::string::npos);
  CHECK(warnings[2].find("family 'schedules'") != std::string::npos);
  for (const auto& w : warnings)
    CHECK(w.find(f.path) != std::string::npos);
  auto controls = require_value(f.store->controls());
  CHECK(controls.paused_types == ids{"mail"});
  CHECK(controls.paused_jobs.empty());
  CHECK(controls.limits.empty());
  auto schedules = require_value(f.store->schedules());
  REQUIRE(schedules.size() == 1);
  CHECK(schedules[0].name == "good");
  auto kept = require_value(f.store->quarantined());
  REQUIRE(kept.size() == 3);
  CHECK(kept[0].family == "limits");
  CHECK(kept[0].key == bad_limit); // 'l' sorts before 'p'.
  CHECK(kept[0].value == "garbage");
  CHECK(kept[1].key == bad_pause);
  CHECK(kept[2].family == "schedules");
  CHECK(kept[2].value == bytes({7}, "junk"));
  // Set aside once: the next open finds nothing new and keeps the rows.
  f.close();
  f.open();
  CHECK(f.store->warnings().empty());
  CHECK(require_value(f.store->quarantined()).size() == 3);
}

TEST_CASE("the store refuses to write enums out of range",
          "[store][limits][validation]") {
  store_fixture f;
  auto nine = static_cast<control_scope>(9);
  auto paused = f.store->put_paused(nine, "j1", true);
  CHECK(code_of(paused) == errc::invalid_field);
  CHECK(message_of(paused).rfind("scope: ", 0) == 0);
  CHECK(code_of(f.store->put_limit({nine, "x", 1, 0, 0})) ==
        errc::invalid_field);
  CHECK(code_of(f.store->erase_limit(nine, "x")) == errc::invalid_field);
  auto x = make_job("a", "work", job_status::queued, 1);
  x.status = static_cast<job_status>(9);
  store_batch batch;
  batch.records.push_back(x);
  CHECK(code_of(f.store->write(batch)) == errc::invalid_field);
  x.status = job_status::queued;
  x.on_dependency_failure = static_cast<dependency_policy>(7);
  batch.records = {x};
  CHECK(code_of(f.store->write(batch)) == errc::invalid_field);
  periodic_schedule s;
  s.name = "s";
  s.missed = static_cast<missed_policy>(9);
  CHECK(code_of(f.store->put_schedule(s)) == errc::invalid_field);
  f.close();
  f.open();
  CHECK(f.store->warnings().empty());
  CHECK(require_value(f.store->controls()).paused_jobs.empty());
  CHECK(f.count(job_status::queued) == 0);
}
