// The spend guard against the real binary and the simulated API, every way in: limits set by
// whoever runs the server refuse a call before anything is paid; above --confirm-above the human
// confirms through MRTR (2026-07-28) or elicitation/create (2025-11-25); every test asserts
// what the simulated API charged.
#include <doctest/doctest.h>

#include <atomic>

#include "tests/support/mcp_callers.h"
#include "tests/support/test_images.h"
#include "tests/support/tool_results.h"

using namespace rdmcp::testing;

namespace {

// $0.180 (one RD Pro image at 256x256, as the API's check_cost prices it).
const Json kOneImage = {{"prompt", "a knight resting by a campfire"},
                        {"prompt_style", "rd_pro__default"},
                        {"width", 256},
                        {"height", 256}};

Json images(int count) {
    Json arguments = kOneImage;
    arguments["num_images"] = count;
    return arguments;
}

// $1.580: sixteen RD Plus images at 384x384, above the $1.00 stdio default.
const Json kDearBatch = {{"prompt", "a treasure chest"},
                         {"prompt_style", "rd_plus__default"},
                         {"width", 384},
                         {"height", 384},
                         {"num_images", 16}};

bool is_error(const Json& result) { return result.value("isError", false); }

Json eliciting_meta() {
    return modern_meta(
        {{"io.modelcontextprotocol/clientCapabilities", {{"elicitation", Json::object()}}}});
}

// A 2026-07-28 tools/call from a client that can ask its user.
Json modern_call(McpCaller& caller, const std::string& tool, const Json& arguments,
                 Json retry = Json::object()) {
    Json params = {{"_meta", eliciting_meta()}, {"name", tool}, {"arguments", arguments}};
    params.update(retry);
    auto reply = caller.request("tools/call", std::move(params));
    const std::string where = caller.name() + ": " + reply.dump();
    REQUIRE_MESSAGE(reply.contains("result"), where);
    return reply["result"];
}

Json answered(const std::string& state, Json answer) {
    return {{"requestState", state}, {"inputResponses", {{"confirm_spend", std::move(answer)}}}};
}

}  // namespace

TEST_CASE(
    "every way in: above --max-cost-per-call a call is refused unpaid; below it, paid once "
    "and its cost stated") {
    SimulatedApi api;
    for (auto& caller :
         every_way_in(api, kTestKey, {"--max-cost-per-call", "0.5", "--confirm-above", "none"})) {
        CAPTURE(caller->name());
        const double before = charged(api);
        auto refused = caller->call_tool("create_inference", images(4));  // $0.720
        CHECK(is_error(refused));
        CHECK(says(refused, "Not sent, nothing was charged"));
        CHECK(says(refused, "$0.720"));
        CHECK(says(refused, "--max-cost-per-call"));
        CHECK(charged(api) == doctest::Approx(before));

        auto lowered = images(1);
        lowered["max_cost"] = 0.1;  // the agent's own, lower limit
        auto over_own = caller->call_tool("create_inference", lowered);
        CHECK(says(over_own, "max_cost of $0.100"));
        CHECK(charged(api) == doctest::Approx(before));

        auto paid = caller->call_tool("create_inference", images(1));
        REQUIRE_MESSAGE(!is_error(paid), paid.dump().substr(0, 600));
        CHECK(paid["structuredContent"]["spend"]["cost_usd"] == 0.18);
        CHECK(charged(api) == doctest::Approx(before + 0.18));
    }
}

TEST_CASE(
    "every way in: a budget is spent per key and refuses what it cannot cover; "
    "get_balance shows it") {
    SimulatedApi api;
    for (auto& caller :
         every_way_in(api, kTestKey, {"--budget", "0.40", "--confirm-above", "none"})) {
        CAPTURE(caller->name());
        const double before = charged(api);
        for (int i = 0; i < 2; ++i) {
            auto paid = caller->call_tool("create_inference", images(1));
            REQUIRE_MESSAGE(!is_error(paid), paid.dump().substr(0, 600));
            CHECK(says(paid, "left for this 24h window"));
        }
        auto refused = caller->call_tool("create_inference", images(1));
        CHECK(is_error(refused));
        CHECK(says(refused, "more than the budget has left"));
        CHECK(says(refused, "$0.040 of $0.400 left"));
        CHECK(charged(api) == doctest::Approx(before + 0.36));

        auto balance = caller->call_tool("get_balance", Json::object());
        const auto& limits = balance["structuredContent"]["limits"];
        CHECK(limits["budget_usd"] == 0.4);
        CHECK(limits["budget_spent_usd"] == 0.36);
        CHECK(limits["budget_left_usd"] == 0.04);
    }
}

