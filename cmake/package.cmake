# The Debian package (`make package`, or cpack in the build directory): the
# binary, the libraries, the headers, the CMake package, troupe.pc, a systemd
# unit for `troupe serve` and its default config file /etc/troupe/troupe.conf.
#
# The unit and the config file have fixed system paths, so they belong to the
# `service` component, which only the package installs: `cmake --install`
# with any prefix leaves /etc and /lib alone.
if(TROUPE_BUILD_APPS)
  install(
    FILES ${PROJECT_SOURCE_DIR}/packaging/troupe.service
    DESTINATION /lib/systemd/system
    COMPONENT service
    EXCLUDE_FROM_ALL)
  install(
    FILES ${PROJECT_SOURCE_DIR}/packaging/troupe.conf
    DESTINATION /etc/troupe
    COMPONENT service
    EXCLUDE_FROM_ALL)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME troupe)
set(CPACK_PACKAGE_VENDOR troupe)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "actor-model job system for C++ services: server, client and library")
set(CPACK_PACKAGE_CONTACT "troupe maintainers")
# Staged through DESTDIR, so that the unit and the config file land under the
# package root, not on the machine that builds the package.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
# The debug information is for the build tree; the package is 10 times
# smaller without it.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_COMPONENTS_ALL development)
if(TROUPE_BUILD_APPS)
  list(APPEND CPACK_COMPONENTS_ALL runtime service)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# The binary's libraries are found by dpkg-shlibdeps; the headers and the
# CMake package need the development packages of troupe's dependencies.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libcaf-dev (>= 0.17), librocksdb-dev, nlohmann-json3-dev (>= 3.10), libspdlog-dev")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/packaging/conffiles)
include(CPack)
