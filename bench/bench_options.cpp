// Hand-written parser of the benchmark's command line: `--name value` pairs
// and two flags, each checked for range so a typo fails loudly.
#include "bench/bench_options.hpp"
#include "bench/flag_pairs.hpp"

#include <cerrno>
#include <cstdlib>
#include <string_view>
#include <type_traits>

namespace troupe::bench {

namespace {

/// Parses a positive integer no larger than `max`.
std::optional<uint64_t> parse_count(const std::string& text, uint64_t max) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  errno = 0;
  char* end = nullptr;
  auto value = std::strtoull(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || value == 0 || value > max)
    return std::nullopt;
  return value;
}

/// Applies `--name value` to `out`; returns an error message or "".
std::string apply(bench_options& out, std::string_view name,
                  const std::string& value) {
  auto count = [&](uint64_t max, auto& field) -> std::string {
    auto parsed = parse_count(value, max);
    if (!parsed)
      return std::string{name} + ": expected an integer from 1 to " +
             std::to_string(max) + ", got '" + value + "'";
    field = static_cast<std::remove_reference_t<decltype(field)>>(*parsed);
    return "";
  };
  if (name == "--jobs")
    return count(100'000'000, out.jobs);
  if (name == "--batch")
    return count(1'000'000, out.batch);
  if (name == "--slots")
    return count(1024, out.slots);
  if (name == "--runs")
    return count(1000, out.runs);
  if (name == "--threads")
    return count(1024, out.threads);
  if (name == "--in-flight")
    return count(1024, out.in_flight);
  if (name == "--rate")
    return count(100'000'000, out.rate);
  if (name == "--timeout")
    return count(86'400, out.timeout_s);
  if (name == "--dag") {
    auto colon = value.find(':');
    auto kind = value.substr(0, colon);
    if ((kind != "chains" && kind != "fan-in") || colon == std::string::npos ||
        !parse_count(value.substr(colon + 1), 1000))
      return "--dag: expected chains:C or fan-in:G with C or G from 1 to "
             "1000, got '" +
             value + "'";
    if (kind == "fan-in" && value.substr(colon + 1) == "1")
      return "--dag: a fan-in group needs at least 2 jobs, got '" + value + "'";
    out.dag = value;
    return "";
  }
  if (name == "--data") {
    if (value.empty())
      return "--data: expected a directory";
    out.data_dir = value;
    return "";
  }
  if (name == "--durability") {
    auto level = parse_durability(value);
    if (!level)
      return "--durability: expected none, wal or fsync, got '" + value + "'";
    out.level = *level;
    return "";
  }
  return "unknown option " + std::string{name};
}

} // namespace

parsed_options parse_options(int argc, char** argv) {
  parsed_options result;
  walk_flags(
      argc, argv, result,
      [&](std::string_view arg) {
        if (arg != "--json")
          return false;
        result.options.json = true;
        return true;
      },
      [&](std::string_view name, const char* value) {
        return apply(result.options, name, value);
      });
  return result;
}

std::string usage(const char* program) {
  return std::string{"usage: "} + program +
         " [--jobs N] [--batch B] [--slots S] [--durability none|wal|fsync]"
         " [--data DIR] [--runs R] [--threads T] [--in-flight K]"
         " [--rate JOBS_PER_S] [--dag chains:C|fan-in:G] [--timeout SECONDS]"
         " [--json]\n"
         "\n"
         "Submits N no-op jobs in batches of B from an actor (at most K\n"
         "requests in flight) and waits until the whole pipeline completed\n"
         "them, R times, each on a fresh data directory.\n"
         "\n"
         "  --jobs N        jobs per run (default 100000)\n"
         "  --batch B       jobs per submit request (default 500)\n"
         "  --slots S       executor slots (default 4)\n"
         "  --durability L  none, wal or fsync (default wal)\n"
         "  --data DIR      runs use DIR/run-1, DIR/run-2, ... (removed\n"
         "                  first if present, kept afterwards); default: a\n"
         "                  fresh temporary directory removed at the end\n"
         "  --runs R        measured runs (default 3)\n"
         "  --threads T     CAF scheduler threads (default: one per core, at "
         "least 2)\n"
         "  --in-flight K   submit requests in flight (default 4)\n"
         "  --rate R        open loop: submit R jobs/s (a batch every\n"
         "                  millisecond) whatever is in flight; --batch and\n"
         "                  --in-flight are then unused (default: closed "
         "loop)\n"
         "  --dag chains:C  C chains, each job waiting for the one before it\n"
         "  --dag fan-in:G  groups of G jobs, the last waiting for the others\n"
         "                  (default: independent jobs)\n"
         "  --timeout S     seconds per run before giving up (default 120)\n"
         "  --json          JSON summary on stdout, the report on stderr\n";
}

} // namespace troupe::bench
