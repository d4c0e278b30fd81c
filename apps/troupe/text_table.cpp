// Aligned plain-text tables: widths are counted in characters, not bytes, so
// that job messages with non-ASCII text do not break the columns.
#include "apps/troupe/text_table.hpp"

#include <algorithm>

namespace troupe::cli {

namespace {

bool continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

void pad(std::ostream& out, size_t count) {
  for (size_t i = 0; i < count; ++i)
    out << ' ';
}

} // namespace

size_t display_width(const std::string& text) {
  return static_cast<size_t>(std::count_if(
      text.begin(), text.end(), [](char c) { return !continuation_byte(c); }));
}

std::string truncate_text(const std::string& text, size_t width) {
  if (display_width(text) <= width)
    return text;
  if (width == 0)
    return {};
  std::string result;
  size_t chars = 0;
  for (char c : text) {
    if (!continuation_byte(c) && ++chars == width)
      break;
    result += c;
  }
  return result + "\u2026";
}

text_table::text_table(std::vector<std::string> headers)
    : headers_(std::move(headers)) {
  // nop
}

void text_table::add_row(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

void text_table::print(std::ostream& out) const {
  std::vector<size_t> widths;
  for (const auto& header : headers_)
    widths.push_back(display_width(header));
  for (const auto& row : rows_)
    for (size_t i = 0; i < row.size(); ++i)
      widths[i] = std::max(widths[i], display_width(row[i]));
  auto print_row = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
      auto gap = widths[i] - display_width(cells[i]);
      bool last = i + 1 == cells.size();
      if (right_aligned_.count(i))
        line.append(gap, ' ');
      line += cells[i];
      if (!last && !right_aligned_.count(i))
        line.append(gap, ' ');
      if (!last)
        line += "  ";
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    out << line << '\n';
  };
  print_row(headers_);
  for (const auto& row : rows_)
    print_row(row);
}

void print_fields(std::ostream& out,
                  const std::vector<std::pair<std::string, std::string>>& xs) {
  size_t width = 0;
  for (const auto& [name, value] : xs)
    width = std::max(width, display_width(name));
  for (const auto& [name, value] : xs) {
    out << name;
    pad(out, width - display_width(name) + 2);
    out << value << '\n';
  }
}

} // namespace troupe::cli
