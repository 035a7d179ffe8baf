# Compiles FILE, which must fail, and checks the diagnostic contains EXPECTED.
execute_process(
    COMMAND ${CXX} -std=c++20 -fsyntax-only -I${SOURCE_DIR}/include -I${SOURCE_DIR}/policies ${FILE}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
    message(FATAL_ERROR "${FILE} compiled, but it must be rejected")
endif()
string(FIND "${out}${err}" "${EXPECTED}" at)
if(at EQUAL -1)
    message(FATAL_ERROR "${FILE} was rejected, but the diagnostic does not say '${EXPECTED}':\n${err}")
endif()
message(STATUS "${FILE}: rejected with '${EXPECTED}'")
