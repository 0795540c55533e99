#pragma once
// The tool error an agent reads for an upstream failure, as the unit tests look at it.
#include <doctest/doctest.h>

#include <string>

#include "tools/agent_errors.h"
#include "tools/upstream_error.h"

namespace rdmcp::testing {

// The text of the tool error for `error` while generating (checked to be an error result).
inline std::string tool_text(const tools::UpstreamError& error) {
    auto result = tools::tool_error_for(error, "Generating");
    CHECK(result.is_error);
    return result.content[0]["text"].get<std::string>();
}

}  // namespace rdmcp::testing
