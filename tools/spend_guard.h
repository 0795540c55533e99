#pragma once
// The spend guard: no paid call goes out above a limit the person who pays has set without their
// say. Every paid tool asks it before paying:
//   1. the price, from the tool's quote (the free check_cost dry run or the edit estimate, the
//      documented price when those cannot be had) — asked only when some limit applies;
//   2. above --max-cost-per-call, or above the call's own max_cost: refused;
//   3. above what the key's budget has left (--budget per --budget-window): refused;
//   4. above --confirm-above: the human confirms through elicitation (2025-11-25) or MRTR
//      (2026-07-28); a client that can do neither gets the price and the limit, never a spend;
//   5. the price is reserved against the budget (one step with the check, so two calls racing
//      for its last part cannot both pass) and settled with what the call charged.
// Refusals are tool errors that say nothing was charged, what stopped the call and how to go on.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "protocol/request_context.h"
#include "protocol/tool.h"
#include "tools/spend_confirmation.h"
#include "tools/spend_ledger.h"
#include "tools/spend_limits.h"

namespace rdmcp::tools {

// The schema of the max_cost argument (kMaxCostArgument) of every paid tool.
protocol::Json max_cost_schema();

// What a call will cost, and where that figure comes from ("the API's check_cost", ...).
struct PriceQuote {
    double usd = 0;
    std::string source;
};
// Asked only when a limit applies: the quote, or the tool result to answer instead.
using PriceQuoter = std::function<std::variant<PriceQuote, protocol::ToolResult>()>;

struct PaidCall {
    std::string tool;                 // the tool the agent called
    std::string what;                 // what will be made, for the human ("4 images with ...")
    const protocol::Json& arguments;  // exactly as called (the confirmation is bound to them)
};

class SpendGuard;

// Leave to pay, for one call. Settle it with what the call charged; when it goes unsettled, the
// whole quoted price counts against the budget (the call may have paid).
class SpendPermit {
  public:
    SpendPermit() = default;
    // What the call charged; `charge_id` (a job id) lets a later refund find it.
    void settle(double charged_usd, const std::string& charge_id = "");
    void nothing_charged() { settle(0); }
    std::optional<double> quoted_usd() const {
        return quote_ ? std::optional(quote_->usd) : std::nullopt;
    }
    // Set when the human confirmed this call through MRTR: unique to that confirmation. A paid
    // submission that takes an idempotency key derives it from this, so the same confirmation
    // replayed on another replica is charged once by the API.
    const std::string& confirmation_id() const { return confirmation_id_; }
    // A paid result says what it cost and, under a budget, what is left: one more text block and
    // structuredContent.spend (spend_schema()). `charged_usd` unknown: the quote.
    void annotate(protocol::ToolResult& result, std::optional<double> charged_usd = {}) const;

  private:
    friend class SpendGuard;
    const SpendGuard* guard_ = nullptr;
    std::string api_key_;
    std::optional<PriceQuote> quote_;
    std::optional<SpendReservation> reservation_;
    std::string confirmation_id_;
};

// The shape of structuredContent.spend, for the output schemas of paid tools.
protocol::Json spend_schema();
// An output schema with structuredContent.spend added.
protocol::Json with_spend(protocol::Json schema);

// A key's budget as get_balance shows it.
struct BudgetView {
    double budget = 0;
    double spent = 0;
    double reserved = 0;
    std::chrono::seconds window{0};
    std::optional<std::chrono::system_clock::time_point> next_release;
    double left() const { return budget - spent - reserved > 0 ? budget - spent - reserved : 0; }
};

class SpendGuard {
  public:
    SpendGuard(SpendLimits limits, std::string server_secret,
               std::function<std::chrono::system_clock::time_point()> clock = {});

    // Leave to pay, or the result to answer instead (a refusal, or input_required).
    std::variant<SpendPermit, protocol::ToolResult> authorize(const PaidCall& call,
                                                              const PriceQuoter& quote,
                                                              protocol::RequestContext& context);

    // The API refunded this charge (a failed job): it stops counting against the budget.
    void refunded(const std::string& api_key, const std::string& charge_id) const;

    const SpendLimits& limits() const { return limits_; }
    std::optional<BudgetView> budget_for(const std::string& api_key) const;
    // "Budget: $4.820 of $5.000 left for this 24h window (...)."; empty without a budget.
    std::string budget_line(const std::string& api_key) const;

  private:
    // Nothing when the human approved (`confirmation_id` set for an MRTR confirmation); else the
    // result to answer instead.
    std::optional<protocol::ToolResult> confirm(const PaidCall& call, const PriceQuote& quote,
                                                protocol::RequestContext& context,
                                                std::string& confirmation_id);
    std::optional<protocol::ToolResult> confirm_by_retry(
        const PaidCall& call, const PriceQuote& quote, const protocol::Json& request,
        const std::string& priced, protocol::RequestContext& context, std::string& confirmation_id);
    std::optional<protocol::ToolResult> confirm_in_call(const protocol::Json& request,
                                                        const std::string& priced,
                                                        protocol::RequestContext& context);
    std::string ask_text(const PaidCall& call, const PriceQuote& quote,
                         const std::string& api_key) const;

    SpendLimits limits_;
    std::shared_ptr<SpendLedger> ledger_;
    ConfirmationSigner signer_;
};

using SpendGuardPtr = std::shared_ptr<SpendGuard>;

// "24h", "90m", "3600s": how the window is written in messages.
std::string window_text(std::chrono::seconds window);

}  // namespace rdmcp::tools