TEST_CASE(
    "every way in: a client that cannot ask its user gets the price and the threshold, "
    "and no paid tool pays") {
    SimulatedApi api;
    const std::string image = rgb_png_base64(64, 64);
    const std::vector<std::pair<std::string, Json>> paid_calls = {
        {"create_inference", images(1)},
        {"create_inference",
         [] {
             auto job = images(1);
             job["async"] = true;
             return job;
         }()},
        {"start_inference_job", images(1)},
        {"run_edit_tool", {{"tool_id", "image_edit"}, {"input_image", image}, {"prompt", "a hat"}}},
        {"edit_image", {{"prompt", "add a hat"}, {"input_image", image}}},
    };
    for (auto& caller : every_way_in(api, kTestKey, {"--confirm-above", "0.05"})) {
        CAPTURE(caller->name());
        for (const auto& [tool, arguments] : paid_calls) {
            CAPTURE(tool);
            auto refused = caller->call_tool(tool, arguments);
            CHECK(is_error(refused));
            CHECK(says(refused, "Not sent, nothing was charged"));
            CHECK(says(refused, "cannot ask the user"));
            CHECK(says(refused, "--confirm-above"));
        }
        // A free edit tool is below any threshold: it runs.
        auto free_run = caller->call_tool(
            "run_edit_tool",
            {{"tool_id", "rotate"}, {"input_image", image}, {"rotation_degrees", 90}});
        CHECK_MESSAGE(!is_error(free_run), free_run.dump().substr(0, 400));
    }
    CHECK(charged(api) == 0);
}

TEST_CASE("the Tasks path is guarded as the direct one") {
    SimulatedApi api;
    auto callers = every_way_in(api, kTestKey, {"--confirm-above", "0.05"});
    for (auto& caller : callers) {
        if (!caller->modern()) continue;
        CAPTURE(caller->name());
        auto reply = caller->request(
            "tools/call",
            {{"_meta", modern_meta({{"io.modelcontextprotocol/clientCapabilities",
                                     {{"extensions",
                                       {{"io.modelcontextprotocol/tasks", Json::object()}}}}}})},
             {"name", "create_inference"},
             {"arguments", images(1)}});
        REQUIRE(reply.contains("result"));
        CHECK(reply["result"].value("resultType", "") == "complete");
        CHECK(says(reply["result"], "cannot ask the user"));
    }
    CHECK(charged(api) == 0);
}

TEST_CASE("over stdio a call above $1.00 needs confirmation by default; over HTTP it does not") {
    SimulatedApi api;
    // No --confirm-above and no RD_CONFIRM_ABOVE: each transport's own default.
    for (auto& caller : every_way_in(api, kTestKey, {}, {{"RD_CONFIRM_ABOVE", ""}})) {
        CAPTURE(caller->name());
        const double before = charged(api);
        auto result = caller->call_tool("create_inference", kDearBatch);
        if (caller->name().rfind("stdio", 0) == 0) {
            CHECK(says(result, "$1.580"));
            CHECK(says(result, "above the $1.000 that needs the user's confirmation"));
            CHECK(charged(api) == doctest::Approx(before));
        } else {
            CHECK_MESSAGE(!is_error(result), result.dump().substr(0, 400));
            CHECK(charged(api) == doctest::Approx(before + 1.58));
        }
    }
}

TEST_CASE(
    "2026-07-28: the human confirms through MRTR; the confirmation holds for that call "
    "alone") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api, kTestKey, {"--confirm-above", "0.1"})) {
        if (!caller->modern()) continue;
        CAPTURE(caller->name());
        const double before = charged(api);

        auto asked = modern_call(*caller, "create_inference", images(1));
        REQUIRE(asked["resultType"] == "input_required");
        const auto& request = asked["inputRequests"]["confirm_spend"];
        CHECK(request["method"] == "elicitation/create");
        const auto message = request["params"]["message"].get<std::string>();
        CHECK(message.find("$0.180") != std::string::npos);
        CHECK(message.find("rd_pro__default") != std::string::npos);
        const auto state = asked["requestState"].get<std::string>();
        CHECK(charged(api) == doctest::Approx(before));

        // Declined or cancelled: nothing is paid.
        auto declined = modern_call(*caller, "create_inference", images(1),
                                    answered(state, {{"action", "decline"}}));
        CHECK(says(declined, "the user declined"));
        auto cancelled = modern_call(*caller, "create_inference", images(1),
                                     answered(state, {{"action", "cancel"}}));
        CHECK(says(cancelled, "cancelled"));
        // Bound to exactly these arguments, and to what the server signed.
        auto other = modern_call(*caller, "create_inference", images(2),
                                 answered(state, {{"action", "accept"}}));
        CHECK(says(other, "other arguments"));
        std::string forged = state;
        forged[forged.size() / 2] = forged[forged.size() / 2] == 'x' ? 'y' : 'x';
        auto altered = modern_call(*caller, "create_inference", images(1),
                                   answered(forged, {{"action", "accept"}}));
        CHECK(says(altered, "does not hold for this call"));
        CHECK(charged(api) == doctest::Approx(before));

        auto paid =
            modern_call(*caller, "create_inference", images(1),
                        answered(state, {{"action", "accept"}, {"content", {{"approve", true}}}}));
        REQUIRE_MESSAGE(!is_error(paid), paid.dump().substr(0, 600));
        CHECK(paid["resultType"] == "complete");
        CHECK(charged(api) == doctest::Approx(before + 0.18));

        // The same confirmation again is a replay.
        auto replayed = modern_call(*caller, "create_inference", images(1),
                                    answered(state, {{"action", "accept"}}));
        CHECK(says(replayed, "already used"));
        CHECK(charged(api) == doctest::Approx(before + 0.18));
    }
}

