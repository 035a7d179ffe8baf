# bench/tests/latency_cli.cmake - msgpool-bench --latency end to end, small:
#   - bad command lines refused with exit status 1 and a message that says why;
#   - a tiny --latency run whose latency.csv holds all three modes, the three
#     loads and the wake-up floor, each one-way row with its calibrated rate
#     and schedule verdict, and whose latency_calibration.csv holds the
#     unpaced calibration;
#   - --recommend --latency --p99-under with a bound every composition meets
#     (names one) and one none meets (says so).
# Run as: cmake -DBENCH=<msgpool-bench> -DWORK_DIR=<dir> -P latency_cli.cmake
cmake_minimum_required(VERSION 3.25)

include(${CMAKE_CURRENT_LIST_DIR}/expect_refused.cmake)

expect_refused("--p99-under goes with --recommend --latency" --p99-under 50)
expect_refused("--p99-under goes with --recommend --latency" --latency --p99-under 50)
expect_refused("--p99-under goes with --recommend --latency" --recommend --p99-under 50)
expect_refused("needs --p99-under" --recommend --latency)
expect_refused("'-5' is not a positive number of microseconds" --recommend --latency --p99-under=-5)
expect_refused("'fast' is not a positive number of microseconds" --recommend --latency --p99-under fast)
expect_refused("'0' is not a positive number of microseconds" --recommend --latency --p99-under 0)
expect_refused("--one-way-samples: 'many' is not a positive number" --latency --one-way-samples many)
expect_refused("--round-trips: '-3' is not a positive number" --latency --round-trips=-3)
expect_refused("--wake-ups goes with --latency" --wake-ups 10)
expect_refused("--latency runs its own modes and cells" --latency --compare-peers)
expect_refused("--latency runs its own modes and cells" --latency --shapes 2x2)
expect_refused("has no latency workload" --latency --systems boost::lockfree::queue)

set(common --messages 5000 --reps 1 --quiet --run-limit 60 --no-plots)
set(out_dir ${WORK_DIR}/run)
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${BENCH} --latency --one-way-samples 2000 --round-trips 500 --wake-ups 20 ${common}
                        -o ${out_dir}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "--latency smoke run: exit status ${rc}\n${out}${err}")
endif()
file(READ ${out_dir}/latest/latency.csv csv)
foreach(expected
        "^run_id,mode,system,cell,offered_load_percent,offered_mps,samples,p50_us,p90_us,p99_us,p99_9_us,p99_99_us,max_us,pacing_p50_us,pacing_p99_us,pacing_max_us,failure,base_mps,sent_mps,schedule"
        ",round trip,moodycamel::ConcurrentQueue,1x1 cap 1024 8 B,"
        ",one-way,cas_scan\\+condvar\\+inline_slots,1x1 cap 1024 16 B,10\\.0+,"
        ",one-way,tbb::concurrent_bounded_queue,4x4 cap 1024 16 B,50\\.0+,"
        ",one-way,mutex\\+condvar\\+deque,4x4 cap 1024 16 B,90\\.0+,"
        ",wake-up,moodycamel::BlockingConcurrentQueue,1x1 cap 1024 16 B,"
        ",wake-up,futex wait/wake \\(floor\\),1x1 futex word,,,20,")
    if(NOT csv MATCHES "${expected}")
        message(FATAL_ERROR "latency.csv has no line matching '${expected}':\n${csv}")
    endif()
endforeach()
if(csv MATCHES "one-way,moodycamel::ConcurrentQueue" OR csv MATCHES "wake-up,fetch_add_ring\\+spin")
    message(FATAL_ERROR "latency.csv measures a system in a mode it takes no part in:\n${csv}")
endif()
if(NOT EXISTS ${out_dir}/latest/summary.csv)
    message(FATAL_ERROR "--latency wrote no summary.csv for its throughput pass")
endif()
# Every one-way row carries its calibrated 100% and a schedule verdict.
string(REGEX MATCHALL "\n[^\n]*,one-way,[^\n]*" one_way_rows "${csv}")
list(LENGTH one_way_rows one_way_count)
if(one_way_count EQUAL 0)
    message(FATAL_ERROR "latency.csv has no one-way row:\n${csv}")
endif()
foreach(row IN LISTS one_way_rows)
    if(NOT row MATCHES ",[0-9.]+,[0-9.]+,(kept|LATE|BEHIND)$")
        message(FATAL_ERROR "a one-way row has no calibrated rate, sent rate and schedule verdict:${row}")
    endif()
endforeach()
file(READ ${out_dir}/latest/latency_calibration.csv calibration)
if(NOT calibration MATCHES "^run_id,system,cell,pass_mps,unpaced_mps,min_mps,max_mps,share_of_pass,runs,failure"
   OR NOT calibration MATCHES ",cas_scan\\+futex\\+inline_slots,4x4 cap 1024 16 B,[0-9.]+,[0-9.]+,")
    message(FATAL_ERROR "latency_calibration.csv is not the calibration of every system and cell:\n${calibration}")
endif()
if(NOT out MATCHES "schedule: kept, or BEHIND")
    message(FATAL_ERROR "the text report does not explain the schedule verdict:\n${out}")
endif()

foreach(case "1000000;fastest under the bound: " "0.001;none: no composition's one-way p99")
    list(GET case 0 bound)
    list(GET case 1 answer)
    execute_process(COMMAND ${BENCH} --recommend --latency --p99-under ${bound} --shape 2x2 --one-way-samples 2000
                            ${common} -o ${WORK_DIR}/recommend
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0 OR NOT out MATCHES "${answer}")
        message(FATAL_ERROR "--recommend --latency --p99-under ${bound}: exit status ${rc}, expected '${answer}':\n${out}${err}")
    endif()
endforeach()
message(STATUS "latency CLI: refusals, a smoke run with every mode, and both answers of --recommend --latency")
