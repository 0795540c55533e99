#include "tools/spend_guard.h"

#include <doctest/doctest.h>

#include "tests/support/paid_calls.h"
#include "tests/support/text_checks.h"

using namespace rdmcp;
using namespace rdmcp::tools;
using protocol::Json;
using protocol::ToolResult;
using rdmcp::testing::contains;
using rdmcp::testing::kPaidArguments;

namespace {

// A quote of `usd` that counts how often it was asked.
struct CountingQuote {
    double usd;
    int asked = 0;
    PriceQuoter quoter() {
        return [this]() -> std::variant<PriceQuote, ToolResult> {
            ++asked;
            return PriceQuote{usd, "the API's check_cost"};
        };
    }
};

protocol::RequestContext modern_context(bool elicitation) {
    protocol::RequestContext context;
    context.api_key = "key-a";
    context.protocol_version = "2026-07-28";
    if (elicitation) context.client_capabilities = {{"elicitation", Json::object()}};
    return context;
}

protocol::RequestContext legacy_context(protocol::AskClient ask) {
    protocol::RequestContext context;
    context.api_key = "key-a";
    context.protocol_version = "2025-11-25";
    context.client_capabilities = {{"elicitation", Json::object()}};
    context.ask_client = std::move(ask);
    return context;
}

std::string refusal(const std::variant<SpendPermit, ToolResult>& outcome) {
    auto* result = std::get_if<ToolResult>(&outcome);
    if (!result || !result->is_error) return "";
    return result->content[0]["text"].get<std::string>();
}

const PaidCall kCall{"create_inference", "4 x rd_pro__default at 256x256", kPaidArguments};

}  // namespace

TEST_CASE("without limits no price is asked and the call goes ahead") {
    SpendGuard guard({}, "secret");
    CountingQuote quote{0.72};
    auto context = modern_context(false);
    auto outcome = guard.authorize(kCall, quote.quoter(), context);
    CHECK(std::holds_alternative<SpendPermit>(outcome));
    CHECK(quote.asked == 0);
}

TEST_CASE("a call above the limit per call is refused, confirmation or not") {
    SpendGuard guard({.confirm_above = 0.1, .max_cost_per_call = 0.5}, "secret");
    CountingQuote quote{0.72};
    auto context = modern_context(true);
    const auto text = refusal(guard.authorize(kCall, quote.quoter(), context));
    CHECK(contains(text, "Not sent, nothing was charged"));
    CHECK(contains(text, "$0.720"));
    CHECK(contains(text, "--max-cost-per-call"));
}

TEST_CASE("max_cost lowers the limit for one call and never raises it") {
    SpendGuard guard({.max_cost_per_call = 1.0}, "secret");
    auto context = modern_context(false);
    Json lowered = kPaidArguments;
    lowered["max_cost"] = 0.5;
    CountingQuote quote{0.72};
    CHECK(contains(refusal(guard.authorize({"create_inference", "4 images", lowered},
                                           quote.quoter(), context)),
                   "max_cost of $0.500"));
    Json raised = kPaidArguments;
    raised["max_cost"] = 5.0;
    CountingQuote dear{2.88};
    CHECK(contains(
        refusal(guard.authorize({"create_inference", "16 images", raised}, dear.quoter(), context)),
        "--max-cost-per-call"));
    // Without any server limit, max_cost alone still has the price asked.
    SpendGuard open_guard({}, "secret");
    CHECK(contains(refusal(open_guard.authorize({"create_inference", "4 images", lowered},
                                                quote.quoter(), context)),
                   "max_cost"));
}

TEST_CASE("the budget is spent by settled calls and refuses what it cannot cover") {
    SpendGuard guard({.budget = 0.40}, "secret");
    auto context = modern_context(false);
    CountingQuote quote{0.18};
    for (int i = 0; i < 2; ++i) {
        auto outcome = guard.authorize(kCall, quote.quoter(), context);
        REQUIRE(std::holds_alternative<SpendPermit>(outcome));
        auto& permit = std::get<SpendPermit>(outcome);
        auto result = ToolResult::text("Generated");
        result.structured_content = Json::object();
        permit.settle(0.18);
        permit.annotate(result);
        CHECK(result.structured_content->at("spend")["cost_usd"] == 0.18);
    }
    const auto text = refusal(guard.authorize(kCall, quote.quoter(), context));
    CHECK(contains(text, "more than the budget has left"));
    CHECK(contains(text, "$0.040 of $0.400 left"));
    auto view = guard.budget_for("key-a");
    REQUIRE(view);
    CHECK(view->spent == doctest::Approx(0.36));
}

