// Wall-clock microseconds derived from the actor clock, so that timers and
// timestamps follow CAF's testing scheduler when a test drives time.
#pragma once

#include <chrono>
#include <cstdint>

#include "caf/actor_clock.hpp"

namespace troupe {

/// Microseconds since the Unix epoch, advancing with an actor clock.
class wall_clock {
public:
  explicit wall_clock(const caf::actor_clock& clock)
      : clock_(&clock), steady_base_(clock.now()),
        wall_base_us_(std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count()) {
    // nop
  }

  /// A clock that reads `now_us` at this moment of `clock` (so that actors
  /// started later under a test clock agree with earlier ones).
  wall_clock(const caf::actor_clock& clock, int64_t now_us)
      : clock_(&clock), steady_base_(clock.now()), wall_base_us_(now_us) {
    // nop
  }

  /// The current time in microseconds since the epoch.
  int64_t now_us() const {
    auto elapsed = clock_->now() - steady_base_;
    return wall_base_us_ +
           std::chrono::duration_cast<std::chrono::microseconds>(elapsed)
               .count();
  }

private:
  const caf::actor_clock* clock_;
  caf::actor_clock::time_point steady_base_;
  int64_t wall_base_us_;
};

} // namespace troupe
