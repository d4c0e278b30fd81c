# What `cmake --install` puts under the prefix: the headers under
# include/troupe/, the static libraries, the troupe binary, a relocatable
# CMake package (troupe::troupe, troupe::storage, troupe::messages) and
# troupe.pc. Nothing here holds an absolute path of the build machine.
include(CMakePackageConfigHelpers)

set(TROUPE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/troupe)

foreach(part messages logging security storage actors)
  install(
    DIRECTORY ${PROJECT_SOURCE_DIR}/${part}/
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/troupe/${part}
    COMPONENT development
    FILES_MATCHING
    PATTERN "*.hpp")
endforeach()
install(FILES ${TROUPE_INCLUDE_DIR}/troupe/version.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/troupe COMPONENT development)

install(
  TARGETS troupe_messages troupe_logging troupe_security troupe_storage troupe_actors
  EXPORT troupe_targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
  INCLUDES
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# install/strip (and so the package) strips programs only; the libraries
# lose their debug information too, which is nine tenths of their size.
foreach(part messages logging security storage actors)
  install(
    CODE "if(CMAKE_INSTALL_DO_STRIP)
  execute_process(COMMAND \"${CMAKE_STRIP}\" --strip-debug
    \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/$<TARGET_FILE_NAME:troupe_${part}>\")
endif()"
    COMPONENT development)
endforeach()
install(
  EXPORT troupe_targets
  NAMESPACE troupe::
  FILE troupeTargets.cmake
  DESTINATION ${TROUPE_CMAKE_DIR}
  COMPONENT development)

configure_package_config_file(
  cmake/troupeConfig.cmake.in ${PROJECT_BINARY_DIR}/troupeConfig.cmake
  INSTALL_DESTINATION ${TROUPE_CMAKE_DIR})
# 0.x: a minor version may break the API, so 0.2 accepts 0.2.* only.
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/troupeConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
# Debian's CAF has no CMake package; the config finds it with this module.
install(FILES ${PROJECT_BINARY_DIR}/troupeConfig.cmake
              ${PROJECT_BINARY_DIR}/troupeConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/FindCAF.cmake
        DESTINATION ${TROUPE_CMAKE_DIR} COMPONENT development)

# pkg-config finds the prefix from where troupe.pc lies (${pcfiledir}), so
# the file stays valid wherever the tree is unpacked.
file(RELATIVE_PATH TROUPE_PC_TO_PREFIX
     ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig
     ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" TROUPE_PC_TO_PREFIX "${TROUPE_PC_TO_PREFIX}")
configure_file(cmake/troupe.pc.in ${PROJECT_BINARY_DIR}/troupe.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/troupe.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT development)

if(TROUPE_BUILD_APPS)
  install(TARGETS troupe RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
                                 COMPONENT runtime)
endif()
