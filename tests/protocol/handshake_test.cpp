#include "protocol/handshake.h"

#include <doctest/doctest.h>

#include "protocol/mcp_server.h"

using namespace rdmcp::protocol;

namespace {

Json params_with(Json capabilities, Json client_info) {
    return {{"protocolVersion", "2025-11-25"},
            {"capabilities", std::move(capabilities)},
            {"clientInfo", std::move(client_info)}};
}

}  // namespace

TEST_CASE("serialized_size is the length of dump(), escapes and nesting included") {
    const std::vector<Json> samples = {
        Json::object(),
        Json::array(),
        nullptr,
        true,
        -12,
        3.25,
        18446744073709551615ull,
        "plain",
        "quote \" backslash \\ newline \n tab \t control \x01 unicode \xc3\xa9\xe2\x82\xac",
        Json{{"a", 1}, {"b", {1, "two", nullptr, Json::object()}}, {"key \"q\"", {{"x", false}}}},
        Json::parse(R"({"roots":{"listChanged":true},"sampling":{},"elicitation":{"form":{}}})"),
    };
    for (const auto& sample : samples) {
        CAPTURE(sample.dump());
        CHECK(serialized_size(sample) == sample.dump().size());
    }
}

TEST_CASE("a handshake keeps the client's name, title and version and its capabilities") {
    const Json capabilities = {{"roots", {{"listChanged", true}}}, {"sampling", Json::object()}};
    auto read = read_handshake(params_with(capabilities, {{"name", "client"},
                                                          {"title", "Client"},
                                                          {"version", "1.0"},
                                                          {"websiteUrl", "https://x.example"},
                                                          {"icons", {{{"src", "data:,x"}}}},
                                                          {"description", "long text"}}));
    REQUIRE(std::holds_alternative<LegacySession::State>(read));
    const auto& state = std::get<LegacySession::State>(read);
    CHECK(state.version == "2025-11-25");
    CHECK(state.client_capabilities == capabilities);
    CHECK(state.client_info == Json{{"name", "client"}, {"title", "Client"}, {"version", "1.0"}});

    // Fields of the wrong type are dropped, not stored.
    auto odd = read_handshake(params_with(Json::object(), {{"name", {{"nested", 1}}}}));
    REQUIRE(std::holds_alternative<LegacySession::State>(odd));
    CHECK(std::get<LegacySession::State>(odd).client_info == Json::object());
}

TEST_CASE("params over the limit are refused with the size and limit, never their content") {
    const std::string big(kMaxInitializeParamsBytes, 'q');
    for (const auto& params : {params_with({{"x", big}}, {{"name", "c"}, {"version", "1"}}),
                               params_with(Json::object(), {{"name", big}, {"version", "1"}})}) {
        auto read = read_handshake(params);
        REQUIRE(std::holds_alternative<RpcError>(read));
        const auto& error = std::get<RpcError>(read);
        CHECK(error.code == -32602);
        const auto size = std::to_string(params.dump().size());
        CHECK(error.message.find(size + " bytes") != std::string::npos);
        CHECK(error.message.find(std::to_string(kMaxInitializeParamsBytes)) != std::string::npos);
        CHECK(error.message.find("clientInfo") != std::string::npos);  // what to fix
        CHECK(error.message.find("qqqq") == std::string::npos);
        REQUIRE(error.data);
        CHECK(error.data->dump().find("qqqq") == std::string::npos);
        CHECK((*error.data)["limit"] == kMaxInitializeParamsBytes);
    }

    // Exactly at the limit is still accepted.
    Json params = params_with(Json::object(), {{"name", ""}, {"version", "1"}});
    const auto room = kMaxInitializeParamsBytes - params.dump().size();
    params["clientInfo"]["name"] = std::string(room, 'n');
    REQUIRE(params.dump().size() == kMaxInitializeParamsBytes);
    CHECK(std::holds_alternative<LegacySession::State>(read_handshake(params)));
    params["clientInfo"]["name"] = std::string(room + 1, 'n');
    CHECK(std::holds_alternative<RpcError>(read_handshake(params)));
}

TEST_CASE("an oversized initialize leaves the session as it was") {
    McpServer server({"example", "Example", "1.2.3", ""}, ToolRegistry{});
    LegacySession session;
    Request request{1, "initialize",
                    params_with({{"x", std::string(1 << 20, 'x')}}, {{"name", "c"}})};
    RequestContext context;
    REQUIRE_FALSE(server.prepare(request, session, context));
    auto outcome = server.handle(request, session, context);
    REQUIRE(std::holds_alternative<RpcError>(outcome));
    CHECK(std::get<RpcError>(outcome).code == -32602);
    CHECK_FALSE(session.state());

    request.params = params_with(Json::object(), {{"name", "c"}, {"version", "2"}});
    CHECK(std::holds_alternative<Json>(server.handle(request, session, context)));
    REQUIRE(session.state());
    CHECK(session.state()->client_info == Json{{"name", "c"}, {"version", "2"}});
}
