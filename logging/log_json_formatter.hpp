// The JSON line formatter of the standard-error sink (`log_format::json`).
#pragma once

#include "spdlog/formatter.h"

namespace troupe {

/// Writes each line as one JSON object: `{"time":"2026-01-01T12:00:00.000Z",
/// "level":"warn","logger":"troupe","message":"..."}` and a newline.
class log_json_formatter : public spdlog::formatter {
public:
  void format(const spdlog::details::log_msg& msg,
              spdlog::memory_buf_t& dest) override;

  std::unique_ptr<spdlog::formatter> clone() const override;
};

} // namespace troupe
