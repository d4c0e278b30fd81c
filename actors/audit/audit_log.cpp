// Entries built from outcomes, and the one-way send to the recorder.
#include "troupe/actors/audit/audit_log.hpp"

#include <cstdio>
#include <ctime>

#include "caf/send.hpp"

#include "troupe/messages/errc.hpp"

namespace troupe {

audit_entry make_audit_entry(std::string principal, std::string action,
                             std::string target, const caf::error& err,
                             std::string detail) {
  audit_entry x;
  x.principal = std::move(principal);
  x.action = std::move(action);
  x.target = std::move(target);
  if (!err) {
    x.outcome = "ok";
    x.detail = std::move(detail);
    return x;
  }
  auto code = code_of(err);
  x.outcome = code == errc::forbidden || code == errc::invalid_field ? "refused"
                                                                     : "failed";
  x.detail = message_of(err);
  return x;
}

void record_audit(const audit_recorder_actor& recorder, audit_entry x) {
  if (recorder)
    caf::anon_send(recorder, audit_atom_v, std::move(x));
}

std::string audit_time_text(int64_t time_us) {
  auto seconds = static_cast<time_t>(time_us / 1'000'000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ",
                utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                utc.tm_min, utc.tm_sec);
  return buf;
}

} // namespace troupe
