// JSON and text forms of limits and pauses. Numbers are checked for their
// JSON type here and for their range by the server's rules.
#include "apps/troupe/control_views.hpp"

#include <algorithm>
#include <cstdio>

#include "apps/troupe/text_table.hpp"

namespace troupe::cli {

namespace {

using json = nlohmann::ordered_json;

std::string number_text(double x) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", x);
  return buf;
}

std::string join(const std::vector<std::string>& xs) {
  std::string out;
  for (const auto& x : xs)
    out += (out.empty() ? "" : ", ") + x;
  return out.empty() ? "-" : out;
}

bool contains(const std::vector<std::string>& xs, const std::string& x) {
  return std::find(xs.begin(), xs.end(), x) != xs.end();
}

// Reads a non-negative integer field; returns an error or "".
std::string read_count(const nlohmann::json& object, const char* name,
                       const std::string& prefix, uint32_t& out) {
  auto i = object.find(name);
  if (i == object.end())
    return "";
  if (!i->is_number_integer() || i->get<int64_t>() < 0 ||
      i->get<int64_t>() > int64_t{UINT32_MAX})
    return prefix + name + ": must be a non-negative integer";
  out = static_cast<uint32_t>(i->get<int64_t>());
  return "";
}

} // namespace

json limit_to_json(const dispatch_limit& x) {
  return json{{to_string(x.scope), x.key},
              {"max_running", x.max_running},
              {"rate", x.rate},
              {"burst", x.burst}};
}

std::string limit_from_json(const nlohmann::json& object, dispatch_limit& out,
                            const std::string& prefix) {
  if (!object.is_object())
    return prefix.substr(0, prefix.size() - 1) +
           ": must be an object such as {\"type\": \"x\", \"max_running\": 2}";
  bool has_type = object.contains("type"), has_owner = object.contains("owner");
  if (has_type == has_owner)
    return prefix + "type/owner: give exactly one of type and owner";
  auto& key = object[has_type ? "type" : "owner"];
  if (!key.is_string())
    return prefix + (has_type ? "type" : "owner") + ": must be a string";
  out.scope = has_type ? control_scope::type : control_scope::owner;
  out.key = key.get<std::string>();
  for (const auto& [name, value] : object.items())
    if (name != "type" && name != "owner" && name != "max_running" &&
        name != "rate" && name != "burst")
      return prefix + name +
             ": is not a known field (known: type, owner, max_running, rate, "
             "burst)";
  if (auto err = read_count(object, "max_running", prefix, out.max_running);
      !err.empty())
    return err;
  if (auto err = read_count(object, "burst", prefix, out.burst); !err.empty())
    return err;
  if (auto i = object.find("rate"); i != object.end()) {
    if (!i->is_number())
      return prefix + "rate: must be a number";
    out.rate = i->get<double>();
  }
  return "";
}

json controls_to_json(const dispatch_controls& controls) {
  json limits = json::array();
  for (const auto& limit : controls.limits)
    limits.push_back(limit_to_json(limit));
  return json{{"limits", limits},
              {"paused_types", controls.paused_types},
              {"paused_jobs", controls.paused_jobs}};
}

void print_controls(std::ostream& out, const dispatch_controls& controls) {
  if (controls.limits.empty()) {
    out << "limits: none\n";
  } else {
    text_table table{{"SCOPE", "KEY", "MAX RUNNING", "RATE/S", "BURST"}};
    for (size_t i = 2; i < 5; ++i)
      table.align_right(i);
    for (const auto& x : controls.limits)
      table.add_row(
          {to_string(x.scope), x.key,
           x.max_running > 0 ? std::to_string(x.max_running) : "-",
           x.rate > 0 ? number_text(x.rate) : "-",
           x.rate > 0 ? std::to_string(std::max<uint32_t>(1, x.burst)) : "-"});
    table.print(out);
  }
  out << "paused types: " << join(controls.paused_types) << '\n'
      << "paused jobs: " << join(controls.paused_jobs) << '\n';
}

bool shown_paused(const dispatch_controls& controls, const job_record& job) {
  if (is_terminal(job.status) || job.status == job_status::running)
    return false;
  return contains(controls.paused_jobs, job.id) ||
         contains(controls.paused_types, job.type);
}

std::string status_text(const job_record& job,
                        const dispatch_controls* controls) {
  auto text = to_string(job.status);
  if (controls != nullptr && shown_paused(*controls, job))
    text += " (paused)";
  return text;
}

} // namespace troupe::cli
