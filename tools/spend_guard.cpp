#include "tools/spend_guard.h"

#include <cmath>
#include <ctime>

#include "protocol/versions.h"
#include "tools/usd.h"

namespace rdmcp::tools {

using protocol::Json;
using protocol::ToolResult;

namespace {

// Prices are in tenths of a cent; a sum of doubles must not refuse a call priced exactly at a
// limit.
constexpr double kLimitSlack = 1e-9;
// How long a 2025-11-25 client's user has to answer before the call ends unpaid.
constexpr std::chrono::minutes kAnswerTimeout{10};

bool above(double price, double limit) { return price > limit + kLimitSlack; }

// Sums of prices as the API states them: to a tenth of a cent.
double in_mills(double usd) { return std::round(usd * 1000.0) / 1000.0; }

ToolResult not_sent(const std::string& why) {
    return ToolResult::error("Not sent, nothing was charged: " + why);
}

std::string utc_time(std::chrono::system_clock::time_point at) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &parts);
    return text;
}

std::optional<double> read_max_cost(const Json& arguments) {
    auto it = arguments.find(kMaxCostArgument);
    if (it == arguments.end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
}

}  // namespace

std::string window_text(std::chrono::seconds window) {
    const long long s = window.count();
    if (s % 3600 == 0) return std::to_string(s / 3600) + "h";
    if (s % 60 == 0) return std::to_string(s / 60) + "m";
    return std::to_string(s) + "s";
}

Json max_cost_schema() {
    // What it does is said once, in the server instructions.
    return {{"type", "number"}, {"minimum", 0}, {"description", "USD cap."}};
}

Json spend_schema() {
    return {{"type", "object"},
            {"description", "What this call cost and, under a budget, what is left."},
            {"properties",
             {{"cost_usd", {{"type", "number"}}},
              {"budget_usd", {{"type", "number"}}},
              {"budget_left_usd", {{"type", "number"}}},
              {"budget_window_seconds", {{"type", "integer"}}}}},
            {"required", {"cost_usd"}}};
}

Json with_spend(Json schema) {
    schema["properties"]["spend"] = spend_schema();
    return schema;
}

void SpendPermit::settle(double charged_usd, const std::string& charge_id) {
    if (reservation_) reservation_->settle(charged_usd, charge_id);
}

void SpendPermit::annotate(ToolResult& result, std::optional<double> charged_usd) const {
    const auto cost = charged_usd ? charged_usd : quoted_usd();
    if (!cost || result.is_error) return;
    Json spend = {{"cost_usd", *cost}};
    std::string line = "Cost: " + format_usd(*cost) + ".";
    if (guard_) {
        if (auto view = guard_->budget_for(api_key_)) {
            spend["budget_usd"] = view->budget;
            spend["budget_left_usd"] = in_mills(view->left());
            spend["budget_window_seconds"] = view->window.count();
            line += " " + guard_->budget_line(api_key_);
        }
    }
    // Into the summary the agent reads first, when the result starts with one.
    if (!result.content.empty() && result.content[0].value("type", "") == "text" &&
        result.content[0]["text"].is_string()) {
        result.content[0]["text"] = result.content[0]["text"].get<std::string>() + "\n" + line;
    } else {
        result.add_text(line);
    }
    if (result.structured_content && result.structured_content->is_object()) {
        (*result.structured_content)["spend"] = std::move(spend);
    }
}

SpendGuard::SpendGuard(SpendLimits limits, std::string server_secret,
                       std::function<std::chrono::system_clock::time_point()> clock)
    : limits_(limits),
      ledger_(SpendLedger::create(limits.budget_window, clock)),
      signer_(std::move(server_secret), clock) {}

std::optional<BudgetView> SpendGuard::budget_for(const std::string& api_key) const {
    if (!limits_.budget) return std::nullopt;
    const auto standing = ledger_->standing(api_key);
    return BudgetView{*limits_.budget, standing.spent, standing.reserved, limits_.budget_window,
                      standing.next_release};
}

std::string SpendGuard::budget_line(const std::string& api_key) const {
    auto view = budget_for(api_key);
    if (!view) return "";
    std::string line = "Budget: " + format_usd(view->left()) + " of " + format_usd(view->budget) +
                       " left for this " + window_text(view->window) + " window";
    if (view->next_release)
        line += " (spending frees up from " + utc_time(*view->next_release) + ")";
    return line + ".";
}

