// `troupe certs init DIR` and `troupe certs issue --name --role DIR`: a
// cluster's CA and the certificates of its nodes and clients, written with
// OpenSSL's library. Keys are never overwritten.
#include <iostream>

#include <CLI/CLI.hpp>

#include "apps/troupe/command_flags.hpp"
#include "apps/troupe/commands.hpp"
#include "apps/troupe/exit_codes.hpp"
#include "troupe/security/certificate_authority.hpp"
#include "troupe/security/credentials.hpp"

namespace troupe::cli {

namespace {

// The library names its fields "name", "role", "days" and "dir"; the user
// knows them as --name, --role, --days and DIR.
cli_error as_usage_error(const security_error& err) {
  std::string what = err.what();
  for (const char* field : {"name", "role", "days"}) {
    auto prefix = std::string{field} + ": ";
    if (what.rfind(prefix, 0) == 0)
      return usage_error("--" + what);
  }
  if (what.rfind("dir: ", 0) == 0)
    return usage_error("DIR: " + what.substr(5));
  return usage_error(what);
}

void print(const issued_files& files) {
  std::cout << "certificate: " << files.cert << "\nkey: " << files.key << '\n';
}

} // namespace

void add_certs_command(CLI::App& app, certs_options& o) {
  auto* certs = app.add_subcommand(
      "certs", "create a cluster CA and issue node and client certificates");
  certs->require_subcommand(1);
  auto* init = certs->add_subcommand(
      "init", "create a cluster CA in DIR (ca.pem, and ca.key mode 0600)");
  init->add_option("dir", o.dir, "directory of the CA (created 0700)")
      ->required();
  init->add_option("--name", o.name,
                   std::string{"the CA's subject name; default \""} +
                       default_authority_name + "\"");
  init->add_option("--days", o.days,
                   "days of validity (1-" +
                       std::to_string(max_certificate_days) + "); default " +
                       std::to_string(default_authority_days));
  auto* issue = certs->add_subcommand(
      "issue", "issue DIR/NAME.pem and DIR/NAME.key signed by DIR's CA");
  issue->add_option("dir", o.dir, "directory of the CA")->required();
  issue
      ->add_option("--name", o.name,
                   "principal (subject CN) and file name: 1-64 of "
                   "A-Z a-z 0-9 . _ -")
      ->required();
  issue
      ->add_option("--role", o.role,
                   "admin, operator, submitter, reader or executor")
      ->required();
  issue->add_option("--days", o.days,
                    "days of validity (1-" +
                        std::to_string(max_certificate_days) + "); default " +
                        std::to_string(certificate_request{}.valid_days));
}

int run_certs(const certs_options& o) {
  try {
    if (o.action == "init") {
      print(create_authority(
          o.dir, o.name.empty() ? default_authority_name : o.name,
          o.days == certs_options::unset ? default_authority_days : o.days));
      return exit_ok;
    }
    certificate_request request;
    request.name = o.name;
    request.role = o.role;
    if (o.days != certs_options::unset)
      request.valid_days = o.days;
    print(issue_certificate(o.dir, request));
    return exit_ok;
  } catch (const security_error& err) {
    throw as_usage_error(err);
  }
}

} // namespace troupe::cli
