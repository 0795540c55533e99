// The real binary over real pipes, against the simulated API: what an agent launching us sees.
#include <doctest/doctest.h>
#include <signal.h>

#include "tests/support/mcp_stdio_client.h"
#include "tests/support/simulated_api.h"

using namespace rdmcp::testing;
using namespace std::chrono_literals;

namespace {
std::string text_of(const Json& reply) {
    return reply["result"]["content"][0]["text"].get<std::string>();
}
}  // namespace

TEST_CASE("a legacy client initializes, lists tools and checks its balance") {
    SimulatedApi api;
    McpStdioClient client({}, env_for(api, kTestKey));

    auto init = client.initialize("2025-06-18");
    CHECK(init["result"]["protocolVersion"] == "2025-06-18");
    CHECK(init["result"]["serverInfo"]["name"] == "retrodiffusion-mcp");

    auto tools = client.request("tools/list");
    std::vector<std::string> names;
    for (const auto& tool : tools["result"]["tools"]) names.push_back(tool["name"]);
    CHECK(std::find(names.begin(), names.end(), "get_balance") != names.end());
    CHECK(std::find(names.begin(), names.end(), "list_available_styles") != names.end());

    auto balance =
        client.request("tools/call", {{"name", "get_balance"}, {"arguments", Json::object()}});
    CHECK(balance["result"]["structuredContent"]["balance"] == 100.0);
    CHECK_FALSE(balance["result"].contains("isError"));

    auto calls = api.requests_to("GET", "/v1/inferences/credits");
    REQUIRE(calls.size() == 1);
    CHECK(calls[0]["token"] == kTestKey);
}

TEST_CASE("a modern client speaks 2026-07-28 on the same stream with no handshake") {
    SimulatedApi api;
    McpStdioClient client({}, env_for(api, kSecondTestKey));

    auto discover = client.request("server/discover", {{"_meta", modern_meta()}});
    CHECK(discover["result"]["resultType"] == "complete");
    CHECK(discover["result"]["supportedVersions"][0] == "2026-07-28");

    auto balance = client.call_tool_modern("get_balance", Json::object());
    CHECK(balance["result"]["resultType"] == "complete");
    CHECK(balance["result"]["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] ==
          "retrodiffusion-mcp");
    CHECK(balance["result"]["structuredContent"]["balance"] == 5.0);

    // Then a legacy initialize on the same process also works (discover-then-initialize clients).
    CHECK(client.initialize()["result"]["protocolVersion"] == "2025-11-25");
}

TEST_CASE("a slow call never blocks ping or tools/list") {
    SimulatedApi api;
    api.configure({{"latency_ms", 3000}});
    McpStdioClient client({}, env_for(api, kTestKey));
    client.initialize();

    const int slow_id = client.next_id();
    client.send_raw(Json{{"jsonrpc", "2.0"},
                         {"id", slow_id},
                         {"method", "tools/call"},
                         {"params", {{"name", "get_balance"}, {"arguments", Json::object()}}}}
                        .dump());
    const auto started = std::chrono::steady_clock::now();
    auto pong = client.request("ping");
    CHECK(pong["result"] == Json::object());
    CHECK(client.request("tools/list")["result"]["tools"].size() >= 2);
    // Both answers arrived while the balance call was still waiting on the 3 s upstream.
    CHECK(std::chrono::steady_clock::now() - started < 2500ms);

    auto slow = client.wait_for(slow_id);
    CHECK(slow["result"]["structuredContent"]["balance"] == 100.0);
}

TEST_CASE("notifications/cancelled stops the wait and the request gets no answer") {
    SimulatedApi api;
    api.configure({{"latency_ms", 10000}});
    McpStdioClient client({}, env_for(api, kTestKey));
    client.initialize();

    client.send_raw(Json{{"jsonrpc", "2.0"},
                         {"id", "slow"},
                         {"method", "tools/call"},
                         {"params", {{"name", "get_balance"}}}}
                        .dump());
    // Give the call time to reach the upstream, then cancel it.
    for (int i = 0; i < 100 && api.requests_to("GET", "/v1/inferences/credits").empty(); ++i) {
        std::this_thread::sleep_for(20ms);
    }
    client.notify("notifications/cancelled",
                  {{"requestId", "slow"}, {"reason", "user pressed stop"}});
    CHECK(client.request("ping")["result"] == Json::object());

    // Nothing more arrives for "slow", and the log says it was cancelled.
    auto extra = client.next_message(1500ms);
    CHECK_FALSE(extra.has_value());
    CHECK(client.process().stderr_text().find("outcome=cancelled") != std::string::npos);
}

TEST_CASE("bad input gets the right error and the server keeps serving") {
    SimulatedApi api;
    McpStdioClient client({"--max-message-bytes", "4096"}, env_for(api, kTestKey));
    client.initialize();

    client.send_raw("this is not json");
    auto parse_error = client.next_message(5s);
    REQUIRE(parse_error);
    CHECK((*parse_error)["error"]["code"] == -32700);
    CHECK((*parse_error)["id"].is_null());

    client.send_raw(R"({"jsonrpc":"2.0","id":1})");
    CHECK((*client.next_message(5s))["error"]["code"] == -32600);

    client.send_raw(R"({"jsonrpc":"2.0","id":"big","method":"ping","params":{"pad":")" +
                    std::string(10000, 'x') + "\"}}");
    auto too_big = client.next_message(5s);
    REQUIRE(too_big);
    CHECK((*too_big)["error"]["code"] == -32600);
    CHECK((*too_big)["error"]["message"].get<std::string>().find("4096") != std::string::npos);

    CHECK(client.request("no/such/method")["error"]["code"] == -32601);
    CHECK(client.request("tools/call", {{"name", "no_such_tool"}})["error"]["code"] == -32602);
    auto wrong_type = client.request(
        "tools/call", {{"name", "list_available_styles"}, {"arguments", {{"kind", 7}}}});
    CHECK(wrong_type["result"]["isError"] == true);
    CHECK(text_of(wrong_type).find("argument 'kind'") != std::string::npos);

    client.notify("notifications/unknown_kind");  // ignored, never answered
    CHECK(client.request("ping")["result"] == Json::object());
}

