// The Catch2 entry point of the storage tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
