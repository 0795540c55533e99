// authenticate and logout through the real binary, against the simulated API: the key a client
// passes as a tool argument serves the stdio process or the 2025-era HTTP session that set it,
// and no one else; where nothing outlives a request (2026-07-28, --stateless) the tools explain
// the Authorization header instead. The key never reaches a log line.
#include <doctest/doctest.h>

#include "tests/support/mcp_callers.h"
#include "tests/support/mcp_http_client.h"
#include "tests/support/mcp_stdio_client.h"
#include "tests/support/simulated_api.h"

using namespace rdmcp::testing;

namespace {

std::string text_of(const Json& result) { return result["content"][0]["text"].get<std::string>(); }
bool is_error(const Json& result) { return result.value("isError", false); }

Json authenticate(const std::string& key) { return {{"api_key", key}}; }

// The number of balance calls the simulated API saw with `key`.
std::size_t credits_calls_with(SimulatedApi& api, const std::string& key) {
    std::size_t count = 0;
    for (const auto& call : api.requests_to("GET", "/v1/inferences/credits")) {
        count += call.value("token", "") == key;
    }
    return count;
}

void check_no_key_in(const std::string& log) {
    CHECK(!log.empty());
    CHECK(log.find(kTestKey) == std::string::npos);
    CHECK(log.find(kSecondTestKey) == std::string::npos);
    CHECK(log.find("rdpk-test-key-9") == std::string::npos);
}

// An HTTP tools/call result (fails the test on anything else).
Json tool_result(const HttpReply& reply) {
    INFO(reply.body);
    REQUIRE(reply.status == 200);
    REQUIRE(reply.response().contains("result"));
    return reply.response()["result"];
}

}  // namespace

TEST_CASE("every way in without a key: authenticate where a key can be held, else the header") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api, "")) {
        CAPTURE(caller->name());
        const bool http_modern = caller->modern() && caller->name().rfind("http", 0) == 0;
        auto before = caller->call_tool("get_balance", Json::object());
        CHECK(is_error(before));
        CHECK(text_of(before).find("authenticate") != std::string::npos);

        auto set = caller->call_tool("authenticate", authenticate(kTestKey));
        if (http_modern) {
            CHECK(is_error(set));
            CHECK(text_of(set).find("Authorization: Bearer") != std::string::npos);
            CHECK(is_error(caller->call_tool("logout", Json::object())));
            continue;
        }
        REQUIRE_MESSAGE(!is_error(set), text_of(set));
        CHECK(set["structuredContent"]["balance"] == 100.0);
        CHECK(text_of(set).find(kTestKey) == std::string::npos);
        CHECK(caller->call_tool("get_balance", Json::object())["structuredContent"]["balance"] ==
              100.0);
        CHECK(caller->call_tool("logout", Json::object())["structuredContent"]["cleared"] == true);
        CHECK(is_error(caller->call_tool("get_balance", Json::object())));
    }
}

TEST_CASE("stdio without RD_API_KEY: a refused key stores nothing, a good one serves the process") {
    SimulatedApi api;
    McpStdioClient client({}, debug_env_for(api));
    client.initialize();
    auto call = [&](const std::string& tool, Json arguments) {
        auto reply = client.request("tools/call", {{"name", tool}, {"arguments", arguments}});
        REQUIRE(reply.contains("result"));
        return reply["result"];
    };

    auto missing = call("get_balance", Json::object());
    CHECK(is_error(missing));
    CHECK(text_of(missing).find("RD_API_KEY") != std::string::npos);

    auto refused = call("authenticate", authenticate("rdpk-test-key-9"));
    CHECK(is_error(refused));
    CHECK(text_of(refused).find("refused this key") != std::string::npos);
    CHECK(text_of(refused).find("rdpk-test-key-9") == std::string::npos);
    CHECK(is_error(call("get_balance", Json::object())));  // nothing was stored

    auto malformed = call("authenticate", authenticate("rdpk-test key"));
    CHECK(is_error(malformed));
    CHECK(text_of(malformed).find("rdpk-test") == std::string::npos);

    auto set = call("authenticate", authenticate(std::string(kTestKey) + "\n"));  // a paste
    REQUIRE_MESSAGE(!is_error(set), text_of(set));
    CHECK(set["structuredContent"]["applies_to"] == "process");
    CHECK(set["structuredContent"]["balance"] == 100.0);
    CHECK(call("get_balance", Json::object())["structuredContent"]["balance"] == 100.0);
    CHECK(credits_calls_with(api, kTestKey) == 2);  // the check and the balance

    // A key that cannot be checked now changes nothing: the earlier one still applies.
    api.fail_next({{"path_prefix", "/v1/inferences/credits"}, {"status", 503}, {"count", 2}});
    auto unverified = call("authenticate", authenticate(kSecondTestKey));
    CHECK(is_error(unverified));
    CHECK(text_of(unverified).find("could not be verified") != std::string::npos);
    CHECK(call("get_balance", Json::object())["structuredContent"]["balance"] == 100.0);

    // Authenticating again replaces the key.
    CHECK_FALSE(is_error(call("authenticate", authenticate(kSecondTestKey))));
    CHECK(call("get_balance", Json::object())["structuredContent"]["balance"] == 5.0);

    CHECK(call("logout", Json::object())["structuredContent"]["cleared"] == true);
    CHECK(is_error(call("get_balance", Json::object())));
    CHECK(call("logout", Json::object())["structuredContent"]["cleared"] == false);

    client.process().close_stdin();
    client.process().wait(std::chrono::seconds(10));
    check_no_key_in(client.process().stderr_text());
}

