# Builds and runs tests/consumer/ as a project outside msgpool would:
#   MODE=package       install msgpool (BUILD_DIR) into a scratch prefix, or use PREFIX,
#                      an install made elsewhere; find_package(msgpool CONFIG REQUIRED
#                      [COMPONENTS index_queue]); build and run the consumer programs
#   MODE=subdirectory  add_subdirectory(<this checkout>) with Boost and oneTBB out of
#                      reach: msgpool configures as a subproject, adds none of its tests
#                      (the consumer's ctest lists only the consumer's own) and no install
#                      rules (an install holds only the consumer's programs)
# INDEX_QUEUE=OFF (package mode) skips the index_queue component and the program that needs
# it, and hides Boost from find_package: the package must be found without it.
# Fails (FATAL_ERROR) if any step, including the consumer's own checks, fails.
# CXX_FLAGS (optional) are the consumer's compile flags, e.g. warnings as errors: msgpool's
# headers must compile cleanly in a user's strictest build.
# Inputs: MODE SOURCE_DIR WORK_DIR CXX, and BUILD_DIR or PREFIX (package mode), INDEX_QUEUE, CXX_FLAGS
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
if(NOT DEFINED INDEX_QUEUE)
    set(INDEX_QUEUE ON)
endif()

function(step)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "consumer (${MODE}) step failed: ${ARGN}\n${out}\n${err}")
    endif()
    message(STATUS "${out}")
    set(step_output "${out}" PARENT_SCOPE)
endfunction()

set(args -S "${SOURCE_DIR}/tests/consumer" -B "${WORK_DIR}/build" -DCMAKE_CXX_COMPILER=${CXX}
         -DCMAKE_BUILD_TYPE=Release -DCONSUMER_MODE=${MODE} -DCONSUMER_INDEX_QUEUE=${INDEX_QUEUE}
         "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}")
if(MODE STREQUAL "package")
    if(NOT PREFIX)
        set(PREFIX "${WORK_DIR}/prefix")
        step(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${PREFIX}")
    endif()
    list(APPEND args "-DCMAKE_PREFIX_PATH=${PREFIX}")
    if(NOT INDEX_QUEUE)
        list(APPEND args -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON)
    endif()
else()
    list(APPEND args "-DMSGPOOL_SOURCE_DIR=${SOURCE_DIR}" -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON
                     -DCMAKE_DISABLE_FIND_PACKAGE_TBB=ON)
endif()
step(${CMAKE_COMMAND} ${args})
step(${CMAKE_COMMAND} --build "${WORK_DIR}/build" -j 2)
step("${WORK_DIR}/build/consumer")
step("${WORK_DIR}/build/consumer_version")
if(MODE STREQUAL "package" AND INDEX_QUEUE)
    step("${WORK_DIR}/build/consumer_compositions")
endif()

if(MODE STREQUAL "subdirectory")
    # Only the consumer's two tests: none of msgpool's.
    step(${CMAKE_CTEST_COMMAND} --test-dir "${WORK_DIR}/build" -N)
    if(NOT step_output MATCHES "Total Tests: 2\n")
        message(FATAL_ERROR "consumer (subdirectory): msgpool added tests to its parent project:\n${step_output}")
    endif()
    # Only the consumer's programs: msgpool's install rules are off (MSGPOOL_INSTALL).
    step(${CMAKE_COMMAND} --install "${WORK_DIR}/build" --prefix "${WORK_DIR}/prefix")
    file(GLOB_RECURSE installed RELATIVE "${WORK_DIR}/prefix" "${WORK_DIR}/prefix/*")
    list(SORT installed)
    if(NOT installed STREQUAL "bin/consumer;bin/consumer_version")
        message(FATAL_ERROR "consumer (subdirectory): the install holds more than the consumer's programs: ${installed}")
    endif()
endif()
