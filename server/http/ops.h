#pragma once
// The operations endpoints beside the MCP endpoint, for load balancers and monitoring:
// /healthz (the process answers), /readyz (it takes new work: 503 while draining) and /metrics
// (Prometheus text). Admission (Origin, Host) is the transport's, as for every path.
#include <httplib.h>

#include "server/http/metrics.h"

namespace rdmcp::server {

void reply_health(httplib::Response& response);
void reply_readiness(httplib::Response& response, bool draining);
void reply_metrics(httplib::Response& response, const HttpMetrics& metrics,
                   const HttpMetrics::Gauges& gauges);

}  // namespace rdmcp::server
