// Parsing and checking of command-line values; every error names the flag
// and the rule so that a user can fix the call without reading the docs.
#include "apps/troupe/cli_arguments.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <nlohmann/json.hpp>

#include "apps/troupe/exit_codes.hpp"
#include "troupe/actors/scheduler/json_depth.hpp"
#include "troupe/actors/scheduler/spec_validation.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe::cli {

namespace {

bool all_digits(const std::string& text) {
  if (text.empty())
    return false;
  for (char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return false;
  return true;
}

std::string read_file(const std::string& flag, const std::string& path) {
  if (path == "-")
    return {std::istreambuf_iterator<char>{std::cin},
            std::istreambuf_iterator<char>{}};
  std::ifstream in{path, std::ios::binary};
  if (!in)
    throw usage_error(flag + ": cannot read file " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// nlohmann's messages start with "[json.exception.parse_error.101] ": the
// tag helps nobody on a command line.
std::string without_exception_tag(const std::string& what) {
  auto pos = what.find("] ");
  return what.rfind("[json.exception", 0) == 0 && pos != std::string::npos
             ? what.substr(pos + 2)
             : what;
}

} // namespace

std::string server_address::to_string() const {
  if (host.find(':') != std::string::npos)
    return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

server_address parse_server_address(const std::string& flag,
                                    const std::string& text,
                                    bool allow_any_port) {
  auto rule =
      flag + ": must be HOST:PORT (e.g. 127.0.0.1:4242), got \"" + text + "\"";
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw usage_error(rule);
  server_address result;
  result.host = text.substr(0, colon);
  if (result.host.front() == '[' && result.host.back() == ']')
    result.host = result.host.substr(1, result.host.size() - 2);
  auto port = text.substr(colon + 1);
  if (result.host.empty() || !all_digits(port) || port.size() > 5)
    throw usage_error(rule);
  auto number = std::stoi(port);
  if (number > 65535 || (number == 0 && !allow_any_port))
    throw usage_error(flag + ": port must be between " +
                      (allow_any_port ? "0" : "1") + " and 65535, got " + port);
  result.port = static_cast<uint16_t>(number);
  return result;
}

int64_t parse_duration_us(const std::string& flag, const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() &&
         std::isdigit(static_cast<unsigned char>(text[digits])))
    ++digits;
  auto number = text.substr(0, digits);
  auto unit = text.substr(digits);
  int64_t scale = 0;
  if (unit == "ms")
    scale = 1000;
  else if (unit == "s")
    scale = 1000 * 1000;
  else if (unit == "m")
    scale = int64_t{60} * 1000 * 1000;
  else if (unit == "h")
    scale = int64_t{3600} * 1000 * 1000;
  else if (unit == "d")
    scale = int64_t{86400} * 1000 * 1000;
  if (number.empty() || scale == 0 || number.size() > 9)
    throw usage_error(flag +
                      ": must be a number followed by ms, s, m, h or d "
                      "(e.g. 30s, 15m, 12h, 7d), got \"" +
                      text + "\"");
  return std::stoll(number) * scale;
}

std::string read_json_argument(const std::string& flag,
                               const std::string& text) {
  auto source = text;
  if (!text.empty() && text.front() == '@')
    source = read_file(flag, text.substr(1));
  // Checked before the parse: the tree and its dump recurse.
  auto depth = job_limits{}.max_payload_depth;
  if (check_json(source, depth) == json_check::too_deep)
    throw usage_error(flag + ": arrays and objects may nest at most " +
                      std::to_string(depth) + " levels deep");
  try {
    return nlohmann::json::parse(source).dump();
  } catch (const nlohmann::json::exception& e) {
    throw usage_error(flag +
                      ": not valid JSON: " + without_exception_tag(e.what()));
  }
}

void check_range(const std::string& flag, int64_t value, int64_t lo, int64_t hi,
                 const std::string& unit) {
  if (value >= lo && value <= hi)
    return;
  auto bounds = "must be between " + std::to_string(lo) + " and " +
                std::to_string(hi) + (unit.empty() ? "" : " " + unit);
  throw usage_error(flag + ": " + bounds + ", got " + std::to_string(value));
}

void throw_spec_rule(const caf::error& err) {
  if (!err)
    return;
  static const std::pair<std::string, std::string> flags[] = {
      {"priority:", "--priority:"},
      {"timeout_s:", "--timeout:"},
      {"max_retries:", "--retries:"},
      {"backoff_base_ms:", "--backoff-ms:"}};
  auto message = message_of(err);
  for (const auto& [field, flag] : flags)
    if (message.rfind(field, 0) == 0)
      throw usage_error(flag + message.substr(field.size()));
  throw usage_error(message);
}

void check_choice(const std::string& flag, const std::string& value,
                  const std::string& choices) {
  std::istringstream in{choices};
  std::string choice;
  while (std::getline(in, choice, ','))
    if (choice == value)
      return;
  std::string listed;
  for (char c : choices)
    listed += c == ',' ? std::string{", "} : std::string{c};
  throw usage_error(flag + ": must be one of " + listed + ", got \"" + value +
                    "\"");
}

void check_tls_flags(const tls_files& tls) {
  if (!tls.enabled())
    return;
  if (tls.cert.empty() || tls.key.empty() || tls.ca.empty())
    throw usage_error("tls: --tls-cert, --tls-key and --tls-ca go together "
                      "(give all three files or none)");
  for (const auto& [flag, file] :
       {std::pair{"--tls-cert", &tls.cert}, std::pair{"--tls-key", &tls.key},
        std::pair{"--tls-ca", &tls.ca}}) {
    std::error_code ec;
    std::ifstream in{*file};
    if (!in || std::filesystem::is_directory(*file, ec))
      throw usage_error(std::string{flag} + ": cannot read file " + *file);
  }
}

} // namespace troupe::cli
