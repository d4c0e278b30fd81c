// The audit recorder's plain parts: stamping, cutting and bounding entries,
// and entries built from a control action's outcome.
#include <catch2/catch.hpp>

#include "troupe/actors/audit/audit_buffer.hpp"
#include "troupe/actors/audit/audit_log.hpp"
#include "troupe/messages/errc.hpp"

using namespace troupe;

namespace {

audit_entry named(std::string action, int64_t at_us = 0) {
  audit_entry x;
  x.action = std::move(action);
  x.at_us = at_us;
  return x;
}

} // namespace

TEST_CASE("the audit buffer stamps entries without a time and keeps given "
          "times",
          "[audit]") {
  audit_buffer buffer;
  CHECK(buffer.empty());
  CHECK(buffer.add(named("cancel"), 500));
  CHECK(buffer.add(named("retry", 7), 500));
  auto xs = buffer.take(600);
  REQUIRE(xs.size() == 2);
  CHECK(xs[0].at_us == 500);
  CHECK(xs[1].at_us == 7);
  CHECK(buffer.empty());
  CHECK(buffer.take(700).empty());
}

TEST_CASE("the audit buffer cuts long fields without splitting a character "
          "and names an entry without an action",
          "[audit]") {
  audit_buffer buffer;
  auto x = named("");
  // Two-byte characters only: the cut falls inside one of them.
  x.detail = std::string(max_audit_field_bytes + 2, '\0');
  for (size_t i = 0; i + 1 < x.detail.size(); i += 2) {
    x.detail[i] = '\xc3';
    x.detail[i + 1] = '\xa9';
  }
  buffer.add(x, 1);
  auto xs = buffer.take(1);
  REQUIRE(xs.size() == 1);
  CHECK(xs[0].action == "unnamed");
  const auto& cut = xs[0].detail;
  CHECK(cut.size() <= max_audit_field_bytes);
  CHECK(cut.size() == max_audit_field_bytes - 1);
  CHECK(cut.substr(cut.size() - 3) == "...");
  CHECK(cut[cut.size() - 4] == '\xa9'); // The last character is whole.
  std::string short_text = "short";
  cut_audit_field(short_text, 10);
  CHECK(short_text == "short");
}

TEST_CASE("a full audit buffer drops entries and names how many in the next "
          "batch",
          "[audit]") {
  audit_buffer buffer{2};
  CHECK(buffer.add(named("a"), 1));
  CHECK(buffer.add(named("b"), 1));
  CHECK_FALSE(buffer.add(named("c"), 1));
  CHECK_FALSE(buffer.add(named("d"), 1));
  auto xs = buffer.take(9);
  REQUIRE(xs.size() == 3);
  CHECK(xs[2].action == "audit.dropped");
  CHECK(xs[2].outcome == "failed");
  CHECK(xs[2].at_us == 9);
  CHECK_THAT(xs[2].detail, Catch::StartsWith("2 entries were dropped"));
  CHECK(buffer.empty());
}

TEST_CASE("an audit entry's outcome follows the action's error", "[audit]") {
  auto ok = make_audit_entry("alice", "cancel", "j1", {}, "now cancelled");
  CHECK(ok.principal == "alice");
  CHECK(ok.action == "cancel");
  CHECK(ok.target == "j1");
  CHECK(ok.outcome == "ok");
  CHECK(ok.detail == "now cancelled");
  CHECK(ok.at_us == 0);
  auto refused = make_audit_entry(
      "bob", "cancel", "j1", make_error(errc::forbidden, "needs operator"));
  CHECK(refused.outcome == "refused");
  CHECK_THAT(refused.detail, Catch::Contains("needs operator"));
  auto failed = make_audit_entry(
      "", "backup", "/x", make_error(errc::storage_failure, "disk"), "unused");
  CHECK(failed.outcome == "failed");
  CHECK_THAT(failed.detail, Catch::Contains("disk"));
}

TEST_CASE("audit times read as RFC 3339 in UTC", "[audit]") {
  CHECK(audit_time_text(0) == "1970-01-01T00:00:00Z");
  CHECK(audit_time_text(1'700'000'000'123'456) == "2023-11-14T22:13:20Z");
}
