// Checks of rows: enums of a record before it is written, and the keys of
// rows set aside in the quarantine family (see docs/storage.md).
#include "troupe/storage/key_schema.hpp"

#include "troupe/messages/errc.hpp"

namespace troupe::schema {

caf::error check_record_enums(const job_record& x) {
  auto out_of_range = [&x](const char* field, unsigned value) {
    return make_error(errc::invalid_field, "job '" + x.id + "': " + field +
                                               " " + std::to_string(value) +
                                               " is out of range");
  };
  if (static_cast<size_t>(x.status) >= job_status_count)
    return out_of_range("status", static_cast<unsigned>(x.status));
  if (static_cast<size_t>(x.on_dependency_failure) >= dependency_policy_count)
    return out_of_range("on_dependency_failure",
                        static_cast<unsigned>(x.on_dependency_failure));
  return {};
}

std::string quarantine_key(family from, std::string_view key) {
  std::string out = family_names[from];
  out.push_back('\0');
  out.append(key);
  return out;
}

std::string printable_key(std::string_view key) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (char c : key.substr(0, 80)) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && c != '\\') {
      out.push_back(c);
    } else {
      out += "\\x";
      out.push_back(hex[byte >> 4]);
      out.push_back(hex[byte & 0xf]);
    }
  }
  return key.size() > 80 ? out + "..." : out;
}

} // namespace troupe::schema
