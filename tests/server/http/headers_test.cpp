#include "server/http/headers.h"

#include <doctest/doctest.h>

using namespace rdmcp::server;
using rdmcp::protocol::Json;

namespace {
Json modern_meta(const std::string& version = "2026-07-28") {
    return {{"io.modelcontextprotocol/protocolVersion", version},
            {"io.modelcontextprotocol/clientCapabilities", Json::object()}};
}

rdmcp::protocol::Request request(std::string method, Json params) {
    return {1, std::move(method), std::move(params)};
}

std::variant<Era, Rejection> era_of(const rdmcp::protocol::Decoded& message, McpHeaders headers) {
    return classify(message, headers);
}

bool is(const std::variant<Era, Rejection>& result, Era era) {
    return std::holds_alternative<Era>(result) && std::get<Era>(result) == era;
}

int rejection_code(const std::variant<Era, Rejection>& result) {
    return std::holds_alternative<Rejection>(result) ? std::get<Rejection>(result).error.code : 0;
}
}  // namespace

TEST_CASE("the body decides the era; the MCP-Protocol-Version header must agree") {
    McpHeaders none;
    McpHeaders modern_header{"2026-07-28", "tools/list", {}, {}};
    McpHeaders legacy_header{"2025-11-25", {}, {}, {}};

    CHECK(
        is(era_of(request("tools/list", {{"_meta", modern_meta()}}), modern_header), Era::Modern));
    CHECK(is(era_of(request("tools/list", {{"_meta", modern_meta()}}), none), Era::Modern));
    CHECK(is(era_of(request("tools/list", Json::object()), none), Era::Legacy));
    CHECK(is(era_of(request("tools/list", Json::object()), legacy_header), Era::Legacy));
    CHECK(is(era_of(request("initialize", {{"protocolVersion", "2025-11-25"}}), legacy_header),
             Era::Legacy));
    // A legacy version named in _meta is legacy traffic; an unknown one is for the engine to
    // refuse.
    CHECK(is(era_of(request("ping", {{"_meta", modern_meta("2025-11-25")}}), legacy_header),
             Era::Legacy));
    CHECK(is(
        era_of(request("ping", {{"_meta", modern_meta("2099-01-01")}}), McpHeaders{"2099-01-01"}),
        Era::Modern));
    // Responses from the client belong to 2025 sessions.
    CHECK(is(era_of(rdmcp::protocol::ClientResponse{}, none), Era::Legacy));

    // Disagreements.
    CHECK(rejection_code(
              era_of(request("tools/list", {{"_meta", modern_meta()}}), legacy_header)) == -32020);
    CHECK(rejection_code(era_of(request("tools/list", {{"_meta", modern_meta()}}),
                                McpHeaders{"2026-07-28", "tools/call", {}, {}})) == -32020);
    // 2026-07-28 has no handshake: initialize is an unknown method there.
    CHECK(rejection_code(era_of(request("initialize", Json::object()), modern_header)) == -32601);
    auto missing = era_of(request("tools/list", Json::object()), modern_header);
    CHECK(rejection_code(missing) == -32602);
    CHECK(std::get<Rejection>(missing).http_status == 400);
}

TEST_CASE("notifications: the header decides when the body is silent") {
    rdmcp::protocol::Notification cancelled{"notifications/cancelled", {{"requestId", 1}}};
    CHECK(is(era_of(cancelled, McpHeaders{"2026-07-28"}), Era::Modern));
    CHECK(is(era_of(cancelled, McpHeaders{"2025-11-25"}), Era::Legacy));
    CHECK(is(era_of(cancelled, McpHeaders{}), Era::Legacy));
    CHECK(rejection_code(era_of(
              cancelled, McpHeaders{"2026-07-28", "notifications/other", {}, {}})) == -32020);
}

