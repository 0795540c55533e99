// rd-sim: a simulated RetroDiffusion REST API for integration and end-to-end tests.
// stdout carries exactly one line, "listening on <url>"; everything else goes to stderr.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <iostream>
#include <thread>

#include "sim_cli.h"
#include "sim_server.h"

int main(int argc, char** argv) {
    std::string error;
    bool help = false;
    const auto options =
        rdsim::parse_cli(std::vector<std::string>(argv + 1, argv + argc), error, help);
    if (!options) {
        std::cerr << (help ? "" : "rd-sim: " + error + "\n") << rdsim::usage();
        return help ? 0 : 2;
    }

    // SIGINT/SIGTERM are taken by one thread with sigwait; every other thread (the server's pool
    // included) inherits the blocked mask.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    signal(SIGPIPE, SIG_IGN);

    rdsim::SimServer server(*options);
    const auto url = server.bind(error);
    if (!url) {
        std::cerr << "rd-sim: " << error << "\n";
        return 1;
    }

    std::atomic<bool> serving{true};
    std::thread signal_thread([&] {
        int sig = 0;
        sigwait(&stop_signals, &sig);
        if (serving.load()) std::cerr << "rd-sim: signal " << sig << ", stopping\n";
        server.stop();
    });

    std::cout << "listening on " << *url << std::endl;
    const bool ok = server.run();
    serving.store(false);
    kill(getpid(), SIGTERM);  // wakes the signal thread if the server stopped on its own
    signal_thread.join();
    return ok ? 0 : 1;
}
