// rdbench: the load generator and probes behind `make bench` (bench/run.py drives them).
// Each subcommand prints one JSON object on stdout; see each file for its options.
//   load            closed-loop keep-alive HTTP load            (http_load.cpp)
//   inflight        N HTTP calls in flight, pings meanwhile      (http_inflight.cpp)
//   cold            stdio cold start and idle memory             (stdio_probe.cpp)
//   stdio-calls     sequential stdio calls, latency and memory   (stdio_probe.cpp)
//   stdio-inflight  N stdio calls in flight, pings meanwhile     (stdio_probe.cpp)
//   slow-upstream   a slow stand-in API that holds 1,000 calls   (slow_upstream.cpp)
#include <signal.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>

#include "options.h"

namespace rdbench {
nlohmann::json run_load(const Options& options);
nlohmann::json run_inflight(const Options& options);
nlohmann::json run_cold(const Options& options);
nlohmann::json run_stdio_calls(const Options& options);
nlohmann::json run_stdio_inflight(const Options& options);
int run_slow_upstream(const Options& options);
}  // namespace rdbench

int main(int argc, char** argv) {
    using namespace rdbench;
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2) {
        std::fprintf(stderr,
                     "usage: rdbench load|inflight|cold|stdio-calls|stdio-inflight|slow-upstream "
                     "[--option value]...\n");
        return 2;
    }
    const std::string command = argv[1];
    try {
        const Options options(argc, argv, 2);
        if (command == "slow-upstream") return run_slow_upstream(options);
        nlohmann::json result;
        if (command == "load")
            result = run_load(options);
        else if (command == "inflight")
            result = run_inflight(options);
        else if (command == "cold")
            result = run_cold(options);
        else if (command == "stdio-calls")
            result = run_stdio_calls(options);
        else if (command == "stdio-inflight")
            result = run_stdio_inflight(options);
        else
            throw std::invalid_argument("unknown subcommand " + command);
        std::cout << result.dump() << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "rdbench %s: %s\n", command.c_str(), e.what());
        return 1;
    }
}
