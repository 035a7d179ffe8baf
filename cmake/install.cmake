# Install rules (MSGPOOL_INSTALL): the headers, libmsgpool_c, the CMake
# package (find_package(msgpool)), pkg-config files, LICENSE and the docs.
#
#   <prefix>/include/msgpool.h, include/msgpool/...     include/ and policies/ merged
#   <prefix>/<libdir>/libmsgpool_c.so*, libmsgpool_c.a  the C API
#   <prefix>/include/msgpool/testing/, <libdir>/libmsgpool_testing.a
#                                                       the testing component (MSGPOOL_INSTALL_TESTING)
#   <prefix>/<libdir>/cmake/msgpool/                    msgpool-config.cmake and the exported targets
#   <prefix>/<libdir>/pkgconfig/msgpool.pc, msgpool_c.pc
#   <prefix>/share/doc/msgpool/                         LICENSE, README.md, CHANGELOG.md

set(msgpool_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/msgpool)
set(msgpool_pkgconfig_dir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ ${PROJECT_SOURCE_DIR}/policies/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")

install(TARGETS msgpool msgpool_c msgpool_c_static EXPORT msgpool-targets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT msgpool-targets NAMESPACE msgpool:: DESTINATION ${msgpool_cmake_dir})

# msgpool::index_queue names Boost::headers: its own export file, which
# msgpool-config.cmake loads only for the index_queue component, so that
# find_package(msgpool) never needs Boost.
install(TARGETS msgpool_index_queue EXPORT msgpool-index-queue-targets)
install(EXPORT msgpool-index-queue-targets NAMESPACE msgpool:: DESTINATION ${msgpool_cmake_dir})

# msgpool::testing (MSGPOOL_INSTALL_TESTING, cmake/testing.cmake) links
# Boost::unit_test_framework: its own export file, loaded only for the testing
# component.  Its headers are the test tree's files, under msgpool/testing/.
if(MSGPOOL_INSTALL_TESTING)
    foreach(part IN ITEMS support conformance dsched)
        list(TRANSFORM msgpool_testing_headers_${part} PREPEND ${PROJECT_SOURCE_DIR}/tests/
             OUTPUT_VARIABLE msgpool_testing_files)
        install(FILES ${msgpool_testing_files} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/msgpool/testing/${part})
    endforeach()
    install(TARGETS msgpool_testing EXPORT msgpool-testing-targets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
    install(EXPORT msgpool-testing-targets NAMESPACE msgpool:: DESTINATION ${msgpool_cmake_dir})
endif()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/msgpool-config.cmake.in
    ${PROJECT_BINARY_DIR}/msgpool-config.cmake
    INSTALL_DESTINATION ${msgpool_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/msgpool-config-version.cmake
    COMPATIBILITY SameMinorVersion)  # not ARCH_INDEPENDENT: the package ships libmsgpool_c
install(FILES ${PROJECT_BINARY_DIR}/msgpool-config.cmake ${PROJECT_BINARY_DIR}/msgpool-config-version.cmake
        DESTINATION ${msgpool_cmake_dir})

# pkg-config.  The files find the prefix from their own place (${pcfiledir}),
# so an install moved with `cmake --install --prefix` or DESTDIR still works.
foreach(dir IN ITEMS INCLUDEDIR LIBDIR)
    if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
        set(msgpool_pc_${dir} "${CMAKE_INSTALL_${dir}}")
    else()
        set(msgpool_pc_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
    endif()
endforeach()
if(IS_ABSOLUTE "${msgpool_pkgconfig_dir}")
    set(msgpool_pc_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
    file(RELATIVE_PATH msgpool_pc_up "/root/${msgpool_pkgconfig_dir}" "/root")
    string(REGEX REPLACE "/$" "" msgpool_pc_up "${msgpool_pc_up}")
    set(msgpool_pc_PREFIX "\${pcfiledir}/${msgpool_pc_up}")
endif()
# Link flags: threads for both; off Linux, Boost.Atomic for the waits; for a
# static libmsgpool_c, the C++ runtime that a C compiler driver leaves out
# (the C++ compiler's implicit libraries, less those every C link has).
set(msgpool_pc_threads "-pthread")
set(msgpool_pc_boost_atomic "")
if(MSGPOOL_NEEDS_BOOST_ATOMIC)
    set(msgpool_pc_boost_atomic " -lboost_atomic")
endif()
set(msgpool_pc_cxx_runtime_flags "")
foreach(lib IN LISTS CMAKE_CXX_IMPLICIT_LINK_LIBRARIES)
    if(lib MATCHES "^(c|gcc|gcc_s|gcc_eh|pthread)$")
        continue()
    elseif(NOT IS_ABSOLUTE "${lib}" AND NOT lib MATCHES "^-")
        set(lib "-l${lib}")
    endif()
    if(NOT lib IN_LIST msgpool_pc_cxx_runtime_flags)
        list(APPEND msgpool_pc_cxx_runtime_flags "${lib}")
    endif()
endforeach()
set(msgpool_pc_cxx_runtime "")
foreach(flag IN LISTS msgpool_pc_cxx_runtime_flags)
    string(APPEND msgpool_pc_cxx_runtime " ${flag}")
endforeach()
foreach(pc IN ITEMS msgpool msgpool_c)
    configure_file(${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in ${PROJECT_BINARY_DIR}/${pc}.pc @ONLY)
    install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc DESTINATION ${msgpool_pkgconfig_dir})
endforeach()

install(FILES ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
