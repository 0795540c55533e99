#include "server/http/ops.h"

#include <memory>
#include <string>

#include "server/http/replies.h"

namespace rdmcp::server {

void reply_health(httplib::Response& response) { reply_json(response, 200, R"({"status":"ok"})"); }

void reply_readiness(httplib::Response& response, bool draining) {
    if (draining) {
        reply_json(response, 503, R"({"status":"draining"})");
    } else {
        reply_json(response, 200, R"({"status":"ready"})");
    }
}

std::optional<std::string> check_ops_endpoints(std::string host, int port) {
    if (host == "0.0.0.0") host = "127.0.0.1";  // a wildcard address is reached on loopback
    if (host == "::" || host == "[::]") host = "::1";
    httplib::Client client(host, port);
    client.set_connection_timeout(std::chrono::seconds(2));
    client.set_read_timeout(std::chrono::seconds(5));
    const httplib::Headers headers = {{"X-Request-Id", "warm-up"}};
    auto health = client.Get("/healthz", headers);
    if (!health) return "/healthz: " + httplib::to_string(health.error());
    auto metrics = client.Get("/metrics", headers);
    if (!metrics) return "/metrics: " + httplib::to_string(metrics.error());
    return std::nullopt;
}

void reply_metrics(httplib::Response& response, const HttpMetrics& metrics,
                   const HttpMetrics::Gauges& gauges) {
    response.status = 200;
    // Streamed from one rendered copy: the text is not copied again into the response.
    auto text = std::make_shared<std::string>(metrics.render(gauges));
    response.set_chunked_content_provider(
        "text/plain; version=0.0.4; charset=utf-8", [text](std::size_t, httplib::DataSink& sink) {
            if (!text->empty() && !sink.write(text->data(), text->size())) return false;
            sink.done();
            return true;
        });
}

}  // namespace rdmcp::server
