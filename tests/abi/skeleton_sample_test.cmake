# cmake -DKEEL_BUILD_DIR=<build> -DSAMPLE_DIR=<samples/skeleton_plugin> -DWORK_DIR=<scratch> -DGENERATOR=<gen>
#       [-DC_COMPILER=<cc>] -DEXPORT_CHECK=<keel_export_check> -P skeleton_sample_test.cmake
#
# The vendor template end to end, the way a vendor uses it: install Keel into a fresh prefix, configure and
# build the skeleton against it with find_package(Keel), check that it exports only the two entry points,
# and find its device with the installed `keel devices`, through KEEL_PLUGIN_PATH and through its manifest.
cmake_minimum_required(VERSION 3.25)

foreach(required KEEL_BUILD_DIR SAMPLE_DIR WORK_DIR GENERATOR EXPORT_CHECK)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "skeleton_sample_test.cmake: -D${required}=... is required")
  endif()
endforeach()

# run(<what> <command>...): runs the command, fails the test with its output when it exits non-zero, and
# leaves the output in RUN_OUTPUT.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${what} failed (${result}):\n${ARGN}\n${output}")
  endif()
  message(STATUS "${what}: ok")
  set(RUN_OUTPUT "${output}" PARENT_SCOPE)
endfunction()

# expect_in(<what> <text> <needle>): fails the test unless <needle> occurs in <text>.
function(expect_in what text needle)
  string(FIND "${text}" "${needle}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${what}: expected '${needle}' in:\n${text}")
  endif()
endfunction()

set(prefix "${WORK_DIR}/prefix")
set(build "${WORK_DIR}/build")
set(no_manifests "${WORK_DIR}/no_manifests")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${prefix}" "${build}" "${no_manifests}")

run("install Keel into ${prefix}" "${CMAKE_COMMAND}" --install "${KEEL_BUILD_DIR}" --prefix "${prefix}")

set(configure_args -S "${SAMPLE_DIR}" -B "${build}" -G "${GENERATOR}" "-DCMAKE_PREFIX_PATH=${prefix}"
                   -DCMAKE_BUILD_TYPE=RelWithDebInfo)
if(C_COMPILER)
  list(APPEND configure_args "-DCMAKE_C_COMPILER=${C_COMPILER}")
endif()
run("configure the skeleton" "${CMAKE_COMMAND}" ${configure_args})
run("build the skeleton" "${CMAKE_COMMAND}" --build "${build}")

file(GLOB_RECURSE libraries "${build}/libkeel_skeleton.so")
file(GLOB_RECURSE manifests "${build}/skeleton.json")
list(LENGTH libraries library_count)
list(LENGTH manifests manifest_count)
if(NOT library_count EQUAL 1 OR NOT manifest_count EQUAL 1)
  message(FATAL_ERROR "expected one libkeel_skeleton.so and one skeleton.json under ${build}, "
                      "found: ${libraries} ${manifests}")
endif()
get_filename_component(plugin_dir "${libraries}" DIRECTORY)
get_filename_component(manifest_dir "${manifests}" DIRECTORY)

run("export check" "${EXPORT_CHECK}" "${libraries}")

set(keel "${prefix}/bin/keel")
run("keel devices (KEEL_PLUGIN_PATH)"
    "${CMAKE_COMMAND}" -E env "KEEL_PLUGIN_PATH=${plugin_dir}" "KEEL_MANIFEST_DIR=${no_manifests}" "${keel}" devices)
expect_in("keel devices (KEEL_PLUGIN_PATH)" "${RUN_OUTPUT}" "skeleton:0")

run("keel plugins (KEEL_PLUGIN_PATH)"
    "${CMAKE_COMMAND}" -E env "KEEL_PLUGIN_PATH=${plugin_dir}" "KEEL_MANIFEST_DIR=${no_manifests}" "${keel}" plugins)
expect_in("keel plugins (KEEL_PLUGIN_PATH)" "${RUN_OUTPUT}" "libkeel_skeleton.so")

run("keel devices (manifest)" "${CMAKE_COMMAND}" -E env --unset=KEEL_PLUGIN_PATH "KEEL_MANIFEST_DIR=${manifest_dir}"
    "${keel}" devices)
expect_in("keel devices (manifest)" "${RUN_OUTPUT}" "skeleton:0")
