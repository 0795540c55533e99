// A client's megabytes never come back whole: a 5 MB method or tool name, over stdio and HTTP, in
// the 2026-07-28 and the 2025-11-25 forms, is answered with an error that repeats only a short
// prefix of it, and every line the server logs about it stays short.
#include <doctest/doctest.h>

#include <sstream>
#include <thread>

#include "tests/support/mcp_http_client.h"
#include "tests/support/mcp_stdio_client.h"
#include "tests/support/simulated_api.h"

using namespace rdmcp::testing;

namespace {

// Longest log line and error message allowed: 256 bytes a value plus the line's own fields (an
// unknown tool's message also lists the available tools, which grows with the tool set).
constexpr std::size_t kMaxLogLine = 2048;
// The echo is cut to a few dozen bytes; an unknown tool's message also names every tool (over 20 of
// them), which the bound leaves room for.
constexpr std::size_t kMaxMessage = 1024;

// 5 MB of three-byte characters after `head`, so cutting at 64 bytes has to find a boundary.
std::string huge(const std::string& head) {
    std::string text = head;
    while (text.size() < (5u << 20)) text += "€";
    return text;
}

std::string marker_for(const std::string& text) {
    return "[cut: " + std::to_string(text.size()) + " bytes]";
}

// The error's message repeats the start of `sent` and says how long it was, in a few hundred
// bytes, and the cut never split a character (which would come back as U+FFFD).
void check_short_echo(const Json& reply, const std::string& sent, const std::string& expected) {
    REQUIRE_MESSAGE(reply.contains("error"), reply.dump().substr(0, 300));
    const std::string message = reply["error"]["message"];
    CAPTURE(message);
    CHECK(message.size() < kMaxMessage);
    CHECK(message.find(expected) != std::string::npos);
    CHECK(message.find(sent.substr(0, 20)) != std::string::npos);
    CHECK(message.find(marker_for(sent)) != std::string::npos);
    CHECK(message.find("\xEF\xBF\xBD") == std::string::npos);
}

// Every line on the server's stderr is short, and the log did mention the oversized value.
void check_log(const std::string& log, const std::string& sent) {
    std::istringstream lines(log);
    std::string line;
    std::size_t count = 0;
    bool mentioned = false;
    while (std::getline(lines, line)) {
        ++count;
        CHECK_MESSAGE(line.size() < kMaxLogLine, line.substr(0, 200));
        if (line.find(marker_for(sent)) != std::string::npos) mentioned = true;
    }
    CHECK(count > 0);
    CHECK(mentioned);
}

// The server's stderr once it mentions `sent` (an HTTP request is logged as its answer goes out,
// so the line may come a moment after the answer).
std::string log_of(HttpServerProcess& server, const std::string& sent) {
    for (int i = 0; i < 100; ++i) {
        const std::string log = server.stderr_text();
        if (log.find(marker_for(sent)) != std::string::npos) return log;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return server.stderr_text();
}

const std::string kMethod = huge("tools/");
const std::string kTool = huge("create_");

}  // namespace

TEST_CASE("stdio: a 5 MB method or tool name gets a short error and short log lines") {
    SimulatedApi api;
    for (bool modern : {true, false}) {
        CAPTURE(modern);
        McpStdioClient client({}, {{"RD_API_BASE_URL", api.url()}});
        if (!modern) client.initialize();
        const Json meta = modern ? Json{{"_meta", modern_meta()}} : Json::object();

        check_short_echo(client.request(kMethod, meta), kMethod, "Method not found: \"tools/");
        Json call = meta;
        call["name"] = kTool;
        check_short_echo(client.request("tools/call", call), kTool, "Unknown tool: \"create_");
        client.process().close_stdin();
        CHECK(client.process().wait(std::chrono::seconds(10)) == 0);
        check_log(client.process().stderr_text(), kTool);
        check_log(client.process().stderr_text(), kMethod);
    }
}

TEST_CASE("HTTP 2025-11-25: a 5 MB method or tool name gets a short error and short log lines") {
    SimulatedApi api;
    HttpServerProcess server({}, {{"RD_API_BASE_URL", api.url()}});
    McpHttpClient client(server);
    REQUIRE(client.initialize().status == 200);

    check_short_echo(client.legacy(kMethod).response(), kMethod, "Method not found: \"tools/");
    check_short_echo(client.legacy("tools/call", {{"name", kTool}}).response(), kTool,
                     "Unknown tool: \"create_");
    check_log(log_of(server, kTool), kTool);
    check_log(log_of(server, kMethod), kMethod);
}

TEST_CASE("HTTP 2026-07-28: the header rules repeat only a prefix of a 5 MB method or name") {
    // The headers that mirror a 5 MB value cannot be sent (8 KB header limit), so these requests
    // meet the header rules, whose messages quote the body's value.
    SimulatedApi api;
    HttpServerProcess server({}, {{"RD_API_BASE_URL", api.url()}});
    McpHttpClient client(server);
    const Json request = {{"jsonrpc", "2.0"},
                          {"id", 1},
                          {"method", kMethod},
                          {"params", {{"_meta", modern_http_meta()}}}};

    auto missing = client.post(request, {{"MCP-Protocol-Version", "2026-07-28"}});
    CHECK(missing.status == 400);
    check_short_echo(missing.response(), kMethod, "the Mcp-Method header is required");

    auto other = client.modern(kMethod, Json::object(), {{"Mcp-Method", "tools/list"}});
    CHECK(other.status == 400);
    check_short_echo(other.response(), kMethod, "Mcp-Method header value \"tools/list\"");

    auto named = client.modern("tools/call", {{"name", kTool}}, {{"Mcp-Name", "create_x"}});
    CHECK(named.status == 400);
    check_short_echo(named.response(), kTool, "Mcp-Name header value \"create_x\"");
    check_log(log_of(server, kMethod), kMethod);
}

TEST_CASE("HTTP: a long foreign Origin is repeated only in part in the 403") {
    SimulatedApi api;
    HttpServerProcess server({}, {{"RD_API_BASE_URL", api.url()}});
    McpHttpClient client(server);
    const std::string origin = "https://" + std::string(6000, 'e') + ".example";
    auto refused = client.modern("server/discover", Json::object(), {{"Origin", origin}});
    CHECK(refused.status == 403);
    check_short_echo(refused.response(), origin, "Forbidden: origin \"https://eee");
}
