// Batch files line by line, so that every error names the line it is on.
#include "apps/troupe/batch_file.hpp"

#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "apps/troupe/exit_codes.hpp"
#include "apps/troupe/json_codec.hpp"
#include "troupe/actors/scheduler/json_depth.hpp"
#include "troupe/actors/scheduler/spec_validation.hpp"

namespace troupe::cli {

namespace {

bool blank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

} // namespace

std::vector<job_spec> read_batch(std::istream& in, const std::string& source,
                                 const spec_check& check) {
  const job_limits limits;
  std::vector<job_spec> specs;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (blank(line))
      continue;
    auto where = "--batch: " + source + " line " + std::to_string(number);
    if (specs.size() == limits.max_batch_jobs)
      throw usage_error(where + ": a batch holds at most " +
                        std::to_string(limits.max_batch_jobs) + " jobs");
    // The payload nests one level below the spec's own object.
    if (check_json(line, limits.max_payload_depth + 1) == json_check::too_deep)
      throw usage_error(where + ": payload: arrays and objects may nest at " +
                        "most " + std::to_string(limits.max_payload_depth) +
                        " levels deep");
    auto object = nlohmann::json::parse(line, nullptr, false);
    if (object.is_discarded())
      throw usage_error(where + ": not valid JSON");
    job_spec spec;
    if (auto err = spec_from_json(object, spec); !err.empty())
      throw usage_error(where + ": " + err);
    if (check)
      if (auto err = check(spec); !err.empty())
        throw usage_error(where + ": " + err);
    specs.push_back(std::move(spec));
  }
  if (specs.empty())
    throw usage_error("--batch: " + source + " holds no job");
  return specs;
}

std::vector<job_spec> read_batch_file(const std::string& path,
                                      const spec_check& check) {
  if (path == "-")
    return read_batch(std::cin, "stdin", check);
  std::ifstream in{path};
  if (!in)
    throw usage_error("--batch: cannot read file " + path);
  return read_batch(in, path, check);
}

} // namespace troupe::cli
