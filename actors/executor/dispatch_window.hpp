// How many attempts an executor asks the queue for: one per slot, plus enough
// waiting ones to keep the slots busy while its next demand travels to the
// queue and the dispatches come back. Short handlers get a deep window, long
// ones none beyond their slots, so no executor hoards long jobs.
#pragma once

#include <algorithm>
#include <cstdint>

namespace troupe {

/// The credit window of one executor, as plain state.
class dispatch_window {
public:
  /// `lookahead_us` is the handler time per slot to keep in hand; at most
  /// `max_waiting` attempts wait beyond the slots.
  dispatch_window(uint32_t slots, int64_t lookahead_us, uint32_t max_waiting)
      : slots_(slots), lookahead_us_(lookahead_us), max_waiting_(max_waiting) {}

  /// The executor (re-)announced itself, which replaces the credits the
  /// queue held, while it holds `held` attempts. Returns the credits to ask
  /// for.
  uint32_t announce(uint32_t held) {
    asked_ = 0;
    return top_up(held);
  }

  /// A dispatch asked for arrived.
  void received() {
    if (asked_ > 0)
      --asked_;
  }

  /// A handler ran for `run_us`: the mean the window is sized by moves by
  /// an eighth of the difference.
  void ran(int64_t run_us) {
    auto x = static_cast<double>(std::max<int64_t>(run_us, 1));
    mean_run_us_ = mean_run_us_ < 0 ? x : mean_run_us_ + (x - mean_run_us_) / 8;
  }

  /// Credits to ask for now that `held` attempts are in hand (running or
  /// waiting); they count as asked from now on.
  uint32_t top_up(uint32_t held) {
    auto have = static_cast<uint64_t>(held) + asked_;
    if (have >= size())
      return 0;
    auto n = static_cast<uint32_t>(size() - have);
    asked_ += n;
    return n;
  }

  /// Attempts it aims to hold: its slots, and waiting ones for
  /// `lookahead_us` of handler time per slot (none until a handler ran).
  uint32_t size() const {
    if (mean_run_us_ < 0)
      return slots_;
    auto waiting = static_cast<double>(lookahead_us_) * slots_ / mean_run_us_;
    return slots_ + static_cast<uint32_t>(
                        std::min(waiting, static_cast<double>(max_waiting_)));
  }

  /// Attempts it aims to hold beyond its slots.
  uint32_t waiting() const { return size() - slots_; }

private:
  uint32_t slots_;
  int64_t lookahead_us_;
  uint32_t max_waiting_;
  /// Mean handler time; negative until the first attempt ran.
  double mean_run_us_ = -1;
  /// Credits asked for and not yet used by a dispatch.
  uint32_t asked_ = 0;
};

} // namespace troupe
