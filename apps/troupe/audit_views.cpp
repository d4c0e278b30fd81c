// The audit trail's views; the JSON names follow the entry's own fields.
#include "apps/troupe/audit_views.hpp"

#include "apps/troupe/cli_arguments.hpp"
#include "apps/troupe/exit_codes.hpp"
#include "apps/troupe/json_codec.hpp"
#include "apps/troupe/text_table.hpp"

namespace troupe::cli {

int64_t parse_since_us(const std::string& flag, const std::string& text,
                       int64_t now_us) {
  if (auto at = parse_rfc3339(text); at && *at >= 0)
    return *at;
  try {
    auto age = parse_duration_us(flag, text);
    return now_us > age ? now_us - age : 0;
  } catch (const cli_error&) {
    throw usage_error(flag +
                      ": must be a duration such as 30s, 15m, 12h or 7d "
                      "(that long ago) or an RFC 3339 time such as "
                      "2026-11-23T10:00:00Z, got \"" +
                      text + "\"");
  }
}

nlohmann::ordered_json audit_entry_to_json(const audit_entry& x) {
  return nlohmann::ordered_json{
      {"at", format_rfc3339(x.at_us)},
      {"at_us", x.at_us},
      {"principal", x.principal},
      {"action", x.action},
      {"target", x.target},
      {"outcome", x.outcome},
      {"detail", x.detail},
  };
}

void print_audit_table(std::ostream& out, const std::vector<audit_entry>& xs) {
  if (xs.empty()) {
    out << "no audit entries\n";
    return;
  }
  text_table table{
      {"TIME", "PRINCIPAL", "ACTION", "TARGET", "OUTCOME", "DETAIL"}};
  for (const auto& x : xs)
    table.add_row({format_rfc3339(x.at_us),
                   x.principal.empty() ? "-" : x.principal, x.action,
                   truncate_text(x.target, 40), x.outcome,
                   truncate_text(x.detail, 80)});
  table.print(out);
}

} // namespace troupe::cli
