# Packaging checks on one plain install of msgpool, as a library author gets it.
#
#   MODE=prefix        configure this checkout as its own project with -DBUILD_TESTING=OFF and
#                      Boost and oneTBB out of reach: it must configure (no Boost.Test, no
#                      oneTBB, no moodycamel, no test and no bench), build (libmsgpool_c:
#                      only the C++ compiler) and install into PREFIX, with every file a
#                      user needs (the fixture the other modes use)
#   MODE=components    find_package(msgpool COMPONENTS index_queue): refused with a readable
#                      message when Boost is out of reach; accepted when it is (HAVE_BOOST)
#   MODE=pkg_config    compile and run a C++ consumer with `pkg-config msgpool` and the C
#                      consumer with `pkg-config msgpool_c`, shared and static (a C driver
#                      linking the static archive with `--static` flags)
#   MODE=file_list     the installed tree holds the library and nothing else: every file of
#                      the install, compared with tests/install/installed_files.txt (kept in
#                      the tree; a file added to or removed from the install is a change to
#                      that list, made on purpose)
#   MODE=bare_include  compile and run the C++ consumer with nothing but -I<prefix>/include,
#                      and prove that neither <msgpool/pool.hpp> nor <msgpool/compositions.hpp>
#                      (every policy but claim::index_queue) reads a Boost header
# Fails (FATAL_ERROR) if any step, including a program's own checks, fails.
# Inputs: MODE SOURCE_DIR WORK_DIR PREFIX CC CXX VERSION, LIBDIR, PKG_CONFIG, HAVE_BOOST
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# step(command...): runs it, fails the test if it fails; its stdout in step_output.
function(step)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "install (${MODE}) step failed: ${ARGN}\n${out}\n${err}")
    endif()
    message(STATUS "${ARGN}\n${out}${err}")
    set(step_output "${out}" PARENT_SCOPE)
endfunction()

string(REPLACE "." ";" version_parts "${VERSION}")
list(GET version_parts 0 major)
list(GET version_parts 1 minor)
list(GET version_parts 2 patch)
set(expected_version -DEXPECTED_MAJOR=${major} -DEXPECTED_MINOR=${minor} -DEXPECTED_PATCH=${patch})
set(consumer "${SOURCE_DIR}/tests/consumer")