TEST_CASE("a client that cannot elicit gets the price and the threshold, never a spend") {
    SpendGuard guard({.confirm_above = 0.5}, "secret");
    CountingQuote quote{0.72};
    auto context = modern_context(false);
    const auto text = refusal(guard.authorize(kCall, quote.quoter(), context));
    CHECK(contains(text, "$0.720"));
    CHECK(contains(text, "$0.500"));
    CHECK(contains(text, "--confirm-above"));
    // Below the threshold nothing is asked.
    CountingQuote cheap{0.18};
    CHECK(std::holds_alternative<SpendPermit>(guard.authorize(kCall, cheap.quoter(), context)));
}

TEST_CASE("2026-07-28: confirmation is an input_required answer and a retry bound to it") {
    SpendGuard guard({.confirm_above = 0.5}, "secret");
    CountingQuote quote{0.72};
    auto first = modern_context(true);
    auto asked = guard.authorize(kCall, quote.quoter(), first);
    REQUIRE(std::holds_alternative<ToolResult>(asked));
    const auto& input = std::get<ToolResult>(asked).input_required;
    REQUIRE(input);
    const auto& request = input->input_requests.at(kConfirmSpendKey);
    CHECK(request["method"] == "elicitation/create");
    CHECK(contains(request["params"]["message"].get<std::string>(), "$0.720"));
    CHECK(request["params"]["requestedSchema"]["properties"]["approve"]["type"] == "boolean");

    auto retry = [&](Json answer, const Json& arguments = kPaidArguments) {
        auto context = modern_context(true);
        context.request_state = input->request_state;
        context.input_responses = {{kConfirmSpendKey, std::move(answer)}};
        return guard.authorize({"create_inference", "4 images", arguments}, quote.quoter(),
                               context);
    };
    CHECK(contains(refusal(retry({{"action", "decline"}})), "the user declined"));
    CHECK(contains(refusal(retry({{"action", "cancel"}})), "cancelled"));
    Json other = kPaidArguments;
    other["num_images"] = 16;
    CHECK(contains(refusal(retry({{"action", "accept"}}, other)), "other arguments"));

    auto approved = retry({{"action", "accept"}, {"content", {{"approve", true}}}});
    REQUIRE(std::holds_alternative<SpendPermit>(approved));
    CHECK_FALSE(std::get<SpendPermit>(approved).confirmation_id().empty());
    CHECK(contains(refusal(retry({{"action", "accept"}})), "already used"));
}

TEST_CASE("2026-07-28: a retry without the answer, or at a higher price, is asked again") {
    SpendGuard guard({.confirm_above = 0.5}, "secret");
    CountingQuote quote{0.72};
    auto first = modern_context(true);
    auto asked = guard.authorize(kCall, quote.quoter(), first);
    const auto state = std::get<ToolResult>(asked).input_required->request_state;

    auto context = modern_context(true);
    context.request_state = state;
    auto again = guard.authorize(kCall, quote.quoter(), context);
    REQUIRE(std::holds_alternative<ToolResult>(again));
    CHECK(std::get<ToolResult>(again).input_required);

    quote.usd = 0.90;  // the API's price went up since the human saw it
    context.input_responses = {{kConfirmSpendKey, {{"action", "accept"}}}};
    auto dearer = guard.authorize(kCall, quote.quoter(), context);
    REQUIRE(std::holds_alternative<ToolResult>(dearer));
    REQUIRE(std::get<ToolResult>(dearer).input_required);
    CHECK(contains(std::get<ToolResult>(dearer)
                       .input_required->input_requests[kConfirmSpendKey]["params"]["message"]
                       .get<std::string>(),
                   "$0.900"));
}

TEST_CASE("2025-11-25: the human is asked with elicitation/create in the middle of the call") {
    SpendGuard guard({.confirm_above = 0.5}, "secret");
    CountingQuote quote{0.72};
    Json asked_params;
    protocol::ClientAnswer answer{protocol::ClientAnswer::Kind::Result,
                                  {{"action", "accept"}, {"content", {{"approve", true}}}}};
    auto context = legacy_context([&](const std::string& method, const Json& params, auto) {
        CHECK(method == "elicitation/create");
        asked_params = params;
        return answer;
    });
    CHECK(std::holds_alternative<SpendPermit>(guard.authorize(kCall, quote.quoter(), context)));
    CHECK(contains(asked_params["message"].get<std::string>(), "4 x rd_pro__default"));

    answer.result = {{"action", "decline"}};
    CHECK(contains(refusal(guard.authorize(kCall, quote.quoter(), context)), "declined"));
    answer = {protocol::ClientAnswer::Kind::TimedOut, {}};
    CHECK(contains(refusal(guard.authorize(kCall, quote.quoter(), context)), "did not answer"));
    answer = {protocol::ClientAnswer::Kind::Error,
              {},
              protocol::RpcError{-32601, "Method not found", {}}};
    CHECK(contains(refusal(guard.authorize(kCall, quote.quoter(), context)), "Method not found"));

    auto no_channel = legacy_context(nullptr);
    CHECK(contains(refusal(guard.authorize(kCall, quote.quoter(), no_channel)),
                   "cannot carry the question"));
}
