// The stdio benchmarks, each starting the server as a child process:
//
//   rdbench cold --request-file F [--after-file F] [--iterations N] [--idle-samples N]
//                [--idle-wait-ms MS] [--any-line 1] [--stderr FILE] -- COMMAND...
//       process start (just before posix_spawn) to the answer to the first request (one
//       JSON-RPC line: initialize or server/discover), and the CPU time the process used until
//       then; then, for the first idle-samples processes, the lines of --after-file, a pause,
//       and VmRSS/VmHWM/Threads/Pss while idle. --any-line takes any line as the answer (for
//       the floor: a trivial program such as `head -n 1` that echoes the request).
//
//   rdbench stdio-calls --init-file F --phase NAME:METHOD:PARAMS_FILE:COUNT ... -- COMMAND...
//       one process; after the handshake, each phase sends COUNT requests one after another
//       and reports their latency and the process's VmRSS/VmHWM after the phase.
//
//   rdbench stdio-inflight --init-file F --call-file PARAMS --count N [--warmup-calls N]
//                          [--ping-interval-ms MS] [--timeout S] -- COMMAND...
//       N tools/call requests in flight at once (against a slow upstream), pings meanwhile.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "options.h"
#include "stdio_child.h"

namespace rdbench {

using nlohmann::json;

namespace {

std::string message(long long id, const std::string& method, const std::string& params) {
    return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":")" + method +
           R"(","params":)" + params + "}\n";
}

json latency_summary(std::vector<double> seconds) {
    std::sort(seconds.begin(), seconds.end());
    double mean = 0;
    for (double s : seconds) mean += s;
    if (!seconds.empty()) mean /= static_cast<double>(seconds.size());
    return {{"count", seconds.size()},
            {"min_us", seconds.empty() ? 0 : seconds.front() * 1e6},
            {"p50_us", percentile(seconds, 50) * 1e6},
            {"p90_us", percentile(seconds, 90) * 1e6},
            {"p99_us", percentile(seconds, 99) * 1e6},
            {"max_us", seconds.empty() ? 0 : seconds.back() * 1e6},
            {"mean_us", mean * 1e6}};
}

// One JSON-RPC answer line: its id, and whether it is a successful, non-error result.
struct Answer {
    long long id = -1;
    bool ok = false;
    bool notification = false;
};

Answer read_answer(const std::string& line) {
    Answer answer;
    auto parsed = json::parse(line, nullptr, false);
    if (!parsed.is_object()) return answer;
    if (!parsed.contains("id")) {
        answer.notification = true;
        return answer;
    }
    if (parsed["id"].is_number_integer()) answer.id = parsed["id"].get<long long>();
    auto result = parsed.find("result");
    answer.ok = result != parsed.end() && !(result->is_object() && result->value("isError", false));
    return answer;
}

// Waits for the answer to `id`, skipping notifications; false on timeout or another answer.
bool await_answer(StdioChild& child, long long id, double timeout_s, Answer* out = nullptr) {
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(timeout_s));
    while (Clock::now() < deadline) {
        auto line = child.read_line(seconds_between(Clock::now(), deadline));
        if (!line) return false;
        auto answer = read_answer(*line);
        if (answer.notification) continue;
        if (out) *out = answer;
        return answer.id == id;
    }
    return false;
}

void handshake(StdioChild& child, const Options& options) {
    const std::string init =
        options.get("init-file").empty() ? "" : read_file(options.get("init-file"));
    if (init.empty()) return;
    child.write(init.back() == '\n' ? init : init + "\n");
    if (!child.read_line(30)) throw std::runtime_error("the server did not answer the handshake");
    child.write(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
                "\n");
}

}  // namespace

