// Parser of the cluster benchmark's command line: `--name value` pairs, each
// checked for range so that a typo fails loudly.
#include "bench/cluster_options.hpp"
#include "bench/flag_pairs.hpp"

#include <cerrno>
#include <cstdlib>
#include <optional>
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

/// Parses "1,2,4" into counts from 1 to 64; returns an error message or "".
std::string parse_worker_list(const std::string& text,
                              std::vector<size_t>& out) {
  std::vector<size_t> counts;
  size_t begin = 0;
  for (;;) {
    auto comma = text.find(',', begin);
    auto item = text.substr(
        begin, comma == std::string::npos ? std::string::npos : comma - begin);
    auto count = parse_count(item, 64);
    if (!count)
      return "--workers: expected a comma-separated list of counts from 1 "
             "to 64, got '" +
             text + "'";
    counts.push_back(*count);
    if (comma == std::string::npos)
      break;
    begin = comma + 1;
  }
  out = std::move(counts);
  return "";
}

/// Applies `--name value` to `out`; returns an error message or "".
std::string apply(cluster_options& out, std::string_view name,
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
    return count(10'000'000, out.jobs);
  if (name == "--workers")
    return parse_worker_list(value, out.workers);
  if (name == "--runs")
    return count(1000, out.runs);
  if (name == "--slots")
    return count(1024, out.slots);
  if (name == "--ms")
    return count(60'000, out.job_ms);
  if (name == "--batch")
    return count(1'000'000, out.batch);
  if (name == "--timeout")
    return count(86'400, out.timeout_s);
  if (name == "--tls") {
    if (value != "on" && value != "off")
      return "--tls: expected on or off, got '" + value + "'";
    out.tls = value == "on";
    return "";
  }
  return "unknown option " + std::string{name};
}

} // namespace

parsed_cluster_options parse_cluster_options(int argc, char** argv) {
  parsed_cluster_options result;
  walk_flags(
      argc, argv, result, [](std::string_view) { return false; },
      [&](std::string_view name, const char* value) {
        return apply(result.options, name, value);
      });
  return result;
}

std::string cluster_usage(const char* program) {
  return std::string{"usage: "} + program +
         " [--jobs N] [--workers LIST] [--runs R] [--slots S] [--ms MS]"
         " [--batch B] [--timeout SECONDS] [--tls on|off]\n"
         "\n"
         "Starts a coordinator in this process and W `troupe worker`\n"
         "processes that join it over loopback, submits N `sleep` jobs of\n"
         "MS milliseconds in batches of B and waits until all completed;\n"
         "R runs per worker count, each on a fresh coordinator store.\n"
         "Prints Markdown tables on stdout, progress on stderr.\n"
         "\n"
         "  --jobs N        jobs per run (default 4000)\n"
         "  --workers LIST  worker process counts, e.g. 1,2,4 (default)\n"
         "  --runs R        measured runs per worker count (default 3)\n"
         "  --slots S       executor slots per worker (default 8)\n"
         "  --ms MS         duration of each sleep job (default 10)\n"
         "  --batch B       jobs per submit request (default 500)\n"
         "  --timeout S     seconds per run before giving up (default 120)\n"
         "  --tls on|off    mutual TLS to the workers (default off)\n";
}

} // namespace troupe::bench
