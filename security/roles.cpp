// The names of troupe's roles.
#include "troupe/security/security_options.hpp"

namespace troupe {

const char* to_string(role x) {
  switch (x) {
  case role::admin:
    return "admin";
  case role::operator_:
    return "operator";
  case role::submitter:
    return "submitter";
  case role::reader:
    return "reader";
  case role::executor:
    return "executor";
  }
  return "?";
}

bool parse_role(const std::string& text, role& x) {
  for (auto r : {role::admin, role::operator_, role::submitter, role::reader,
                 role::executor})
    if (text == to_string(r)) {
      x = r;
      return true;
    }
  return false;
}

} // namespace troupe
