# Install rules: headers, libkeel, the CLI, package configuration (CMake and pkg-config).
# Plugins and their manifests are installed by keel_add_plugin.
include(CMakePackageConfigHelpers)

install(DIRECTORY "${PROJECT_SOURCE_DIR}/api/keel" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")
install(FILES "${CMAKE_BINARY_DIR}/generated/include/keel/keel_ops.h"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/keel")

install(TARGETS keel_api keel EXPORT KeelTargets
        LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}"
        INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(EXPORT KeelTargets NAMESPACE Keel:: DESTINATION "${CMAKE_INSTALL_LIBDIR}/cmake/Keel")

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/KeelConfig.cmake.in"
  "${CMAKE_BINARY_DIR}/KeelConfig.cmake"
  INSTALL_DESTINATION "${CMAKE_INSTALL_LIBDIR}/cmake/Keel"
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR)
write_basic_package_version_file("${CMAKE_BINARY_DIR}/KeelConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}" COMPATIBILITY SameMajorVersion)
install(FILES "${CMAKE_BINARY_DIR}/KeelConfig.cmake" "${CMAKE_BINARY_DIR}/KeelConfigVersion.cmake"
              "${PROJECT_SOURCE_DIR}/cmake/KeelPlugin.cmake" "${PROJECT_SOURCE_DIR}/cmake/keel_plugin.map"
        DESTINATION "${CMAKE_INSTALL_LIBDIR}/cmake/Keel")

configure_file("${PROJECT_SOURCE_DIR}/cmake/keel.pc.in" "${CMAKE_BINARY_DIR}/keel.pc" @ONLY)
install(FILES "${CMAKE_BINARY_DIR}/keel.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
