// Who may use the HTTP endpoint and with which key: Origin and Host checks, CORS, body limits,
// --require-auth, and the guarantee that one caller's key never reaches another's upstream call.
#include <doctest/doctest.h>

#include <thread>

#include "tests/support/eventually.h"
#include "tests/support/mcp_http_client.h"
#include "tests/support/simulated_api.h"

using namespace rdmcp::testing;
using namespace std::chrono_literals;

TEST_CASE("Origin: foreign origins get 403, loopback and configured ones are served with CORS") {
    SimulatedApi api;
    HttpServerProcess server(
        {"--allowed-origins", "https://app.example.com, https://other.example"}, env_for(api));
    McpHttpClient client(server);

    auto foreign =
        client.modern("server/discover", Json::object(), {{"Origin", "https://evil.example"}});
    CHECK(foreign.status == 403);
    CHECK(foreign.response()["id"].is_null());
    CHECK(foreign.header("Access-Control-Allow-Origin").empty());
    CHECK(client.modern("server/discover", Json::object(), {{"Origin", "null"}}).status == 403);
    // A rebinding page on a lookalike of localhost is foreign too.
    CHECK(client
              .modern("server/discover", Json::object(),
                      {{"Origin", "http://localhost.evil.example:3000"}})
              .status == 403);

    for (const std::string origin : {"http://localhost:6274", "https://127.0.0.1",
                                     "http://[::1]:8080", "https://app.example.com"}) {
        CAPTURE(origin);
        auto reply = client.modern("server/discover", Json::object(), {{"Origin", origin}});
        CHECK(reply.status == 200);
        CHECK(reply.header("Access-Control-Allow-Origin") == origin);
        CHECK(reply.header("Access-Control-Expose-Headers").find("Mcp-Session-Id") !=
              std::string::npos);
    }
    CHECK(client.modern("server/discover").status == 200);  // no Origin: not a browser

    auto preflight =
        client.options({{"Origin", "https://app.example.com"},
                        {"Access-Control-Request-Method", "POST"},
                        {"Access-Control-Request-Headers", "authorization, mcp-method"}});
    CHECK(preflight.status == 204);
    CHECK(preflight.header("Access-Control-Allow-Origin") == "https://app.example.com");
    CHECK(preflight.header("Access-Control-Allow-Methods").find("POST") != std::string::npos);
    const auto allowed = preflight.header("Access-Control-Allow-Headers");
    for (const char* header : {"Authorization", "Content-Type", "Mcp-Session-Id",
                               "MCP-Protocol-Version", "Mcp-Method", "Mcp-Name", "Last-Event-ID"}) {
        CHECK(allowed.find(header) != std::string::npos);
    }
    CHECK(client.options({{"Origin", "https://evil.example"}}).status == 403);
}

