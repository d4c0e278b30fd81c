// `troupe audit`: the control actions recorded on the server, oldest first,
// filtered by time and principal.
#include <iostream>

#include <CLI/CLI.hpp>

#include "apps/troupe/audit_views.hpp"
#include "apps/troupe/cli_arguments.hpp"
#include "apps/troupe/client_session.hpp"
#include "apps/troupe/command_flags.hpp"
#include "apps/troupe/exit_codes.hpp"
#include "apps/troupe/job_views.hpp"
#include "apps/troupe/json_codec.hpp"

namespace troupe::cli {

void add_audit_command(CLI::App& app, audit_options& o) {
  auto* sub = app.add_subcommand(
      "audit", "list the control actions recorded on the server");
  sub->add_option("--since", o.since,
                  "only entries since DURATION ago (15m, 7d) or an RFC 3339 "
                  "time");
  sub->add_option("--principal", o.principal, "only entries of this principal");
  sub->add_option("--limit", o.limit,
                  "most entries listed (1-" +
                      std::to_string(max_audit_entries_per_query) + ")")
      ->capture_default_str();
  add_client_flags(sub, o);
}

int run_audit(const audit_options& options) {
  auto where = server_of(options);
  audit_query query;
  if (!options.since.empty())
    query.since_us = parse_since_us("--since", options.since, wall_now_us());
  check_range("--limit", options.limit, 1, max_audit_entries_per_query);
  query.limit = static_cast<uint32_t>(options.limit);
  query.principal = options.principal;
  client_session session{where};
  auto entries = session.audit(query);
  if (options.json) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& x : entries)
      out.push_back(audit_entry_to_json(x));
    std::cout << dump_json(out) << '\n';
  } else {
    print_audit_table(std::cout, entries);
  }
  return exit_ok;
}

} // namespace troupe::cli
