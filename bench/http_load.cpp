// rdbench load: N keep-alive clients in a closed loop (each sends its next request as soon as
// the previous answer has arrived) for a warm-up and then a measured window; requests/s,
// latency percentiles and the server's CPU time per request over that window.
// With --rate R the clients are paced instead: together they send R requests/s, each on its own
// schedule (a client whose answer comes late sends its next request at once), so latency is
// measured at a load the machine carries rather than at saturation, where it is all queueing.
//
//   rdbench load --url URL [--method POST] [--header "K: V"]... [--body-file F | --body S]
//                [--clients N] [--rate R] [--warmup S] [--duration S | --requests N]
//                [--expect TEXT] [--pid PID]...
// The server's CPU time is that of every --pid together (nginx: its master and workers); its
// memory that of the first.
#include <sys/resource.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "driver.h"
#include "options.h"

namespace rdbench {

namespace {

double cpu_seconds(const std::vector<int>& pids) {
    double total = 0;
    for (int pid : pids) total += process_cpu_seconds(pid);
    return total;
}

double self_cpu_seconds() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

nlohmann::json run_load(const Options& options) {
    const auto url = parse_url(options.require("url"));
    if (!url) throw std::invalid_argument("--url must be http://HOST:PORT/path");
    const std::string body = options.get("body-file").empty() ? options.get("body")
                                                              : read_file(options.get("body-file"));
    const std::string method = options.get("method", body.empty() ? "GET" : "POST");
    const std::string request = build_request(method, *url, options.all("header"), body);
    const auto clients = static_cast<std::size_t>(options.number("clients", 1));
    const double warmup = options.number("warmup", 1);
    const double duration = options.number("duration", 5);
    const auto max_requests =
        static_cast<std::size_t>(options.number("requests", 0));  // 0: by time
    const std::string expect = options.get("expect");
    std::vector<int> pids;
    for (const auto& pid : options.all("pid")) pids.push_back(std::stoi(pid));
    const int pid = pids.empty() ? 0 : pids.front();
    const double rate = options.number("rate", 0);  // 0: closed loop

    Driver driver(*url);
    for (std::size_t i = 0; i < clients; ++i) driver.add_connection();

    const auto start = Clock::now();
    const auto window_start =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(warmup));
    auto window_end = window_start + std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double>(duration));
    bool measuring = false, stopped = false;
    double cpu_start = 0, cpu_end = 0, self_start = 0, self_end = 0;
    Clock::time_point measured_from, measured_to;

    std::vector<double> latencies;
    std::size_t completed = 0, errors = 0;
    std::string first_error;
    std::map<int, std::size_t> statuses;

    auto begin_window = [&](Clock::time_point now) {
        measuring = true;
        measured_from = now;
        if (pid) cpu_start = cpu_seconds(pids);
        self_start = self_cpu_seconds();
    };
    auto end_window = [&](Clock::time_point now) {
        stopped = true;
        measured_to = now;
        if (pid) cpu_end = cpu_seconds(pids);
        self_end = self_cpu_seconds();
    };
    if (warmup <= 0) begin_window(start);

    // Paced: when each client sends next (clients start evenly spread over one interval).
    const auto interval = rate > 0 ? std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double>(clients / rate))
                                   : Clock::duration::zero();
    std::vector<Clock::time_point> next_send(clients);
    std::vector<bool> waiting(clients, rate > 0);
    for (std::size_t i = 0; i < clients; ++i) {
        next_send[i] = start + interval * static_cast<long>(i) / static_cast<long>(clients);
        if (rate <= 0) driver.send(i, request);
    }
    for (;;) {
        if (rate > 0 && !stopped) {
            const auto now = Clock::now();
            for (std::size_t i = 0; i < clients; ++i) {
                if (waiting[i] && now >= next_send[i]) {
                    waiting[i] = false;
                    next_send[i] = std::max(next_send[i] + interval, now);
                    driver.send(i, request);
                }
            }
        }
        driver.poll(rate > 0 ? 1 : 5, [&](const Completion& done) {
            const auto now = Clock::now();
            if (measuring && !stopped) {
                const bool ok = done.ok && done.status >= 200 && done.status < 300 &&
                                (expect.empty() || done.body->find(expect) != std::string::npos);
                ++completed;
                ++statuses[done.status];
                if (ok) {
                    latencies.push_back(done.latency_s);
                } else {
                    ++errors;
                    if (first_error.empty()) {
                        first_error = "status " + std::to_string(done.status) + ": " +
                                      (done.body ? done.body->substr(0, 300) : "connection failed");
                    }
                }
                if (max_requests && completed >= max_requests) end_window(now);
            }
            if (!stopped) {
                if (rate > 0) {
                    waiting[done.connection] = true;
                } else {
                    driver.send(done.connection, request);
                }
            }
        });
        const auto now = Clock::now();
        if (!measuring && now >= window_start) begin_window(now);
        if (measuring && !stopped && !max_requests && now >= window_end) end_window(now);
        if (stopped) {
            bool any_busy = false;
            for (std::size_t i = 0; i < driver.size(); ++i) any_busy = any_busy || driver.busy(i);
            if (!any_busy || now - measured_to > std::chrono::seconds(30)) break;
        }
    }

    std::sort(latencies.begin(), latencies.end());
    const double elapsed = seconds_between(measured_from, measured_to);
    const auto us = [&](double p) { return percentile(latencies, p) * 1e6; };
    double mean = 0;
    for (double l : latencies) mean += l;
    if (!latencies.empty()) mean /= static_cast<double>(latencies.size());
    nlohmann::json status_counts = nlohmann::json::object();
    for (auto [status, count] : statuses) status_counts[std::to_string(status)] = count;

    nlohmann::json result = {
        {"clients", clients},
        {"rate", rate},
        {"requests", completed},
        {"ok", latencies.size()},
        {"errors", errors},
        {"statuses", status_counts},
        {"seconds", elapsed},
        {"requests_per_s", elapsed > 0 ? static_cast<double>(latencies.size()) / elapsed : 0},
        {"p50_us", us(50)},
        {"p90_us", us(90)},
        {"p99_us", us(99)},
        {"max_us", latencies.empty() ? 0 : latencies.back() * 1e6},
        {"mean_us", mean * 1e6},
        {"reconnects", driver.reconnects()},
        {"request_bytes", request.size()},
        {"loadgen_cpu_s", self_end - self_start},
    };
    if (pid) {
        result["server_cpu_s"] = cpu_end - cpu_start;
        result["server_cpu_us_per_request"] =
            completed ? (cpu_end - cpu_start) / static_cast<double>(completed) * 1e6 : 0;
        result["server_vmrss_kb"] = process_status_field(pid, "VmRSS");
        result["server_vmhwm_kb"] = process_status_field(pid, "VmHWM");
    }
    if (!first_error.empty()) result["first_error"] = first_error;
    return result;
}

}  // namespace rdbench
