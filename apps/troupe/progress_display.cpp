// Rendering of waited jobs. The bar is redrawn at most ten times a second,
// and always when a job ends, so a busy pipeline does not flood a terminal.
#include "apps/troupe/progress_display.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <array>

#include "apps/troupe/text_table.hpp"

namespace troupe::cli {

namespace {

constexpr auto redraw_interval = std::chrono::milliseconds(100);
constexpr size_t bar_cells = 20;
// Without a terminal each line stays in the output: keep them few.
constexpr auto progress_line_interval = std::chrono::seconds(1);

size_t terminal_width() {
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 20)
    return size.ws_col;
  return 100;
}

} // namespace

display_mode choose_display_mode(bool json_output) {
  if (json_output)
    return display_mode::quiet;
  return isatty(STDOUT_FILENO) ? display_mode::bar : display_mode::lines;
}

progress_display::progress_display(std::ostream& out, display_mode mode,
                                   const std::vector<std::string>& ids)
    : out_(out), mode_(mode),
      width_(mode == display_mode::bar ? terminal_width() : 100) {
  for (const auto& id : ids)
    jobs_.emplace(id, job_line{});
  open_ = jobs_.size();
}

void progress_display::on_record(const job_record& job) {
  auto i = jobs_.find(job.id);
  if (i == jobs_.end() || i->second.known)
    return; // An event was newer than this read.
  i->second.type = job.type;
  i->second.progress = job.progress;
  auto message = is_terminal(job.status) ? job.error : job.progress_message;
  update(job.id, job.status, job.attempt, message);
}

void progress_display::on_event(const job_event& event) {
  auto i = jobs_.find(event.id);
  if (i == jobs_.end())
    return;
  i->second.type = event.type;
  if (event.kind == job_event_kind::progress) {
    if (is_terminal(i->second.status) && i->second.known)
      return;
    i->second.progress = event.progress;
    if (!i->second.known || i->second.status != event.to) {
      update(event.id, event.to, event.attempt, event.message);
      if (!is_terminal(event.to))
        announce_progress(event.id, i->second);
      return;
    }
    i->second.message = event.message;
    i->second.touched = ++ticks_;
    announce_progress(event.id, i->second);
    redraw(false);
    return;
  }
  if (event.to == job_status::running || event.to == job_status::queued)
    i->second.progress = event.progress;
  update(event.id, event.to, event.attempt, event.message);
}

job_status progress_display::status_of(const std::string& id) const {
  auto i = jobs_.find(id);
  return i != jobs_.end() ? i->second.status : job_status::queued;
}

void progress_display::update(const std::string& id, job_status status,
                              uint32_t attempt, const std::string& message) {
  auto& job = jobs_.at(id);
  // The first terminal status is the one waited for; a later manual retry
  // is a new wait.
  if (job.known && is_terminal(job.status))
    return;
  job.known = true;
  job.status = status;
  job.attempt = attempt;
  job.message = message;
  job.touched = ++ticks_;
  if (is_terminal(status)) {
    --open_;
    announce(id, job);
    redraw(true);
  } else {
    redraw(false);
  }
}

void progress_display::announce(const std::string& id, const job_line& job) {
  if (mode_ == display_mode::quiet)
    return;
  std::string line = id + " " + to_string(job.status) + " (" + job.type +
                     ", attempt " + std::to_string(job.attempt) + ")";
  if (job.status != job_status::completed && !job.message.empty())
    line += ": " + job.message;
  if (mode_ == display_mode::bar)
    out_ << "\r\x1b[K";
  out_ << line << '\n';
  if (mode_ == display_mode::lines)
    out_.flush();
}

void progress_display::announce_progress(const std::string& id, job_line& job) {
  if (mode_ != display_mode::lines)
    return;
  auto now = std::chrono::steady_clock::now();
  if (job.progress_printed && now - job.progress_shown < progress_line_interval)
    return;
  job.progress_printed = true;
  job.progress_shown = now;
  out_ << id << " " << to_string(job.status) << " "
       << static_cast<int>(job.progress * 100) << "% (" << job.type
       << ", attempt " << job.attempt << ")";
  if (!job.message.empty())
    out_ << ": " << job.message;
  out_ << std::endl;
}

std::string progress_display::bar_text() const {
  std::array<size_t, job_status_count> counts{};
  for (const auto& [id, job] : jobs_)
    if (job.known)
      ++counts[static_cast<size_t>(job.status)];
  auto done = jobs_.size() - open_;
  auto filled = jobs_.empty() ? bar_cells : done * bar_cells / jobs_.size();
  std::string text = "[" + std::string(filled, '#') +
                     std::string(bar_cells - filled, '.') + "] " +
                     std::to_string(done) + "/" + std::to_string(jobs_.size());
  for (size_t i = 0; i < job_status_count; ++i)
    if (counts[i] > 0)
      text += "  " + to_string(static_cast<job_status>(i)) + " " +
              std::to_string(counts[i]);
  // The running job that reported most recently says what is going on.
  const std::pair<const std::string, job_line>* latest = nullptr;
  for (const auto& entry : jobs_)
    if (entry.second.status == job_status::running &&
        (latest == nullptr || entry.second.touched > latest->second.touched))
      latest = &entry;
  if (latest != nullptr)
    text += "  | " + latest->first + " " +
            std::to_string(static_cast<int>(latest->second.progress * 100)) +
            "% " + latest->second.message;
  return truncate_text(text, width_ - 1);
}

void progress_display::redraw(bool force) {
  if (mode_ != display_mode::bar)
    return;
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < redraw_interval)
    return;
  last_draw_ = now;
  out_ << "\r\x1b[K" << bar_text() << std::flush;
}

void progress_display::finish() {
  if (mode_ != display_mode::bar)
    return;
  out_ << "\r\x1b[K" << bar_text() << '\n' << std::flush;
}

} // namespace troupe::cli