if(MODE STREQUAL "prefix")
    file(REMOVE_RECURSE "${PREFIX}")
    set(build "${WORK_DIR}/build")
    step(${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${build}" -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=Release
         -DBUILD_TESTING=OFF -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON -DCMAKE_DISABLE_FIND_PACKAGE_TBB=ON)
    file(STRINGS "${build}/CMakeCache.txt" cache)
    foreach(unwanted IN ITEMS "MSGPOOL_CONCURRENTQUEUE_INCLUDE_DIR" "CMAKE_C_COMPILER:" "MSGPOOL_SANITIZER")
        if(cache MATCHES "${unwanted}")
            message(FATAL_ERROR "install (prefix): with BUILD_TESTING=OFF, ${unwanted} was configured")
        endif()
    endforeach()
    foreach(unwanted IN ITEMS tests bench)
        if(EXISTS "${build}/${unwanted}")
            message(FATAL_ERROR "install (prefix): with BUILD_TESTING=OFF, ${unwanted}/ was configured")
        endif()
    endforeach()
    step(${CMAKE_COMMAND} --build "${build}" -j 2)
    step(${CMAKE_COMMAND} --install "${build}" --prefix "${PREFIX}")
    foreach(file IN ITEMS
            include/msgpool.h include/msgpool/pool.hpp include/msgpool/compositions.hpp
            include/msgpool/version.hpp include/msgpool/detail/require_cpp20.hpp
            include/msgpool/claim/index_queue.hpp include/msgpool/wait/futex.hpp
            ${LIBDIR}/libmsgpool_c.a ${LIBDIR}/libmsgpool_c.so ${LIBDIR}/libmsgpool_c.so.${major}
            ${LIBDIR}/cmake/msgpool/msgpool-config.cmake ${LIBDIR}/cmake/msgpool/msgpool-config-version.cmake
            ${LIBDIR}/cmake/msgpool/msgpool-targets.cmake ${LIBDIR}/cmake/msgpool/msgpool-index-queue-targets.cmake
            ${LIBDIR}/pkgconfig/msgpool.pc ${LIBDIR}/pkgconfig/msgpool_c.pc
            share/doc/msgpool/LICENSE share/doc/msgpool/README.md share/doc/msgpool/CHANGELOG.md)
        if(NOT EXISTS "${PREFIX}/${file}")
            message(FATAL_ERROR "install (prefix): ${file} is not installed")
        endif()
    endforeach()
    # Boost is named only by the index_queue export, which the config loads on request.
    file(READ "${PREFIX}/${LIBDIR}/cmake/msgpool/msgpool-targets.cmake" targets)
    if(targets MATCHES "Boost")
        message(FATAL_ERROR "install (prefix): msgpool-targets.cmake names Boost")
    endif()

elseif(MODE STREQUAL "components")
    file(WRITE "${WORK_DIR}/src/CMakeLists.txt" [=[
cmake_minimum_required(VERSION 3.25)
project(msgpool_component_check LANGUAGES CXX)
find_package(msgpool CONFIG REQUIRED COMPONENTS index_queue c)
foreach(target IN ITEMS msgpool::msgpool msgpool::index_queue msgpool::c msgpool::c_static)
    if(NOT TARGET ${target})
        message(FATAL_ERROR "find_package(msgpool COMPONENTS index_queue c) did not define ${target}")
    endif()
endforeach()
]=])
    set(args -S "${WORK_DIR}/src" -DCMAKE_CXX_COMPILER=${CXX} "-DCMAKE_PREFIX_PATH=${PREFIX}")
    execute_process(COMMAND ${CMAKE_COMMAND} ${args} -B "${WORK_DIR}/no-boost" -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(rc EQUAL 0)
        message(FATAL_ERROR "install (components): the index_queue component was found without Boost\n${out}")
    endif()
    if(NOT err MATCHES "index_queue \\(claim::index_queue\\) needs Boost")
        message(FATAL_ERROR "install (components): without Boost, the refusal does not say why:\n${err}")
    endif()
    message(STATUS "without Boost, find_package(msgpool COMPONENTS index_queue) says:\n${err}")
    if(HAVE_BOOST)
        step(${CMAKE_COMMAND} ${args} -B "${WORK_DIR}/boost")
    else()
        message(STATUS "Boost ${BOOST_VERSION} is not installed here: the component's success case is not checked")
    endif()

elseif(MODE STREQUAL "pkg_config")
    set(ENV{PKG_CONFIG_PATH} "${PREFIX}/${LIBDIR}/pkgconfig")
    unset(ENV{PKG_CONFIG_LIBDIR})
    step(${PKG_CONFIG} --modversion msgpool)
    string(STRIP "${step_output}" modversion)
    if(NOT modversion STREQUAL VERSION)
        message(FATAL_ERROR "install (pkg_config): msgpool.pc says ${modversion}, the project ${VERSION}")
    endif()
    step(${PKG_CONFIG} --variable=cxx_std msgpool)
    string(STRIP "${step_output}" cxx_std)
    step(${PKG_CONFIG} --cflags --libs msgpool)
    separate_arguments(flags UNIX_COMMAND "${step_output}")
    foreach(program IN ITEMS main version)
        step(${CXX} -std=${cxx_std} "${consumer}/${program}.cpp" ${expected_version} ${flags}
             -o "${WORK_DIR}/${program}")
        step("${WORK_DIR}/${program}")
    endforeach()

    set(c_program "${SOURCE_DIR}/tests/c_consumer/main.c")
    set(c_flags -std=c99 -pedantic -Wall -Wextra -Werror)
    step(${PKG_CONFIG} --cflags msgpool_c)
    separate_arguments(cflags UNIX_COMMAND "${step_output}")
    step(${PKG_CONFIG} --libs msgpool_c)
    separate_arguments(libs UNIX_COMMAND "${step_output}")
    step(${CC} ${c_flags} ${cflags} "${c_program}" ${libs} "-Wl,-rpath,${PREFIX}/${LIBDIR}" -o "${WORK_DIR}/c_shared")
    step("${WORK_DIR}/c_shared")
    # Static: the C driver, the archive in place of -lmsgpool_c, and the private
    # libraries (the C++ runtime) from --static.
    step(${PKG_CONFIG} --static --libs msgpool_c)
    separate_arguments(static_libs UNIX_COMMAND "${step_output}")
    list(TRANSFORM static_libs REPLACE "^-lmsgpool_c$" "${PREFIX}/${LIBDIR}/libmsgpool_c.a")
    step(${CC} ${c_flags} ${cflags} "${c_program}" ${static_libs} -o "${WORK_DIR}/c_static")
    step("${WORK_DIR}/c_static")
    step(readelf -d "${WORK_DIR}/c_static")
    if(step_output MATCHES "libmsgpool_c")
        message(FATAL_ERROR "install (pkg_config): c_static still needs the shared libmsgpool_c")
    endif()

elseif(MODE STREQUAL "file_list")
    set(list_file "${SOURCE_DIR}/tests/install/installed_files.txt")
    file(GLOB_RECURSE installed LIST_DIRECTORIES false RELATIVE "${PREFIX}" "${PREFIX}/*")
    set(actual "")
    foreach(file IN LISTS installed)
        # The parts that vary by platform and version, as the list spells them.
        string(REGEX REPLACE "^${LIBDIR}/" "<libdir>/" file "${file}")
        string(REPLACE ".so.${VERSION}" ".so.<version>" file "${file}")
        string(REGEX REPLACE "\\.so\\.${major}$" ".so.<major>" file "${file}")
        list(APPEND actual "${file}")
    endforeach()
    file(STRINGS "${list_file}" expected REGEX "^[^#]")
    set(unexpected ${actual})
    list(REMOVE_ITEM unexpected ${expected})
    set(missing ${expected})
    list(REMOVE_ITEM missing ${actual})
    if(unexpected OR missing)
        list(JOIN unexpected "\n  " unexpected)
        list(JOIN missing "\n  " missing)
        message(FATAL_ERROR "install (file_list): the install differs from ${list_file}\n"
                            "installed, not in the list:\n  ${unexpected}\nin the list, not installed:\n  ${missing}")
    endif()
    list(LENGTH actual n)
    message(STATUS "install (file_list): the ${n} installed files are the ${n} of the list")

elseif(MODE STREQUAL "bare_include")
    set(flags -std=c++20 "-I${PREFIX}/include")
    foreach(program IN ITEMS main version)
        step(${CXX} ${flags} "${consumer}/${program}.cpp" ${expected_version} -pthread -o "${WORK_DIR}/${program}")
        step("${WORK_DIR}/${program}")
    endforeach()
    # Every header the preprocessor reads for the compositions that need no Boost.
    step(${CXX} ${flags} -M "${SOURCE_DIR}/tests/install/no_boost.cpp")
    if(step_output MATCHES "[/\\\\]boost[/\\\\]")
        message(FATAL_ERROR "install (bare_include): a header without claim::index_queue reads Boost:\n${step_output}")
    endif()
    step(${CXX} ${flags} -fsyntax-only "${SOURCE_DIR}/tests/install/no_boost.cpp")

else()
    message(FATAL_ERROR "check_install.cmake: unknown MODE '${MODE}'")
endif()
