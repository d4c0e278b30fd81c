// The command-line walk shared by the benchmark programs: "--name value"
// pairs, plus --help and flags without a value.
#pragma once

#include <string>
#include <string_view>

namespace troupe::bench {

/// Walks `argv`: --help/-h sets `result.help`; `flag(name)` takes a flag
/// without a value (returns whether it did); every other "--name value" pair
/// goes to `apply(name, value)`, which returns an error message or "". Stops
/// at the first error, stored in `result.error`.
template <class Parsed, class Flag, class Apply>
void walk_flags(int argc, char** argv, Parsed& result, Flag flag, Apply apply) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg{argv[i]};
    if (arg == "--help" || arg == "-h") {
      result.help = true;
      return;
    }
    if (flag(arg))
      continue;
    if (arg.substr(0, 2) != "--") {
      result.error = "unexpected argument " + std::string{arg};
      return;
    }
    if (i + 1 >= argc) {
      result.error = std::string{arg} + ": missing value";
      return;
    }
    result.error = apply(arg, argv[++i]);
    if (!result.error.empty())
      return;
  }
}

} // namespace troupe::bench
