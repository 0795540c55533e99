#include "protocol/json_rpc.h"

#include <doctest/doctest.h>

using namespace rdmcp::protocol;

TEST_CASE("a request keeps its id exactly as the client wrote it") {
    auto string_id = std::get<Request>(decode(R"({"jsonrpc":"2.0","id":"abc-1","method":"ping"})"));
    CHECK(string_id.id == "abc-1");
    CHECK(string_id.method == "ping");
    CHECK(string_id.params == Json::object());

    auto big_id =
        std::get<Request>(decode(R"({"jsonrpc":"2.0","id":9007199254740993,"method":"x"})"));
    CHECK(encode_result(big_id.id, Json::object()) ==
          R"({"id":9007199254740993,"jsonrpc":"2.0","result":{}})");

    auto negative = std::get<Request>(decode(R"({"jsonrpc":"2.0","id":-7,"method":"x"})"));
    CHECK(encode_error(negative.id, {error_code::kMethodNotFound, "nope", {}}) ==
          R"({"error":{"code":-32601,"message":"nope"},"id":-7,"jsonrpc":"2.0"})");
}

TEST_CASE("a message without an id is a notification") {
    auto n = std::get<Notification>(
        decode(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3}})"));
    CHECK(n.method == "notifications/cancelled");
    CHECK(n.params["requestId"] == 3);
}

TEST_CASE("a response from the client is recognised and not mistaken for a request") {
    auto result = std::get<ClientResponse>(
        decode(R"({"jsonrpc":"2.0","id":"rdmcp-1","result":{"action":"accept"}})"));
    CHECK(result.id == "rdmcp-1");
    REQUIRE(result.result);
    CHECK((*result.result)["action"] == "accept");
    CHECK_FALSE(result.error);

    auto error = std::get<ClientResponse>(decode(
        R"({"jsonrpc":"2.0","id":7,"error":{"code":-32601,"message":"no","data":{"x":1}}})"));
    CHECK(error.id == 7);
    CHECK_FALSE(error.result);
    REQUIRE(error.error);
    CHECK(error.error->code == -32601);
    CHECK(error.error->message == "no");
    CHECK(error.error->data == Json{{"x", 1}});

    // A client that could not read our request's id answers with a null one: nobody waits.
    auto unread = std::get<ClientResponse>(
        decode(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse"}})"));
    CHECK(unread.id.is_null());
}

TEST_CASE("a malformed response is a failure that is never answered") {
    for (const char* frame : {
             R"({"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}})",
             R"({"jsonrpc":"2.0","result":{}})",
             R"({"jsonrpc":"2.0","id":null,"result":{}})",
             R"({"jsonrpc":"2.0","id":1.5,"result":{}})",
             R"({"jsonrpc":"2.0","id":[1],"error":{"code":1,"message":"m"}})",
             R"({"jsonrpc":"1.0","id":1,"result":{}})",
             R"({"id":1,"result":{}})",
             R"({"jsonrpc":"2.0","id":1,"error":"no"})",
             R"({"jsonrpc":"2.0","id":1,"error":{"code":"x","message":"m"}})",
             R"({"jsonrpc":"2.0","id":1,"error":{"code":1}})",
         }) {
        CAPTURE(frame);
        auto failure = std::get<DecodeFailure>(decode(frame));
        CHECK_FALSE(failure.answerable);
        CHECK(failure.id.is_null());
    }
}

TEST_CASE("our requests to the client are encoded with their id, method and params") {
    CHECK(Json::parse(encode_request("rdmcp-3", "elicitation/create", {{"message", "ok?"}})) ==
          Json{{"jsonrpc", "2.0"},
               {"id", "rdmcp-3"},
               {"method", "elicitation/create"},
               {"params", {{"message", "ok?"}}}});
}

TEST_CASE("malformed frames get the JSON-RPC error that fits") {
    auto parse = std::get<DecodeFailure>(decode("{not json"));
    CHECK(parse.error.code == error_code::kParseError);
    CHECK(parse.id.is_null());

    auto not_object = std::get<DecodeFailure>(decode("42"));
    CHECK(not_object.error.code == error_code::kInvalidRequest);

    auto batch = std::get<DecodeFailure>(decode(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])"));
    CHECK(batch.error.code == error_code::kInvalidRequest);
    CHECK(batch.error.message.find("batch") != std::string::npos);

    auto wrong_version =
        std::get<DecodeFailure>(decode(R"({"jsonrpc":"1.0","id":4,"method":"x"})"));
    CHECK(wrong_version.error.code == error_code::kInvalidRequest);
    CHECK(wrong_version.id == 4);  // a readable id is echoed even in an error

    auto null_id = std::get<DecodeFailure>(decode(R"({"jsonrpc":"2.0","id":null,"method":"x"})"));
    CHECK(null_id.error.code == error_code::kInvalidRequest);

    auto float_id = std::get<DecodeFailure>(decode(R"({"jsonrpc":"2.0","id":1.5,"method":"x"})"));
    CHECK(float_id.error.code == error_code::kInvalidRequest);

    auto method_type = std::get<DecodeFailure>(decode(R"({"jsonrpc":"2.0","id":"q","method":7})"));
    CHECK(method_type.error.code == error_code::kInvalidRequest);
    CHECK(method_type.id == "q");

    auto params_array =
        std::get<DecodeFailure>(decode(R"({"jsonrpc":"2.0","id":2,"method":"x","params":[1]})"));
    CHECK(params_array.error.code == error_code::kInvalidParams);
}

TEST_CASE("a malformed notification is never answered") {
    auto failure = std::get<DecodeFailure>(decode(R"({"jsonrpc":"2.0","method":"x","params":7})"));
    CHECK_FALSE(failure.answerable);
}

TEST_CASE("invalid UTF-8 is a parse error, not a crash") {
    std::string frame = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xff\xfe\"}";
    CHECK(std::get<DecodeFailure>(decode(frame)).error.code == error_code::kParseError);
}

TEST_CASE("deep nesting is refused before parsing") {
    std::string deep = R"({"jsonrpc":"2.0","id":1,"method":"x","params":{"a":)";
    for (int i = 0; i < 10000; ++i) deep += "[";
    auto failure = std::get<DecodeFailure>(decode(deep));
    CHECK(failure.error.code == error_code::kInvalidRequest);
    CHECK(failure.error.message.find("deeper") != std::string::npos);

    CHECK(nesting_depth(R"({"a":"[[[[[[["})", 64) == 1);  // brackets inside strings do not count
}
