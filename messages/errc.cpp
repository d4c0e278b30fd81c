// Names and construction of troupe errors.
#include "troupe/messages/errc.hpp"

#include <array>

#include "caf/make_message.hpp"
#include "caf/message.hpp"

namespace troupe {

std::string to_string(errc x) {
  static constexpr std::array<const char*, 13> names = {"none",
                                                        "invalid_field",
                                                        "unknown_dependency",
                                                        "dependency_cycle",
                                                        "not_found",
                                                        "invalid_transition",
                                                        "storage_failure",
                                                        "data_dir_locked",
                                                        "data_dir_corrupt",
                                                        "shutting_down",
                                                        "node_unreachable",
                                                        "conflict",
                                                        "forbidden"};
  auto index = static_cast<size_t>(x);
  return index < names.size() ? names[index] : "unknown";
}

caf::error make_error(errc x) {
  return caf::error{static_cast<uint8_t>(x), errc_category};
}

caf::error make_error(errc x, std::string message) {
  return caf::error{static_cast<uint8_t>(x), errc_category,
                    caf::make_message(std::move(message))};
}

errc code_of(const caf::error& x) {
  if (!x || x.category() != errc_category)
    return errc::none;
  return static_cast<errc>(x.code());
}

std::string message_of(const caf::error& x) {
  if (x.category() == errc_category) {
    if (x.context().match_elements<std::string>())
      return x.context().get_as<std::string>(0);
    return to_string(static_cast<errc>(x.code()));
  }
  return to_string(x);
}

} // namespace troupe
