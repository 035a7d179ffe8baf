# Builds and runs tests/consumer/ as a project outside msgpool would:
#   MODE=package       install msgpool into a scratch prefix, find_package(msgpool CONFIG REQUIRED)
#   MODE=subdirectory  add_subdirectory(<this checkout>)
# Fails (FATAL_ERROR) if any step, including the consumer's own checks, fails.
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(step)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "consumer (${MODE}) step failed: ${ARGN}\n${out}\n${err}")
    endif()
    message(STATUS "${out}")
endfunction()

set(args -S "${SOURCE_DIR}/tests/consumer" -B "${WORK_DIR}/build" -DCMAKE_CXX_COMPILER=${CXX}
         -DCMAKE_BUILD_TYPE=Release -DCONSUMER_MODE=${MODE})
if(MODE STREQUAL "package")
    step(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${WORK_DIR}/prefix")
    list(APPEND args "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix")
else()
    list(APPEND args "-DMSGPOOL_SOURCE_DIR=${SOURCE_DIR}")
endif()
step(${CMAKE_COMMAND} ${args})
step(${CMAKE_COMMAND} --build "${WORK_DIR}/build" -j 2)
step("${WORK_DIR}/build/consumer")
if(MODE STREQUAL "package")
    step("${WORK_DIR}/build/consumer_compositions")
endif()
