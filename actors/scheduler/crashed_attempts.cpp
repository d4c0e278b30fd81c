// Reading the end of a history backwards: starts are skipped, each recovery
// from a crash counts, anything else (a real end of an attempt, an orderly
// stop, the submission) ends the run.
#include "troupe/actors/scheduler/crashed_attempts.hpp"

namespace troupe {

namespace {

constexpr const char* recovery_prefix = "recovered: attempt ";
constexpr const char* died_suffix = " was running when the node died";
constexpr const char* stopped_suffix = " was running when the node stopped";

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_stop_note(const history_entry& entry) {
  return entry.principal == stop_principal && entry.from == entry.to &&
         entry.message.rfind("node stopping: ", 0) == 0;
}

bool is_crash_recovery(const history_entry& entry) {
  return entry.principal == "recovery" &&
         entry.message.rfind(recovery_prefix, 0) == 0 &&
         ends_with(entry.message, died_suffix);
}

} // namespace

std::string stop_note(uint32_t attempt) {
  return "node stopping: attempt " + std::to_string(attempt) + " interrupted";
}

std::string recovery_note(uint32_t attempt, bool crashed) {
  return recovery_prefix + std::to_string(attempt) +
         (crashed ? died_suffix : stopped_suffix);
}

uint32_t count_crashed_attempts(const std::vector<history_entry>& history) {
  if (history.empty() || is_stop_note(history.back()))
    return 0;
  uint32_t crashed = 1; // The attempt running now.
  for (auto i = history.rbegin(); i != history.rend(); ++i) {
    if (is_stop_note(*i))
      break;
    if (i->to == job_status::running)
      continue; // A start, or a note about a running attempt.
    if (!is_crash_recovery(*i))
      break;
    ++crashed;
  }
  return crashed;
}

} // namespace troupe
