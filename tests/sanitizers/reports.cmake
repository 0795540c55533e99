# cmake -DLOG_DIR=<dir> -DMODE=reset|check -P reports.cmake
# reset: empties the directory the sanitizer runtimes write their reports to (first test).
# check: fails, printing every report, when any process of the suite wrote one (last test).
if(MODE STREQUAL "reset")
    file(REMOVE_RECURSE "${LOG_DIR}")
    file(MAKE_DIRECTORY "${LOG_DIR}")
    return()
endif()
file(GLOB reports "${LOG_DIR}/*")
if(NOT reports)
    message(STATUS "No sanitizer reports in ${LOG_DIR}")
    return()
endif()
list(LENGTH reports count)
foreach(report IN LISTS reports)
    file(READ "${report}" text)
    message("==== ${report}\n${text}")
endforeach()
message(FATAL_ERROR "${count} sanitizer report(s) in ${LOG_DIR}: see above")
