// A legacy initialize is bounded before anything of it is kept: params over 16 KiB of JSON are
// refused with -32602 over HTTP and stdio alike, and refused ones cost the server no memory.
#include <doctest/doctest.h>

#include "tests/support/mcp_http_client.h"
#include "tests/support/mcp_stdio_client.h"
#include "tests/support/process_memory.h"
#include "tests/support/simulated_api.h"

using namespace rdmcp::testing;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kLimit = 16 * 1024;  // protocol/handshake.h

Json initialize_params(const std::string& filler) {
    return {{"protocolVersion", "2025-11-25"},
            {"capabilities", {{"experimental", {{"x", filler}}}}},
            {"clientInfo", {{"name", filler}, {"version", "1"}}}};
}

Json initialize_message(int id, const std::string& filler) {
    return {{"jsonrpc", "2.0"},
            {"id", id},
            {"method", "initialize"},
            {"params", initialize_params(filler)}};
}

void check_too_large(const Json& response, std::size_t size) {
    const auto& error = response["error"];
    CHECK(error["code"] == -32602);
    const auto message = error["message"].get<std::string>();
    CHECK(message.find(std::to_string(size) + " bytes") != std::string::npos);
    CHECK(message.find(std::to_string(kLimit)) != std::string::npos);
    CHECK(message.find("clientInfo") != std::string::npos);
    CHECK(response.dump().find("zzzzzzzz") == std::string::npos);  // nothing of it echoed
}

}  // namespace

TEST_CASE("HTTP: an oversized initialize is refused with -32602 and opens no session") {
    SimulatedApi api;
    HttpServerProcess server({}, {{"RD_API_BASE_URL", api.url()}});
    McpHttpClient client(server, kTestKey);
    const std::string filler(kLimit, 'z');
    auto reply = client.post(initialize_message(1, filler));
    CHECK(reply.status == 200);  // a JSON-RPC error, as for any invalid params
    CHECK(reply.header("Mcp-Session-Id").empty());
    check_too_large(reply.response(), initialize_params(filler).dump().size());
    CHECK(server.metric("rdmcp_sessions") == 0);

    // An ordinary one still works, and the session serves requests.
    auto normal = client.initialize();
    CHECK(normal.status == 200);
    CHECK(normal.response()["result"]["protocolVersion"] == "2025-11-25");
    CHECK(client.legacy("tools/list").status == 200);
}

TEST_CASE("stdio: an oversized initialize is refused the same way; a normal one then works") {
    SimulatedApi api;
    McpStdioClient client({}, {{"RD_API_BASE_URL", api.url()}, {"RD_API_KEY", kTestKey}});
    const std::string filler(kLimit, 'z');
    auto refused = client.request("initialize", initialize_params(filler));
    check_too_large(refused, initialize_params(filler).dump().size());
    // Nothing was established: a plain request names no version yet.
    CHECK(client.request("tools/list")["error"]["code"] == -32602);

    auto init = client.initialize("2025-06-18");
    CHECK(init["result"]["protocolVersion"] == "2025-06-18");
    CHECK(client.request("tools/list")["result"]["tools"].size() > 0);
}

TEST_CASE("20 initializes carrying two 4 MB strings each leave the server's memory flat") {
    SimulatedApi api;
    HttpServerProcess server({}, {{"RD_API_BASE_URL", api.url()}});
    McpHttpClient client(server, kTestKey);
    client.set_timeout(60s * kSlowdown);
    REQUIRE(client.initialize().status == 200);
    const std::string body = initialize_message(1, std::string(4 << 20, 'z')).dump();
    const pid_t pid = server.process().pid();
    const long before = rss_kb(pid);
    PeakRss peak(pid);
    for (int i = 0; i < 20; ++i) {
        // Each with its own key: before the limit, every one opened a session of 8 MB.
        client.set_key("rdpk-flood-" + std::to_string(i));
        auto reply = client.post_text(body);
        REQUIRE(reply.status == 200);
        CHECK(reply.response()["error"]["code"] == -32602);
        CHECK(reply.header("Mcp-Session-Id").empty());
    }
    const long after = rss_kb(pid);
    REQUIRE(before > 0);
    MESSAGE("RSS before " << before << " kB, peak " << peak.stop() << " kB, after 20 refused 8 MB "
                          << "initializes " << after << " kB");
    CHECK(server.metric("rdmcp_sessions") == 1);
#ifndef RDMCP_SANITIZE_ADDRESS
    CHECK(after - before < 4096);
#else
    // AddressSanitizer keeps freed memory in its quarantine, so RSS grows by design there;
    // LeakSanitizer checks that build for leaks instead.
#endif
}
