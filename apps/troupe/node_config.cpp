// Reading the config file of a node command, and its security keys. Every
// error names the file, the key and the rule; a config that breaks one
// starts nothing.
#include "apps/troupe/node_config.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "apps/troupe/cli_arguments.hpp"
#include "apps/troupe/exit_codes.hpp"
#include "troupe/actors/scheduler/json_depth.hpp"

namespace troupe::cli {

namespace {

using json = nlohmann::json;

const char* const role_names = "admin, operator, submitter, reader, executor";

std::string field_of(const std::string& path, const std::string& key) {
  return "--config: " + path + ": \"" + key + "\"";
}

// "acl": {"alice": ["submitter"], ...}; each principal's roles by name.
access_control_list parse_acl(const std::string& path, const json& value) {
  if (!value.is_object())
    throw usage_error(field_of(path, "acl") +
                      " must be an object mapping principals to arrays of "
                      "role names (" +
                      role_names + ")");
  access_control_list acl;
  for (const auto& [principal, roles] : value.items()) {
    auto field = field_of(path, "acl." + principal);
    if (principal.empty())
      throw usage_error(field + ": a principal must not be empty");
    auto rule = field + " must be an array of role names (" + role_names + ")";
    if (!roles.is_array())
      throw usage_error(rule);
    auto& held = acl.principals[principal];
    for (const auto& name : roles) {
      role r;
      if (!name.is_string() || !parse_role(name.get<std::string>(), r))
        throw usage_error(rule + ", got " + name.dump());
      if (std::find(held.begin(), held.end(), r) == held.end())
        held.push_back(r);
    }
  }
  return acl;
}

// "job_types": {"shell": true}; shell is the only type that can be off.
void parse_job_types(security_flags& s, const std::string& path,
                     const json& value) {
  if (!value.is_object())
    throw usage_error(field_of(path, "job_types") +
                      " must be an object such as {\"shell\": true}");
  for (const auto& [type, on] : value.items()) {
    auto field = field_of(path, "job_types." + type);
    if (type != "shell")
      throw usage_error(field + " is not a job type that can be turned on "
                                "or off (known: shell)");
    if (!on.is_boolean())
      throw usage_error(field + " must be true or false, got " + on.dump());
    s.shell = on.get<bool>();
  }
}

void take_file(std::string& flag_value, const std::string& path,
               const std::string& key, const json& value) {
  if (!value.is_string() || value.get<std::string>().empty())
    throw usage_error(field_of(path, key) + " must be a file name");
  if (flag_value.empty()) // The flag wins.
    flag_value = value.get<std::string>();
}

} // namespace

json read_config_file(const std::string& path) {
  std::ifstream in{path};
  if (!in)
    throw usage_error("--config: cannot read file " + path);
  std::string text{std::istreambuf_iterator<char>{in}, {}};
  // A config nests a few levels; far deeper is an error, caught before the
  // parse and the dumps that follow, which recurse.
  constexpr size_t max_config_depth = 16;
  if (check_json(text, max_config_depth) == json_check::too_deep)
    throw usage_error("--config: " + path + ": arrays and objects may nest " +
                      "at most " + std::to_string(max_config_depth) +
                      " levels deep");
  auto config = json::parse(text, nullptr, false);
  if (config.is_discarded())
    throw usage_error("--config: " + path + " is not valid JSON");
  if (!config.is_object())
    throw usage_error("--config: " + path + " must hold a JSON object");
  return config;
}

bool apply_security_key(security_flags& s, const std::string& path,
                        const std::string& key, const json& value,
                        bool listens) {
  if (key == "tls_cert")
    take_file(s.tls.cert, path, key, value);
  else if (key == "tls_key")
    take_file(s.tls.key, path, key, value);
  else if (key == "tls_ca")
    take_file(s.tls.ca, path, key, value);
  else if (key == "insecure_no_tls" && listens) {
    if (!value.is_boolean())
      throw usage_error(field_of(path, key) + " must be true or false");
    s.insecure_no_tls = s.insecure_no_tls || value.get<bool>();
  } else if (key == "acl")
    s.acl = parse_acl(path, value);
  else if (key == "job_types")
    parse_job_types(s, path, value);
  else
    return false;
  return true;
}

std::string security_keys(bool listens) {
  return listens ? "tls_cert, tls_key, tls_ca, insecure_no_tls, acl, job_types"
                 : "tls_cert, tls_key, tls_ca, acl, job_types";
}

void apply_node_config(security_flags& s, const std::string& path,
                       bool listens) {
  if (path.empty())
    return;
  auto config = read_config_file(path);
  for (const auto& [key, value] : config.items())
    if (!apply_security_key(s, path, key, value, listens))
      throw usage_error(field_of(path, key) + " is not a known key (known: " +
                        security_keys(listens) + ")");
}

security_options to_security_options(const security_flags& s) {
  check_tls_flags(s.tls);
  security_options result;
  result.tls = s.tls;
  result.insecure_no_tls = s.insecure_no_tls;
  result.acl = s.acl;
  return result;
}

} // namespace troupe::cli
