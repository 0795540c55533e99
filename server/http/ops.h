#pragma once
// The operations endpoints beside the MCP endpoint, for load balancers and monitoring:
// /healthz (the process answers), /readyz (it takes new work: 503 while draining) and /metrics
// (Prometheus text). Admission (Origin, Host) is the transport's, as for every path.
#include <httplib.h>

#include <optional>
#include <string>

#include "server/http/metrics.h"

namespace rdmcp::server {

void reply_health(httplib::Response& response);
void reply_readiness(httplib::Response& response, bool draining);
// The start-up self-check: one request to /healthz and one to /metrics on our own listener, as
// a client makes them. What went wrong, or nothing.
std::optional<std::string> check_ops_endpoints(std::string host, int port);

void reply_metrics(httplib::Response& response, const HttpMetrics& metrics,
                   const HttpMetrics::Gauges& gauges);

}  // namespace rdmcp::server
