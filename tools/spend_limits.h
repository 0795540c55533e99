#pragma once
// The limits the person running the server sets on what calls may spend (--confirm-above,
// --max-cost-per-call, --budget, --budget-window). An agent can only lower them for one call
// (the max_cost argument); nothing it sends raises them.
#include <chrono>
#include <optional>

namespace rdmcp::tools {

struct SpendLimits {
    // USD: a call priced above it is sent only once the human confirmed it (elicitation).
    std::optional<double> confirm_above;
    // USD: a call priced above it is refused, confirmed or not.
    std::optional<double> max_cost_per_call;
    // USD one key may spend per window: over stdio for the process, over HTTP per key on this
    // replica.
    std::optional<double> budget;
    std::chrono::seconds budget_window{24 * 3600};

    bool any() const { return confirm_above || max_cost_per_call || budget; }
};

// The argument with which an agent lowers the limits for one call (every paid tool takes it; it
// is the server's own and never reaches the API).
inline constexpr const char* kMaxCostArgument = "max_cost";

// What a stdio server asks confirmation above unless told otherwise: the person who pays sits at
// the same machine, and a dollar is more than any single image costs.
inline constexpr double kStdioDefaultConfirmAbove = 1.00;

}  // namespace rdmcp::tools
