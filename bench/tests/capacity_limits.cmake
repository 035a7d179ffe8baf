# bench/tests/capacity_limits.cmake - capacities above a system's own limit,
# end to end, small:
#   - a cell above boost::lockfree::queue's limit (65534) is measured for the
#     other systems and skipped for that one, and the text, results.md,
#     results.json and summary.csv say "not measured: capacity above its
#     limit of 65534"; the run succeeds;
#   - a capacity that no system selected takes is refused (exit status 1)
#     with a message that says so;
#   - a cell whose pool would not fit in physical memory is refused with a
#     message that says so (--capacities, --recommend --capacity, a goals
#     file), never started.
# Run as: cmake -DBENCH=<msgpool-bench> -DWORK_DIR=<dir> -P capacity_limits.cmake
cmake_minimum_required(VERSION 3.25)

include(${CMAKE_CURRENT_LIST_DIR}/expect_refused.cmake)

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# The skip and its note.
set(note "not measured: capacity above its limit of 65534")
execute_process(COMMAND ${BENCH} --systems boost::lockfree::queue,ring_pool --capacities 1024,65535 --shapes 1x1
                        --reps 1 --messages 2000 --quiet --no-plots --run-limit 60 -o ${WORK_DIR}/skip
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "a run with a cell above a system's limit: exit status ${rc}\n${out}${err}")
endif()
if(NOT out MATCHES "boost::lockfree::queue in 1x1 cap 65535 8 B: ${note}")
    message(FATAL_ERROR "the text does not say why boost::lockfree::queue was not measured:\n${out}")
endif()
foreach(file results.txt results.md results.json summary.csv)
    file(READ ${WORK_DIR}/skip/latest/${file} text)
    if(NOT text MATCHES "${note}")
        message(FATAL_ERROR "${file} does not say '${note}':\n${text}")
    endif()
endforeach()
# summary.csv: the skipped row says why, the measured rows ran (cap 65535 for
# ring_pool, cap 1024 for both).
file(STRINGS ${WORK_DIR}/skip/latest/summary.csv rows)
set(seen_ring FALSE)
set(seen_skip FALSE)
set(seen_boost_1024 FALSE)
foreach(row IN LISTS rows)
    if(row MATCHES "1x1 cap 65535 8 B,.*fetch_add_ring\\+futex\\+inline_slots,.*,true,")
        set(seen_ring TRUE)
    endif()
    if(row MATCHES "1x1 cap 65535 8 B,.*boost::lockfree::queue,.*,${note}$")
        set(seen_skip TRUE)
    endif()
    if(row MATCHES "1x1 cap 1024 8 B,.*boost::lockfree::queue,.*,true,")
        set(seen_boost_1024 TRUE)
    endif()
endforeach()
if(NOT seen_ring OR NOT seen_skip OR NOT seen_boost_1024)
    message(FATAL_ERROR "summary.csv: ring_pool measured at 65535 (${seen_ring}), boost::lockfree::queue skipped "
                        "there with the note (${seen_skip}) and measured at 1024 (${seen_boost_1024}):\n${rows}")
endif()
file(READ ${WORK_DIR}/skip/latest/runs.csv runs)
if(runs MATCHES "65535,8,boost::lockfree::queue")
    message(FATAL_ERROR "runs.csv holds a run of boost::lockfree::queue above its limit:\n${runs}")
endif()

# A goal whose reference is skipped in its cell is not measured, and says why.
file(WRITE ${WORK_DIR}/skip-goal.json [=[
{ "goals": [ { "name": "ring over boost", "measure": "throughput_ratio", "subject": "ring_pool",
               "reference": "boost::lockfree::queue", "cells": [ { "shape": "1x1", "capacity": 65535 } ],
               "at_least": 1 } ] }
]=])
execute_process(COMMAND ${BENCH} --goals ${WORK_DIR}/skip-goal.json --reps 1 --messages 2000 --idle-seconds 0.05
                        --quiet --no-plots --run-limit 60 -o ${WORK_DIR}/goal
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "not measured.*boost::lockfree::queue: ${note}")
    message(FATAL_ERROR "a goal whose reference is above its limit: exit status ${rc}, expected 0 and "
                        "'not measured ... ${note}':\n${out}${err}")
endif()

# The plan counts only the runs made: ring_pool's 3, none of boost::lockfree::queue.
execute_process(COMMAND ${BENCH} --goals ${WORK_DIR}/skip-goal.json --reps 3 --messages 2000 --estimate --quiet
                        --run-limit 60
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "plan: 2 systems x 1 cells x 3 repetitions = 3 runs")
    message(FATAL_ERROR "--estimate with a system above its limit: exit status ${rc}, expected 0 and a plan of "
                        "3 runs:\n${out}${err}")
endif()

# The refusals.
expect_refused("--capacities: capacity 65535 is above the limit of every system selected \\(the largest takes 65534\\)"
               --systems boost::lockfree::queue --capacities 65535)
expect_refused("--capacities: a pool of capacity 1099511627776 with 8-byte messages would not fit in memory"
               --capacities 1099511627776)
expect_refused("--capacities: a pool of capacity 68719476736 with 4096-byte messages would not fit in memory"
               --systems ring_pool --capacities 68719476736 --sizes 4096)
expect_refused("--capacity: a pool of capacity 1099511627776 with 8-byte messages would not fit in memory"
               --recommend --capacity 1099511627776)
expect_refused("--capacity: a pool of capacity 1099511627776 with 16-byte messages would not fit in memory"
               --recommend --latency --p99-under 50 --capacity 1099511627776)
file(WRITE ${WORK_DIR}/huge-goal.json [=[
{ "goals": [ { "name": "huge", "measure": "throughput_ratio", "subject": "ring_pool", "reference": "pool",
               "cells": [ { "shape": "1x1", "capacity": 1099511627776 } ], "at_least": 1 } ] }
]=])
expect_refused("--goals: a pool of capacity 1099511627776 with 8-byte messages would not fit in memory"
               --goals ${WORK_DIR}/huge-goal.json)