json run_cold(const Options& options) {
    std::string request = read_file(options.require("request-file"));
    if (request.back() != '\n') request += '\n';
    const std::string after =
        options.get("after-file").empty() ? "" : read_file(options.get("after-file"));
    const int iterations = static_cast<int>(options.number("iterations", 20));
    const int idle_samples = static_cast<int>(options.number("idle-samples", 3));
    const int idle_wait_ms = static_cast<int>(options.number("idle-wait-ms", 1000));
    const std::string stderr_path = options.get("stderr", "/dev/null");

    const bool any_line = options.number("any-line", 0) != 0;
    std::vector<double> starts, cpu;
    std::vector<long> rss, hwm, threads, pss, anonymous;
    int failures = 0;
    for (int i = 0; i < iterations; ++i) {
        StdioChild child(options.command(), stderr_path);
        child.write(request);
        auto line = child.read_line(30);
        const auto answered = Clock::now();
        const double cpu_used = process_cpu_seconds_precise(child.pid());
        if (!line || !(any_line || read_answer(*line).ok)) {
            ++failures;
            continue;
        }
        starts.push_back(seconds_between(child.spawned_at(), answered));
        if (cpu_used >= 0) cpu.push_back(cpu_used);
        if (i < idle_samples) {
            if (!after.empty()) child.write(after.back() == '\n' ? after : after + "\n");
            std::this_thread::sleep_for(std::chrono::milliseconds(idle_wait_ms));
            rss.push_back(process_status_field(child.pid(), "VmRSS"));
            hwm.push_back(process_status_field(child.pid(), "VmHWM"));
            threads.push_back(process_status_field(child.pid(), "Threads"));
            pss.push_back(process_smaps_field(child.pid(), "Pss"));
            anonymous.push_back(process_smaps_field(child.pid(), "Anonymous"));
        }
    }
    auto median = [](std::vector<long> v) {
        if (v.empty()) return -1L;
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    json result = latency_summary(starts);
    result["failures"] = failures;
    result["idle_vmrss_kb"] = median(rss);
    result["idle_vmhwm_kb"] = median(hwm);
    result["idle_threads"] = median(threads);
    result["idle_pss_kb"] = median(pss);
    result["idle_anonymous_kb"] = median(anonymous);
    std::sort(cpu.begin(), cpu.end());
    result["cpu_to_answer_p50_us"] = percentile(cpu, 50) * 1e6;
    result["idle_vmrss_samples_kb"] = rss;
    return result;
}

json run_stdio_calls(const Options& options) {
    StdioChild child(options.command(), options.get("stderr", "/dev/null"));
    handshake(child, options);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    json phases = json::array();
    long long id = 100;
    for (const auto& spec : options.all("phase")) {
        // NAME:METHOD:PARAMS_FILE:COUNT (the paths the harness makes have no ':')
        std::vector<std::string> parts;
        std::size_t start = 0;
        for (;;) {
            const auto colon = spec.find(':', start);
            parts.push_back(spec.substr(start, colon - start));
            if (colon == std::string::npos) break;
            start = colon + 1;
        }
        if (parts.size() != 4)
            throw std::invalid_argument("--phase NAME:METHOD:PARAMS_FILE:COUNT, got " + spec);
        const int count = std::stoi(parts[3]);
        const std::string params = read_file(parts[2]);

        const long rss_before = process_status_field(child.pid(), "VmRSS");
        std::vector<double> latencies;
        int errors = 0;
        for (int i = 0; i < count; ++i) {
            const auto sent = Clock::now();
            child.write(message(++id, parts[1], params));
            Answer answer;
            if (!await_answer(child, id, 120, &answer) || !answer.ok) {
                ++errors;
                continue;
            }
            latencies.push_back(seconds_between(sent, Clock::now()));
        }
        json phase = latency_summary(latencies);
        phase["name"] = parts[0];
        phase["errors"] = errors;
        phase["request_bytes"] = message(id, parts[1], params).size();
        phase["vmrss_before_kb"] = rss_before;
        phase["vmrss_after_kb"] = process_status_field(child.pid(), "VmRSS");
        phase["vmhwm_after_kb"] = process_status_field(child.pid(), "VmHWM");
        phases.push_back(phase);
    }
    return {{"phases", phases}};
}

json run_stdio_inflight(const Options& options) {
    StdioChild child(options.command(), options.get("stderr", "/dev/null"));
    handshake(child, options);
    const std::string params = read_file(options.require("call-file"));
    const auto count = static_cast<long long>(options.number("count", 1000));
    const int warmup_calls = static_cast<int>(options.number("warmup-calls", 1));
    const auto ping_interval =
        std::chrono::milliseconds(static_cast<int>(options.number("ping-interval-ms", 100)));
    const double timeout = options.number("timeout", 120);

    // Warm-up: one call all the way through, so one-time set-up is not counted per call.
    for (int i = 0; i < warmup_calls; ++i) {
        child.write(message(10 + i, "tools/call", params));
        if (!await_answer(child, 10 + i, timeout))
            throw std::runtime_error("the warm-up call failed");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const long rss_base = process_status_field(child.pid(), "VmRSS");
    const long threads_base = process_status_field(child.pid(), "Threads");

    constexpr long long kFirstCall = 1'000'000, kFirstPing = 5'000'000;
    const auto started = Clock::now();
    for (long long i = 0; i < count; ++i)
        child.write(message(kFirstCall + i, "tools/call", params));

    long long next_ping = kFirstPing, ping_in_flight = -1;
    Clock::time_point ping_sent, next_ping_at = started;
    std::vector<double> pings;
    long long completed = 0, ok = 0;
    double first_done = 0, last_done = 0, all_sent_at = 0;
    long rss_peak = rss_base, threads_peak = threads_base;
    auto next_sample = started;
    while (completed < count && seconds_between(started, Clock::now()) < timeout) {
        const auto now = Clock::now();
        if (all_sent_at == 0 && child.drained()) all_sent_at = seconds_between(started, now);
        if (ping_in_flight < 0 && now >= next_ping_at) {
            ping_in_flight = next_ping++;
            ping_sent = now;
            child.write(message(ping_in_flight, "ping", "{}"));
        }
        if (now >= next_sample && completed == 0) {
            rss_peak = std::max(rss_peak, process_status_field(child.pid(), "VmRSS"));
            threads_peak = std::max(threads_peak, process_status_field(child.pid(), "Threads"));
            next_sample = now + std::chrono::milliseconds(50);
        }
        auto line = child.read_line(0.005);
        if (!line) continue;
        const auto answer = read_answer(*line);
        if (answer.id == ping_in_flight) {
            // Only pings answered while every call was still in flight count.
            if (completed == 0) pings.push_back(seconds_between(ping_sent, Clock::now()));
            ping_in_flight = -1;
            next_ping_at = ping_sent + ping_interval;
        } else if (answer.id >= kFirstCall && answer.id < kFirstCall + count) {
            const double at = seconds_between(started, Clock::now());
            if (completed == 0) first_done = at;
            last_done = at;
            ++completed;
            if (answer.ok) ++ok;
        }
    }
    json result = {
        {"count", count},
        {"completed", completed},
        {"ok", ok},
        {"all_sent_s", all_sent_at},
        {"first_completion_s", first_done},
        {"last_completion_s", last_done},
        {"vmrss_base_kb", rss_base},
        {"vmrss_peak_inflight_kb", rss_peak},
        {"threads_base", threads_base},
        {"threads_peak_inflight", threads_peak},
        {"kb_per_inflight_call",
         static_cast<double>(rss_peak - rss_base) / static_cast<double>(count)},
        {"vmhwm_kb", process_status_field(child.pid(), "VmHWM")},
        {"ping", latency_summary(pings)},
    };
    return result;
}

}  // namespace rdbench
