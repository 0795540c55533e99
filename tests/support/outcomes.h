#pragma once
// What McpServer answered a request, for the unit tests that ask it directly.
#include <doctest/doctest.h>

#include <string>
#include <variant>

#include "protocol/outcome.h"

namespace rdmcp::testing {

// The result (tools/list's, encoded ahead, read back); fails the test with the error's message
// when the answer was an error.
inline protocol::Json result_of(const protocol::Outcome& outcome) {
    auto result = protocol::result_json(outcome);
    REQUIRE_MESSAGE(result, std::get<protocol::RpcError>(outcome).message);
    return *result;
}

// The error; fails the test when the answer was a result.
inline protocol::RpcError error_of(const protocol::Outcome& outcome) {
    REQUIRE(std::holds_alternative<protocol::RpcError>(outcome));
    return std::get<protocol::RpcError>(outcome);
}

}  // namespace rdmcp::testing
