// Slow work never blocks fast work over HTTP, overload is refused instead of queued, a closed
// stream cancels its upstream wait, and SIGTERM lets every call in flight finish.
#include <doctest/doctest.h>
#include <signal.h>

#include <atomic>
#include <thread>

#include "tests/support/eventually.h"
#include "tests/support/mcp_http_client.h"
#include "tests/support/simulated_api.h"

using namespace rdmcp::testing;
using namespace std::chrono_literals;

namespace {
double balance_of(const HttpReply& reply) {
    const auto balance = reply.response()["result"]["structuredContent"]["balance"];
    return balance.is_number() ? balance.get<double>() : -1;
}
}  // namespace

TEST_CASE("with 200 slow calls in flight, ping and tools/list are answered before any completes") {
    SimulatedApi api;
    api.configure({{"latency_ms", 4000 * kSlowdown}});  // get_balance waits this long upstream
    HttpServerProcess server({}, env_for(api));
    constexpr int kSlow = 200;

    std::atomic<int> completed{0}, succeeded{0};
    ThreadGroup threads;
    for (int i = 0; i < kSlow; ++i) {
        threads.spawn([&, i] {
            McpHttpClient client(server, i % 2 ? kTestKey : kSecondTestKey);
            if (i % 3 == 0) client.set_accept("application/json");  // some take one JSON body
            auto reply = client.modern_tool("get_balance");
            ++completed;
            if (reply.status == 200 && balance_of(reply) == (i % 2 ? 100.0 : 5.0)) ++succeeded;
        });
    }
    REQUIRE(eventually([&] { return server.metric("rdmcp_tool_calls_in_flight") == kSlow; },
                       15s * kSlowdown));
    CHECK(completed == 0);

    McpHttpClient fast(server);
    const auto started = std::chrono::steady_clock::now();
    auto pong = fast.modern("server/discover");
    auto tools = fast.modern("tools/list");
    McpHttpClient legacy(server);
    auto init = legacy.initialize();
    const auto fast_time = std::chrono::steady_clock::now() - started;
    CHECK(pong.status == 200);
    CHECK(tools.status == 200);
    CHECK(init.status == 200);
    CHECK(completed == 0);  // answered while every slow call was still waiting
    CHECK(fast_time < 2s * kSlowdown);

    threads.join();
    CHECK(succeeded == kSlow);
    // A call leaves the count just after its answer is written, so the client can be first.
    CHECK(eventually([&] { return server.metric("rdmcp_tool_calls_in_flight") == 0; }, 2s));
}

TEST_CASE("when every slot is taken a slow call gets 503 with Retry-After; fast requests pass") {
    SimulatedApi api;
    api.configure({{"latency_ms", 3000 * kSlowdown}});
    HttpServerProcess server({"--max-concurrency", "4", "--max-connections", "16"}, env_for(api));

    std::atomic<int> succeeded{0};
    ThreadGroup threads;
    for (int i = 0; i < 4; ++i) {
        threads.spawn([&] {
            McpHttpClient client(server, kTestKey);
            if (balance_of(client.modern_tool("get_balance")) == 100.0) ++succeeded;
        });
    }
    REQUIRE(eventually([&] { return server.metric("rdmcp_tool_calls_in_flight") == 4; },
                       10s * kSlowdown));

    McpHttpClient client(server, kTestKey);
    auto refused = client.modern_tool("get_balance");
    CHECK(refused.status == 503);
    CHECK(!refused.header("Retry-After").empty());
    CHECK(refused.response()["error"]["message"].get<std::string>().find("--max-concurrency") !=
          std::string::npos);
    CHECK(client.modern("server/discover").status == 200);
    CHECK(client.modern("tools/list").status == 200);

    threads.join();
    CHECK(succeeded == 4);
    CHECK(client.modern_tool("get_balance").status == 200);  // slots are given back
}