TEST_CASE("stdio with RD_API_KEY: authenticate and logout refuse and the environment's key stays") {
    SimulatedApi api;
    auto env = debug_env_for(api);
    env["RD_API_KEY"] = kTestKey;
    McpStdioClient client({}, env);
    auto refused = client.call_tool_modern("authenticate", authenticate(kSecondTestKey));
    CHECK(is_error(refused["result"]));
    CHECK(text_of(refused["result"]).find("RD_API_KEY") != std::string::npos);
    CHECK(is_error(client.call_tool_modern("logout", Json::object())["result"]));
    CHECK(client.call_tool_modern(
              "get_balance", Json::object())["result"]["structuredContent"]["balance"] == 100.0);
    CHECK(credits_calls_with(api, kSecondTestKey) == 0);  // never even checked
}

TEST_CASE("HTTP 2025 session without a bearer: the key serves that session and no other") {
    SimulatedApi api;
    HttpServerProcess server({}, debug_env_for(api));
    McpHttpClient client(server);  // sends no Authorization header
    REQUIRE(client.initialize().status == 200);
    REQUIRE(client.session_id());
    auto call = [](McpHttpClient& who, const std::string& tool, Json arguments = Json::object()) {
        return tool_result(who.legacy("tools/call", {{"name", tool}, {"arguments", arguments}}));
    };

    CHECK(is_error(call(client, "get_balance")));
    CHECK(is_error(call(client, "authenticate", authenticate("rdpk-test-key-9"))));
    CHECK(is_error(call(client, "get_balance")));

    auto set = call(client, "authenticate", authenticate(kTestKey));
    REQUIRE_MESSAGE(!is_error(set), text_of(set));
    CHECK(set["structuredContent"]["applies_to"] == "session");
    CHECK(call(client, "get_balance")["structuredContent"]["balance"] == 100.0);

    // Another session of a keyless client: no key.
    McpHttpClient other(server);
    REQUIRE(other.initialize().status == 200);
    CHECK(is_error(call(other, "get_balance")));

    // The session's id with someone's bearer: not found, whoever holds the bound key.
    for (const char* bearer : {kSecondTestKey, kTestKey}) {
        McpHttpClient intruder(server, bearer);
        intruder.set_session_id(client.session_id());
        intruder.start_ids_after(100);
        CHECK(
            intruder.legacy("tools/call", {{"name", "get_balance"}, {"arguments", Json::object()}})
                .status == 404);
    }

    // A session opened with a bearer uses its bearer; authenticate there changes nothing.
    McpHttpClient with_bearer(server, kSecondTestKey);
    REQUIRE(with_bearer.initialize().status == 200);
    auto refused = call(with_bearer, "authenticate", authenticate(kTestKey));
    CHECK(is_error(refused));
    CHECK(text_of(refused).find("Authorization header") != std::string::npos);
    CHECK(call(with_bearer, "get_balance")["structuredContent"]["balance"] == 5.0);

    CHECK(call(client, "logout")["structuredContent"]["cleared"] == true);
    CHECK(is_error(call(client, "get_balance")));

    // Ending the session ends its key: a new one starts without.
    CHECK_FALSE(is_error(call(client, "authenticate", authenticate(kTestKey))));
    CHECK(client.del(client.legacy_headers()).status == 200);
    REQUIRE(client.initialize().status == 200);
    CHECK(is_error(call(client, "get_balance")));

    check_no_key_in(server.stderr_text());
}

TEST_CASE("HTTP 2026-07-28 and --stateless: authenticate explains the Authorization header") {
    SimulatedApi api;
    SUBCASE("2026-07-28, without and with a bearer") {
        HttpServerProcess server({}, debug_env_for(api));
        McpHttpClient client(server);
        auto result = tool_result(client.modern_tool("authenticate", authenticate(kTestKey)));
        CHECK(is_error(result));
        CHECK(text_of(result).find("Authorization: Bearer") != std::string::npos);
        CHECK(text_of(result).find(kTestKey) == std::string::npos);

        client.set_key(kTestKey);
        auto with_key = tool_result(client.modern_tool("authenticate", authenticate(kTestKey)));
        CHECK(is_error(with_key));
        CHECK(text_of(with_key).find("Authorization header") != std::string::npos);
        check_no_key_in(server.stderr_text());
    }
    SUBCASE("a 2025 client of a --stateless server") {
        HttpServerProcess server({"--stateless"}, debug_env_for(api));
        McpHttpClient client(server);
        REQUIRE(client.initialize().status == 200);
        auto result = tool_result(client.legacy(
            "tools/call", {{"name", "authenticate"}, {"arguments", authenticate(kTestKey)}}));
        CHECK(is_error(result));
        CHECK(text_of(result).find("--stateless") != std::string::npos);
        check_no_key_in(server.stderr_text());
    }
    CHECK(credits_calls_with(api, kTestKey) == 0);  // nothing was verified, nothing stored
}
