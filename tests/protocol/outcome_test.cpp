// An outcome is answered with the same bytes whether its result is a Json value or text
// encoded ahead of the request.
#include "protocol/outcome.h"

#include <doctest/doctest.h>

using namespace rdmcp::protocol;

TEST_CASE("an encoded result is answered with the bytes of its Json form, for any id") {
    const Json result = {{"tools", {{{"name", "echo"}, {"description", "d\u00e9j\u00e0 \"vu\""}}}},
                         {"ttlMs", 3'600'000},
                         {"_meta", {{"a", nullptr}}}};
    const Outcome encoded = EncodedJson::of(result);
    for (const RequestId& id :
         {RequestId(7), RequestId(-1), RequestId("abc \"1\""), RequestId(9007199254740993LL)}) {
        CAPTURE(id.dump());
        CHECK(encode_outcome(id, encoded) == encode_result(id, result));
        CHECK(encode_outcome(id, Outcome(result)) == encode_result(id, result));
    }
}

TEST_CASE("text encoded ahead replaces invalid UTF-8 as every answer does") {
    const Json result = {{"text", std::string("bad \xff byte")}};
    const auto encoded = EncodedJson::of(result);
    CHECK(encode_outcome(1, encoded) == encode_result(1, result));
    CHECK(encoded.text->find("\xef\xbf\xbd") != std::string::npos);  // U+FFFD
}

TEST_CASE("result_json gives in-process callers the Json form of any result") {
    const Json result = {{"tools", Json::array()}, {"cacheScope", "public"}};
    CHECK(result_json(EncodedJson::of(result)) == result);
    CHECK(result_json(Outcome(result)) == result);
    CHECK_FALSE(result_json(RpcError{error_code::kInvalidParams, "no", {}}));
}

TEST_CASE("an error is encoded as a JSON-RPC error") {
    const RpcError error{error_code::kInvalidParams, "bad cursor", Json{{"x", 1}}};
    CHECK(encode_outcome("a", error) == encode_error("a", error));
}

TEST_CASE("only a result that says isError: true is a tool error") {
    CHECK(is_tool_error(Json{{"isError", true}}));
    CHECK_FALSE(is_tool_error(Json{{"isError", false}}));
    CHECK_FALSE(is_tool_error(Json{{"isError", "odd"}}));
    CHECK_FALSE(is_tool_error(Json::object()));
    CHECK_FALSE(is_tool_error(RpcError{error_code::kInternalError, "x", {}}));
    CHECK_FALSE(is_tool_error(EncodedJson::of(Json{{"tools", Json::array()}})));
}
