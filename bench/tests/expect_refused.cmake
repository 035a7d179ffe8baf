# bench/tests/expect_refused.cmake - expect_refused(<message regex> <args>...):
# run ${BENCH} with <args> and fail the calling script unless it exits with
# status 1 and its standard error matches <message regex>: a command line
# msgpool-bench must refuse, with a message that says why.  Included by the
# end-to-end scripts of bench/tests.
function(expect_refused message)
    execute_process(COMMAND ${BENCH} ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 1)
        message(FATAL_ERROR "msgpool-bench ${ARGN}: exit status ${rc}, expected 1\n${out}${err}")
    endif()
    if(NOT err MATCHES "${message}")
        message(FATAL_ERROR "msgpool-bench ${ARGN}: expected a message matching '${message}', got:\n${err}")
    endif()
endfunction()
