// Entry point of the deterministic actor test binary.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
