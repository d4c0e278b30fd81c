// Entry point of the unit test binary (plain state structs, no actor system).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
