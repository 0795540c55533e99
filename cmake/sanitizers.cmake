# Sanitizer and fuzzing builds, each in its own build directory (see the Makefile):
#   -DRDMCP_SANITIZE=address,undefined   build-asan: every target, the whole test suite
#   -DRDMCP_SANITIZE=thread              build-tsan: every target, the tests labelled concurrency
#   -DRDMCP_FUZZ=ON (clang only)         build-fuzz: the libFuzzer targets of tests/fuzz
# The flags go on every target of the build. `make` gives the sanitizer builds the default
# build's rd-sim, the stand-in for the API (RDMCP_PREBUILT_SIM in tests/CMakeLists.txt).
# Libraries we link but do not build (Debian's libcpp-httplib.so, OpenSSL) stay uninstrumented:
# their flags come from pkg-config as in the default build, and nothing here defines a
# CPPHTTPLIB_* macro.
set(RDMCP_SANITIZE "" CACHE STRING
    "Sanitizers for every target: address,undefined or thread (empty: none)")
option(RDMCP_FUZZ "Build the libFuzzer targets in tests/fuzz (needs clang)" OFF)

if(RDMCP_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "RDMCP_FUZZ needs clang: configure with CC=clang CXX=clang++")
    endif()
    if(RDMCP_SANITIZE STREQUAL "")
        set(RDMCP_SANITIZE "address,undefined" CACHE STRING "" FORCE)
    endif()
    # Coverage instrumentation for the code under test; tests/fuzz links the fuzzer itself.
    add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(NOT RDMCP_SANITIZE STREQUAL "")
    string(REPLACE "," ";" rdmcp_sanitizers "${RDMCP_SANITIZE}")
    foreach(sanitizer IN LISTS rdmcp_sanitizers)
        if(NOT sanitizer MATCHES "^(address|undefined|thread)$")
            message(FATAL_ERROR "RDMCP_SANITIZE: unknown sanitizer '${sanitizer}' "
                                "(use address,undefined or thread)")
        endif()
    endforeach()
    if("thread" IN_LIST rdmcp_sanitizers AND "address" IN_LIST rdmcp_sanitizers)
        message(FATAL_ERROR "RDMCP_SANITIZE: thread and address cannot share a build")
    endif()

    set(rdmcp_sanitize_flags -fsanitize=${RDMCP_SANITIZE})
    if("undefined" IN_LIST rdmcp_sanitizers)
        # gcc leaves float-cast-overflow out of "undefined"; clang has it in already.
        list(APPEND rdmcp_sanitize_flags -fsanitize=float-cast-overflow)
    endif()
    # -O0 halves the compile time of the test builds (measured) and finds as much; the fuzz
    # build is optimised, since there the speed of each run is what counts.
    if(RDMCP_FUZZ)
        set(rdmcp_optimize -O1)
    else()
        set(rdmcp_optimize -O0)
    endif()
    set(RDMCP_SANITIZE_OPTIMIZE ${rdmcp_optimize} CACHE STRING "Optimisation of sanitizer builds")
    # Any report ends the process (no "recover and carry on"), so no report goes unnoticed.
    # Line tables (-g1) are all a report's stack trace needs (file:line per frame), and compile
    # in less time than full debug information (-g).
    add_compile_options(${rdmcp_sanitize_flags} -fno-sanitize-recover=all
                        -fno-omit-frame-pointer ${RDMCP_SANITIZE_OPTIMIZE} -g1)
    add_link_options(${rdmcp_sanitize_flags})
    if("address" IN_LIST rdmcp_sanitizers)
        # Bounds checks in libstdc++'s containers (operator[], front/back): no ABI change.
        add_compile_definitions(_GLIBCXX_ASSERTIONS)
    endif()
    # Warnings are the default build's job (-Werror there, with RDMCP_WERROR); a sanitizer
    # build checks behaviour, and instrumented or clang builds warn about things the default
    # build does not. This comes after RDMCP_WERROR's -Werror, so it wins.
    add_compile_options(-Wno-error)

    # Every process the tests start reads its sanitizer options from this file, compiled into
    # each executable: the SDK's stdio transport and our ChildProcess start the server with a
    # scrubbed environment, so ASAN_OPTIONS and friends would not reach it. Reports are written
    # to files in sanitizer-logs/, where the last test of the suite looks for them (a report in
    # a child process fails the run even when the test that started it did not notice).
    set(RDMCP_SANITIZER_LOG_DIR "${CMAKE_BINARY_DIR}/sanitizer-logs")
    set(RDMCP_TSAN_SUPPRESSIONS "${CMAKE_SOURCE_DIR}/tests/sanitizers/tsan.supp")
    configure_file(${CMAKE_SOURCE_DIR}/tests/sanitizers/default_options.cpp.in
                   ${CMAKE_BINARY_DIR}/generated/sanitizer_default_options.cpp @ONLY)

    # Once every directory is read (so targets added later are covered too), each target gets
    # nlohmann/json.hpp precompiled (parsing it is a third of most compile times here) and each
    # executable, outside the fuzz build, the options above.
    function(rdmcp_prepare_sanitizer_targets directory)
        get_property(targets DIRECTORY ${directory} PROPERTY BUILDSYSTEM_TARGETS)
        foreach(target IN LISTS targets)
            get_target_property(type ${target} TYPE)
            if(NOT type MATCHES "^(EXECUTABLE|STATIC_LIBRARY)$")
                continue()
            endif()
            get_target_property(sources ${target} SOURCES)
            list(LENGTH sources count)
            if(count GREATER 2)
                target_precompile_headers(${target} PRIVATE <nlohmann/json.hpp>)
            endif()
            if(type STREQUAL "EXECUTABLE" AND NOT RDMCP_FUZZ)
                target_sources(${target} PRIVATE
                               ${CMAKE_BINARY_DIR}/generated/sanitizer_default_options.cpp)
            endif()
        endforeach()
        get_property(subdirectories DIRECTORY ${directory} PROPERTY SUBDIRECTORIES)
        foreach(subdirectory IN LISTS subdirectories)
            rdmcp_prepare_sanitizer_targets(${subdirectory})
        endforeach()
    endfunction()
    cmake_language(DEFER CALL rdmcp_prepare_sanitizer_targets ${CMAKE_SOURCE_DIR})
    message(STATUS "Sanitizers: ${RDMCP_SANITIZE}")
endif()