void SpendGuard::refunded(const std::string& api_key, const std::string& charge_id) const {
    ledger_->refund(api_key, charge_id);
}

std::string SpendGuard::ask_text(const PaidCall& call, const PriceQuote& quote,
                                 const std::string& api_key) const {
    std::string text = "RetroDiffusion: " + call.tool + " will charge " + format_usd(quote.usd) +
                       " (" + quote.source + ") to your API balance for " + call.what + ".";
    if (auto line = budget_line(api_key); !line.empty()) text += " " + line;
    return text + " It is above the " + format_usd(*limits_.confirm_above) +
           " that needs your confirmation. Approve this spend?";
}

std::variant<SpendPermit, ToolResult> SpendGuard::authorize(const PaidCall& call,
                                                            const PriceQuoter& quote,
                                                            protocol::RequestContext& context) {
    SpendPermit permit;
    permit.guard_ = this;
    permit.api_key_ = context.api_key;
    const auto max_cost = read_max_cost(call.arguments);
    if (!limits_.any() && !max_cost) return permit;  // nothing to check: no price is asked

    auto quoted = quote();
    if (auto* refusal = std::get_if<ToolResult>(&quoted)) return std::move(*refusal);
    const auto price = std::get<PriceQuote>(quoted);
    const std::string priced = call.tool + " would cost " + format_usd(price.usd) + " (" +
                               price.source + ") for " + call.what;

    if (limits_.max_cost_per_call && above(price.usd, *limits_.max_cost_per_call)) {
        return not_sent(priced + ", above the " + format_usd(*limits_.max_cost_per_call) +
                        " limit per call set by whoever runs this server (--max-cost-per-call, "
                        "RD_MAX_COST_PER_CALL). Ask for less (fewer images, a smaller size), or "
                        "ask them to raise the limit.");
    }
    if (max_cost && above(price.usd, *max_cost)) {
        return not_sent(priced + ", above this call's max_cost of " + format_usd(*max_cost) +
                        ". Ask for less, or call again with a higher max_cost if the user agrees "
                        "to pay it.");
    }
    if (auto view = budget_for(context.api_key); view && above(price.usd, view->left())) {
        return not_sent(priced + ", more than the budget has left. " +
                        budget_line(context.api_key) + " (--budget " + format_usd(view->budget) +
                        " per --budget-window " + window_text(view->window) +
                        ", set by whoever runs this server: over HTTP per key on this replica.) "
                        "Ask for less, wait, or ask them to raise the budget.");
    }
    if (limits_.confirm_above && above(price.usd, *limits_.confirm_above)) {
        if (auto stop = confirm(call, price, context, permit.confirmation_id_)) {
            return std::move(*stop);
        }
    }
    if (limits_.budget) {
        auto reservation = ledger_->reserve(context.api_key, price.usd, *limits_.budget);
        if (!reservation) {
            return not_sent(priced +
                            ", and other calls running now for this key have taken "
                            "what the budget had left. " +
                            budget_line(context.api_key) + " Try again once they end.");
        }
        permit.reservation_.emplace(std::move(*reservation));
    }
    permit.quote_ = price;
    return permit;
}

namespace {

// The refusal for a human who said no; nothing when they approved.
std::optional<ToolResult> unless_approved(HumanAnswer answer, const std::string& priced) {
    switch (answer) {
        case HumanAnswer::Approved:
            return std::nullopt;
        case HumanAnswer::Declined:
            return not_sent(priced + "; the user declined the spend.");
        case HumanAnswer::Cancelled:
            return not_sent(priced +
                            "; the user cancelled the question (dismissed it without a choice).");
        case HumanAnswer::Unreadable:
            break;
    }
    return not_sent(priced +
                    "; the client's answer to the confirmation could not be read (no "
                    "action accept, decline or cancel).");
}

constexpr const char* kHowToRaise =
    " Whoever runs this server can raise the threshold (--confirm-above, RD_CONFIRM_ABOVE; "
    "\"none\" turns confirmation off), or ask for less.";

}  // namespace

