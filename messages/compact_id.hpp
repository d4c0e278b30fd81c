// A job id as the key of an in-memory index, in 24 bytes. Ids of up to 23
// bytes (every id a scheduler generates before its billionth, and most given
// ones) are held inside the key itself, where a `std::string` takes 32 bytes
// and holds anything past 15 in a separate allocation: with a large backlog,
// each index then saves that allocation and 8 bytes per job. A look-up key
// borrows the text it is given (`compact_id::borrowed`), so finding a long
// id allocates nothing either.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace troupe {

class compact_id {
public:
  /// Ids of up to this many bytes are held inline.
  static constexpr size_t inline_capacity = 23;

  compact_id() noexcept { bytes_[tag_at] = 0; }

  explicit compact_id(std::string_view id) { assign(id); }

  /// A key for a look-up that refers to `id` without copying it, and must
  /// not outlive it. A copy or a move of it holds its own bytes, so a map
  /// that keeps it keeps an owning key.
  static compact_id borrowed(std::string_view id) noexcept {
    return compact_id{id, borrow};
  }

  compact_id(const compact_id& other) { assign(other.view()); }

  compact_id(compact_id&& other) {
    if (other.bytes_[tag_at] == borrowed_tag) {
      assign(other.view());
      return;
    }
    std::memcpy(bytes_, other.bytes_, sizeof bytes_);
    other.bytes_[tag_at] = 0;
  }

  compact_id& operator=(compact_id other) noexcept {
    std::swap(bytes_, other.bytes_);
    return *this;
  }

  ~compact_id() {
    if (on_heap())
      delete[] heap_data();
  }

  std::string_view view() const noexcept {
    if (on_heap() || bytes_[tag_at] == borrowed_tag)
      return {heap_data(), heap_size()};
    return {bytes_, static_cast<size_t>(bytes_[tag_at])};
  }

  std::string str() const { return std::string{view()}; }

  friend bool operator==(const compact_id& x, const compact_id& y) noexcept {
    return x.view() == y.view();
  }

  friend bool operator!=(const compact_id& x, const compact_id& y) noexcept {
    return !(x == y);
  }

private:
  // The last byte is the tag: the inline size, `heap_tag` or
  // `borrowed_tag`. On the heap or borrowed, the first bytes hold the
  // pointer and the size.
  static constexpr size_t tag_at = inline_capacity;
  static constexpr char heap_tag = static_cast<char>(0x7f);
  static constexpr char borrowed_tag = static_cast<char>(0x7e);

  struct borrow_t {};
  static constexpr borrow_t borrow{};

  compact_id(std::string_view id, borrow_t) noexcept {
    set_pointer(id.data(), id.size(), borrowed_tag);
  }

  bool on_heap() const noexcept { return bytes_[tag_at] == heap_tag; }

  char* heap_data() const noexcept {
    char* data = nullptr;
    std::memcpy(&data, bytes_, sizeof data);
    return data;
  }

  size_t heap_size() const noexcept {
    size_t size = 0;
    std::memcpy(&size, bytes_ + sizeof(char*), sizeof size);
    return size;
  }

  void assign(std::string_view id) {
    if (id.size() <= inline_capacity) {
      if (!id.empty())
        std::memcpy(bytes_, id.data(), id.size());
      bytes_[tag_at] = static_cast<char>(id.size());
      return;
    }
    auto* data = new char[id.size()];
    std::memcpy(data, id.data(), id.size());
    set_pointer(data, id.size(), heap_tag);
  }

  void set_pointer(const char* data, size_t size, char tag) noexcept {
    std::memcpy(bytes_, &data, sizeof data);
    std::memcpy(bytes_ + sizeof data, &size, sizeof size);
    bytes_[tag_at] = tag;
  }

  alignas(8) char bytes_[inline_capacity + 1];
};

/// Hashes a `compact_id` as its text.
struct compact_id_hash {
  size_t operator()(const compact_id& x) const noexcept {
    return std::hash<std::string_view>{}(x.view());
  }
};

} // namespace troupe
