// The version of the library, compiled in so that a program can tell which
// troupe it linked.
#include "troupe/version.hpp"

namespace troupe {

std::string version() {
  return TROUPE_VERSION_STRING;
}

} // namespace troupe
