# Runs the shared-memory example pair as two processes at once (an
# execute_process pipeline starts its commands together), each bounded by
# TIMEOUT, and removes the segment whatever happened.
#   cmake -DPRODUCER=... -DCONSUMER=... -P run_shared_pair.cmake
string(RANDOM LENGTH 12 ALPHABET "abcdefghijklmnopqrstuvwxyz0123456789" suffix)
set(name "/msgpool-example-${suffix}")
execute_process(
    COMMAND ${PRODUCER} ${name} 200000
    COMMAND ${CONSUMER} ${name} 200000
    RESULTS_VARIABLE codes
    TIMEOUT 100)
file(REMOVE "/dev/shm${name}")
if(NOT codes STREQUAL "0;0")
    message(FATAL_ERROR "shared example pair failed: exit codes ${codes} (producer;consumer)")
endif()
message(STATUS "shared example pair: both processes succeeded")
