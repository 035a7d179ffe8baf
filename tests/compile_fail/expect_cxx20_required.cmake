# Compiles needs_cxx20.cpp with -std=c++17, including HEADER: it must fail, and
# the first error must be require_cpp20.hpp's "msgpool needs C++20", and the
# compiler must stop there: no error from the rest of msgpool follows it.
# Inputs: CXX SOURCE_DIR HEADER
execute_process(
    COMMAND ${CXX} -std=c++17 -fsyntax-only -I${SOURCE_DIR}/include -I${SOURCE_DIR}/policies "-DHEADER=<${HEADER}>"
            ${SOURCE_DIR}/tests/compile_fail/needs_cxx20.cpp
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
    message(FATAL_ERROR "<${HEADER}> compiled with -std=c++17")
endif()
string(REGEX MATCH "[^\n]*error[^\n]*" first_error "${out}${err}")
if(NOT first_error MATCHES "msgpool needs C\\+\\+20")
    message(FATAL_ERROR "<${HEADER}> with -std=c++17: the first error is not msgpool's:\n${first_error}\n\n${err}")
endif()
string(REGEX MATCHALL ": (fatal )?error:" errors "${out}${err}")
list(LENGTH errors n_errors)
if(n_errors GREATER 2)  # the #error and the fatal include that ends the compilation
    message(FATAL_ERROR "<${HEADER}> with -std=c++17: ${n_errors} errors instead of one message:\n${err}")
endif()
message(STATUS "<${HEADER}> with -std=c++17: ${first_error}")
