// Reading a shell job's payload into a command. Everything that can be
// checked before fork is checked here, so errors name the payload field.
#include "apps/troupe/shell_command.hpp"

#include <sys/stat.h>
#include <unistd.h>

extern char** environ;

namespace troupe {

namespace {

using json = nlohmann::json;

std::string read_argv(const json& payload, shell_command& out) {
  const auto& argv = payload["argv"];
  if (!argv.is_array() || argv.empty())
    return "payload.argv: must be a non-empty array of strings";
  for (size_t i = 0; i < argv.size(); ++i) {
    if (!argv[i].is_string())
      return "payload.argv[" + std::to_string(i) + "]: must be a string";
    out.argv.push_back(argv[i].get<std::string>());
  }
  return {};
}

std::string check_env_shape(const json& payload) {
  if (!payload.contains("env"))
    return {};
  const auto& env = payload["env"];
  if (!env.is_object())
    return "payload.env: must be an object of strings";
  for (const auto& [name, value] : env.items()) {
    if (name.empty() || name.find('=') != std::string::npos)
      return "payload.env: variable names must be non-empty and without '='";
    if (!value.is_string())
      return "payload.env." + name + ": must be a string";
  }
  return {};
}

std::string read_environment(const json& payload, shell_command& out) {
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry)
    out.environment.emplace_back(*entry);
  if (auto err = check_env_shape(payload); !err.empty())
    return err;
  if (!payload.contains("env"))
    return {};
  for (const auto& [name, value] : payload["env"].items()) {
    auto prefix = name + "=";
    auto setting = prefix + value.get<std::string>();
    bool replaced = false;
    for (auto& existing : out.environment)
      if (existing.compare(0, prefix.size(), prefix) == 0) {
        existing = setting;
        replaced = true;
      }
    if (!replaced)
      out.environment.push_back(setting);
  }
  return {};
}

// `check_files`: also checks what depends on the host (the directory).
std::string parse_command(const json& payload, shell_command& out,
                          bool check_files) {
  if (!payload.is_object() ||
      (payload.contains("argv") == payload.contains("cmd")))
    return "payload: needs exactly one of \"argv\" (array of strings) or "
           "\"cmd\" (string run by /bin/sh -c)";
  if (payload.contains("cmd")) {
    if (!payload["cmd"].is_string() ||
        payload["cmd"].get<std::string>().empty())
      return "payload.cmd: must be a non-empty string";
    out.argv = {"/bin/sh", "-c", payload["cmd"].get<std::string>()};
  } else if (auto err = read_argv(payload, out); !err.empty()) {
    return err;
  }
  if (payload.contains("cwd")) {
    if (!payload["cwd"].is_string())
      return "payload.cwd: must be a string";
    if (!check_files)
      return check_env_shape(payload);
    out.cwd = payload["cwd"].get<std::string>();
    struct stat info {};
    if (stat(out.cwd.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
      return "payload.cwd: " + out.cwd + " is not a directory";
  }
  if (!check_files)
    return check_env_shape(payload);
  return read_environment(payload, out);
}

// The program to exec: a name without '/' is looked up in the job's PATH
// here, because execvp is not safe between fork and exec.
std::string resolve_program(const shell_command& cmd) {
  const auto& name = cmd.argv.front();
  if (name.find('/') != std::string::npos)
    return name;
  std::string path = "/usr/local/bin:/usr/bin:/bin";
  for (const auto& entry : cmd.environment)
    if (entry.compare(0, 5, "PATH=") == 0)
      path = entry.substr(5);
  size_t begin = 0;
  while (begin <= path.size()) {
    auto end = path.find(':', begin);
    if (end == std::string::npos)
      end = path.size();
    auto dir = path.substr(begin, end - begin);
    auto candidate = (dir.empty() ? std::string{"."} : dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0)
      return candidate;
    begin = end + 1;
  }
  return {};
}

} // namespace

std::string check_shell_payload(const json& payload) {
  shell_command scratch;
  return parse_command(payload, scratch, false);
}

std::string parse_shell_command(const json& payload, shell_command& out) {
  if (auto err = parse_command(payload, out, true); !err.empty())
    return err;
  out.program = resolve_program(out);
  if (out.program.empty())
    return "payload.argv[0]: program " + out.argv.front() +
           " not found in PATH";
  return {};
}

static bool continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

std::string utf8_tail(const std::string& data, size_t tail_bytes) {
  size_t begin = data.size() > tail_bytes ? data.size() - tail_bytes : 0;
  while (begin < data.size() && continuation(data[begin]))
    ++begin;
  std::string result;
  for (size_t i = begin; i < data.size();) {
    auto c = static_cast<unsigned char>(data[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    bool ok = len > 0 && i + len <= data.size();
    for (size_t k = 1; ok && k < len; ++k)
      ok = continuation(data[i + k]);
    if (ok && (len == 1 || c >= 0xC2)) {
      result.append(data, i, len);
      i += len;
    } else {
      result += '?';
      ++i;
    }
  }
  return result;
}

} // namespace troupe
