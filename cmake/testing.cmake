# msgpool::testing, the `testing` component: what a project needs to test its
# own policy the way msgpool tests its own (docs/extending.md).
#
#   libmsgpool_testing.a           the deterministic scheduler (tests/dsched/scheduler.cpp)
#   <msgpool/testing/dsched/...>   the scheduler, its sync family, the scenarios and
#                                  litmus tests (scenario_suite.hpp, litmus.hpp: Boost.Test cases)
#   <msgpool/testing/conformance/...>  the conformance suite (Boost.Test cases) and its workload
#   <msgpool/testing/support/...>  compositions as types, lifetime counting, threads,
#                                  stress sizes, the hang watchdog (a Boost.Test fixture)
#
# The suite, the scenario and litmus cases and the watchdog are Boost.Test
# test cases, so the target links Boost::unit_test_framework (1.81) and
# defines BOOST_TEST_DYN_LINK when that library is the shared one.  The
# headers are the test tree's own files, installed as they are: they include
# each other by relative paths, which hold in both places.
find_package(Boost ${MSGPOOL_BOOST_VERSION} CONFIG REQUIRED COMPONENTS unit_test_framework)

add_library(msgpool_testing STATIC ${PROJECT_SOURCE_DIR}/tests/dsched/scheduler.cpp)
add_library(msgpool::testing ALIAS msgpool_testing)
target_link_libraries(msgpool_testing PUBLIC msgpool INTERFACE Boost::unit_test_framework)
target_compile_definitions(msgpool_testing INTERFACE
    $<$<STREQUAL:$<TARGET_PROPERTY:Boost::unit_test_framework,TYPE>,SHARED_LIBRARY>:BOOST_TEST_DYN_LINK>)
set_target_properties(msgpool_testing PROPERTIES EXPORT_NAME testing POSITION_INDEPENDENT_CODE ON)

set(msgpool_testing_headers_support
    support/compositions.hpp support/lifetime_counter.hpp support/run_threads.hpp
    support/stress.hpp support/watchdog.hpp support/reached_wait.hpp)
set(msgpool_testing_headers_conformance
    conformance/suite.hpp conformance/workload.hpp)
set(msgpool_testing_headers_dsched
    dsched/scheduler.hpp dsched/sync_family.hpp dsched/checked.hpp dsched/driver.hpp
    dsched/scenarios.hpp dsched/scenario_suite.hpp dsched/litmus.hpp dsched/compositions.hpp)