std::optional<ToolResult> SpendGuard::confirm(const PaidCall& call, const PriceQuote& quote,
                                              protocol::RequestContext& context,
                                              std::string& confirmation_id) {
    const std::string priced = call.tool + " would cost " + format_usd(quote.usd) + " (" +
                               quote.source + ") for " + call.what;
    if (!can_elicit_form(context.client_capabilities)) {
        return not_sent(priced + ", above the " + format_usd(*limits_.confirm_above) +
                        " that needs the user's confirmation, and this client cannot ask the user "
                        "(it declares no form elicitation). Use a client that supports "
                        "elicitation." +
                        kHowToRaise);
    }
    const Json request = confirmation_request(ask_text(call, quote, context.api_key), quote.usd);
    if (protocol::is_modern_version(context.protocol_version)) {
        return confirm_by_retry(call, quote, request, priced, context, confirmation_id);
    }
    return confirm_in_call(request, priced, context);
}

// 2026-07-28 (MRTR): ask with input_required, then trust the retry's answer only with the
// state we signed for exactly this call.
std::optional<ToolResult> SpendGuard::confirm_by_retry(const PaidCall& call,
                                                       const PriceQuote& quote, const Json& request,
                                                       const std::string& priced,
                                                       protocol::RequestContext& context,
                                                       std::string& confirmation_id) {
    auto ask = [&] {
        ToolResult asking;
        asking.input_required = ToolResult::InputRequired{
            {{kConfirmSpendKey, {{"method", "elicitation/create"}, {"params", request}}}},
            signer_.sign(call.tool, call.arguments, quote.usd, context.api_key)};
        return asking;
    };
    if (!context.request_state) return ask();
    auto verified =
        signer_.verify(*context.request_state, call.tool, call.arguments, context.api_key);
    if (auto* why = std::get_if<std::string>(&verified)) {
        return not_sent("the confirmation sent back (requestState) does not hold for this call: " +
                        *why + ". Call again without it to be asked again.");
    }
    const auto& confirmed = std::get<ConfirmationSigner::Confirmed>(verified);
    if (above(quote.usd, confirmed.price_usd)) return ask();  // the price went up since
    // Missing or unreadable: asked again, as the spec prefers to an error.
    auto answer = context.input_responses.find(kConfirmSpendKey);
    if (answer == context.input_responses.end()) return ask();
    const auto human = read_human_answer(*answer);
    if (human == HumanAnswer::Unreadable) return ask();
    if (auto refusal = unless_approved(human, priced)) return refusal;
    if (!signer_.spend(confirmed)) {
        return not_sent(
            "this confirmation was already used for a call that went ahead. Call "
            "again without requestState to be asked again.");
    }
    confirmation_id = confirmed.nonce;
    return std::nullopt;
}

// 2025-11-25: ask with elicitation/create in the middle of the call and wait for the answer.
std::optional<ToolResult> SpendGuard::confirm_in_call(const Json& request,
                                                      const std::string& priced,
                                                      protocol::RequestContext& context) {
    const std::string cannot_ask = priced + ", above the " + format_usd(*limits_.confirm_above) +
                                   " that needs the user's confirmation, and ";
    if (!context.ask_client) {
        return not_sent(cannot_ask +
                        "this connection cannot carry the question (over HTTP the client must "
                        "accept text/event-stream and keep its session)." +
                        kHowToRaise);
    }
    const auto answer =
        context.ask_client("elicitation/create", request,
                           std::chrono::duration_cast<std::chrono::milliseconds>(kAnswerTimeout));
    using Kind = protocol::ClientAnswer::Kind;
    switch (answer.kind) {
        case Kind::Result:
            return unless_approved(read_human_answer(answer.result), priced);
        case Kind::Error:
            return not_sent(priced + "; the client could not ask the user (" +
                            (answer.error ? answer.error->message : std::string("an error")) +
                            ")." + kHowToRaise);
        case Kind::TimedOut:
            return not_sent(priced + "; the user did not answer the confirmation within " +
                            std::to_string(kAnswerTimeout.count()) + " minutes.");
        case Kind::Cancelled:
            return not_sent(priced + "; the call was cancelled while waiting for the user.");
        case Kind::Unavailable:
            break;
    }
    return not_sent(cannot_ask + "the question could not be sent to this client." + kHowToRaise);
}

}  // namespace rdmcp::tools
