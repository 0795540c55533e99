#pragma once
// Counters for GET /metrics in the Prometheus text format: requests by JSON-RPC method and
// outcome, HTTP responses by status, a latency histogram per method, tool calls by tool and
// outcome, and gauges read when scraped. Labels come from closed sets (known methods and tool
// names, else "other"), so a client can never grow them without bound.
// Upstream calls by status are not here: they happen inside tools/, which reports no metrics.
#include <array>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rdmcp::server {

class HttpMetrics {
  public:
    explicit HttpMetrics(std::vector<std::string> tool_names);

    // One finished MCP exchange. `method` is the JSON-RPC method (or "GET"/"DELETE" for the
    // session stream and session end, "invalid" when the body was not a message); `outcome` is
    // ok, tool_error, error, cancelled, accepted or rejected.
    void record_request(std::string_view method, std::string_view outcome,
                        std::chrono::steady_clock::duration duration);
    void record_tool_call(std::string_view tool, std::string_view outcome);
    void record_response(int http_status);

    struct Gauges {
        long requests_in_flight = 0;
        long tool_calls_in_flight = 0;
        long tool_call_slots = 0;
        long open_streams = 0;
        long open_connections = 0;
        long sessions = 0;
        bool draining = false;
    };
    std::string render(const Gauges& gauges) const;

    // The label a method is counted under.
    static std::string method_label(std::string_view method);

  private:
    static constexpr std::array<double, 15> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                                                        2.5,   5,    10,    30,   60,  120,  300};
    struct Histogram {
        std::array<unsigned long long, kBuckets.size()> buckets{};  // cumulative at render
        unsigned long long count = 0;
        double sum = 0;
    };

    std::string tool_label(std::string_view tool) const;

    const std::set<std::string, std::less<>> tools_;
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, unsigned long long> requests_;
    std::map<std::pair<std::string, std::string>, unsigned long long> tool_calls_;
    std::map<int, unsigned long long> responses_;
    std::map<std::string, Histogram> durations_;
};

}  // namespace rdmcp::server
