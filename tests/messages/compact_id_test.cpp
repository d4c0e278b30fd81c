// compact_id: the same text comes back whether it is held inline or on the
// heap, through copies, moves and swaps, and it works as a hash map key.
#include <catch2/catch.hpp>

#include <unordered_map>

#include "troupe/messages/compact_id.hpp"

using namespace troupe;

TEST_CASE("a compact id holds any text, inline up to 23 bytes", "[messages]") {
  static_assert(sizeof(compact_id) == 24);
  for (size_t n : {0, 1, 15, 16, 23, 24, 31, 32, 100}) {
    std::string text(n, 'a');
    for (size_t i = 0; i < n; ++i)
      text[i] = static_cast<char>('a' + i % 26);
    compact_id id{text};
    CHECK(id.view() == text);
    compact_id copy{id};
    CHECK(copy == id);
    compact_id moved{std::move(copy)};
    CHECK(moved.view() == text);
    CHECK(copy.view().empty()); // NOLINT: a moved-from id is empty.
    compact_id assigned{"other"};
    assigned = id;
    CHECK(assigned.str() == text);
    assigned = compact_id{"z"};
    CHECK(assigned.view() == "z");
  }
  CHECK(compact_id{std::string(40, 'q')} != compact_id{std::string(41, 'q')});
  CHECK(compact_id{std::string_view{"a\0b", 3}}.view().size() == 3);
}

TEST_CASE("compact ids are keys of a hash map", "[messages]") {
  std::unordered_map<compact_id, int, compact_id_hash> map;
  std::string long_id(64, 'L');
  map[compact_id{"short"}] = 1;
  map[compact_id{long_id}] = 2;
  for (int i = 0; i < 1000; ++i) // Rehashes move the keys.
    map[compact_id{std::to_string(i) + long_id}] = i;
  CHECK(map.at(compact_id{"short"}) == 1);
  CHECK(map.at(compact_id{long_id}) == 2);
  CHECK(map.at(compact_id{"999" + long_id}) == 999);
  CHECK(map.count(compact_id{"shor"}) == 0);
  CHECK(compact_id_hash{}(compact_id{long_id}) ==
        compact_id_hash{}(compact_id{std::string(64, 'L')}));
}

TEST_CASE("a borrowed id finds its key, and a map never keeps it borrowed",
          "[messages]") {
  std::unordered_map<compact_id, int, compact_id_hash> map;
  std::string long_id(40, 'b');
  map[compact_id{long_id}] = 1;
  CHECK(map.count(compact_id::borrowed(long_id)) == 1);
  CHECK(map.count(compact_id::borrowed("short")) == 0);
  {
    std::string temporary(40, 't');
    // Inserting through a borrowed key moves it: the map's key owns a copy.
    map[compact_id::borrowed(temporary)] = 2;
    auto borrowed = compact_id::borrowed(temporary);
    compact_id copied{borrowed};
    compact_id moved{std::move(borrowed)};
    temporary.assign(40, 'x');
    CHECK(copied.view() == std::string(40, 't'));
    CHECK(moved.view() == std::string(40, 't'));
  }
  CHECK(map.at(compact_id{std::string(40, 't')}) == 2);
}
