# Finds the C++ Actor Framework (CAF) 0.17: Debian ships its headers and
# shared libraries but no CMake package configuration.
#
# Defines the imported targets CAF::core, CAF::io and CAF::openssl and sets
# CAF_FOUND and CAF_VERSION.

find_path(CAF_INCLUDE_DIR NAMES caf/all.hpp caf/config.hpp)
find_library(CAF_CORE_LIBRARY NAMES caf_core)
find_library(CAF_IO_LIBRARY NAMES caf_io)
find_library(CAF_OPENSSL_LIBRARY NAMES caf_openssl)

if(CAF_INCLUDE_DIR AND EXISTS "${CAF_INCLUDE_DIR}/caf/config.hpp")
  file(STRINGS "${CAF_INCLUDE_DIR}/caf/config.hpp" caf_version_line
       REGEX "^#define CAF_VERSION [0-9]+")
  string(REGEX MATCH "[0-9]+" caf_version_number "${caf_version_line}")
  if(caf_version_number)
    math(EXPR caf_major "${caf_version_number} / 10000")
    math(EXPR caf_minor "(${caf_version_number} / 100) % 100")
    math(EXPR caf_patch "${caf_version_number} % 100")
    set(CAF_VERSION "${caf_major}.${caf_minor}.${caf_patch}")
  endif()
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(
  CAF
  REQUIRED_VARS CAF_INCLUDE_DIR CAF_CORE_LIBRARY CAF_IO_LIBRARY CAF_OPENSSL_LIBRARY
  VERSION_VAR CAF_VERSION)

if(CAF_FOUND)
  foreach(part core io openssl)
    string(TOUPPER ${part} upper)
    if(CAF_${upper}_LIBRARY AND NOT TARGET CAF::${part})
      add_library(CAF::${part} SHARED IMPORTED)
      set_target_properties(
        CAF::${part} PROPERTIES IMPORTED_LOCATION "${CAF_${upper}_LIBRARY}"
                                INTERFACE_INCLUDE_DIRECTORIES
                                "${CAF_INCLUDE_DIR}")
    endif()
  endforeach()
  target_link_libraries(CAF::io INTERFACE CAF::core)
  if(TARGET CAF::openssl)
    target_link_libraries(CAF::openssl INTERFACE CAF::io)
  endif()
endif()

mark_as_advanced(CAF_INCLUDE_DIR CAF_CORE_LIBRARY CAF_IO_LIBRARY
                 CAF_OPENSSL_LIBRARY)
