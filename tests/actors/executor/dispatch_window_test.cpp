// Tests of dispatch_window: an executor's credits are its slots until a
// handler ran, then deeper for short handlers and no deeper for long ones,
// and it never asks for more than it can hold.
#include "troupe/actors/executor/dispatch_window.hpp"

#include <catch2/catch.hpp>

using troupe::dispatch_window;

namespace {

constexpr int64_t lookahead_us = 2000;
constexpr uint32_t max_waiting = 256;

} // namespace

TEST_CASE("a dispatch window asks for its slots until a handler ran",
          "[window]") {
  dispatch_window w{4, lookahead_us, max_waiting};
  CHECK(w.size() == 4);
  CHECK(w.announce(0) == 4);
  // Asked for already: nothing more until some arrive and finish.
  CHECK(w.top_up(0) == 0);
  w.received();
  w.received();
  CHECK(w.top_up(2) == 0);
  CHECK(w.top_up(1) == 1);
}

TEST_CASE("a dispatch window deepens for short handlers, up to max_waiting",
          "[window]") {
  dispatch_window w{4, lookahead_us, max_waiting};
  w.announce(0);
  for (int i = 0; i < 4; ++i)
    w.received();
  w.ran(1);
  // 2 ms of 1 µs handlers on 4 slots is far more than 256 waiting.
  CHECK(w.size() == 4 + max_waiting);
  CHECK(w.top_up(3) == 4 + max_waiting - 3);
  CHECK(w.top_up(3) == 0);
}

TEST_CASE("a dispatch window of long handlers stays at the slots", "[window]") {
  dispatch_window w{4, lookahead_us, max_waiting};
  w.ran(10'000); // 10 ms: less than one handler per slot in 2 ms.
  CHECK(w.size() == 4);
  w.ran(10'000);
  CHECK(w.size() == 4);
}

TEST_CASE("a dispatch window follows the mean handler time", "[window]") {
  dispatch_window w{2, lookahead_us, max_waiting};
  w.ran(1000); // 1 ms on 2 slots: 4 waiting.
  CHECK(w.size() == 2 + 4);
  for (int i = 0; i < 100; ++i)
    w.ran(100'000);
  CHECK(w.size() == 2);
}

TEST_CASE("a re-announced dispatch window forgets the credits asked before",
          "[window]") {
  dispatch_window w{4, lookahead_us, max_waiting};
  CHECK(w.announce(0) == 4);
  // A new announcement replaces the queue's credits: 3 held, 1 to ask.
  CHECK(w.announce(3) == 1);
  CHECK(w.announce(5) == 0);
}