TEST_CASE("2026-07-28 standard headers: required, decoded, compared with the body") {
    const auto call = request("tools/call", {{"name", "get_balance"}, {"_meta", modern_meta()}});
    CHECK_FALSE(check_standard_headers(call, {"2026-07-28", "tools/call", "get_balance", {}}));
    CHECK_FALSE(check_standard_headers(
        call, {"2026-07-28", "tools/call", "=?base64?Z2V0X2JhbGFuY2U=?=", {}}));

    auto code = [](const std::optional<Rejection>& rejection) {
        return rejection ? rejection->error.code : 0;
    };
    CHECK(code(check_standard_headers(call, {{}, "tools/call", "get_balance", {}})) == -32020);
    CHECK(code(check_standard_headers(call, {"2026-07-28", {}, "get_balance", {}})) == -32020);
    CHECK(code(check_standard_headers(call, {"2026-07-28", "tools/call", {}, {}})) == -32020);
    CHECK(code(check_standard_headers(
              call, {"2026-07-28", "tools/call", "create_inference", {}})) == -32020);
    CHECK(code(check_standard_headers(call, {"2026-07-28", "tools/call", "=?base64?***?=", {}})) ==
          -32020);
    CHECK(check_standard_headers(call, {"2026-07-28", "tools/call", {}, {}})->http_status == 400);

    // Methods without a name need no Mcp-Name; a call without params.name is the engine's to
    // refuse.
    CHECK_FALSE(check_standard_headers(request("tools/list", {{"_meta", modern_meta()}}),
                                       {"2026-07-28", "tools/list", {}, {}}));
    CHECK_FALSE(check_standard_headers(request("tools/call", {{"_meta", modern_meta()}}),
                                       {"2026-07-28", "tools/call", {}, {}}));
    // tasks/* mirror params.taskId.
    CHECK(code(check_standard_headers(request("tasks/get", {{"taskId", "t-1"}}),
                                      {"2026-07-28", "tasks/get", {}, {}})) == -32020);
    CHECK_FALSE(check_standard_headers(request("tasks/get", {{"taskId", "t-1"}}),
                                       {"2026-07-28", "tasks/get", "t-1", {}}));
}

TEST_CASE("header rule messages repeat only a short prefix of the body's values") {
    const std::string huge(5u << 20, 'n');
    const std::string marker = "…[cut: 5242880 bytes]";
    auto message = [](const std::optional<Rejection>& rejection) {
        REQUIRE(rejection);
        return rejection->error.message;
    };
    const auto call = request("tools/call", {{"name", huge}, {"_meta", modern_meta()}});
    const auto missing_name =
        message(check_standard_headers(call, {"2026-07-28", "tools/call", {}, {}}));
    CHECK(missing_name.size() < 300);
    CHECK(missing_name.find("params.name, \"nnn") != std::string::npos);
    CHECK(missing_name.find(marker) != std::string::npos);
    const auto other_name =
        message(check_standard_headers(call, {"2026-07-28", "tools/call", "get_balance", {}}));
    CHECK(other_name.size() < 300);
    CHECK(
        other_name.find("Mcp-Name header value \"get_balance\" does not match body value \"nnn") !=
        std::string::npos);

    const auto method = request(huge, {{"_meta", modern_meta()}});
    const auto missing_method = message(check_standard_headers(method, {"2026-07-28", {}, {}, {}}));
    CHECK(missing_method.size() < 300);
    CHECK(missing_method.find(marker) != std::string::npos);
    const auto other_method = era_of(method, {"2026-07-28", "tools/list", {}, {}});
    REQUIRE(std::holds_alternative<Rejection>(other_method));
    const auto& text = std::get<Rejection>(other_method).error.message;
    CHECK(text.size() < 300);
    CHECK(text.find("Mcp-Method header value \"tools/list\" does not match body value \"nnn") !=
          std::string::npos);
}

TEST_CASE("header values: plain ASCII or the =?base64?...?= form") {
    CHECK(decode_header_value("get_balance") == "get_balance");
    CHECK(decode_header_value("=?base64?SGVsbG8sIOS4lueVjA==?=") ==
          "Hello, \xe4\xb8\x96\xe7\x95\x8c");
    CHECK(decode_header_value("=?base64?IHBhZGRlZCA=?=") == " padded ");
    CHECK(decode_header_value("=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=") == "=?base64?literal?=");
    CHECK_FALSE(decode_header_value("=?base64?abc?="));   // not a multiple of 4
    CHECK_FALSE(decode_header_value("=?base64?ab=c?="));  // data after padding
    CHECK_FALSE(decode_header_value("caf\xc3\xa9"));      // raw non-ASCII
    CHECK(mcp_name_source("resources/read") == "uri");
    CHECK_FALSE(mcp_name_source("tools/list"));
}
