// Aligned plain-text tables and field lists for people; no colours, no
// terminal control, so output stays readable when piped to a file.
#pragma once

#include <cstddef>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace troupe::cli {

/// Returns the number of characters (UTF-8 code points) of `text`.
size_t display_width(const std::string& text);

/// Returns `text` cut to at most `width` characters, ending in "…" if cut.
std::string truncate_text(const std::string& text, size_t width);

/// A table whose columns are padded to their widest cell.
class text_table {
public:
  explicit text_table(std::vector<std::string> headers);

  /// Appends a row; missing cells are empty, extra cells are dropped.
  void add_row(std::vector<std::string> cells);

  /// Right-aligns column `index` (for numbers).
  void align_right(size_t index) { right_aligned_.insert(index); }

  /// True if no row was added.
  bool empty() const { return rows_.empty(); }

  /// Writes the header and every row, two spaces between columns.
  void print(std::ostream& out) const;

private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
  std::set<size_t> right_aligned_;
};

/// Writes "name   value" lines with the names padded to the same width.
void print_fields(std::ostream& out,
                  const std::vector<std::pair<std::string, std::string>>& xs);

} // namespace troupe::cli
