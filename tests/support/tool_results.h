#pragma once
// Reading a reply's result, a tool result, and what the simulated API charged, the same way in
// every test.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/simulated_api.h"

namespace rdmcp::testing {

// The result of a JSON-RPC reply; fails the test, showing the reply, if it has none.
inline Json result_of(const Json& reply) {
    REQUIRE_MESSAGE(reply.contains("result"), reply.dump());
    return reply["result"];
}

// The first text block of a tool result.
inline std::string text(const Json& result) {
    return result["content"][0]["text"].get<std::string>();
}

// Whether that text contains `part`.
inline bool says(const Json& result, const std::string& part) {
    return text(result).find(part) != std::string::npos;
}

// USD the simulated API has charged so far, over every key (refunds not deducted).
inline double charged(SimulatedApi& api) { return api.ledger()["total_charged"].get<double>(); }

// USD it has refunded so far (failed generations and edits).
inline double refunded(SimulatedApi& api) { return api.ledger()["total_refunded"].get<double>(); }

}  // namespace rdmcp::testing
