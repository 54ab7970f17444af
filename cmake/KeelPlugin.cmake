# keel_add_plugin(<name> SOURCES <src>... [LIBRARIES <lib>...] [NO_INSTALL])
#
# Builds libkeel_<name>.so as a MODULE that includes only the Keel api/ headers (Keel::api), exports exactly
# the two entry points (keel_plugin_probe, keel_plugin_init) and never links libkeel. Writes a discovery
# manifest <name>.json next to the other manifests of this tree and installs both unless NO_INSTALL.
# Used in-tree and, installed beside KeelConfig.cmake, by out-of-tree vendor plugins.
include_guard(GLOBAL)
include(GNUInstallDirs)

set(KEEL_PLUGIN_VERSION_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/keel_plugin.map" CACHE INTERNAL "")
if(NOT DEFINED KEEL_PLUGIN_DIR)
  set(KEEL_PLUGIN_DIR "${CMAKE_INSTALL_LIBDIR}/keel")
endif()
if(NOT DEFINED KEEL_MANIFEST_DIR)
  set(KEEL_MANIFEST_DIR "${CMAKE_INSTALL_DATADIR}/keel/plugins.d")
endif()
# The ABI version of the headers plugins compile against, for the manifest (KEEL_API_INCLUDE_DIR is set by
# the top-level CMakeLists.txt in-tree and by KeelConfig.cmake when installed).
file(STRINGS "${KEEL_API_INCLUDE_DIR}/keel/keel_types.h" _keel_abi_lines
     REGEX "^#define KEEL_ABI_VERSION_(MAJOR|MINOR) [0-9]+$")
string(REGEX REPLACE ".*MAJOR ([0-9]+).*MINOR ([0-9]+).*" "\\1.\\2" KEEL_PLUGIN_ABI_VERSION "${_keel_abi_lines}")
file(RELATIVE_PATH _keel_plugin_dir_from_manifests "/prefix/${KEEL_MANIFEST_DIR}" "/prefix/${KEEL_PLUGIN_DIR}")

function(keel_add_plugin name)
  cmake_parse_arguments(ARG "NO_INSTALL" "" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT name MATCHES "^[a-z0-9_]+$")
    message(FATAL_ERROR "keel_add_plugin: plugin name '${name}' must match [a-z0-9_]+")
  endif()
  set(target keel_${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  set_target_properties(${target} PROPERTIES
    PREFIX "lib"
    OUTPUT_NAME "keel_${name}"
    LIBRARY_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/${KEEL_PLUGIN_DIR}"
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS "${KEEL_PLUGIN_VERSION_SCRIPT}")
  target_link_libraries(${target} PRIVATE Keel::api ${ARG_LIBRARIES})
  # Export exactly the two entry points; refuse undefined symbols so a plugin cannot lean on libkeel.
  target_link_options(${target} PRIVATE "LINKER:--version-script=${KEEL_PLUGIN_VERSION_SCRIPT}")
  if(NOT KEEL_SANITIZE)
    target_link_options(${target} PRIVATE "LINKER:--no-undefined")
  endif()

  set(manifest "${CMAKE_BINARY_DIR}/${KEEL_MANIFEST_DIR}/${name}.json")
  file(WRITE "${manifest}"
"{\n  \"name\": \"${name}\",\n  \"library\": \"${_keel_plugin_dir_from_manifests}/libkeel_${name}.so\",\n  \"abi_version\": \"${KEEL_PLUGIN_ABI_VERSION}\"\n}\n")
  if(NOT ARG_NO_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION "${KEEL_PLUGIN_DIR}")
    install(FILES "${manifest}" DESTINATION "${KEEL_MANIFEST_DIR}")
  endif()
endfunction()
