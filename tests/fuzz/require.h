#pragma once
// A property the fuzz target checks: when it does not hold, the input is reported as a crash
// (libFuzzer keeps it), with the property and its line on stderr.
#include <cstdio>
#include <cstdlib>

#define FUZZ_REQUIRE(condition)                                                                 \
    do {                                                                                        \
        if (!(condition)) {                                                                     \
            std::fprintf(stderr, "%s:%d: FUZZ_REQUIRE(%s) does not hold\n", __FILE__, __LINE__, \
                         #condition);                                                           \
            std::abort();                                                                       \
        }                                                                                       \
    } while (0)
