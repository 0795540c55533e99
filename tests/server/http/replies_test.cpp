#include "server/http/replies.h"

#include <doctest/doctest.h>

using namespace rdmcp::server;
using rdmcp::protocol::Json;
using rdmcp::protocol::RpcError;

TEST_CASE("Accept: what the client takes decides JSON or SSE") {
    auto both = parse_accept(std::string_view("application/json, text/event-stream"));
    CHECK(both.json);
    CHECK(both.sse);
    auto sse = parse_accept(std::string_view("text/event-stream"));
    CHECK_FALSE(sse.json);
    CHECK(sse.sse);
    auto any = parse_accept(std::string_view("*/*"));
    CHECK(any.json);
    CHECK(any.sse);
    auto refused = parse_accept(std::string_view("application/json, text/event-stream;q=0"));
    CHECK(refused.json);
    CHECK_FALSE(refused.sse);
    auto absent = parse_accept(std::nullopt);
    CHECK(absent.json);
    CHECK_FALSE(absent.sse);
    auto html = parse_accept(std::string_view("text/html"));
    CHECK_FALSE(html.json);
    CHECK_FALSE(html.sse);
}

TEST_CASE("Content-Type must be JSON when given") {
    CHECK(is_json_content_type(std::nullopt));
    CHECK(is_json_content_type(std::string_view("application/json")));
    CHECK(is_json_content_type(std::string_view("Application/JSON; charset=utf-8")));
    CHECK_FALSE(is_json_content_type(std::string_view("text/plain")));
}

TEST_CASE("statuses of engine errors and outcome names") {
    CHECK(status_for_engine_error(RpcError{-32601, "", {}}) == 404);
    CHECK(status_for_engine_error(RpcError{-32021, "", {}}) == 400);
    CHECK(status_for_engine_error(RpcError{-32602, "", {}}) == 200);
    CHECK(status_for_engine_error(RpcError{-32603, "", {}}) == 200);
    CHECK(outcome_name(rdmcp::protocol::Outcome(RpcError{-32602, "", {}})) == "error");
    CHECK(outcome_name(rdmcp::protocol::Outcome(Json{{"isError", true}})) == "tool_error");
    CHECK(outcome_name(rdmcp::protocol::Outcome(Json{{"isError", "odd"}})) == "ok");
    CHECK(outcome_name(rdmcp::protocol::Outcome(Json::object())) == "ok");
    CHECK(outcome_name(rdmcp::protocol::EncodedJson::of(Json{{"tools", Json::array()}})) == "ok");
}

TEST_CASE("a JSON reply takes its body as it is and names JSON once") {
    httplib::Response response;
    response.set_header("Content-Type", "text/plain");
    const std::string body = R"({"id":1,"jsonrpc":"2.0","result":{}})";
    reply_json(response, 200, body);
    CHECK(response.status == 200);
    CHECK(response.body == body);
    CHECK(response.get_header_value_count("Content-Type") == 1);
    CHECK(response.get_header_value("Content-Type") == "application/json; charset=utf-8");
}
