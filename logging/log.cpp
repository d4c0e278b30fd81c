// The process-wide troupe logger and the level and format names.
#include "troupe/logging/log.hpp"

#include <atomic>
#include <iterator>
#include <mutex>

#include "spdlog/logger.h"
#include "spdlog/pattern_formatter.h"
#include "spdlog/sinks/stdout_sinks.h"

#include "troupe/logging/log_json_formatter.hpp"

namespace troupe {

namespace {

constexpr const char* level_names[] = {"trace", "debug", "info",
                                       "warn",  "error", "off"};

spdlog::level::level_enum to_spdlog(log_level x) {
  switch (x) {
  case log_level::trace:
    return spdlog::level::trace;
  case log_level::debug:
    return spdlog::level::debug;
  case log_level::info:
    return spdlog::level::info;
  case log_level::warn:
    return spdlog::level::warn;
  case log_level::error:
    return spdlog::level::err;
  case log_level::off:
    break;
  }
  return spdlog::level::off;
}

std::shared_ptr<spdlog::sinks::sink> stderr_sink(log_format format) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  if (format == log_format::json)
    sink->set_formatter(std::make_unique<log_json_formatter>());
  else
    sink->set_formatter(std::make_unique<spdlog::pattern_formatter>(
        "[%Y-%m-%dT%H:%M:%S.%e%z] [%l] %v"));
  return sink;
}

std::shared_ptr<spdlog::logger> make_logger(const log_options& options) {
  auto sink = options.sink ? options.sink : stderr_sink(options.format);
  auto logger = std::make_shared<spdlog::logger>("troupe", std::move(sink));
  logger->set_level(to_spdlog(options.level));
  // Lines are rare and matter most just before a crash: never buffered.
  logger->flush_on(spdlog::level::trace);
  return logger;
}

struct process_logger {
  std::mutex mutex;
  std::shared_ptr<spdlog::logger> logger = make_logger(log_options{});
  std::atomic<int> level{static_cast<int>(log_options{}.level)};
};

process_logger& instance() {
  // Never destroyed: actors and destructors of static objects may log
  // while the process exits.
  static auto* x = new process_logger;
  return *x;
}

} // namespace

const char* const log_level_names = "trace|debug|info|warn|error|off";

std::string to_string(log_level x) {
  return level_names[static_cast<size_t>(x)];
}

std::optional<log_level> parse_log_level(std::string_view name) {
  for (size_t i = 0; i < std::size(level_names); ++i)
    if (name == level_names[i])
      return static_cast<log_level>(i);
  return std::nullopt;
}

std::optional<log_format> parse_log_format(std::string_view name) {
  if (name == "text")
    return log_format::text;
  if (name == "json")
    return log_format::json;
  return std::nullopt;
}

void configure_logging(const log_options& options) {
  auto logger = make_logger(options);
  auto& x = instance();
  std::lock_guard<std::mutex> guard{x.mutex};
  x.logger = std::move(logger);
  x.level = static_cast<int>(options.level);
}

bool log_enabled(log_level level) {
  return level != log_level::off &&
         static_cast<int>(level) >= instance().level.load();
}

void log_line(log_level level, std::string_view message) {
  if (!log_enabled(level))
    return;
  std::shared_ptr<spdlog::logger> logger;
  {
    auto& x = instance();
    std::lock_guard<std::mutex> guard{x.mutex};
    logger = x.logger;
  }
  logger->log(to_spdlog(level),
              spdlog::string_view_t{message.data(), message.size()});
}

} // namespace troupe