TEST_CASE("Host: while bound to loopback, only loopback names with our port are served") {
    SimulatedApi api;
    HttpServerProcess server({}, env_for(api));
    McpHttpClient client(server);
    const std::string port = std::to_string(server.port());

    CHECK(client.modern("server/discover", Json::object(), {{"Host", "evil.example:" + port}})
              .status == 403);
    CHECK(client.modern("server/discover", Json::object(), {{"Host", "127.0.0.1:1"}}).status ==
          403);
    httplib::Client ops(server.base());
    auto rebinding = ops.Get("/healthz", {{"Host", "attacker.example"}});
    REQUIRE(rebinding);
    CHECK(rebinding->status == 403);

    for (const std::string& host : std::vector<std::string>{
             "127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "localhost"}) {
        CAPTURE(host);
        CHECK(client.modern("server/discover", Json::object(), {{"Host", host}}).status == 200);
    }
}

TEST_CASE("bodies over --max-body-bytes get 413 before they are read; the connection closes") {
    SimulatedApi api;
    HttpServerProcess server({"--max-body-bytes", "65536"}, env_for(api));
    McpHttpClient client(server);
    Json params = {{"name", "list_available_styles"},
                   {"arguments", {{"query", std::string(100000, 'x')}}},
                   {"_meta", modern_http_meta()}};
    auto reply = client.modern("tools/call", params);
    CHECK(reply.status == 413);
    CHECK(reply.response()["error"]["message"].get<std::string>().find("65536") !=
          std::string::npos);

    // The declared size decides: the answer comes before the body, which is never stored, and
    // the connection ends (what follows would be the unread body, not a request).
    RawConnection raw(server.port());
    const std::string big = std::string(70000, ' ') + "{}";
    raw.send(raw_post("/mcp", big, {{"Content-Type", "application/json"}}));
    auto head = raw.read_until("\r\n\r\n", 5s);
    REQUIRE(head);
    CHECK(head->rfind("HTTP/1.1 413", 0) == 0);
    CHECK(head->find("Connection: close") != std::string::npos);
    CHECK(raw.wait_closed(5s));
    CHECK(client.modern("server/discover").status == 200);

    // A chunked body is counted as it arrives.
    RawConnection chunked(server.port());
    std::string request =
        "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 20; ++i) request += "1000\r\n" + std::string(4096, ' ') + "\r\n";
    request += "0\r\n\r\n";
    chunked.send(request);
    auto chunked_head = chunked.read_until("\r\n\r\n", 5s);
    REQUIRE(chunked_head);
    CHECK(chunked_head->rfind("HTTP/1.1 413", 0) == 0);
}

TEST_CASE("--require-auth: no key is 401 with a Bearer challenge; a malformed header always is") {
    SimulatedApi api;
    HttpServerProcess server({"--require-auth"}, env_for(api));
    McpHttpClient anonymous(server);

    auto refused = anonymous.modern("tools/list");
    CHECK(refused.status == 401);
    const auto challenge = refused.header("WWW-Authenticate");
    CHECK(challenge.rfind("Bearer ", 0) == 0);
    CHECK(challenge.find("realm=\"retrodiffusion-mcp\"") != std::string::npos);
    CHECK(challenge.find("error_description=") != std::string::npos);
    CHECK(anonymous.initialize().status == 401);
    CHECK(anonymous.get("/mcp", {{"Accept", "text/event-stream"}}).status == 401);

    auto basic =
        anonymous.modern("tools/list", Json::object(), {{"Authorization", "Basic dXNlcjpwYXNz"}});
    CHECK(basic.status == 401);
    CHECK(basic.header("WWW-Authenticate").find("invalid_request") != std::string::npos);

    McpHttpClient keyed(server, kTestKey);
    CHECK(keyed.modern("tools/list").status == 200);
    CHECK(keyed.modern_tool("get_balance").response()["result"]["structuredContent"]["balance"] ==
          100.0);

    // Health checks need no key.
    httplib::Client ops(server.base());
    auto health = ops.Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
}

TEST_CASE(
    "without a key: discovery and the catalog work, tools that need the API say how to send one") {
    SimulatedApi api;
    HttpServerProcess server({}, env_for(api));
    McpHttpClient client(server);
    CHECK(client.modern("server/discover").status == 200);
    CHECK(client.modern("tools/list").status == 200);
    CHECK(client.modern_tool("list_available_styles", {{"kind", "tileset"}})
              .response()["result"]["structuredContent"]["count"] > 0);
    auto balance = client.modern_tool("get_balance");
    CHECK(balance.response()["result"]["isError"] == true);
    const auto text = balance.response()["result"]["content"][0]["text"].get<std::string>();
    CHECK(text.find("Authorization: Bearer") != std::string::npos);
    CHECK(api.requests().empty());
}

TEST_CASE(
    "two callers with different keys in parallel each reach the upstream with their own key") {
    SimulatedApi api;
    api.configure({{"latency_ms", 300}});
    HttpServerProcess server({}, env_for(api));
    constexpr int kCallsPerCaller = 12;

    struct Caller {
        const char* key;
        double balance;
        bool modern;
    };
    const Caller callers[] = {{kTestKey, 100.0, true},
                              {kSecondTestKey, 5.0, true},
                              {kTestKey, 100.0, false},
                              {kSecondTestKey, 5.0, false}};
    std::atomic<int> right{0}, wrong{0};
    ThreadGroup threads;
    for (const auto& caller : callers) {
        McpHttpClient opener(server, caller.key);
        if (!caller.modern) opener.initialize();
        const auto session = opener.session_id();
        for (int i = 0; i < kCallsPerCaller; ++i) {
            threads.spawn([&, caller, session, i] {
                McpHttpClient client(server, caller.key);
                client.set_session_id(session);
                client.start_ids_after(1000 * (i + 1));
                auto reply = caller.modern ? client.modern_tool("get_balance")
                                           : client.legacy("tools/call", {{"name", "get_balance"}});
                const auto balance = reply.response()["result"]["structuredContent"]["balance"];
                (balance == caller.balance ? right : wrong)++;
            });
        }
    }
    threads.join();
    CHECK(right == 4 * kCallsPerCaller);
    CHECK(wrong == 0);

    int first = 0, second = 0;
    for (const auto& call : api.requests_to("GET", "/v1/inferences/credits")) {
        if (call["token"] == kTestKey)
            ++first;
        else if (call["token"] == kSecondTestKey)
            ++second;
        else
            FAIL("an upstream call carried the token " << call["token"]);
    }
    CHECK(first == 2 * kCallsPerCaller);
    CHECK(second == 2 * kCallsPerCaller);
}

TEST_CASE("a session opened with one key is not found for any other key") {
    SimulatedApi api;
    HttpServerProcess server({}, env_for(api));
    McpHttpClient owner(server, kTestKey);
    owner.initialize();
    REQUIRE(owner.session_id());

    McpHttpClient thief(server, kSecondTestKey);
    thief.set_session_id(owner.session_id());
    CHECK(thief.legacy("ping").status == 404);
    CHECK(thief.legacy("tools/call", {{"name", "get_balance"}}).status == 404);
    CHECK(thief.del(thief.legacy_headers()).status == 404);  // and cannot end it

    McpHttpClient keyless(server);
    keyless.set_session_id(owner.session_id());
    CHECK(keyless.legacy("ping").status == 404);

    // The owner's session is untouched, and only the owner's key went upstream.
    auto balance = owner.legacy("tools/call", {{"name", "get_balance"}});
    CHECK(balance.response()["result"]["structuredContent"]["balance"] == 100.0);
    for (const auto& call : api.requests()) CHECK(call["token"] == kTestKey);
}

TEST_CASE("idle sessions expire; at --max-sessions the least recently used idle one goes") {
    SimulatedApi api;
    HttpServerProcess server({"--max-sessions", "2", "--session-idle-timeout", "2"}, env_for(api));
    McpHttpClient a(server, kTestKey), b(server, kTestKey), c(server, kTestKey);
    a.initialize();
    b.initialize();
    CHECK(a.legacy("ping").status == 200);  // b is now the least recently used
    c.initialize();                         // the store is full: b is expired
    CHECK(b.legacy("ping").status == 404);
    CHECK(a.legacy("ping").status == 200);
    CHECK(c.legacy("ping").status == 200);
    std::this_thread::sleep_for(2500ms);
    CHECK(a.legacy("ping").status == 404);  // idle past the timeout
    CHECK(server.metric("rdmcp_sessions") <= 1);
}

TEST_CASE("slowloris: clients trickling their headers hold only their own connections") {
    SimulatedApi api;
    HttpServerProcess server({"--max-connections", "32", "--max-concurrency", "8"}, env_for(api));
    constexpr int kSlow = 12;
    std::vector<std::unique_ptr<RawConnection>> slow;
    for (int i = 0; i < kSlow; ++i) slow.push_back(std::make_unique<RawConnection>(server.port()));
    const std::string head = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ";

    McpHttpClient client(server, kTestKey);
    int answered = 0;
    for (std::size_t byte = 0; byte < head.size() + 20; ++byte) {
        for (auto& connection : slow)
            connection->send(byte < head.size() ? head.substr(byte, 1) : "a");
        if (byte % 8 == 0) {
            const auto started = std::chrono::steady_clock::now();
            answered += client.modern("server/discover").status == 200;
            CHECK(std::chrono::steady_clock::now() - started < 2s * kSlowdown);
        }
        std::this_thread::sleep_for(20ms);
    }
    CHECK(answered > 5);
    CHECK(client.modern_tool("get_balance").status == 200);
    // Every request counted is one of ours: none of the trickled ones was taken for complete.
    // The last is counted once its answer is written, which the client may read first.
    const auto counted = [&] { return server.metric("rdmcp_http_requests_total"); };
    CHECK_MESSAGE(eventually([&] { return counted() == answered + 1; }, 2000ms * kSlowdown),
                  "counted " << counted() << ", answered " << answered + 1);
    for (auto& connection : slow) connection->close();
    CHECK(client.modern("server/discover").status == 200);
}

TEST_CASE("invalid UTF-8 in a body is a parse error; the server keeps serving") {
    SimulatedApi api;
    HttpServerProcess server({}, env_for(api));
    McpHttpClient client(server, kTestKey);
    auto reply = client.post_text(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/"
        "call\",\"params\":{\"name\":\"get_balance\","
        "\"arguments\":{\"note\":\"\xff\xfe\xc3\"}}}",
        {{"MCP-Protocol-Version", "2026-07-28"}});
    CHECK(reply.status == 400);
    CHECK(reply.response()["error"]["code"] == -32700);
    CHECK(client.modern("server/discover").status == 200);
}
