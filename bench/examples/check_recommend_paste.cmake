# Runs msgpool-bench --recommend for 3 producers x 5 consumers, capacity 500,
# 24-byte messages; checks that it names a blocking and a spinning winner,
# each with its CPU per message and a type to paste, and (when gnuplot is
# installed) draws the ranked chart; pastes each type into
# recommended_pool.cpp, builds it and runs it.
# Inputs: BENCH CXX SOURCE_DIR WORK_DIR
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
execute_process(
    COMMAND ${BENCH} --recommend --shape 3x5 --capacity 500 --size 24 --reps 3 --messages 20000
            --idle-seconds 0.05 --quiet --run-limit 120 --output ${WORK_DIR}/results
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "msgpool-bench --recommend failed (${rc}):\n${out}\n${err}")
endif()
foreach(kind blocking spinning)
    if(NOT out MATCHES "\n${kind} [^\n]*\n[^\n]*\n[^\n]* CPU s per million messages")
        message(FATAL_ERROR "no ${kind} winner with its CPU per message:\n${out}")
    endif()
endforeach()
find_program(GNUPLOT gnuplot)
if(GNUPLOT)
    foreach(ext png svg)
        if(NOT out MATCHES "plots/ranked_3x5_cap500_32B\\.${ext}" OR
           NOT EXISTS ${WORK_DIR}/results/latest/plots/ranked_3x5_cap500_32B.${ext})
            message(FATAL_ERROR "no ranked chart plots/ranked_3x5_cap500_32B.${ext}:\n${out}")
        endif()
    endforeach()
else()
    message(STATUS "gnuplot is not installed: the ranked chart is not checked")
endif()
string(REGEX MATCHALL "\n  use: [^\n]+" uses "${out}")
list(LENGTH uses n_uses)
if(NOT n_uses EQUAL 2)
    message(FATAL_ERROR "expected two types to paste (blocking, spinning), found ${n_uses}:\n${out}")
endif()
set(i 0)
foreach(use IN LISTS uses)
    string(REGEX REPLACE "^\n  use: " "" type "${use}")
    math(EXPR i "${i} + 1")
    set(exe ${WORK_DIR}/recommended_${i})
    execute_process(
        COMMAND ${CXX} -std=c++20 -O1 -pthread -I${SOURCE_DIR}/include -I${SOURCE_DIR}/policies
                "-DMSGPOOL_RECOMMENDED=${type}" "-DMSGPOOL_RECOMMENDED_TEXT=\"${type}\""
                ${SOURCE_DIR}/bench/examples/recommended_pool.cpp -o ${exe}
        RESULT_VARIABLE rc ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "the recommended type does not compile when pasted: ${type}\n${err}")
    endif()
    execute_process(COMMAND ${exe} RESULT_VARIABLE rc OUTPUT_VARIABLE run_out ERROR_VARIABLE err TIMEOUT 120)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "the recommended type compiled but its run failed (${rc}): ${type}\n${run_out}${err}")
    endif()
    message(STATUS "${run_out}")
endforeach()
