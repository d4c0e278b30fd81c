// Standard 5-field cron expressions (minute hour day-of-month month
// day-of-week, UTC): parsing and the next matching minute. Pure functions.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>

#include "caf/expected.hpp"

namespace troupe {

/// A parsed cron expression: the set of allowed values of each field.
class cron_expression {
public:
  /// Parses "MIN HOUR DOM MONTH DOW": each field `*`, a value, a range
  /// `a-b`, a step `*/n` or `a-b/n` or `a/n`, or a comma-separated list of
  /// these; months also JAN-DEC, days of the week SUN-SAT (0 and 7 are
  /// Sunday). Fails with `errc::invalid_field` naming the field and rule,
  /// e.g. "cron: minute: 61 is out of range 0-59".
  static caf::expected<cron_expression> parse(const std::string& text);

  /// Whether the minute starting at `time_us` (UTC) matches. If both
  /// day-of-month and day-of-week are restricted (neither starts with `*`),
  /// a day matches when either does, as in standard cron.
  bool matches(int64_t time_us) const;

  /// The first matching minute strictly after `time_us`, or `nullopt` if
  /// none comes within 8 years (e.g. "0 0 30 2 *").
  std::optional<int64_t> next_after(int64_t time_us) const;

private:
  bool day_matches(int mday, int month, int wday) const;

  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_of_month_;
  std::bitset<13> months_;
  std::bitset<8> days_of_week_;
  bool any_day_of_month_ = false;
  bool any_day_of_week_ = false;
};

} // namespace troupe
