// Entry point of the end-to-end test binary (real nodes, real RocksDB, real
// child processes).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
