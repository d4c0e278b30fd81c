// Parsing of cron fields (lists, ranges, steps, names) into bit sets, and the
// search for the next matching minute, skipping whole months, days and hours.
#include "troupe/actors/schedules/cron_expression.hpp"

#include <array>
#include <cctype>
#include <ctime>
#include <sstream>
#include <vector>

#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

constexpr int64_t us_per_s = 1000 * 1000;
constexpr int64_t us_per_min = 60 * us_per_s;
constexpr int64_t search_limit_s = int64_t{8} * 366 * 24 * 3600;

constexpr std::array<const char*, 12> month_names = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN",
    "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

constexpr std::array<const char*, 7> day_names = {"SUN", "MON", "TUE", "WED",
                                                  "THU", "FRI", "SAT"};

/// One field's name, bounds and value names (which start at `lo`).
struct field_rule {
  const char* name;
  int lo;
  int hi;
  const char* const* names = nullptr;
  size_t name_count = 0;
};

caf::error field_error(const field_rule& rule, const std::string& what) {
  return make_error(errc::invalid_field,
                    std::string{"cron: "} + rule.name + ": " + what);
}

std::string upper(std::string text) {
  for (auto& c : text)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

/// Parses one value: a number or, where the field has them, a name.
caf::expected<int> parse_value(const field_rule& rule,
                               const std::string& text) {
  for (size_t i = 0; i < rule.name_count; ++i)
    if (upper(text) == rule.names[i])
      return rule.lo + static_cast<int>(i);
  bool digits = !text.empty() && text.size() <= 4;
  for (char c : text)
    digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (!digits)
    return field_error(rule, "\"" + text + "\" is not a number" +
                                 (rule.name_count > 0 ? " or a name" : ""));
  auto value = std::stoi(text);
  if (value < rule.lo || value > rule.hi)
    return field_error(rule, text + " is out of range " +
                                 std::to_string(rule.lo) + "-" +
                                 std::to_string(rule.hi));
  return value;
}

/// Parses one list item (`*`, `a`, `a-b`, each optionally `/step`) into
/// `bits`.
template <size_t N>
caf::error parse_item(const field_rule& rule, const std::string& item,
                      std::bitset<N>& bits) {
  auto slash = item.find('/');
  auto base = item.substr(0, slash);
  int step = 1;
  if (slash != std::string::npos) {
    auto text = item.substr(slash + 1);
    auto value = parse_value(field_rule{rule.name, 1, rule.hi}, text);
    if (!value)
      return field_error(rule, "step \"" + text +
                                   "\" must be a number from 1 "
                                   "to " +
                                   std::to_string(rule.hi));
    step = *value;
  }
  int lo = rule.lo;
  int hi = rule.hi;
  if (base != "*") {
    auto dash = base.find('-');
    auto first = parse_value(rule, base.substr(0, dash));
    if (!first)
      return first.error();
    lo = *first;
    hi = slash != std::string::npos ? rule.hi : lo; // "a/n" runs to the end.
    if (dash != std::string::npos) {
      auto last = parse_value(rule, base.substr(dash + 1));
      if (!last)
        return last.error();
      hi = *last;
      if (hi < lo)
        return field_error(rule, "range " + base + " is reversed");
    }
  }
  for (int v = lo; v <= hi; v += step)
    bits.set(static_cast<size_t>(v));
  return caf::none;
}

template <size_t N>
caf::error parse_field(const field_rule& rule, const std::string& text,
                       std::bitset<N>& bits) {
  std::istringstream in{text};
  std::string item;
  while (std::getline(in, item, ','))
    if (item.empty())
      return field_error(rule, "empty list item in \"" + text + "\"");
    else if (auto err = parse_item(rule, item, bits))
      return err;
  if (text.empty() || text.back() == ',')
    return field_error(rule, "empty list item in \"" + text + "\"");
  return caf::none;
}

std::tm utc_of(time_t seconds) {
  std::tm out{};
  gmtime_r(&seconds, &out);
  return out;
}

} // namespace

caf::expected<cron_expression> cron_expression::parse(const std::string& text) {
  std::istringstream in{text};
  std::vector<std::string> fields;
  for (std::string field; in >> field;)
    fields.push_back(field);
  if (fields.size() != 5)
    return make_error(errc::invalid_field,
                      "cron: must have 5 fields (minute hour day-of-month "
                      "month day-of-week), got " +
                          std::to_string(fields.size()));
  cron_expression x;
  const field_rule minute{"minute", 0, 59};
  const field_rule hour{"hour", 0, 23};
  const field_rule dom{"day-of-month", 1, 31};
  const field_rule month{"month", 1, 12, month_names.data(), 12};
  const field_rule dow{"day-of-week", 0, 7, day_names.data(), 7};
  caf::error err;
  if ((err = parse_field(minute, fields[0], x.minutes_)) ||
      (err = parse_field(hour, fields[1], x.hours_)) ||
      (err = parse_field(dom, fields[2], x.days_of_month_)) ||
      (err = parse_field(month, fields[3], x.months_)) ||
      (err = parse_field(dow, fields[4], x.days_of_week_)))
    return err;
  if (x.days_of_week_.test(7))
    x.days_of_week_.set(0); // 7 is Sunday too.
  // As in standard cron, a field starting with '*' counts as unrestricted
  // for the day-of-month / day-of-week rule.
  x.any_day_of_month_ = fields[2].front() == '*';
  x.any_day_of_week_ = fields[4].front() == '*';
  return x;
}

bool cron_expression::day_matches(int mday, int month, int wday) const {
  if (!months_.test(static_cast<size_t>(month)))
    return false;
  bool by_month_day = days_of_month_.test(static_cast<size_t>(mday));
  bool by_week_day = days_of_week_.test(static_cast<size_t>(wday));
  if (any_day_of_month_ || any_day_of_week_)
    return by_month_day && by_week_day;
  return by_month_day || by_week_day;
}

bool cron_expression::matches(int64_t time_us) const {
  auto t = utc_of(static_cast<time_t>(time_us / us_per_s));
  return day_matches(t.tm_mday, t.tm_mon + 1, t.tm_wday) &&
         hours_.test(static_cast<size_t>(t.tm_hour)) &&
         minutes_.test(static_cast<size_t>(t.tm_min));
}

std::optional<int64_t> cron_expression::next_after(int64_t time_us) const {
  auto minute = time_us >= 0 ? time_us / us_per_min
                             : -((-time_us + us_per_min - 1) / us_per_min);
  auto seconds = static_cast<time_t>((minute + 1) * 60);
  const auto limit = seconds + search_limit_s;
  auto t = utc_of(seconds);
  // Each step moves to the start of the next month, day, hour or minute
  // that could match, then normalises through timegm.
  while (seconds < limit) {
    if (!months_.test(static_cast<size_t>(t.tm_mon + 1))) {
      t.tm_mon += 1;
      t.tm_mday = 1;
      t.tm_hour = 0;
      t.tm_min = 0;
    } else if (!day_matches(t.tm_mday, t.tm_mon + 1, t.tm_wday)) {
      t.tm_mday += 1;
      t.tm_hour = 0;
      t.tm_min = 0;
    } else if (!hours_.test(static_cast<size_t>(t.tm_hour))) {
      t.tm_hour += 1;
      t.tm_min = 0;
    } else if (!minutes_.test(static_cast<size_t>(t.tm_min))) {
      t.tm_min += 1;
    } else {
      return int64_t{seconds} * us_per_s;
    }
    t.tm_sec = 0;
    seconds = timegm(&t);
    t = utc_of(seconds);
  }
  return std::nullopt;
}

} // namespace troupe