TEST_CASE("2026-07-28 over HTTP: a confirmation made for one key does not pass with another") {
    SimulatedApi api;
    HttpServerProcess server({"--transport", "http", "--port", "0", "--confirm-above", "0.1"},
                             {{"RD_API_BASE_URL", api.url()}});
    McpHttpClient alice(server, kTestKey);
    auto asked = alice
                     .modern("tools/call", {{"_meta", eliciting_meta()},
                                            {"name", "create_inference"},
                                            {"arguments", images(1)}})
                     .response();
    REQUIRE(asked["result"]["resultType"] == "input_required");
    const auto state = asked["result"]["requestState"].get<std::string>();

    McpHttpClient bob(server, kSecondTestKey);
    Json params = {
        {"_meta", eliciting_meta()}, {"name", "create_inference"}, {"arguments", images(1)}};
    params.update(answered(state, {{"action", "accept"}}));
    auto stolen = bob.modern("tools/call", params).response();
    CHECK(says(stolen["result"], "another key"));
    CHECK(charged(api) == 0);
}

TEST_CASE(
    "2025-11-25 over stdio: the human is asked with elicitation/create in the middle of the "
    "call") {
    SimulatedApi api;
    McpStdioClient client({"--confirm-above", "0.1"},
                          {{"RD_API_BASE_URL", api.url()}, {"RD_API_KEY", kTestKey}});
    client.initialize("2025-11-25", {{"elicitation", Json::object()}});
    Json answer = {{"action", "accept"}, {"content", {{"approve", true}}}};
    client.on_server_request([&](const Json& request) {
        CHECK(request["method"] == "elicitation/create");
        return answer;
    });
    auto call = [&] {
        auto reply =
            client.request("tools/call", {{"name", "create_inference"}, {"arguments", images(1)}},
                           std::chrono::seconds(60));
        REQUIRE(reply.contains("result"));
        return reply["result"];
    };
    auto paid = call();
    REQUIRE_MESSAGE(!is_error(paid), paid.dump().substr(0, 600));
    REQUIRE(client.server_requests().size() == 1);
    CHECK(client.server_requests()[0]["params"]["message"].get<std::string>().find("$0.180") !=
          std::string::npos);
    CHECK(charged(api) == doctest::Approx(0.18));

    answer = {{"action", "decline"}};
    CHECK(says(call(), "the user declined"));
    answer = {{"action", "cancel"}};
    CHECK(says(call(), "cancelled"));
    answer = {{"action", "accept"}, {"content", {{"approve", false}}}};
    CHECK(says(call(), "the user declined"));
    CHECK(client.server_requests().size() == 4);
    CHECK(charged(api) == doctest::Approx(0.18));
}

TEST_CASE("2025-11-25 over HTTP: elicitation/create rides the call's stream, answered by POST") {
    SimulatedApi api;
    HttpServerProcess server({"--transport", "http", "--port", "0", "--confirm-above", "0.1"},
                             {{"RD_API_BASE_URL", api.url()}});
    McpHttpClient client(server, kTestKey);
    REQUIRE(client.initialize("2025-11-25", {{"elicitation", Json::object()}}).status == 200);
    client.legacy_notify("notifications/initialized");
    Json answer = {{"action", "accept"}};
    int asked = 0;
    auto call = [&] {
        auto reply = client.legacy_answering(
            "tools/call", {{"name", "create_inference"}, {"arguments", images(1)}},
            [&](const Json& request) {
                ++asked;
                CHECK(request["method"] == "elicitation/create");
                return answer;
            });
        REQUIRE(reply.status == 200);
        return reply.response()["result"];
    };
    auto paid = call();
    CHECK_MESSAGE(!is_error(paid), paid.dump().substr(0, 600));
    CHECK(asked == 1);
    CHECK(charged(api) == doctest::Approx(0.18));
    answer = {{"action", "decline"}};
    CHECK(says(call(), "the user declined"));
    CHECK(asked == 2);
    CHECK(charged(api) == doctest::Approx(0.18));
}

TEST_CASE("calls racing for the last part of a budget cannot both pass") {
    SimulatedApi api;
    api.configure({{"latency_ms", 300}});
    HttpServerProcess server({"--transport", "http", "--port", "0", "--budget", "0.40"},
                             {{"RD_API_BASE_URL", api.url()}});
    std::atomic<int> paid{0}, refused{0};
    {
        ThreadGroup threads;
        for (int i = 0; i < 6; ++i) {
            threads.spawn([&] {
                McpHttpClient client(server, kTestKey);
                auto result =
                    client.modern_tool("create_inference", images(1)).response()["result"];
                if (result.value("isError", false)) {
                    ++refused;
                } else {
                    ++paid;
                }
            });
        }
    }
    CHECK(paid.load() == 2);
    CHECK(refused.load() == 4);
    CHECK(charged(api) == doctest::Approx(0.36));
}
