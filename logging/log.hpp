// The library's logger: one process-wide logger named "troupe", one function
// per level. Library code never writes to std::cerr or std::cout itself.
#pragma once

#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace spdlog::sinks {
class sink;
} // namespace spdlog::sinks

namespace troupe {

/// How much the library says, from everything (`trace`) to nothing (`off`).
enum class log_level { trace, debug, info, warn, error, off };

/// Returns "trace", "debug", "info", "warn", "error" or "off".
std::string to_string(log_level x);

/// Parses the names `to_string` returns.
std::optional<log_level> parse_log_level(std::string_view name);

/// The allowed level names, for error messages: "trace|debug|...|off".
extern const char* const log_level_names;

/// How the default sink writes a line.
enum class log_format {
  /// `[2026-01-01T12:00:00.000+00:00] [warn] message`.
  text,
  /// One JSON object per line: `time`, `level`, `logger`, `message`.
  json,
};

/// Parses "text" or "json".
std::optional<log_format> parse_log_format(std::string_view name);

/// Where the library's log lines go and how many of them.
struct log_options {
  /// Lines below this level are dropped. Default: info.
  log_level level = log_level::info;
  /// Receives every line at or above `level`; null writes to standard error
  /// in `format`. Default: null.
  std::shared_ptr<spdlog::sinks::sink> sink;
  /// Format of the standard-error sink (a given `sink` keeps its own
  /// formatter). Default: text.
  log_format format = log_format::text;
};

/// Routes the process's troupe logger to `options` (replacing what an
/// earlier call set).
void configure_logging(const log_options& options);

/// Writes one line at `level` (dropped below the configured level).
void log_line(log_level level, std::string_view message);

/// Whether a line at `level` would be written.
bool log_enabled(log_level level);

namespace detail {

template <class... Ts>
void log_streamed(log_level level, const Ts&... xs) {
  if (!log_enabled(level))
    return;
  std::ostringstream out;
  (out << ... << xs);
  log_line(level, out.str());
}

} // namespace detail

/// Writes the concatenation of `xs` (streamed as by `operator<<`) at level
/// trace; the other levels below work alike.
template <class... Ts>
void log_trace(const Ts&... xs) {
  detail::log_streamed(log_level::trace, xs...);
}

/// Writes the concatenation of `xs` at level debug.
template <class... Ts>
void log_debug(const Ts&... xs) {
  detail::log_streamed(log_level::debug, xs...);
}

/// Writes the concatenation of `xs` at level info.
template <class... Ts>
void log_info(const Ts&... xs) {
  detail::log_streamed(log_level::info, xs...);
}

/// Writes the concatenation of `xs` at level warn.
template <class... Ts>
void log_warn(const Ts&... xs) {
  detail::log_streamed(log_level::warn, xs...);
}

/// Writes the concatenation of `xs` at level error.
template <class... Ts>
void log_error(const Ts&... xs) {
  detail::log_streamed(log_level::error, xs...);
}

} // namespace troupe