TEST_CASE("end of input: in-flight answers are still delivered, then a clean exit") {
    SimulatedApi api;
    api.configure({{"latency_ms", 500}});
    McpStdioClient client({}, env_for(api, kTestKey));
    client.initialize();
    client.send_raw(Json{{"jsonrpc", "2.0"},
                         {"id", 99},
                         {"method", "tools/call"},
                         {"params", {{"name", "get_balance"}}}}
                        .dump());
    client.process().close_stdin();
    auto reply = client.next_message(10s);
    REQUIRE(reply);
    CHECK((*reply)["id"] == 99);
    CHECK((*reply)["result"]["structuredContent"]["balance"] == 100.0);
    CHECK(client.process().wait(10s) == 0);
}

TEST_CASE("SIGTERM ends the server promptly even with a call waiting upstream") {
    SimulatedApi api;
    api.configure({{"latency_ms", 30000}});
    McpStdioClient client({}, env_for(api, kTestKey));
    client.initialize();
    client.send_raw(Json{{"jsonrpc", "2.0"},
                         {"id", 5},
                         {"method", "tools/call"},
                         {"params", {{"name", "get_balance"}}}}
                        .dump());
    std::this_thread::sleep_for(300ms);
    const auto started = std::chrono::steady_clock::now();
    client.process().signal(SIGTERM);
    CHECK(client.process().wait(5s) == 0);
    CHECK(std::chrono::steady_clock::now() - started < 3s);
}

TEST_CASE("the API key never appears in logs or answers") {
    SimulatedApi api;
    McpStdioClient client({"--log-level", "debug"}, env_for(api, kTestKey));
    client.initialize();
    std::string everything;
    everything += client.request("tools/call", {{"name", "get_balance"}}).dump();
    api.fail_next({{"path_prefix", "/v1/inferences/credits"},
                   {"status", 401},
                   {"count", 2},
                   {"body",
                    {{"detail",
                      {{"code", "invalid_token"},
                       {"message", std::string("Token ") + kTestKey + " is not valid"}}}}}});
    auto rejected = client.request("tools/call", {{"name", "get_balance"}});
    CHECK(rejected["result"]["isError"] == true);
    CHECK(text_of(rejected).find("[redacted]") != std::string::npos);
    everything += rejected.dump();
    client.process().close_stdin();
    client.process().wait(10s);
    everything += client.process().stderr_text();
    CHECK(everything.find(kTestKey) == std::string::npos);
    CHECK(everything.find("rdpk-test") == std::string::npos);
}

TEST_CASE("a missing key is a tool error that explains where the key goes") {
    SimulatedApi api;
    McpStdioClient client({}, env_for(api));
    client.initialize();
    auto reply = client.request("tools/call", {{"name", "get_balance"}});
    CHECK(reply["result"]["isError"] == true);
    CHECK(text_of(reply).find("RD_API_KEY") != std::string::npos);
    CHECK(api.requests().empty());  // nothing was sent without a key
    CHECK(client.request(
              "tools/call",
              {{"name", "list_available_styles"}})["result"]["structuredContent"]["count"] > 0);
}
