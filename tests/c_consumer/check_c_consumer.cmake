# Builds and runs tests/c_consumer/ as a C project outside msgpool would:
#   MODE=package       install msgpool into a scratch prefix; then
#                      - find_package(msgpool CONFIG REQUIRED), link msgpool::c (shared)
#                      - the same with msgpool::c_static
#                      - no CMake at all, as the original's users built:
#                        cc -std=c99 -pedantic main.c -I<prefix>/include -L<prefix>/lib -lmsgpool_c -lpthread
#                        and the static archive, linked by the C++ driver;
#                      and tests/c/later/test.c with -std=gnu99 -DMSGPOOL_LATER_API,
#                      run in each blocking mode
#   MODE=subdirectory  add_subdirectory(<this checkout>), shared and static
# Fails (FATAL_ERROR) if any step, including the program's own checks, fails.
# Inputs: MODE SOURCE_DIR BUILD_DIR WORK_DIR CC CXX LIBDIR
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(step)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "c_consumer (${MODE}) step failed: ${ARGN}\n${out}\n${err}")
    endif()
    message(STATUS "${ARGN}\n${out}${err}")
endfunction()

set(project "${SOURCE_DIR}/tests/c_consumer")
if(MODE STREQUAL "package")
    set(prefix "${WORK_DIR}/prefix")
    step(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")
    set(where "-DCMAKE_PREFIX_PATH=${prefix}")
else()
    set(where "-DMSGPOOL_SOURCE_DIR=${SOURCE_DIR}")
endif()

foreach(link shared static)
    set(build "${WORK_DIR}/build-${link}")
    step(${CMAKE_COMMAND} -S "${project}" -B "${build}" -DCMAKE_C_COMPILER=${CC} -DCMAKE_CXX_COMPILER=${CXX}
         -DCMAKE_BUILD_TYPE=Release -DCONSUMER_MODE=${MODE} -DCONSUMER_LINK=${link} ${where})
    step(${CMAKE_COMMAND} --build "${build}" -j 2)
    step("${build}/c_consumer")
endforeach()

if(MODE STREQUAL "package")
    set(cflags -std=c99 -pedantic -Wall -Wextra -Werror "-I${prefix}/include")
    step(${CC} ${cflags} "${project}/main.c" -o "${WORK_DIR}/plain_shared"
         "-L${prefix}/${LIBDIR}" -lmsgpool_c -lpthread "-Wl,-rpath,${prefix}/${LIBDIR}")
    step("${WORK_DIR}/plain_shared")
    step(${CC} ${cflags} -c "${project}/main.c" -o "${WORK_DIR}/main.o")
    step(${CXX} "${WORK_DIR}/main.o" -o "${WORK_DIR}/plain_static" "${prefix}/${LIBDIR}/libmsgpool_c.a" -lpthread)
    step("${WORK_DIR}/plain_static")

    # A program of the original's last version (tests/c/later/test.c, with its
    # own thread_pause.h), unchanged, against the installed header and
    # library: 8 producers, 8 consumers, a pool of 100, 1,000,000 messages in
    # each blocking mode, each run within 120 s.
    step(${CC} -std=gnu99 -DMSGPOOL_LATER_API -Wall -Wextra -Werror "-I${prefix}/include"
         "${SOURCE_DIR}/tests/c/later/test.c" -o "${WORK_DIR}/later_test"
         "-L${prefix}/${LIBDIR}" -lmsgpool_c -lpthread "-Wl,-rpath,${prefix}/${LIBDIR}")
    foreach(mode s y m)
        execute_process(COMMAND "${WORK_DIR}/later_test" -p 8 -c 8 -q 100 -n 1000000 -${mode}
                        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
        if(NOT rc EQUAL 0 OR NOT out MATCHES "Done\\.")
            message(FATAL_ERROR "c_consumer (${MODE}) later test program -${mode} failed (${rc}):\n${out}\n${err}")
        endif()
        message(STATUS "later test program -${mode}:\n${out}")
    endforeach()
endif()
