// `troupe backup --to DIR`: the server writes a consistent checkpoint of its
// store into DIR, a path on the server's machine, never on the client's.
#include <iostream>

#include <nlohmann/json.hpp>

#include "apps/troupe/client_session.hpp"
#include "apps/troupe/command_flags.hpp"
#include "apps/troupe/commands.hpp"
#include "apps/troupe/exit_codes.hpp"
#include "apps/troupe/json_codec.hpp"

namespace troupe::cli {

int run_backup(const backup_options& options) {
  auto where = server_of(options);
  // Checked here too, so a relative path is refused before it is sent: it
  // would be resolved against the server's working directory.
  if (options.to.empty() || options.to.front() != '/')
    throw usage_error("--to: must be an absolute path (it names a directory "
                      "on the server's machine), got \"" +
                      options.to + "\"");
  client_session session{where};
  backup_report report;
  try {
    report = session.backup(options.to);
  } catch (const cli_error& err) {
    // The store names the field "to"; the user knows it as --to.
    std::string what = err.what();
    if (what.rfind("to: ", 0) == 0)
      throw cli_error{err.code(), "--" + what};
    throw;
  }
  if (options.json) {
    nlohmann::ordered_json out{
        {"path", report.path}, {"jobs", report.jobs}, {"bytes", report.bytes}};
    std::cout << dump_json(out) << '\n';
  } else {
    std::cout << "backup written to " << report.path << " (" << report.jobs
              << " jobs, " << report.bytes << " bytes)\n";
  }
  return exit_ok;
}

} // namespace troupe::cli
