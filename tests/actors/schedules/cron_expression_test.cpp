// The cron expression parser and evaluator: every field form, names, the
// day-of-month / day-of-week rule, the next matching minute and bad input.
#include <catch2/catch.hpp>

#include "troupe/actors/schedules/cron_expression.hpp"
#include "troupe/messages/errc.hpp"

using namespace troupe;

namespace {

constexpr int64_t us_per_min = 60'000'000;

// 2026-11-23T00:00:00Z, a Monday.
constexpr int64_t monday = 1'795'392'000'000'000;

int64_t at(int day, int hour, int minute) {
  return monday + ((int64_t{day} * 24 + hour) * 60 + minute) * us_per_min;
}

cron_expression cron(const std::string& text) {
  auto x = cron_expression::parse(text);
  REQUIRE(x);
  return *x;
}

std::string error_of(const std::string& text) {
  auto x = cron_expression::parse(text);
  REQUIRE_FALSE(x);
  CHECK(code_of(x.error()) == errc::invalid_field);
  return message_of(x.error());
}

/// The next `n` firings after `from`.
std::vector<int64_t> firings(const cron_expression& x, int64_t from, int n) {
  std::vector<int64_t> out;
  for (int i = 0; i < n; ++i) {
    auto next = x.next_after(from);
    REQUIRE(next);
    out.push_back(*next);
    from = *next;
  }
  return out;
}

} // namespace

TEST_CASE("the reference time is a Monday at midnight", "[cron]") {
  CHECK(cron("0 0 * * MON").matches(monday));
  CHECK_FALSE(cron("0 0 * * TUE").matches(monday));
  CHECK(cron("0 0 23 NOV *").matches(monday));
}

TEST_CASE("a star matches every minute", "[cron]") {
  auto x = cron("* * * * *");
  CHECK(firings(x, monday, 3) ==
        std::vector<int64_t>{at(0, 0, 1), at(0, 0, 2), at(0, 0, 3)});
  // The next firing is strictly later, also from inside a minute.
  CHECK(*x.next_after(monday + 30'000'000) == at(0, 0, 1));
}

TEST_CASE("values, lists, ranges and steps select minutes", "[cron]") {
  CHECK(firings(cron("5 * * * *"), monday, 2) ==
        std::vector<int64_t>{at(0, 0, 5), at(0, 1, 5)});
  CHECK(firings(cron("1,30,59 * * * *"), monday, 4) ==
        std::vector<int64_t>{at(0, 0, 1), at(0, 0, 30), at(0, 0, 59),
                             at(0, 1, 1)});
  CHECK(firings(cron("10-12 * * * *"), monday, 4) ==
        std::vector<int64_t>{at(0, 0, 10), at(0, 0, 11), at(0, 0, 12),
                             at(0, 1, 10)});
  CHECK(firings(cron("*/15 * * * *"), monday, 4) ==
        std::vector<int64_t>{at(0, 0, 15), at(0, 0, 30), at(0, 0, 45),
                             at(0, 1, 0)});
  CHECK(firings(cron("10-30/10 * * * *"), monday, 4) ==
        std::vector<int64_t>{at(0, 0, 10), at(0, 0, 20), at(0, 0, 30),
                             at(0, 1, 10)});
  CHECK(firings(cron("50/5 * * * *"), monday, 3) ==
        std::vector<int64_t>{at(0, 0, 50), at(0, 0, 55), at(0, 1, 50)});
  CHECK(firings(cron("0,*/20 * * * *"), monday, 3) ==
        std::vector<int64_t>{at(0, 0, 20), at(0, 0, 40), at(0, 1, 0)});
}

TEST_CASE("hours combine with minutes", "[cron]") {
  CHECK(firings(cron("30 9-10 * * *"), monday, 3) ==
        std::vector<int64_t>{at(0, 9, 30), at(0, 10, 30), at(1, 9, 30)});
  CHECK(firings(cron("0 */6 * * *"), monday, 4) ==
        std::vector<int64_t>{at(0, 6, 0), at(0, 12, 0), at(0, 18, 0),
                             at(1, 0, 0)});
}

