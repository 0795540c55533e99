#include "server/http/metrics.h"

#include <algorithm>
#include <cstdio>

namespace rdmcp::server {

namespace {

constexpr std::array<std::string_view, 22> kKnownMethods = {"initialize",
                                                            "ping",
                                                            "server/discover",
                                                            "tools/list",
                                                            "tools/call",
                                                            "resources/list",
                                                            "resources/templates/list",
                                                            "resources/read",
                                                            "prompts/list",
                                                            "prompts/get",
                                                            "completion/complete",
                                                            "tasks/get",
                                                            "tasks/cancel",
                                                            "tasks/list",
                                                            "tasks/update",
                                                            "tasks/result",
                                                            "subscriptions/listen",
                                                            "notifications/initialized",
                                                            "notifications/cancelled",
                                                            "GET",
                                                            "DELETE",
                                                            "invalid"};

constexpr std::array<std::string_view, 7> kOutcomes = {
    "ok", "tool_error", "error", "cancelled", "accepted", "rejected", "other"};

std::string format_number(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.9g", value);
    return text;
}

void header(std::string& out, const char* name, const char* type, const char* help) {
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

void gauge(std::string& out, const char* name, const char* help, long value) {
    header(out, name, "gauge", help);
    out += name;
    out += ' ';
    out += std::to_string(value);
    out += '\n';
}

std::string outcome_label(std::string_view outcome) {
    return std::find(kOutcomes.begin(), kOutcomes.end(), outcome) != kOutcomes.end()
               ? std::string(outcome)
               : "other";
}

}  // namespace

HttpMetrics::HttpMetrics(std::vector<std::string> tool_names)
    : tools_(tool_names.begin(), tool_names.end()) {}

std::string HttpMetrics::method_label(std::string_view method) {
    return std::find(kKnownMethods.begin(), kKnownMethods.end(), method) != kKnownMethods.end()
               ? std::string(method)
               : "other";
}

std::string HttpMetrics::tool_label(std::string_view tool) const {
    return tools_.count(tool) ? std::string(tool) : "other";
}

void HttpMetrics::record_request(std::string_view method, std::string_view outcome,
                                 std::chrono::steady_clock::duration duration) {
    const double seconds = std::chrono::duration<double>(duration).count();
    const auto label = method_label(method);
    std::lock_guard lock(mutex_);
    ++requests_[{label, outcome_label(outcome)}];
    auto& histogram = durations_[label];
    ++histogram.count;
    histogram.sum += seconds;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i]) {
            ++histogram.buckets[i];
            break;
        }
    }
}

void HttpMetrics::record_tool_call(std::string_view tool, std::string_view outcome) {
    const auto label = tool_label(tool);
    std::lock_guard lock(mutex_);
    ++tool_calls_[{label, outcome_label(outcome)}];
}

void HttpMetrics::record_response(int http_status) {
    std::lock_guard lock(mutex_);
    ++responses_[http_status];
}

std::string HttpMetrics::render(const Gauges& gauges) const {
    std::string out;
    std::lock_guard lock(mutex_);

    header(out, "rdmcp_http_requests_total", "counter",
           "MCP messages received over HTTP, by JSON-RPC method and outcome.");
    for (const auto& [labels, count] : requests_) {
        out += "rdmcp_http_requests_total{method=\"" + labels.first + "\",outcome=\"" +
               labels.second + "\"} " + std::to_string(count) + '\n';
    }

    header(out, "rdmcp_http_responses_total", "counter", "HTTP responses, by status code.");
    for (const auto& [status, count] : responses_) {
        out += "rdmcp_http_responses_total{code=\"" + std::to_string(status) + "\"} " +
               std::to_string(count) + '\n';
    }

    header(out, "rdmcp_request_duration_seconds", "histogram",
           "Time from receiving an MCP message to its answer being ready, by method.");
    for (const auto& [method, histogram] : durations_) {
        unsigned long long cumulative = 0;
        const std::string prefix =
            "rdmcp_request_duration_seconds_bucket{method=\"" + method + "\",le=\"";
        for (std::size_t i = 0; i < kBuckets.size(); ++i) {
            cumulative += histogram.buckets[i];
            out += prefix + format_number(kBuckets[i]) + "\"} " + std::to_string(cumulative) + '\n';
        }
        out += prefix + "+Inf\"} " + std::to_string(histogram.count) + '\n';
        out += "rdmcp_request_duration_seconds_sum{method=\"" + method + "\"} " +
               format_number(histogram.sum) + '\n';
        out += "rdmcp_request_duration_seconds_count{method=\"" + method + "\"} " +
               std::to_string(histogram.count) + '\n';
    }

    header(out, "rdmcp_tool_calls_total", "counter", "tools/call requests, by tool and outcome.");
    for (const auto& [labels, count] : tool_calls_) {
        out += "rdmcp_tool_calls_total{tool=\"" + labels.first + "\",outcome=\"" + labels.second +
               "\"} " + std::to_string(count) + '\n';
    }

    gauge(out, "rdmcp_requests_in_flight", "MCP requests being answered now.",
          gauges.requests_in_flight);
    gauge(out, "rdmcp_tool_calls_in_flight",
          "Requests that may wait on the upstream, running now (each holds a slot).",
          gauges.tool_calls_in_flight);
    gauge(out, "rdmcp_tool_call_slots", "Slots for such requests (--max-concurrency).",
          gauges.tool_call_slots);
    gauge(out, "rdmcp_open_streams", "Open long-lived SSE streams (GET and subscriptions/listen).",
          gauges.open_streams);
    gauge(out, "rdmcp_open_connections", "HTTP connections being served.", gauges.open_connections);
    gauge(out, "rdmcp_sessions", "Open legacy (2025-era) sessions.", gauges.sessions);
    gauge(out, "rdmcp_draining", "1 while shutting down.", gauges.draining ? 1 : 0);
    return out;
}

}  // namespace rdmcp::server
