// Entry point of the cluster tests: coordinator, workers and bare nodes run
// as separate troupe processes.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