TEST_CASE("days of the week by number and by name", "[cron]") {
  // Weekdays at 03:00: Tuesday to Friday, then the next Monday.
  CHECK(firings(cron("0 3 * * MON-FRI"), at(0, 4, 0), 5) ==
        std::vector<int64_t>{at(1, 3, 0), at(2, 3, 0), at(3, 3, 0), at(4, 3, 0),
                             at(7, 3, 0)});
  CHECK(firings(cron("0 0 * * sat,sun"), monday, 3) ==
        std::vector<int64_t>{at(5, 0, 0), at(6, 0, 0), at(12, 0, 0)});
  // 0 and 7 are both Sunday.
  CHECK(*cron("0 0 * * 7").next_after(monday) == at(6, 0, 0));
  CHECK(*cron("0 0 * * 0").next_after(monday) == at(6, 0, 0));
  CHECK(*cron("0 0 * * 1-5/2").next_after(monday) == at(2, 0, 0));
}

TEST_CASE("months by number and by name, across the year", "[cron]") {
  // 2027-01-01T00:00:00Z is 39 days after the reference Monday.
  CHECK(*cron("0 0 1 JAN *").next_after(monday) == at(39, 0, 0));
  CHECK(*cron("0 0 1 1 *").next_after(monday) == at(39, 0, 0));
  CHECK(*cron("0 12 * dec *").next_after(monday) == at(8, 12, 0));
  CHECK(*cron("0 0 1 FEB-MAR *").next_after(monday) == at(39 + 31, 0, 0));
}

TEST_CASE("day of month and day of week: either matches when both are "
          "restricted",
          "[cron]") {
  // The 25th (a Wednesday) or any Friday: Wed 25th, Fri 27th, Fri 4 Dec.
  CHECK(firings(cron("0 0 25 * FRI"), monday, 3) ==
        std::vector<int64_t>{at(2, 0, 0), at(4, 0, 0), at(11, 0, 0)});
  // A star in one of them restricts by the other alone.
  CHECK(firings(cron("0 0 25 * *"), monday, 1) ==
        std::vector<int64_t>{at(2, 0, 0)});
  CHECK(firings(cron("0 0 * * FRI"), monday, 2) ==
        std::vector<int64_t>{at(4, 0, 0), at(11, 0, 0)});
  // A stepped star still counts as a star, so both must match: odd days
  // that are Fridays.
  auto x = cron("0 0 */2 * FRI");
  CHECK(x.matches(at(4, 0, 0)));        // Friday the 27th.
  CHECK_FALSE(x.matches(at(11, 0, 0))); // Friday 4 December.
  CHECK_FALSE(x.matches(at(2, 0, 0)));  // Wednesday the 25th.
}

TEST_CASE("the 31st fires only in months that have one, 29 February in a "
          "leap year",
          "[cron]") {
  auto x = cron("0 0 31 * *");
  auto first = *x.next_after(monday);
  CHECK(first == at(38, 0, 0));                     // 31 December 2026.
  CHECK(*x.next_after(first) == at(38 + 31, 0, 0)); // 31 January 2027.
  auto leap = cron("0 0 29 2 *");
  auto next = leap.next_after(monday);
  REQUIRE(next);
  // 29 February 2028 is 463 days after the reference Monday.
  CHECK(*next == at(463, 0, 0));
}

TEST_CASE("an expression that never matches has no next firing", "[cron]") {
  CHECK_FALSE(cron("0 0 30 2 *").next_after(monday));
}

TEST_CASE("bad expressions name the field and the rule", "[cron]") {
  CHECK(error_of("* * * *") ==
        "cron: must have 5 fields (minute hour day-of-month month "
        "day-of-week), got 4");
  CHECK(error_of("* * * * * *").find("got 6") != std::string::npos);
  CHECK(error_of("60 * * * *") == "cron: minute: 60 is out of range 0-59");
  CHECK(error_of("* 24 * * *") == "cron: hour: 24 is out of range 0-23");
  CHECK(error_of("* * 0 * *") == "cron: day-of-month: 0 is out of range 1-31");
  CHECK(error_of("* * * 13 *") == "cron: month: 13 is out of range 1-12");
  CHECK(error_of("* * * * 8") == "cron: day-of-week: 8 is out of range 0-7");
  CHECK(error_of("* * * FOO *") ==
        "cron: month: \"FOO\" is not a number or a name");
  CHECK(error_of("x * * * *") == "cron: minute: \"x\" is not a number");
  CHECK(error_of("*/0 * * * *").find("cron: minute: step") == 0);
  CHECK(error_of("5-1 * * * *") == "cron: minute: range 5-1 is reversed");
  CHECK(error_of("1,,2 * * * *").find("cron: minute: empty list item") == 0);
  CHECK(error_of("1, * * * *").find("cron: minute: empty list item") == 0);
  CHECK(error_of("* * * * MON-") ==
        "cron: day-of-week: \"\" is not a number or a name");
}
