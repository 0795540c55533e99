#pragma once
// The resident memory of a process under test (/proc/<pid>/status VmRSS), now and at its peak
// while something runs: the bounds of issue 13 are stated as RSS before, at the peak and after.
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

namespace rdmcp::testing {

// Resident set size in kB; -1 when the process is gone.
inline long rss_kb(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return -1;
}

// Samples a process's RSS every few milliseconds until destroyed (or stop()); peak() is the
// largest seen.
class PeakRss {
  public:
    explicit PeakRss(pid_t pid) : pid_(pid), peak_(rss_kb(pid)) {
        sampler_ = std::thread([this] {
            while (!stopped_.load()) {
                const long now = rss_kb(pid_);
                if (now > peak_.load()) peak_.store(now);
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
        });
    }
    ~PeakRss() { stop(); }
    PeakRss(const PeakRss&) = delete;
    PeakRss& operator=(const PeakRss&) = delete;

    long stop() {
        if (!stopped_.exchange(true)) sampler_.join();
        return peak_.load();
    }
    long peak() const { return peak_.load(); }

  private:
    const pid_t pid_;
    std::atomic<long> peak_;
    std::atomic<bool> stopped_{false};
    std::thread sampler_;
};

}  // namespace rdmcp::testing
