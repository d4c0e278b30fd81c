// Entry point of the CLI end-to-end tests: a real `troupe serve` process
// driven by the real `troupe` binary.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
