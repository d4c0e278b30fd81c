// A bounded check of JSON text: valid, and nested no deeper than a limit.
// Parsing is iterative, so no input can exhaust the stack here; callers run
// it before any recursive step (parse into a tree, dump) sees the text.
#pragma once

#include <cstddef>
#include <string>

namespace troupe {

/// Deepest nesting any part of troupe hands to code that recurses over a
/// JSON tree (a handler's payload, a printed result): far below what a
/// thread's stack holds. A configured payload limit above it is cut to it.
constexpr size_t max_safe_json_depth = 1000;

/// What `check_json` found.
enum class json_check {
  /// Valid JSON within the depth limit.
  ok,
  /// Not valid JSON.
  invalid,
  /// Arrays and objects nested deeper than the limit.
  too_deep,
};

/// Checks that `text` is one JSON value whose arrays and objects nest at
/// most `max_depth` levels (a scalar is depth 0, `[]` depth 1).
json_check check_json(const std::string& text, size_t max_depth);

} // namespace troupe
