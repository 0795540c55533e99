#include "server/http/metrics.h"

#include <doctest/doctest.h>

using namespace rdmcp::server;
using namespace std::chrono_literals;

TEST_CASE("metrics render in the Prometheus text format with bounded labels") {
    HttpMetrics metrics({"get_balance"});
    metrics.record_request("tools/call", "ok", 30ms);
    metrics.record_request("tools/call", "tool_error", 2s);
    metrics.record_request("made/up/method/1", "ok", 1ms);
    metrics.record_request("made/up/method/2", "surprising", 1ms);
    metrics.record_tool_call("get_balance", "ok");
    metrics.record_tool_call("no_such_tool", "error");
    metrics.record_response(200);
    metrics.record_response(200);
    metrics.record_response(503);

    HttpMetrics::Gauges gauges;
    gauges.tool_calls_in_flight = 3;
    gauges.tool_call_slots = 256;
    gauges.draining = true;
    const auto text = metrics.render(gauges);

    CHECK(text.find("# TYPE rdmcp_http_requests_total counter\n") != std::string::npos);
    CHECK(text.find("rdmcp_http_requests_total{method=\"tools/call\",outcome=\"ok\"} 1\n") !=
          std::string::npos);
    CHECK(text.find("rdmcp_http_requests_total{method=\"other\",outcome=\"ok\"} 1\n") !=
          std::string::npos);
    CHECK(text.find("rdmcp_http_requests_total{method=\"other\",outcome=\"other\"} 1\n") !=
          std::string::npos);
    CHECK(text.find("made/up") == std::string::npos);
    CHECK(text.find("rdmcp_http_responses_total{code=\"200\"} 2\n") != std::string::npos);
    CHECK(text.find("rdmcp_tool_calls_total{tool=\"other\",outcome=\"error\"} 1\n") !=
          std::string::npos);

    // The histogram is cumulative and ends with +Inf, _sum and _count.
    CHECK(text.find(
              "rdmcp_request_duration_seconds_bucket{method=\"tools/call\",le=\"0.025\"} 0\n") !=
          std::string::npos);
    CHECK(
        text.find("rdmcp_request_duration_seconds_bucket{method=\"tools/call\",le=\"0.05\"} 1\n") !=
        std::string::npos);
    CHECK(
        text.find("rdmcp_request_duration_seconds_bucket{method=\"tools/call\",le=\"2.5\"} 2\n") !=
        std::string::npos);
    CHECK(
        text.find("rdmcp_request_duration_seconds_bucket{method=\"tools/call\",le=\"+Inf\"} 2\n") !=
        std::string::npos);
    CHECK(text.find("rdmcp_request_duration_seconds_count{method=\"tools/call\"} 2\n") !=
          std::string::npos);
    CHECK(text.find("rdmcp_request_duration_seconds_sum{method=\"tools/call\"} 2.03\n") !=
          std::string::npos);

    CHECK(text.find("rdmcp_tool_calls_in_flight 3\n") != std::string::npos);
    CHECK(text.find("rdmcp_tool_call_slots 256\n") != std::string::npos);
    CHECK(text.find("rdmcp_draining 1\n") != std::string::npos);
}
