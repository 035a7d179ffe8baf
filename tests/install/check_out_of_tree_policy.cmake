# A policy written outside msgpool, tested with the installed testing component:
#   1. install this build (BUILD_DIR, made with MSGPOOL_INSTALL_TESTING=ON) into a scratch prefix,
#      or use PREFIX, an install made elsewhere;
#   2. configure tests/install/out_of_tree_policy/ against it alone (find_package(msgpool
#      CONFIG REQUIRED COMPONENTS testing)), build it, and run both of its programs: the
#      conformance suite and the deterministic scenarios and litmus tests over compositions
#      that use the project's own wait policy; each must report every test case passed;
#   3. the component is refused, saying why, when Boost is out of reach, and on PLAIN_PREFIX
#      (an install made without it: install_prefix's) when that exists.
# Fails (FATAL_ERROR) if any step fails.  Inputs: SOURCE_DIR WORK_DIR CXX, BUILD_DIR or PREFIX, PLAIN_PREFIX
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(step)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "out_of_tree_policy step failed: ${ARGN}\n${out}\n${err}")
    endif()
    message(STATUS "${ARGN}\n${out}${err}")
    set(step_output "${out}${err}" PARENT_SCOPE)
endfunction()

# refused(why_regex, extra configure arguments...): configuring the project must fail, saying why.
function(refused why)
    execute_process(COMMAND ${CMAKE_COMMAND} -S "${project}" -B "${WORK_DIR}/refused" -DCMAKE_CXX_COMPILER=${CXX}
                            ${ARGN}
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    file(REMOVE_RECURSE "${WORK_DIR}/refused")
    if(rc EQUAL 0)
        message(FATAL_ERROR "out_of_tree_policy: the testing component was found with ${ARGN}\n${out}")
    endif()
    if(NOT err MATCHES "${why}")
        message(FATAL_ERROR "out_of_tree_policy: with ${ARGN} the refusal does not say why:\n${err}")
    endif()
    message(STATUS "with ${ARGN}, find_package(msgpool COMPONENTS testing) says:\n${err}")
endfunction()

set(project "${SOURCE_DIR}/tests/install/out_of_tree_policy")
set(build "${WORK_DIR}/build")
if(PREFIX)
    set(prefix "${PREFIX}")
else()
    set(prefix "${WORK_DIR}/prefix")
    step(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")
endif()
foreach(file IN ITEMS include/msgpool/testing/conformance/suite.hpp include/msgpool/testing/dsched/scheduler.hpp
                      include/msgpool/testing/dsched/scenario_suite.hpp include/msgpool/testing/support/watchdog.hpp)
    if(NOT EXISTS "${prefix}/${file}")
        message(FATAL_ERROR "out_of_tree_policy: ${file} is not installed")
    endif()
endforeach()

step(${CMAKE_COMMAND} -S "${project}" -B "${build}" -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=Release
     "-DCMAKE_PREFIX_PATH=${prefix}")
step(${CMAKE_COMMAND} --build "${build}" -j 2)
foreach(program IN ITEMS conformance_yield_then_sleep dsched_yield_then_sleep)
    step("${build}/${program}" --log_level=test_suite --report_level=short)
    if(NOT step_output MATCHES "([0-9]+) test cases? out of ([0-9]+) passed")
        message(FATAL_ERROR "out_of_tree_policy: ${program} printed no count of passed test cases")
    endif()
    if(NOT CMAKE_MATCH_1 EQUAL CMAKE_MATCH_2 OR CMAKE_MATCH_1 EQUAL 0)
        message(FATAL_ERROR "out_of_tree_policy: ${program}: ${CMAKE_MATCH_1} of ${CMAKE_MATCH_2} test cases passed")
    endif()
    message(STATUS "${program}: ${CMAKE_MATCH_1} test cases out of ${CMAKE_MATCH_2} passed")
endforeach()

refused("needs Boost.Test" "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON)
if(PLAIN_PREFIX AND EXISTS "${PLAIN_PREFIX}/include/msgpool/pool.hpp")
    refused("made without it" "-DCMAKE_PREFIX_PATH=${PLAIN_PREFIX}")
endif()
