// Options that only mean something over stdio are refused at start-up with --transport http,
// before anything listens or writes: the process ends at once with one line saying why.
// RD_API_KEY, the stdio key, is not refused (shells export it), but never used over HTTP.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/mcp_http_client.h"
#include "tests/support/simulated_api.h"

using namespace rdmcp::testing;

TEST_CASE("--transport http refuses stdio-only options at once, in one line") {
    for (const auto& [args, env, expected] : std::vector<
             std::tuple<std::vector<std::string>, std::map<std::string, std::string>, std::string>>{
             {{"--output-dir", "/tmp/rdmcp-never-made"}, {}, "--output-dir is for stdio: "},
             {{}, {{"RD_MCP_OUTPUT_DIR", "/tmp/rdmcp-never-made"}}, "(from RD_MCP_OUTPUT_DIR)"},
             {{"--max-message-bytes", "4096"}, {}, "--max-message-bytes is for stdio: "}}) {
        CAPTURE(expected);
        std::vector<std::string> argv = {RDMCP_SERVER_BINARY, "--transport", "http", "--port", "0"};
        argv.insert(argv.end(), args.begin(), args.end());
        ChildProcess process(argv, env);
        CHECK(process.wait(std::chrono::seconds(5)) == 2);
        const std::string log = process.stderr_text();
        CHECK(log.find(expected) != std::string::npos);
        CHECK(log.find('\n') == log.size() - 1);  // one line
        CHECK(log.find("event=listening") == std::string::npos);
    }
}

TEST_CASE(
    "RD_API_KEY set for an HTTP server: it starts, says the key is unused, and never uses it") {
    SimulatedApi api;
    HttpServerProcess server({}, {{"RD_API_BASE_URL", api.url()}, {"RD_API_KEY", kTestKey}});
    McpHttpClient client(server);  // no Authorization header
    auto balance = client.modern_tool("get_balance");
    REQUIRE(balance.status == 200);
    const Json result = balance.response()["result"];
    CHECK(result["isError"] == true);
    CHECK(result["content"][0]["text"].get<std::string>().find("Authorization: Bearer") !=
          std::string::npos);
    const std::string log = server.stderr_text();
    CHECK(log.find("RD_API_KEY is set but not used") != std::string::npos);
    CHECK(log.find(kTestKey) == std::string::npos);
}
