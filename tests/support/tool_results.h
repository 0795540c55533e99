#pragma once
// Reading a tool result, and what the simulated API charged, the same way in every test.
#include <string>

#include "tests/support/simulated_api.h"

namespace rdmcp::testing {

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
