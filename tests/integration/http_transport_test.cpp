// The real binary serving Streamable HTTP on a real socket, against the simulated API: both
// protocol generations on one endpoint, the header rules, sessions, streams and status codes.
#include <doctest/doctest.h>
#include <signal.h>

#include <regex>
#include <thread>

#include "tests/support/eventually.h"
#include "tests/support/mcp_http_client.h"
#include "tests/support/simulated_api.h"

using namespace rdmcp::testing;
using namespace std::chrono_literals;

namespace {
int error_code(const HttpReply& reply) { return reply.response()["error"].value("code", 0); }
}  // namespace

TEST_CASE("a 2026-07-28 client: stateless requests, JSON or a request-scoped SSE stream") {
    SimulatedApi api;
    HttpServerProcess server({}, debug_env_for(api));
    McpHttpClient client(server, kTestKey);

    auto discover = client.modern("server/discover");
    CHECK(discover.status == 200);
    CHECK(discover.content_type().rfind("application/json", 0) == 0);
    CHECK(discover.response()["result"]["resultType"] == "complete");
    CHECK(discover.response()["result"]["supportedVersions"][0] == "2026-07-28");
    CHECK(discover.header("Mcp-Session-Id").empty());  // no sessions in 2026-07-28

    auto tools = client.modern("tools/list");
    CHECK(tools.status == 200);
    CHECK(tools.response()["result"]["tools"].size() >= 8);
    CHECK(client.modern("server/discover").response()["result"]["resultType"] == "complete");

    // A call that may wait on the upstream streams when the client takes SSE ...
    auto streamed = client.modern_tool("get_balance");
    CHECK(streamed.status == 200);
    CHECK(streamed.content_type() == "text/event-stream");
    CHECK(streamed.header("X-Accel-Buffering") == "no");
    CHECK(streamed.header("Cache-Control") == "no-cache");
    REQUIRE(streamed.messages.size() == 1);
    CHECK(streamed.response()["result"]["structuredContent"]["balance"] == 100.0);
    CHECK(streamed.response()["result"]["resultType"] == "complete");

    // ... and answers one JSON body when it takes only JSON.
    client.set_accept("application/json");
    auto plain = client.modern_tool("get_balance");
    CHECK(plain.status == 200);
    CHECK(plain.content_type().rfind("application/json", 0) == 0);
    CHECK(plain.response()["result"]["structuredContent"]["balance"] == 100.0);

    // Progress flows on the call's own stream, before its response.
    client.set_accept("application/json, text/event-stream");
    auto generated = client.modern_tool("create_inference",
                                        {{"prompt", "a red apple"},
                                         {"prompt_style", "rd_fast__default"},
                                         {"width", 64},
                                         {"height", 64}},
                                        {{"progressToken", "p1"}});
    REQUIRE(generated.messages.size() >= 2);
    CHECK(generated.messages.front()["method"] == "notifications/progress");
    CHECK(generated.messages.front()["params"]["progressToken"] == "p1");
    CHECK(generated.response()["result"]["isError"].is_null());
    const Json generated_result = generated.response()["result"];
    bool has_image = false;
    for (const auto& block : generated_result["content"]) has_image |= block["type"] == "image";
    CHECK(has_image);

    // An unknown method is 404 with -32601, as the spec says for 2026-07-28.
    auto unknown = client.modern("sampling/createMessage");
    CHECK(unknown.status == 404);
    CHECK(error_code(unknown) == -32601);

    for (const auto& call : api.requests()) CHECK(call["token"] == kTestKey);
}

