# Test wiring for the sanitizer builds (cmake/sanitizers.cmake), included by tests/CMakeLists.txt.
# It runs once every test of tests/ is defined (a deferred call), so tests added anywhere in
# that file, now or later, are covered without being listed here.
#
#  - Every sanitizer build: `sanitizer_reports_reset` runs first and `sanitizer_reports` last
#    (a CTest fixture required by every test); the last one fails if any process of the run,
#    including servers started by the node SDK clients and rd-sim started by Python, wrote a
#    sanitizer report.
#  - The ThreadSanitizer build adds the tests labelled `concurrency` (`ctest -L concurrency`):
#    the doctest cases of the files and the names below, in both test executables. Files named
#    http_* or under http/ (the HTTP transport's tests) and end-to-end files named
#    http_*.test.mjs are included automatically.
if(RDMCP_SANITIZE STREQUAL "" OR RDMCP_FUZZ)
    return()
endif()

# Test files about threads, cancellation and shutdown: every case in them runs under TSan.
set(RDMCP_CONCURRENCY_FILES
    */worker_pool_test.cpp */cancellation_test.cpp */mcp_server_test.cpp */tasks_test.cpp
    */dispatcher_test.cpp */job_ledger_test.cpp */image_output_test.cpp
    */stdio_transport_test.cpp */upstream_client_test.cpp
    */http_* */http/*)
# Cases elsewhere whose names say they are about concurrency.
set(RDMCP_CONCURRENCY_CASES
    *cancel* *concurren* *parallel* "*at the same time*" *progress* *SIGTERM* "*end of input*")
set(RDMCP_CONCURRENCY_E2E "http_*.test.mjs")

# For the few checks that cannot hold under AddressSanitizer: RSS does not stay flat, since its
# quarantine keeps freed memory by design (LeakSanitizer checks that build for leaks instead).
if(RDMCP_SANITIZE MATCHES "address")
    add_compile_definitions(RDMCP_SANITIZE_ADDRESS)
endif()
# ThreadSanitizer's shadow memory grows RSS with every byte touched: no RSS bound holds there.
if(RDMCP_SANITIZE MATCHES "thread")
    add_compile_definitions(RDMCP_SANITIZE_THREAD)
endif()

function(rdmcp_sanitizer_tests)
    get_property(existing DIRECTORY PROPERTY TESTS)
    set(log_dir -DLOG_DIR=${RDMCP_SANITIZER_LOG_DIR})
    set(script -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/reports.cmake)
    set(concurrency_tests)
    if(RDMCP_SANITIZE MATCHES "thread")
        string(REPLACE ";" "," files "${RDMCP_CONCURRENCY_FILES}")
        string(REPLACE ";" "," cases "${RDMCP_CONCURRENCY_CASES}")
        foreach(suite unit integration)
            add_test(NAME ${suite}_concurrency
                     COMMAND ${suite}_tests --source-file=${files})
            add_test(NAME ${suite}_concurrency_cases
                     COMMAND ${suite}_tests --test-case=${cases} --source-file-exclude=${files})
            list(APPEND concurrency_tests ${suite}_concurrency ${suite}_concurrency_cases)
        endforeach()
        add_test(NAME e2e_concurrency
                 COMMAND ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/run_e2e.sh ${RDMCP_CONCURRENCY_E2E})
        set_tests_properties(e2e_concurrency PROPERTIES SKIP_RETURN_CODE 77 ENVIRONMENT
            "RD_MCP_BINARY=$<TARGET_FILE:retrodiffusion-mcp>;RD_SIM_BINARY=$<TARGET_FILE:rd-sim>")
        list(APPEND concurrency_tests e2e_concurrency)
        set_tests_properties(${concurrency_tests} PROPERTIES LABELS concurrency)
    endif()

    add_test(NAME sanitizer_reports_reset COMMAND ${CMAKE_COMMAND} ${log_dir} -DMODE=reset ${script})
    add_test(NAME sanitizer_reports COMMAND ${CMAKE_COMMAND} ${log_dir} -DMODE=check ${script})
    set_tests_properties(sanitizer_reports_reset PROPERTIES FIXTURES_SETUP sanitizer_reports)
    set_tests_properties(sanitizer_reports PROPERTIES FIXTURES_CLEANUP sanitizer_reports)
    set_property(TEST ${existing} ${concurrency_tests} APPEND PROPERTY
                 FIXTURES_REQUIRED sanitizer_reports)
endfunction()

cmake_language(DEFER CALL rdmcp_sanitizer_tests)
