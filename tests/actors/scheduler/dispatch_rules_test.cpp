// Validation and editing of dispatch controls: every bad field is named.
#include <catch2/catch.hpp>

#include "troupe/actors/scheduler/dispatch_rules.hpp"
#include "troupe/messages/errc.hpp"

using namespace troupe;

namespace {

std::string problem(const dispatch_limit& limit) {
  auto err = validate_limit(limit);
  return err ? message_of(err) : "";
}

} // namespace

TEST_CASE("a limit is checked field by field", "[limits][validation]") {
  using s = control_scope;
  CHECK(problem({s::type, "sleep", 2, 0, 0}).empty());
  CHECK(problem({s::owner, "ana", 0, 50, 10}).empty());
  CHECK(problem({s::type, "Sleep", 2, 0, 0}).find("type: must match") == 0);
  CHECK(problem({s::owner, "", 2, 0, 0}).find("owner: ") == 0);
  CHECK(problem({s::job, "x", 2, 0, 0}).find("scope: ") == 0);
  CHECK(problem({s::type, "a", 2'000'000, 0, 0}).find("max_running: ") == 0);
  CHECK(problem({s::type, "a", 0, -1, 0}).find("rate: ") == 0);
  CHECK(problem({s::type, "a", 0, 1e7, 0}).find("rate: ") == 0);
  CHECK(problem({s::type, "a", 1, 0, 5}) == "burst: needs a rate");
  CHECK(problem({s::type, "a", 0, 0, 0}).find("limit: needs") == 0);
  CHECK(code_of(validate_limit({s::type, "", 1, 0, 0})) == errc::invalid_field);
}

TEST_CASE("controls are edited by scope and key", "[limits]") {
  dispatch_controls c;
  put_limit(c, {control_scope::type, "a", 1, 0, 0});
  put_limit(c, {control_scope::owner, "a", 2, 0, 0});
  put_limit(c, {control_scope::type, "a", 3, 0, 0});
  REQUIRE(c.limits.size() == 2);
  CHECK(c.limits[0].max_running == 3);
  CHECK(erase_limit(c, control_scope::owner, "a"));
  CHECK_FALSE(erase_limit(c, control_scope::owner, "a"));
  CHECK(set_paused(c, control_scope::type, "mail", true));
  CHECK_FALSE(set_paused(c, control_scope::type, "mail", true));
  CHECK(set_paused(c, control_scope::job, "j1", true));
  CHECK(is_paused(c, "j1", "work"));
  CHECK(is_paused(c, "j2", "mail"));
  CHECK_FALSE(is_paused(c, "j2", "work"));
  CHECK(set_paused(c, control_scope::job, "j1", false));
  CHECK_FALSE(is_paused(c, "j1", "work"));
}
