// Tests of troupe::version(): the library reports the version of the
// project that built it, the one the macros of troupe/version.hpp state.
#include "troupe/version.hpp"

#include <string>

#include <catch2/catch.hpp>

TEST_CASE("version() returns the version the macros state") {
  auto joined = std::to_string(TROUPE_VERSION_MAJOR) + "." +
                std::to_string(TROUPE_VERSION_MINOR) + "." +
                std::to_string(TROUPE_VERSION_PATCH);
  CHECK(troupe::version() == TROUPE_VERSION_STRING);
  CHECK(troupe::version() == joined);
}

TEST_CASE("the version is 0.2 or later") {
  CHECK(TROUPE_VERSION_MAJOR == 0);
  CHECK(TROUPE_VERSION_MINOR >= 2);
}
