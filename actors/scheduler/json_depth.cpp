// The depth check as a SAX handler: it counts open arrays and objects and
// stops the parser at the first level past the limit.
#include "troupe/actors/scheduler/json_depth.hpp"

#include <nlohmann/json.hpp>

namespace troupe {

namespace {

using json = nlohmann::json;

class depth_counter : public nlohmann::json_sax<json> {
public:
  explicit depth_counter(size_t max_depth) : max_depth_(max_depth) {
    // nop
  }

  bool too_deep() const { return too_deep_; }

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool key(string_t&) override { return true; }
  bool start_object(std::size_t) override { return open(); }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override { return open(); }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception&) override {
    return false;
  }

private:
  bool open() {
    if (++depth_ > max_depth_) {
      too_deep_ = true;
      return false;
    }
    return true;
  }

  size_t max_depth_;
  size_t depth_ = 0;
  bool too_deep_ = false;
};

} // namespace

json_check check_json(const std::string& text, size_t max_depth) {
  depth_counter counter{max_depth};
  if (json::sax_parse(text, &counter))
    return json_check::ok;
  return counter.too_deep() ? json_check::too_deep : json_check::invalid;
}

} // namespace troupe
