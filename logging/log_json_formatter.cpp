// JSON log lines: the message is escaped by nlohmann json, the time is UTC.
#include "troupe/logging/log_json_formatter.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

#include "spdlog/details/log_msg.h"

namespace troupe {

namespace {

std::string utc_time(spdlog::log_clock::time_point t) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  auto secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  auto n = std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof(buf) - n, ".%03dZ",
                static_cast<int>(ms % 1000));
  return buf;
}

std::string level_name(spdlog::level::level_enum x) {
  auto name = spdlog::level::to_string_view(x);
  std::string result{name.data(), name.size()};
  return result == "warning" ? "warn" : result == "critical" ? "error" : result;
}

} // namespace

void log_json_formatter::format(const spdlog::details::log_msg& msg,
                                spdlog::memory_buf_t& dest) {
  nlohmann::ordered_json line{
      {"time", utc_time(msg.time)},
      {"level", level_name(msg.level)},
      {"logger", std::string{msg.logger_name.data(), msg.logger_name.size()}},
      {"message", std::string{msg.payload.data(), msg.payload.size()}},
  };
  // Invalid UTF-8 in a message is replaced rather than thrown on.
  auto text = line.dump(-1, ' ', false,
                        nlohmann::ordered_json::error_handler_t::replace);
  text += '\n';
  dest.append(text.data(), text.data() + text.size());
}

std::unique_ptr<spdlog::formatter> log_json_formatter::clone() const {
  return std::make_unique<log_json_formatter>();
}

} // namespace troupe