TEST_CASE("2026-07-28 header validation: 400 with -32020, -32022 or -32602 as the spec says") {
    SimulatedApi api;
    HttpServerProcess server({}, debug_env_for(api));
    McpHttpClient client(server);
    const Json call = {{"name", "list_available_styles"},
                       {"arguments", {{"kind", "tileset"}}},
                       {"_meta", modern_http_meta()}};

    SUBCASE("missing MCP-Protocol-Version") {
        auto reply =
            client.post({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "tools/call"}, {"params", call}},
                        {{"Mcp-Method", "tools/call"}, {"Mcp-Name", "list_available_styles"}});
        CHECK(reply.status == 400);
        CHECK(error_code(reply) == -32020);
        CHECK(reply.response()["id"] == 1);
    }
    SUBCASE("missing Mcp-Method") {
        auto reply = client.post(
            {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "tools/call"}, {"params", call}},
            {{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Name", "list_available_styles"}});
        CHECK(reply.status == 400);
        CHECK(error_code(reply) == -32020);
    }
    SUBCASE("Mcp-Method naming another method") {
        auto reply = client.modern("tools/call", call, {{"Mcp-Method", "tools/list"}});
        CHECK(reply.status == 400);
        CHECK(error_code(reply) == -32020);
    }
    SUBCASE("missing Mcp-Name on tools/call") {
        auto reply =
            client.post({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "tools/call"}, {"params", call}},
                        {{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "tools/call"}});
        CHECK(reply.status == 400);
        CHECK(error_code(reply) == -32020);
    }
    SUBCASE("Mcp-Name naming another tool") {
        auto reply = client.modern("tools/call", call, {{"Mcp-Name", "get_balance"}});
        CHECK(reply.status == 400);
        CHECK(error_code(reply) == -32020);
        CHECK(reply.response()["error"]["message"].get<std::string>().find("get_balance") !=
              std::string::npos);
    }
    SUBCASE("Mcp-Name in the base64 form is decoded before the comparison") {
        // "list_available_styles" in base64.
        auto reply = client.modern("tools/call", call,
                                   {{"Mcp-Name", "=?base64?bGlzdF9hdmFpbGFibGVfc3R5bGVz?="}});
        CHECK(reply.status == 200);
        CHECK(reply.response()["result"]["structuredContent"]["count"] > 0);
        auto broken = client.modern("tools/call", call, {{"Mcp-Name", "=?base64?!!!?="}});
        CHECK(broken.status == 400);
        CHECK(error_code(broken) == -32020);
    }
    SUBCASE("MCP-Protocol-Version disagreeing with _meta") {
        auto reply = client.modern("tools/call", call, {{"MCP-Protocol-Version", "2025-11-25"}});
        CHECK(reply.status == 400);
        CHECK(error_code(reply) == -32020);
    }
    SUBCASE("an unsupported version is -32022 with the supported ones") {
        Json params = {{"_meta", modern_http_meta(
                                     {{"io.modelcontextprotocol/protocolVersion", "2099-01-01"}})}};
        auto reply =
            client.modern("server/discover", params, {{"MCP-Protocol-Version", "2099-01-01"}});
        CHECK(reply.status == 400);
        CHECK(error_code(reply) == -32022);
        CHECK(reply.response()["error"]["data"]["supported"][0] == "2026-07-28");
        CHECK(reply.response()["error"]["data"]["requested"] == "2099-01-01");
    }
    SUBCASE("a modern header without the _meta envelope is -32602") {
        auto reply = client.modern("tools/list", {{"_meta", Json::object()}});
        CHECK(reply.status == 400);
        CHECK(error_code(reply) == -32602);
    }
    SUBCASE("_meta without clientCapabilities is -32602") {
        Json meta = {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"}};
        auto reply = client.modern("tools/list", {{"_meta", meta}});
        CHECK(reply.status == 400);
        CHECK(error_code(reply) == -32602);
    }
    SUBCASE("initialize with a 2026-07-28 header is an unknown method there: 404, -32601") {
        auto reply = client.post(
            {{"jsonrpc", "2.0"},
             {"id", 1},
             {"method", "initialize"},
             {"params", {{"protocolVersion", "2025-11-25"}, {"capabilities", Json::object()}}}},
            {{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "initialize"}});
        CHECK(reply.status == 404);
        CHECK(error_code(reply) == -32601);
    }
    CHECK(api.requests().empty());
}

TEST_CASE("a 2025-11-25 client: initialize opens a session that its later requests name") {
    SimulatedApi api;
    HttpServerProcess server({}, debug_env_for(api));
    McpHttpClient client(server, kSecondTestKey);

    auto init = client.initialize("2025-06-18");
    CHECK(init.status == 200);
    CHECK(init.response()["result"]["protocolVersion"] == "2025-06-18");
    REQUIRE(client.session_id());
    CHECK(std::regex_match(*client.session_id(), std::regex("[A-Za-z0-9_-]{43}")));

    auto initialized = client.legacy_notify("notifications/initialized");
    CHECK(initialized.status == 202);
    CHECK(initialized.body.empty());

    auto tools = client.legacy("tools/list");
    CHECK(tools.status == 200);
    CHECK(tools.response()["result"]["tools"].size() >= 8);
    CHECK(tools.response()["result"]["resultType"].is_null());  // 2025 results have no resultType

    auto balance =
        client.legacy("tools/call", {{"name", "get_balance"}, {"arguments", Json::object()}});
    CHECK(balance.status == 200);
    CHECK(balance.content_type() == "text/event-stream");
    CHECK(balance.response()["result"]["structuredContent"]["balance"] == 5.0);

    // A response to a request we never sent is accepted (202) and dropped.
    CHECK(client
              .post({{"jsonrpc", "2.0"}, {"id", 99}, {"result", Json::object()}},
                    client.legacy_headers())
              .status == 202);

    SUBCASE("no session id: 400") {
        auto reply = client.post({{"jsonrpc", "2.0"}, {"id", 7}, {"method", "tools/list"}},
                                 {{"MCP-Protocol-Version", "2025-06-18"}});
        CHECK(reply.status == 400);
        CHECK(reply.response()["id"] == 7);
    }
    SUBCASE("an unknown session id: 404") {
        auto reply =
            client.legacy("tools/list", Json::object(), {{"Mcp-Session-Id", "no-such-session"}});
        CHECK(reply.status == 404);
    }
    SUBCASE("an unsupported MCP-Protocol-Version header: 400") {
        auto reply =
            client.legacy("tools/list", Json::object(), {{"MCP-Protocol-Version", "1999-01-01"}});
        CHECK(reply.status == 400);
        CHECK(error_code(reply) == -32022);
    }
    SUBCASE("no MCP-Protocol-Version header is still served (2025-03-26 is assumed)") {
        auto reply = client.post({{"jsonrpc", "2.0"}, {"id", 8}, {"method", "ping"}},
                                 {{"Mcp-Session-Id", *client.session_id()}});
        CHECK(reply.status == 200);
        CHECK(reply.response()["result"] == Json::object());
    }
    SUBCASE("each initialize opens a new session") {
        McpHttpClient other(server, kSecondTestKey);
        other.initialize();
        REQUIRE(other.session_id());
        CHECK(*other.session_id() != *client.session_id());
    }
}

TEST_CASE(
    "notifications/cancelled in a session stops the call; its stream ends without an answer") {
    SimulatedApi api;
    api.configure({{"latency_ms", 10000 * kSlowdown}});
    HttpServerProcess server({}, debug_env_for(api));
    McpHttpClient client(server, kTestKey);
    client.initialize();

    std::optional<HttpReply> slow;
    const auto started = std::chrono::steady_clock::now();
    ThreadGroup caller;
    caller.spawn([&] {
        McpHttpClient same(server, kTestKey);
        same.set_session_id(client.session_id());
        slow = same.post({{"jsonrpc", "2.0"},
                          {"id", "slow"},
                          {"method", "tools/call"},
                          {"params", {{"name", "get_balance"}}}},
                         same.legacy_headers());
    });
    for (int i = 0; i < 200 && api.requests_to("GET", "/v1/inferences/credits").empty(); ++i) {
        std::this_thread::sleep_for(20ms);
    }
    CHECK(client.legacy_notify("notifications/cancelled", {{"requestId", "slow"}}).status == 202);
    caller.join();
    CHECK(std::chrono::steady_clock::now() - started < 5s * kSlowdown);
    REQUIRE(slow);
    CHECK(slow->status == 200);
    CHECK(slow->messages.empty());
    // Counted once its answer is written, which the client may read first.
    CHECK(eventually(
        [&] { return server.metric("rdmcp_http_requests_total", "outcome=\"cancelled\"") == 1; },
        2000ms * kSlowdown));
}

TEST_CASE("DELETE ends a session: afterwards it is 404") {
    SimulatedApi api;
    HttpServerProcess server({}, debug_env_for(api));
    McpHttpClient client(server, kTestKey);
    client.initialize();
    CHECK(client.legacy("ping").status == 200);

    CHECK(client.del(client.legacy_headers()).status == 200);
    CHECK(client.legacy("ping").status == 404);
    CHECK(client.del(client.legacy_headers()).status == 404);
    CHECK(client.del({{"MCP-Protocol-Version", "2025-11-25"}}).status == 400);  // names none
}

TEST_CASE("GET opens the session's SSE stream: keep-alive comments until the session ends") {
    SimulatedApi api;
    HttpServerProcess server({"--sse-keepalive-seconds", "1"}, debug_env_for(api));
    McpHttpClient client(server, kTestKey);
    client.initialize();

    RawConnection stream(server.port());
    stream.send(
        "GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        "Authorization: Bearer " +
        std::string(kTestKey) + "\r\nMcp-Session-Id: " + *client.session_id() +
        "\r\nMCP-Protocol-Version: 2025-11-25\r\n\r\n");
    auto head = stream.read_until("\r\n\r\n", 5s);
    REQUIRE(head);
    CHECK(head->rfind("HTTP/1.1 200", 0) == 0);
    CHECK(head->find("Content-Type: text/event-stream") != std::string::npos);
    CHECK(head->find("X-Accel-Buffering: no") != std::string::npos);
    CHECK(stream.read_until(": keep-alive", 3s));

    // One stream per session.
    auto second = client.get("/mcp", {{"Accept", "text/event-stream"},
                                      {"Mcp-Session-Id", *client.session_id()},
                                      {"MCP-Protocol-Version", "2025-11-25"}});
    CHECK(second.status == 409);
    // A GET that does not take SSE.
    auto not_sse = client.get(
        "/mcp", {{"Accept", "application/json"}, {"Mcp-Session-Id", *client.session_id()}});
    CHECK(not_sse.status == 406);
    // A 2026-07-28 client has no GET stream.
    CHECK(
        client
            .get("/mcp", {{"Accept", "text/event-stream"}, {"MCP-Protocol-Version", "2026-07-28"}})
            .status == 405);

    // Ending the session ends its stream (the chunked body's last chunk).
    CHECK(client.del(client.legacy_headers()).status == 200);
    CHECK(stream.read_until("0\r\n\r\n", 3s));
}

TEST_CASE("--stateless: 2025 clients without sessions; GET and DELETE are 405") {
    SimulatedApi api;
    HttpServerProcess server({"--stateless"}, debug_env_for(api));
    McpHttpClient client(server, kTestKey);

    auto init = client.initialize();
    CHECK(init.status == 200);
    CHECK(init.header("Mcp-Session-Id").empty());
    CHECK(!client.session_id());

    // Any request stands alone, at the version its header names; any replica could answer it.
    auto balance = client.legacy("tools/call", {{"name", "get_balance"}});
    CHECK(balance.status == 200);
    CHECK(balance.response()["result"]["structuredContent"]["balance"] == 100.0);
    CHECK(client.legacy_notify("notifications/initialized").status == 202);
    CHECK(client.get("/mcp", {{"Accept", "text/event-stream"}}).status == 405);
    CHECK(client.del().status == 405);
    // 2026-07-28 works the same with or without --stateless.
    CHECK(client.modern("tools/list").status == 200);
}

TEST_CASE("subscriptions/listen is acknowledged, kept alive, and closed gracefully on SIGTERM") {
    SimulatedApi api;
    HttpServerProcess server({"--sse-keepalive-seconds", "1"}, debug_env_for(api));
    const std::string body =
        Json{{"jsonrpc", "2.0"},
             {"id", "sub-1"},
             {"method", "subscriptions/listen"},
             {"params",
              {{"_meta", modern_http_meta()},
               {"notifications", {{"toolsListChanged", true}, {"promptsListChanged", true}}}}}}
            .dump();
    RawConnection stream(server.port());
    stream.send(raw_post("/mcp", body,
                         {{"Content-Type", "application/json"},
                          {"Accept", "application/json, text/event-stream"},
                          {"MCP-Protocol-Version", "2026-07-28"},
                          {"Mcp-Method", "subscriptions/listen"}}));
    REQUIRE(stream.read_until("\r\n\r\n", 5s));
    auto ack = stream.read_until("\n\n", 5s);
    REQUIRE(ack);
    auto ack_json = Json::parse(ack->substr(ack->find("data: ") + 6));
    CHECK(ack_json["method"] == "notifications/subscriptions/acknowledged");
    CHECK(ack_json["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == "sub-1");
    CHECK(ack_json["params"]["notifications"] == Json{{"toolsListChanged", true}});
    CHECK(stream.read_until(": keep-alive", 3s));

    server.process().signal(SIGTERM);
    auto closing = stream.read_until("\n\n", 5s);
    while (closing && closing->find("data: ") == std::string::npos)
        closing = stream.read_until("\n\n", 5s);
    REQUIRE(closing);
    auto result = Json::parse(closing->substr(closing->find("data: ") + 6));
    CHECK(result["id"] == "sub-1");
    CHECK(result["result"]["resultType"] == "complete");
    CHECK(result["result"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == "sub-1");
    CHECK(server.process().wait(10s) == 0);
}

TEST_CASE(
    "malformed requests get a JSON error with the right status, and the server keeps serving") {
    SimulatedApi api;
    HttpServerProcess server({}, debug_env_for(api));
    McpHttpClient client(server);

    auto parse_error = client.post_text("this is not json");
    CHECK(parse_error.status == 400);
    CHECK(error_code(parse_error) == -32700);
    CHECK(parse_error.response()["id"].is_null());

    CHECK(client.post_text(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])").status == 400);
    CHECK(client
              .post_text("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
                         {{"Content-Type", "text/plain"}})
              .status == 415);
    client.set_accept("text/html");
    CHECK(client.modern("server/discover").status == 406);
    client.set_accept("application/json, text/event-stream");

    const std::string deep = std::string(100, '[') + std::string(100, ']');
    auto too_deep =
        client.post_text(R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":)" + deep + "}}");
    CHECK(too_deep.status == 400);
    CHECK(error_code(too_deep) == -32600);

    auto other_path = client.get("/nope");
    CHECK(other_path.status == 404);
    CHECK(other_path.response()["error"]["message"].get<std::string>().find("/mcp") !=
          std::string::npos);

    httplib::Client raw(server.base());
    auto put = raw.Put("/mcp", "{}", "application/json");
    REQUIRE(put);
    CHECK(put->status == 405);

    CHECK(client.modern("server/discover").status == 200);
}
