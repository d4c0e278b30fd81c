// Limits and pauses in the `limits` family: stored, replaced, erased, kept
// across a reopen, and a store made before the family existed still opens.
#include <catch2/catch.hpp>

#include "rocksdb/db.h"

#include "tests/storage/store_fixture.hpp"
#include "troupe/storage/key_schema.hpp"

using namespace troupe;
using namespace troupe::test;

namespace {

dispatch_limit limit(control_scope scope, std::string key, uint32_t max,
                     double rate = 0, uint32_t burst = 0) {
  return dispatch_limit{scope, std::move(key), max, rate, burst};
}

} // namespace

TEST_CASE("limits and pauses survive a reopen", "[store][limits]") {
  store_fixture f;
  require_ok(f.store->put_limit(limit(control_scope::type, "sleep", 2)));
  require_ok(
      f.store->put_limit(limit(control_scope::owner, "ana", 0, 50.5, 10)));
  require_ok(f.store->put_limit(limit(control_scope::type, "sleep", 3)));
  require_ok(f.store->put_limit(limit(control_scope::type, "gone", 1)));
  require_ok(f.store->erase_limit(control_scope::type, "gone"));
  require_ok(f.store->erase_limit(control_scope::type, "never-set"));
  require_ok(f.store->put_paused(control_scope::type, "mail", true));
  require_ok(f.store->put_paused(control_scope::job, "j1", true));
  require_ok(f.store->put_paused(control_scope::job, "j2", true));
  require_ok(f.store->put_paused(control_scope::job, "j2", false));
  f.close();
  f.open();
  auto controls = require_value(f.store->controls());
  REQUIRE(controls.limits.size() == 2);
  // Keys sort limits by scope, then key: type before owner is not promised,
  // so look them up.
  for (const auto& x : controls.limits) {
    if (x.scope == control_scope::type) {
      CHECK(x.key == "sleep");
      CHECK(x.max_running == 3);
      CHECK(x.rate == 0);
    } else {
      CHECK(x.key == "ana");
      CHECK(x.max_running == 0);
      CHECK(x.rate == 50.5);
      CHECK(x.burst == 10);
    }
  }
  CHECK(controls.paused_types == std::vector<std::string>{"mail"});
  CHECK(controls.paused_jobs == std::vector<std::string>{"j1"});
}

TEST_CASE("a store made before the limits family opens and gains it",
          "[store][limits][open]") {
  temp_dir dir;
  auto path = (dir.path / "old").string();
  make_original_store(path);
  store_options options;
  options.path = path;
  auto store = require_value(job_store::open(options));
  CHECK(require_value(store->controls()).limits.empty());
  require_ok(store->put_limit(limit(control_scope::type, "x", 1)));
  CHECK(require_value(store->controls()).limits.size() == 1);
}
