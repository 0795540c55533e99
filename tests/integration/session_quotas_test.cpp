// Legacy sessions are shared out by key and by client address: one caller opening sessions by
// the hundred replaces only its own (or is refused), never logging another caller out.
#include <doctest/doctest.h>

#include "tests/support/mcp_http_client.h"
#include "tests/support/simulated_api.h"

using namespace rdmcp::testing;
using namespace std::chrono_literals;

namespace {

// initialize with extra headers (X-Forwarded-For); the client keeps the session it got.
HttpReply open_session(McpHttpClient& client, httplib::Headers headers = {}) {
    auto reply = client.post({{"jsonrpc", "2.0"},
                              {"id", client.next_id()},
                              {"method", "initialize"},
                              {"params",
                               {{"protocolVersion", "2025-11-25"},
                                {"capabilities", Json::object()},
                                {"clientInfo", {{"name", "quota-test"}, {"version", "1"}}}}}},
                             std::move(headers));
    const auto id = reply.header("Mcp-Session-Id");
    client.set_session_id(id.empty() ? std::nullopt : std::optional(id));
    return reply;
}

// A session in use: its GET stream is open (and holds its lease) while this lives.
std::unique_ptr<RawConnection> hold_stream(const HttpServerProcess& server, const std::string& key,
                                           const std::string& session) {
    auto stream = std::make_unique<RawConnection>(server.port());
    stream->send(
        "GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        "Authorization: Bearer " +
        key + "\r\nMcp-Session-Id: " + session + "\r\nMCP-Protocol-Version: 2025-11-25\r\n\r\n");
    auto head = stream->read_until("\r\n\r\n", 5s * kSlowdown);
    REQUIRE(head);
    REQUIRE(head->rfind("HTTP/1.1 200", 0) == 0);
    return stream;
}

void check_refusal(const HttpReply& reply, int status, const std::string& flag) {
    CHECK(reply.status == status);
    CHECK_FALSE(reply.header("Retry-After").empty());
    CHECK(reply.header("Mcp-Session-Id").empty());
    CHECK(reply.response()["error"]["code"] == -32000);
    CHECK(reply.response()["error"]["message"].get<std::string>().find(flag) != std::string::npos);
}

}  // namespace

TEST_CASE("a key opening sessions past its quota replaces its own; another key stays served") {
    SimulatedApi api;
    HttpServerProcess server({"--max-sessions-per-key", "3", "--max-sessions", "10"}, env_for(api));
    McpHttpClient a(server, "rdpk-key-a");
    REQUIRE(open_session(a).status == 200);

    // Key B opens 40 sessions, four times the whole store: each replaces one of B's own.
    McpHttpClient b(server, "rdpk-key-b");
    std::vector<std::string> b_sessions;
    for (int i = 0; i < 40; ++i) {
        REQUIRE(open_session(b).status == 200);
        b_sessions.push_back(*b.session_id());
    }
    CHECK(server.metric("rdmcp_sessions") == 4);  // A's one and B's quota of three
    CHECK(a.legacy("tools/list").status == 200);
    CHECK(a.legacy("tools/list").response()["result"]["tools"].size() > 0);
    b.set_session_id(b_sessions.front());
    CHECK(b.legacy("ping").status == 404);  // replaced
    b.set_session_id(b_sessions.back());
    CHECK(b.legacy("ping").status == 200);

    // With all three of B's sessions busy, B is refused (429); A is untouched.
    std::vector<std::unique_ptr<RawConnection>> busy;
    for (auto it = b_sessions.end() - 3; it != b_sessions.end(); ++it) {
        busy.push_back(hold_stream(server, "rdpk-key-b", *it));
    }
    check_refusal(open_session(b), 429, "--max-sessions-per-key");
    CHECK(a.legacy("tools/list").status == 200);
}

TEST_CASE("a full store refuses newcomers with 503 instead of logging anyone out") {
    SimulatedApi api;
    HttpServerProcess server({"--max-sessions", "3"}, env_for(api));
    std::vector<std::unique_ptr<McpHttpClient>> holders;
    for (const char* key : {"rdpk-one", "rdpk-two", "rdpk-three"}) {
        holders.push_back(std::make_unique<McpHttpClient>(server, key));
        REQUIRE(open_session(*holders.back()).status == 200);
    }
    McpHttpClient newcomer(server, "rdpk-four");
    check_refusal(open_session(newcomer), 503, "--max-sessions");
    for (auto& holder : holders) CHECK(holder->legacy("ping").status == 200);

    // A holder may still open another: its own idle session makes room.
    const auto old_session = *holders[0]->session_id();
    REQUIRE(open_session(*holders[0]).status == 200);
    CHECK(holders[0]->legacy("ping").status == 200);
    holders[0]->set_session_id(old_session);
    CHECK(holders[0]->legacy("ping").status == 404);
    CHECK(holders[1]->legacy("ping").status == 200);
}

TEST_CASE("--max-sessions-per-client counts the proxy's X-Forwarded-For entry with --trust-proxy") {
    SimulatedApi api;
    HttpServerProcess server({"--max-sessions-per-client", "2", "--trust-proxy"}, env_for(api));
    const httplib::Headers here = {{"X-Forwarded-For", "192.0.2.50, 203.0.113.9"}};
    McpHttpClient first(server, "rdpk-first"), second(server, "rdpk-second");
    REQUIRE(open_session(first, here).status == 200);
    const auto oldest = *first.session_id();
    REQUIRE(open_session(first, here).status == 200);

    // Another key behind the same address cannot push those out.
    check_refusal(open_session(second, here), 429, "--max-sessions-per-client");
    // From another address (the proxy's entry is the last one) it is served.
    CHECK(open_session(second, {{"X-Forwarded-For", "203.0.113.9, 198.51.100.7"}}).status == 200);

    // The address's own key replaces its oldest session.
    REQUIRE(open_session(first, here).status == 200);
    CHECK(first.legacy("ping").status == 200);
    first.set_session_id(oldest);
    CHECK(first.legacy("ping").status == 404);
}

TEST_CASE("without --trust-proxy X-Forwarded-For is ignored: the peer address counts") {
    SimulatedApi api;
    HttpServerProcess server({"--max-sessions-per-client", "1"}, env_for(api));
    McpHttpClient first(server, "rdpk-first"), second(server, "rdpk-second");
    REQUIRE(open_session(first, {{"X-Forwarded-For", "203.0.113.9"}}).status == 200);
    // A claimed address of its own does not escape the peer's quota.
    check_refusal(open_session(second, {{"X-Forwarded-For", "198.51.100.7"}}), 429,
                  "--max-sessions-per-client");
    CHECK(first.legacy("ping").status == 200);
}
