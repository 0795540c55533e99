#include "tools/spend_confirmation.h"

#include <doctest/doctest.h>

#include "tests/support/paid_calls.h"

using namespace rdmcp::tools;
using Json = nlohmann::json;
using rdmcp::testing::kPaidArguments;
using namespace std::chrono_literals;

namespace {
std::string why_not(std::variant<ConfirmationSigner::Confirmed, std::string> verified) {
    auto* why = std::get_if<std::string>(&verified);
    return why ? *why : "";
}
}  // namespace

TEST_CASE("a confirmation holds for exactly the call, price and key it was made for") {
    ConfirmationSigner signer("replica-secret");
    const auto state = signer.sign("create_inference", kPaidArguments, 0.72, "key-a");

    auto verified = signer.verify(state, "create_inference", kPaidArguments, "key-a");
    REQUIRE(std::holds_alternative<ConfirmationSigner::Confirmed>(verified));
    CHECK(std::get<ConfirmationSigner::Confirmed>(verified).price_usd == doctest::Approx(0.72));

    Json reordered = Json::parse(R"({"num_images":4,"height":256,"width":256,
        "prompt_style":"rd_pro__default","prompt":"a knight"})");
    CHECK(why_not(signer.verify(state, "create_inference", reordered, "key-a")).empty());

    Json more = kPaidArguments;
    more["num_images"] = 16;
    CHECK(why_not(signer.verify(state, "create_inference", more, "key-a")) ==
          "it confirmed other arguments than this call's");
    CHECK(why_not(signer.verify(state, "start_inference_job", kPaidArguments, "key-a"))
              .find("not of start_inference_job") != std::string::npos);
    CHECK(why_not(signer.verify(state, "create_inference", kPaidArguments, "key-b"))
              .find("another key") != std::string::npos);
}

TEST_CASE("an altered, forged or foreign confirmation does not verify") {
    ConfirmationSigner signer("replica-secret");
    auto state = signer.sign("create_inference", kPaidArguments, 0.72, "key-a");
    std::string altered = state;
    altered[20] = altered[20] == 'A' ? 'B' : 'A';
    CHECK_FALSE(
        why_not(signer.verify(altered, "create_inference", kPaidArguments, "key-a")).empty());

    // Whoever holds the API key but not the server's secret cannot make one.
    ConfirmationSigner other_replica("another-secret");
    CHECK_FALSE(
        why_not(other_replica.verify(state, "create_inference", kPaidArguments, "key-a")).empty());
    // Replicas sharing the secret verify each other's.
    ConfirmationSigner same_secret("replica-secret");
    CHECK(why_not(same_secret.verify(state, "create_inference", kPaidArguments, "key-a")).empty());

    // Without a configured secret a random one stands in: two processes never share it.
    ConfirmationSigner first(""), second("");
    auto local = first.sign("create_inference", kPaidArguments, 0.72, "key-a");
    CHECK(why_not(first.verify(local, "create_inference", kPaidArguments, "key-a")).empty());
    CHECK_FALSE(why_not(second.verify(local, "create_inference", kPaidArguments, "key-a")).empty());
}

TEST_CASE("a confirmation expires and is used once") {
    auto now = std::chrono::system_clock::now();
    ConfirmationSigner signer("secret", [&] { return now; });
    const auto state = signer.sign("create_inference", kPaidArguments, 0.72, "key-a");
    auto verified = signer.verify(state, "create_inference", kPaidArguments, "key-a");
    REQUIRE(std::holds_alternative<ConfirmationSigner::Confirmed>(verified));
    CHECK(signer.spend(std::get<ConfirmationSigner::Confirmed>(verified)));
    CHECK(why_not(signer.verify(state, "create_inference", kPaidArguments, "key-a")) ==
          "it was already used for a call that went ahead");

    const auto fresh = signer.sign("create_inference", kPaidArguments, 0.72, "key-a");
    now += kConfirmationLifetime + 1s;
    CHECK(why_not(signer.verify(fresh, "create_inference", kPaidArguments, "key-a"))
              .find("expired") != std::string::npos);
}

TEST_CASE("the human's answer is read from the elicitation result") {
    CHECK(read_human_answer({{"action", "accept"}, {"content", {{"approve", true}}}}) ==
          HumanAnswer::Approved);
    CHECK(read_human_answer({{"action", "accept"}}) == HumanAnswer::Approved);
    CHECK(read_human_answer({{"action", "accept"}, {"content", {{"approve", false}}}}) ==
          HumanAnswer::Declined);
    CHECK(read_human_answer({{"action", "decline"}}) == HumanAnswer::Declined);
    CHECK(read_human_answer({{"action", "cancel"}}) == HumanAnswer::Cancelled);
    CHECK(read_human_answer({{"action", "maybe"}}) == HumanAnswer::Unreadable);
    CHECK(read_human_answer(Json::array()) == HumanAnswer::Unreadable);
}

TEST_CASE("form elicitation is what the client declared") {
    CHECK(can_elicit_form({{"elicitation", Json::object()}}));
    CHECK(can_elicit_form({{"elicitation", {{"form", Json::object()}}}}));
    CHECK_FALSE(can_elicit_form({{"elicitation", {{"url", Json::object()}}}}));
    CHECK_FALSE(can_elicit_form(Json::object()));
    CHECK_FALSE(can_elicit_form({{"elicitation", true}}));
}
