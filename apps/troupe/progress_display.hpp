// What `wait`, `submit --wait` and the demo show while jobs run: a live
// progress bar on a terminal, one plain line per finished job otherwise.
// It only renders what it is fed; it never talks to the server.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "troupe/messages/job_event.hpp"
#include "troupe/messages/job_record.hpp"

namespace troupe::cli {

/// How waiting is shown.
enum class display_mode {
  /// A bar redrawn in place (stdout is a terminal).
  bar,
  /// One line per job that reaches a terminal status, and a line for
  /// reported progress (at most one per job and second).
  lines,
  /// Nothing (JSON output must stay a single document).
  quiet,
};

/// Picks `bar` when stdout is a terminal, `lines` otherwise, `quiet` when
/// `json_output`.
display_mode choose_display_mode(bool json_output);

/// Tracks the waited jobs and renders their progress.
class progress_display {
public:
  /// Shows the jobs `ids` on `out`; all start as unknown.
  progress_display(std::ostream& out, display_mode mode,
                   const std::vector<std::string>& ids);

  /// Applies a record read from the server (the state before any event).
  void on_record(const job_record& job);

  /// Applies a transition or progress event.
  void on_event(const job_event& event);

  /// True once every job reached a terminal status.
  bool all_terminal() const { return open_ == 0; }

  /// Number of jobs that have not reached a terminal status.
  size_t unfinished() const { return open_; }

  /// The first terminal status of `id`, or its last known one.
  job_status status_of(const std::string& id) const;

  /// Draws the final state and ends the bar's line.
  void finish();

private:
  struct job_line {
    std::string type;
    job_status status = job_status::queued;
    bool known = false;
    uint32_t attempt = 0;
    double progress = 0;
    std::string message;
    uint64_t touched = 0;
    /// When a progress line was last printed for this job (lines mode).
    std::chrono::steady_clock::time_point progress_shown;
    bool progress_printed = false;
  };

  void update(const std::string& id, job_status status, uint32_t attempt,
              const std::string& message);
  void announce(const std::string& id, const job_line& job);
  void announce_progress(const std::string& id, job_line& job);
  void redraw(bool force);
  std::string bar_text() const;

  std::ostream& out_;
  display_mode mode_;
  std::map<std::string, job_line> jobs_;
  size_t open_;
  uint64_t ticks_ = 0;
  size_t width_;
  std::chrono::steady_clock::time_point last_draw_;
};

} // namespace troupe::cli
