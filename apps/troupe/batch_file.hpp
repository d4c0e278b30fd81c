// Reading of batch files: one job spec per line, in the JSON field names of
// `troupe status --json`. Pure: it throws usage errors, never connects.
#pragma once

#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "troupe/messages/job_spec.hpp"

namespace troupe::cli {

/// Checks one spec beyond its JSON form; returns an error naming the field
/// ("type: must match ..."), or an empty string.
using spec_check = std::function<std::string(const job_spec&)>;

/// Reads the specs of `in`, one JSON object per line; blank lines are
/// skipped. `source` names the input in errors, which look like
/// "--batch: jobs.jsonl line 3: priority: must be an integer". Each spec
/// must also pass `check` when one is given.
std::vector<job_spec> read_batch(std::istream& in, const std::string& source,
                                 const spec_check& check = {});

/// Reads the batch file at `path`, or stdin for "-".
std::vector<job_spec> read_batch_file(const std::string& path,
                                      const spec_check& check = {});

} // namespace troupe::cli
