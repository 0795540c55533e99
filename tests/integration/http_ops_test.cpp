// The operations side of the HTTP transport, over real sockets: /healthz, /readyz and the
// Prometheus metrics, and the one structured log line each request leaves (never the key).
#include <doctest/doctest.h>
#include <signal.h>

#include "tests/support/eventually.h"
#include "tests/support/mcp_http_client.h"
#include "tests/support/simulated_api.h"

using namespace rdmcp::testing;
using namespace std::chrono_literals;

TEST_CASE("health, readiness and Prometheus metrics") {
    SimulatedApi api;
    HttpServerProcess server({"--path", "/rd/mcp"}, debug_env_for(api));
    CHECK(server.url().size() > 7);
    CHECK(server.url().substr(server.url().size() - 7) == "/rd/mcp");
    McpHttpClient client(server, kTestKey);
    CHECK(client.modern("server/discover").status == 200);
    CHECK(client.modern_tool("get_balance").status == 200);
    // Counted once its answer is written, which the client may read first.
    CHECK(eventually(
        [&] {
            return server.metric("rdmcp_request_duration_seconds_count", "method=\"tools/call\"") ==
                       1 &&
                   server.metric("rdmcp_requests_in_flight") == 0;
        },
        2000ms * kSlowdown));

    httplib::Client ops(server.base());
    auto health = ops.Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
    CHECK(Json::parse(health->body)["status"] == "ok");
    auto ready = ops.Get("/readyz");
    REQUIRE(ready);
    CHECK(ready->status == 200);

    auto metrics = ops.Get("/metrics");
    REQUIRE(metrics);
    CHECK(metrics->status == 200);
    CHECK(metrics->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
    CHECK(metrics->body.find("# TYPE rdmcp_request_duration_seconds histogram") !=
          std::string::npos);
    CHECK(server.metric("rdmcp_http_requests_total", "method=\"server/discover\",outcome=\"ok\"") ==
          1);
    CHECK(server.metric("rdmcp_tool_calls_total", "tool=\"get_balance\",outcome=\"ok\"") == 1);
    CHECK(server.metric("rdmcp_request_duration_seconds_count", "method=\"tools/call\"") == 1);
    CHECK(server.metric("rdmcp_tool_call_slots") == 256);
    CHECK(server.metric("rdmcp_requests_in_flight") == 0);
    CHECK(server.metric("rdmcp_http_responses_total", "code=\"200\"") >= 3);
}

TEST_CASE("one log line per request, and never the key") {
    SimulatedApi api;
    HttpServerProcess server({}, debug_env_for(api));
    McpHttpClient client(server, kTestKey);
    client.initialize();
    client.legacy("tools/call", {{"name", "get_balance"}});
    client.modern_tool("get_balance");
    api.fail_next({{"path_prefix", "/v1/inferences/credits"},
                   {"status", 401},
                   {"count", 2},
                   {"body",
                    {{"detail",
                      {{"code", "invalid_token"},
                       {"message", std::string("Token ") + kTestKey + " is not valid"}}}}}});
    auto rejected = client.modern_tool("get_balance");
    CHECK(rejected.response()["result"]["isError"] == true);
    CHECK(rejected.body.find(kTestKey) == std::string::npos);

    server.process().signal(SIGTERM);
    REQUIRE(server.process().wait(10s) == 0);
    const auto log = server.stderr_text();
    CHECK(log.find(kTestKey) == std::string::npos);
    CHECK(log.find("rdpk-") == std::string::npos);
    CHECK(log.find(*client.session_id()) == std::string::npos);
    std::size_t lines = 0;
    for (std::size_t at = log.find("event=request "); at != std::string::npos;
         at = log.find("event=request ", at + 1)) {
        ++lines;
    }
    CHECK(lines == 4);  // initialize, two get_balance calls, the rejected one
    CHECK(
        log.find("event=request id=http-2 method=tools/call tool=get_balance era=legacy status=200 "
                 "outcome=ok") != std::string::npos);
}
