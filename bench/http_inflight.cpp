// rdbench inflight: N requests in flight at once over N keep-alive connections (against a slow
// upstream), a ping every interval on one more connection meanwhile; the server's RSS and
// threads while all N wait, the ping latency, and when the N answers arrive.
//
//   rdbench inflight --url URL [--method POST] [--header "K: V"]... [--body-file CALL]
//                    [--ping-body-file PING]
//                    --count N --pid PID [--ping-interval-ms MS] [--timeout S] [--expect TEXT]
//                    [--warmup-calls N]
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "driver.h"
#include "options.h"

namespace rdbench {

using nlohmann::json;

nlohmann::json run_inflight(const Options& options) {
    const auto url = parse_url(options.require("url"));
    if (!url) throw std::invalid_argument("--url must be http://HOST:PORT/path");
    const auto headers = options.all("header");
    const std::string method = options.get("method", "POST");
    const std::string call_body =
        options.get("body-file").empty() ? "" : read_file(options.get("body-file"));
    const std::string call = build_request(method, *url, headers, call_body);
    // No --ping-body-file: no pings (to measure an upstream alone).
    const bool pinging = !options.get("ping-body-file").empty();
    const std::string ping =
        pinging ? build_request("POST", *url, headers, read_file(options.get("ping-body-file")))
                : "";
    const auto count = static_cast<std::size_t>(options.number("count", 1000));
    const int pid = static_cast<int>(options.number("pid", 0));
    const auto ping_interval =
        std::chrono::milliseconds(static_cast<int>(options.number("ping-interval-ms", 100)));
    const double timeout = options.number("timeout", 120);
    const std::string expect = options.get("expect");
    const int warmup_calls = static_cast<int>(options.number("warmup-calls", 1));

    Driver driver(*url);
    const std::size_t ping_connection = driver.add_connection();

    // Warm-up: calls all the way through, so one-time set-up is not counted per call.
    for (int i = 0; i < warmup_calls; ++i) {
        bool done = false;
        driver.send(ping_connection, call);
        const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                 std::chrono::duration<double>(timeout));
        while (!done && Clock::now() < deadline)
            driver.poll(50, [&](const Completion&) { done = true; });
        if (!done) throw std::runtime_error("the warm-up call got no answer");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const long rss_base = process_status_field(pid, "VmRSS");
    const long threads_base = process_status_field(pid, "Threads");

    std::vector<double> pings;
    std::size_t sent = 0, completed = 0, ok = 0, most_in_flight = 0;
    std::map<int, std::size_t> statuses;
    std::string first_error;
    double first_done = 0, last_done = 0, all_sent = 0;
    long rss_peak = rss_base, threads_peak = threads_base;
    std::size_t calls_at_peak = count;  // calls in flight when the peak was sampled
    const auto started = Clock::now();
    auto next_ping_at = started;
    auto next_sample = started;
    // Calls are opened and sent a few at a time, with pings, samples and answers in between,
    // so a server slow to accept is measured as such rather than stalling the measurement.
    while (completed < count && seconds_between(started, Clock::now()) < timeout) {
        for (int i = 0; i < 16 && sent < count; ++i, ++sent)
            driver.send(driver.add_connection(), call);
        if (sent == count && all_sent == 0) all_sent = seconds_between(started, Clock::now());
        const auto now = Clock::now();
        if (pinging && !driver.busy(ping_connection) && now >= next_ping_at) {
            driver.send(ping_connection, ping);
            next_ping_at = now + ping_interval;
        }
        // Memory and threads while calls are only being added, none answered yet.
        if (completed == 0 && now >= next_sample) {
            const long rss = process_status_field(pid, "VmRSS");
            if (rss > rss_peak) {
                rss_peak = rss;
                calls_at_peak = sent;
            }
            threads_peak = std::max(threads_peak, process_status_field(pid, "Threads"));
            next_sample = now + std::chrono::milliseconds(50);
        }
        driver.poll(sent < count ? 0 : 5, [&](const Completion& done) {
            if (done.connection == ping_connection) {
                if (completed == 0 && done.ok && done.status == 200)
                    pings.push_back(done.latency_s);
                return;
            }
            const double at = seconds_between(started, Clock::now());
            if (completed == 0) first_done = at;
            last_done = at;
            ++completed;
            ++statuses[done.status];
            const bool good = done.ok && done.status == 200 &&
                              (expect.empty() || done.body->find(expect) != std::string::npos);
            if (good) {
                ++ok;
            } else if (first_error.empty()) {
                first_error = "status " + std::to_string(done.status) + ": " +
                              (done.body ? done.body->substr(0, 300) : "connection failed");
            }
        });
        most_in_flight = std::max(most_in_flight, sent - completed);
    }

    std::sort(pings.begin(), pings.end());
    json status_counts = json::object();
    for (auto [status, n] : statuses) status_counts[std::to_string(status)] = n;
    json result = {
        {"count", count},
        {"completed", completed},
        {"most_in_flight", most_in_flight},
        {"ok", ok},
        {"statuses", status_counts},
        {"all_sent_s", all_sent},
        {"first_completion_s", first_done},
        {"last_completion_s", last_done},
        {"vmrss_base_kb", rss_base},
        {"vmrss_peak_inflight_kb", rss_peak},
        {"threads_base", threads_base},
        {"threads_peak_inflight", threads_peak},
        {"calls_in_flight_at_peak", calls_at_peak},
        {"kb_per_inflight_call", static_cast<double>(rss_peak - rss_base) /
                                     static_cast<double>(std::max<std::size_t>(1, calls_at_peak))},
        {"vmhwm_kb", process_status_field(pid, "VmHWM")},
        {"ping",
         {{"count", pings.size()},
          {"p50_us", percentile(pings, 50) * 1e6},
          {"p99_us", percentile(pings, 99) * 1e6},
          {"max_us", pings.empty() ? 0 : pings.back() * 1e6}}},
    };
    if (!first_error.empty()) result["first_error"] = first_error;
    return result;
}

}  // namespace rdbench