TEST_CASE("closing the response stream cancels the upstream wait") {
    SimulatedApi api;
    api.configure({{"latency_ms", 30000 * kSlowdown}});
    HttpServerProcess server({}, env_for(api));

    for (const std::string accept : {"application/json, text/event-stream", "application/json"}) {
        CAPTURE(accept);
        api.clear_requests();
        const std::string body = Json{
            {"jsonrpc", "2.0"},
            {"id", 1},
            {"method", "tools/call"},
            {"params",
             {{"name", "get_balance"},
              {"arguments", Json::object()},
              {"_meta",
               modern_http_meta()}}}}.dump();
        RawConnection connection(server.port());
        connection.send(raw_post("/mcp", body,
                                 {{"Content-Type", "application/json"},
                                  {"Accept", accept},
                                  {"Authorization", std::string("Bearer ") + kTestKey},
                                  {"MCP-Protocol-Version", "2026-07-28"},
                                  {"Mcp-Method", "tools/call"},
                                  {"Mcp-Name", "get_balance"}}));
        auto head = connection.read_until("\r\n\r\n", 5s * kSlowdown);
        REQUIRE(head);
        CHECK(head->rfind("HTTP/1.1 200", 0) == 0);
        REQUIRE(
            eventually([&] { return !api.requests_to("GET", "/v1/inferences/credits").empty(); },
                       5s * kSlowdown));
        CHECK(server.metric("rdmcp_tool_calls_in_flight") == 1);

        const auto closed = std::chrono::steady_clock::now();
        connection.close();
        CHECK(eventually([&] { return server.metric("rdmcp_tool_calls_in_flight") == 0; },
                         5s * kSlowdown));
        // Far less than the upstream wait.
        CHECK(std::chrono::steady_clock::now() - closed < 5s * kSlowdown);
    }
    CHECK(server.metric("rdmcp_http_requests_total", "outcome=\"cancelled\"") == 2);
    CHECK(server.stderr_text().find("outcome=cancelled detail=\"the client closed the stream\"") !=
          std::string::npos);
}

TEST_CASE("SIGTERM with calls in flight: every call is answered, no new connection, exit 0") {
    SimulatedApi api;
    api.configure({{"latency_ms", 2000 * kSlowdown}});
    HttpServerProcess server({}, env_for(api));
    McpHttpClient opener(server, kSecondTestKey);
    opener.initialize();
    const auto session = opener.session_id();

    constexpr int kCalls = 12;
    std::atomic<int> answered{0};
    ThreadGroup threads;
    for (int i = 0; i < kCalls; ++i) {
        threads.spawn([&, i] {
            McpHttpClient client(server, i % 3 == 2 ? kSecondTestKey : kTestKey);
            HttpReply reply;
            if (i % 3 == 0) {
                reply = client.modern_tool("get_balance");  // SSE
            } else if (i % 3 == 1) {
                client.set_accept("application/json");
                reply = client.modern_tool("get_balance");  // one JSON body
            } else {
                client.set_session_id(session);
                client.start_ids_after(1000 * (i + 1));
                reply = client.legacy("tools/call", {{"name", "get_balance"}});  // a 2025 session
            }
            if (reply.status == 200 && balance_of(reply) == (i % 3 == 2 ? 5.0 : 100.0)) ++answered;
        });
    }
    REQUIRE(eventually([&] { return server.metric("rdmcp_tool_calls_in_flight") == kCalls; },
                       10s * kSlowdown));
    server.process().signal(SIGTERM);

    std::this_thread::sleep_for(300ms);
    httplib::Client late(server.base());
    late.set_connection_timeout(2s);
    auto refused = late.Get("/healthz");
    CHECK(!refused);  // the listening socket is closed

    threads.join();
    CHECK(answered == kCalls);
    CHECK(server.process().wait(15s * kSlowdown) == 0);
    const auto log = server.stderr_text();
    CHECK(log.find("event=draining") != std::string::npos);
    CHECK(log.find("event=grace_period_over") == std::string::npos);
}

TEST_CASE("SIGTERM: calls still running when the grace period ends are cancelled and answered") {
    SimulatedApi api;
    api.configure({{"latency_ms", 30000 * kSlowdown}});
    HttpServerProcess server({"--shutdown-grace-seconds", "1"}, env_for(api));

    std::vector<HttpReply> replies(2);
    ThreadGroup threads;
    for (int i = 0; i < 2; ++i) {
        threads.spawn([&, i] {
            McpHttpClient client(server, kTestKey);
            if (i == 1) client.set_accept("application/json");
            replies[i] = client.modern_tool("get_balance");
        });
    }
    REQUIRE(eventually([&] { return server.metric("rdmcp_tool_calls_in_flight") == 2; },
                       10s * kSlowdown));
    const auto signalled = std::chrono::steady_clock::now();
    server.process().signal(SIGTERM);
    threads.join();
    CHECK(std::chrono::steady_clock::now() - signalled < 10s * kSlowdown);
    for (const auto& reply : replies) {
        CHECK(reply.status == 200);
        CHECK(reply.response()["result"]["isError"] == true);
    }
    CHECK(server.process().wait(10s * kSlowdown) == 0);
    CHECK(server.stderr_text().find("event=grace_period_over") != std::string::npos);
}
