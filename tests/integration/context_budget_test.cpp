// What every conversation pays for: tools/list with every tool stays within a context budget of
// 24,000 bytes (about 6,000 tokens), every way in, and what was moved out of it to get there
// stays reachable: each tool's outputSchema on request (--output-schemas), an edit tool's
// fields in list_edit_tools and in the error for a wrong one, the style icons in theirs.
#include <doctest/doctest.h>

#include "tests/support/mcp_callers.h"
#include "tests/support/test_images.h"

using namespace rdmcp::testing;

namespace {

constexpr std::size_t kToolsListBudgetBytes = 24000;
constexpr std::size_t kEveryTool = 35;

const std::string kImage = rgb_png_base64(32, 32);

}  // namespace

TEST_CASE("tools/list with every tool fits 24,000 bytes, without output schemas by default") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api)) {
        CAPTURE(caller->name());
        const auto listing = caller->request("tools/list");
        const auto& tools = listing["result"]["tools"];
        CHECK(tools.size() == kEveryTool);
        const std::size_t bytes = listing["result"].dump().size();
        CAPTURE(bytes);
        CHECK(bytes < kToolsListBudgetBytes);
        for (const auto& tool : tools) {
            CAPTURE(tool["name"]);
            CHECK_FALSE(tool.contains("outputSchema"));
            CHECK(tool["inputSchema"]["type"] == "object");
            CHECK_FALSE(tool["description"].get<std::string>().empty());
            // Hints are listed only where they differ from the spec's defaults.
            const Json hints = tool.value("annotations", Json::object());
            for (const auto& [hint, value] : hints.items()) {
                CAPTURE(hint);
                CHECK(hint != "title");
                if (hint == "readOnlyHint" || hint == "idempotentHint") CHECK(value == true);
                if (hint == "destructiveHint" || hint == "openWorldHint") CHECK(value == false);
            }
        }
    }
}

TEST_CASE("--output-schemas lists every tool's outputSchema, for clients that type results") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api, kTestKey, {"--output-schemas"})) {
        CAPTURE(caller->name());
        const auto listing = caller->request("tools/list");
        REQUIRE(listing["result"]["tools"].size() == kEveryTool);
        for (const auto& tool : listing["result"]["tools"]) {
            CAPTURE(tool["name"]);
            CHECK(tool.value("outputSchema", Json::object()).value("type", "") == "object");
        }
        CHECK(listing["result"].dump().size() > 2 * kToolsListBudgetBytes);
    }
}

TEST_CASE("an edit tool's fields, left out of run_edit_tool's schema, are listed and named") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api)) {
        CAPTURE(caller->name());
        api.clear_requests();
        const auto listed = caller->call_tool("list_edit_tools", {{"tool_id", "color_reducer"}});
        REQUIRE_FALSE(listed.value("isError", false));
        CHECK(listed["structuredContent"].dump().find("color_count") != std::string::npos);

        // A field of another tool: refused before anything is sent, naming the right ones.
        const auto refused = caller->call_tool(
            "run_edit_tool",
            {{"tool_id", "color_reducer"}, {"input_image", kImage}, {"expand_left", 8}});
        CHECK(refused.value("isError", false));
        const std::string text = refused["content"][0]["text"];
        CHECK(text.find("'expand_left' is not a field of color_reducer") != std::string::npos);
        CHECK(text.find("color_count") != std::string::npos);
        CHECK(api.requests_to("POST", "/v1/edit/tools/color_reducer").empty());
    }
}

TEST_CASE("a style_icon the web app lacks is refused before the API, naming the icons") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api)) {
        CAPTURE(caller->name());
        api.clear_requests();
        const auto refused =
            caller->call_tool("create_user_style", {{"name", "Moody"}, {"style_icon", "unicorn"}});
        CHECK(refused.value("isError", false));
        const std::string text = refused["content"][0]["text"];
        CHECK(text.find("'style_icon' must be one of") != std::string::npos);
        CHECK(text.find("sparkles") != std::string::npos);
        CHECK(text.find("hand-back-fist") != std::string::npos);
        CHECK(api.requests_to("POST", "/v1/styles").empty());

        const auto made =
            caller->call_tool("create_user_style", {{"name", "Moody"}, {"style_icon", "dragon"}});
        CHECK_FALSE(made.value("isError", false));
        CHECK(api.requests_to("POST", "/v1/styles").size() == 1);
    }
}

TEST_CASE("start_inference_job lists create_inference's core arguments but checks them all") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api)) {
        CAPTURE(caller->name());
        api.clear_requests();
        const auto listing = caller->request("tools/list");
        for (const auto& tool : listing["result"]["tools"]) {
            if (tool["name"] == "start_inference_job")
                CHECK_FALSE(tool["inputSchema"]["properties"].contains("strength"));
        }
        // Checked against the whole schema all the same: refused, nothing sent, nothing charged.
        const auto refused =
            caller->call_tool("start_inference_job", {{"prompt", "a knight"},
                                                      {"prompt_style", "rd_fast__default"},
                                                      {"width", 64},
                                                      {"height", 64},
                                                      {"strength", 1.5}});
        CHECK(refused.value("isError", false));
        CHECK(refused["content"][0]["text"].get<std::string>().find("strength") !=
              std::string::npos);
        CHECK(api.requests_to("POST", "/v1/inferences").empty());
        CHECK(api.ledger()["entries"].empty());
    }
}
