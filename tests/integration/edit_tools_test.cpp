// The canvas edit tools end to end against rd-sim: list_edit_tools (the public catalog, cached,
// the documented tools when it is down), estimate_edit_tool_cost (free, the very body a run
// sends), run_edit_tool (quick tools at once, slow ones as tasks keyed by custom_id, charged
// once whatever happens to the answers) and every rule that refuses a call before it is paid.
#include <doctest/doctest.h>

#include "tests/support/mcp_callers.h"
#include "tests/support/test_images.h"
#include "tests/support/tool_results.h"

using namespace rdmcp::testing;

namespace {

// Every request to an edit tool path that could run or charge something.
std::vector<Json> edit_posts(SimulatedApi& api) {
    std::vector<Json> posts;
    for (const auto& request : api.requests()) {
        const std::string path = request["path"];
        if (request["method"] == "POST" && path.find("/edit/tools/") != std::string::npos) {
            posts.push_back(request);
        }
    }
    return posts;
}

const std::string kImage = rgb_png_base64(64, 64);
const std::string kMask = rgba_png_base64(64, 64, rectangle(16, 16, 48, 48));

bool has_image(const Json& result) {
    for (const auto& block : result["content"]) {
        if (block["type"] == "image") return true;
    }
    return false;
}

// A short upstream timeout keeps a lost answer from holding a test up.
std::vector<std::string> args_for(const char* version) {
    return {"--api-version", version, "--upstream-timeout", "5"};
}

}  // namespace

TEST_CASE("list_edit_tools: the live catalog a line per tool, asked without a key, cached") {
    SimulatedApi api;
    for (const char* version : {"v2", "v1"}) {
        for (auto& caller : every_way_in(api, "", args_for(version))) {
            CAPTURE(version);
            CAPTURE(caller->name());
            api.clear_requests();
            auto listed = caller->call_tool("list_edit_tools", Json::object());
            REQUIRE_MESSAGE(!listed.contains("isError"), listed.dump());
            const auto& structured = listed["structuredContent"];
            CHECK(structured["source"] == "api");
            CHECK(structured["tools"].size() == 11);
            CHECK(says(listed, "- background_remover ($0.010)"));
            CHECK(says(listed, "prompt*"));  // a required field, marked
            bool inpainting_mask_required = false;
            for (const auto& tool : structured["tools"]) {
                if (tool["id"] != "inpainting") continue;
                for (const auto& field : tool["fields"]) {
                    inpainting_mask_required = inpainting_mask_required ||
                                               (field["name"] == "mask_image" && field["required"]);
                }
            }
            CHECK(inpainting_mask_required);
            auto one = caller->call_tool("list_edit_tools", {{"tool_id", "rotate"}});
            CHECK(one["structuredContent"]["tools"].size() == 1);
            // One catalog request for both calls, without the (absent) key.
            const auto asked = api.requests_to("GET", std::string("/") + version + "/edit/tools");
            REQUIRE(asked.size() == 1);
            CHECK(asked[0]["headers"].value("x-rd-token", "") == "");
        }
    }
}

TEST_CASE("list_edit_tools: the documented tools, and why, when the catalog cannot be read") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api, kTestKey, args_for("v1"))) {
        CAPTURE(caller->name());
        api.clear_requests();
        api.fail_next({{"path_prefix", "/v1/edit/tools"}, {"status", 503}, {"count", 1000}});
        auto listed = caller->call_tool("list_edit_tools", Json::object());
        REQUIRE_MESSAGE(!listed.contains("isError"), listed.dump());
        CHECK(listed["structuredContent"]["source"] == "documented");
        CHECK(listed["structuredContent"]["tools"].size() == 11);
        CHECK(says(listed, "could not be read"));
        // A run is still checked against the documented rules and refused before anything is
        // sent.
        auto refused = caller->call_tool("run_edit_tool",
                                         {{"tool_id", "image_edit"}, {"input_image", kImage}});
        CHECK(refused["isError"] == true);
        CHECK(says(refused, "requires 'prompt'"));
        api.clear_faults();
        CHECK(edit_posts(api).empty());
    }
}

TEST_CASE("list_edit_tools: a catalog too slow to answer is not waited for") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api, kTestKey, {"--upstream-timeout", "1"})) {
        CAPTURE(caller->name());
        api.fail_next({{"path_prefix", "/v1/edit/tools"},
                       {"method", "GET"},
                       {"status", 200},
                       {"delay_ms", 8000},
                       {"count", 2}});  // the read and its one retry
        auto listed = caller->call_tool("list_edit_tools", Json::object());
        REQUIRE_MESSAGE(!listed.contains("isError"), listed.dump());
        CHECK(listed["structuredContent"]["source"] == "documented");
        // Given up on, not waited for: the documented tools stand in.
        CHECK(says(listed, "in time"));
        api.clear_faults();
    }
}

TEST_CASE("estimate_edit_tool_cost: free, and it prices the very body a run sends") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api, kTestKey, args_for("v1"))) {
        CAPTURE(caller->name());
        api.clear_requests();
        const double before = charged(api);
        const Json arguments = {{"tool_id", "background_remover"},
                                {"input_image", "data:image/png;base64," + kImage},
                                {"transparency_threshold", 30}};
        auto price = caller->call_tool("estimate_edit_tool_cost", arguments);
        REQUIRE_MESSAGE(!price.contains("isError"), price.dump());
        CHECK(price["structuredContent"]["balance_cost"] == doctest::Approx(0.01));
        CHECK(price["structuredContent"]["estimate_seconds"].get<double>() > 0);
        CHECK(says(price, "costs $0.010"));
        CHECK(charged(api) == doctest::Approx(before));

        auto run = caller->call_tool("run_edit_tool", arguments);
        REQUIRE_MESSAGE(!run.contains("isError"), run.dump());
        const auto estimates =
            api.requests_to("POST", "/v1/edit/tools/background_remover/estimate");
        const auto runs = api.requests_to("POST", "/v1/edit/tools/background_remover");
        REQUIRE(estimates.size() == 1);
        REQUIRE(runs.size() == 1);
        CHECK(estimates[0]["body"] == runs[0]["body"]);
        CHECK(runs[0]["body"]["input_image"] == kImage);  // the data: prefix stripped
        CHECK(charged(api) == doctest::Approx(before + 0.01));
    }
}

TEST_CASE("run_edit_tool: a quick tool runs at once and is charged once, every way in") {
    SimulatedApi api;
    for (const char* version : {"v2", "v1"}) {
        for (auto& caller : every_way_in(api, kTestKey, args_for(version))) {
            CAPTURE(version);
            CAPTURE(caller->name());
            api.clear_requests();
            const double before = charged(api);
            auto run = caller->call_tool(
                "run_edit_tool", {{"tool_id", "background_remover"}, {"input_image", kImage}});
            REQUIRE_MESSAGE(!run.contains("isError"), run.dump());
            CHECK(has_image(run));
            CHECK(says(run, "Ran background_remover on the 64x64 image"));
            CHECK(says(run, "Cost $0.010"));
            CHECK(says(run, "Remaining balance"));
            CHECK(charged(api) == doctest::Approx(before + 0.01));
            CHECK(edit_posts(api).size() == 1);
            if (std::string(version) == "v2") {
                // Recovered for free by its request id, as API Activity keeps it for 24 hours.
                const std::string id = run["structuredContent"]["request_id"];
                auto recovered = caller->call_tool("get_inference_result", {{"request_id", id}});
                REQUIRE_MESSAGE(!recovered.contains("isError"), recovered.dump());
                CHECK(has_image(recovered));
                CHECK(recovered["structuredContent"]["operation"] == "edit_tool");
                CHECK(charged(api) == doctest::Approx(before + 0.01));
            }
        }
    }
}

TEST_CASE("run_edit_tool: slow tools run as tasks keyed by custom_id; their links are fetched") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 300}});
    for (const char* version : {"v2", "v1"}) {
        for (auto& caller : every_way_in(api, kTestKey, args_for(version))) {
            CAPTURE(version);
            CAPTURE(caller->name());
            api.clear_requests();
            const double before = charged(api);
            auto run = caller->call_tool("run_edit_tool", {{"tool_id", "inpainting"},
                                                           {"input_image", kImage},
                                                           {"mask_image", kMask},
                                                           {"prompt", "a red gem"},
                                                           {"seed", 5}});
            REQUIRE_MESSAGE(!run.contains("isError"), run.dump());
            CHECK(has_image(run));  // fetched from output_urls, inline within the budget
            const std::string prefix = std::string("/") + version;
            const auto admissions =
                api.requests_to("POST", prefix + "/edit/tools/inpainting/tasks");
            REQUIRE(admissions.size() == 1);
            CHECK(admissions[0]["body"]["custom_id"].get<std::string>().size() > 8);
            CHECK(admissions[0]["body"]["mask_image"] == kMask);
            CHECK(admissions[0]["headers"].value("idempotency-key", "") == "");  // not for edits
            CHECK(api.requests_to("POST", prefix + "/edit/tools/inpainting").empty());
            CHECK(charged(api) == doctest::Approx(before + 0.18));
        }
    }
}

TEST_CASE("run_edit_tool: the same custom_id returns the first run instead of paying again") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 200}});
    int caller_number = 0;
    for (auto& caller : every_way_in(api, kTestKey, args_for("v2"))) {
        CAPTURE(caller->name());
        const double before = charged(api);
        const Json arguments = {{"tool_id", "outpainting"},
                                {"input_image", kImage},
                                {"expand_right", 32},
                                {"custom_id", "level-1-widen-" + std::to_string(++caller_number)}};
        auto first = caller->call_tool("run_edit_tool", arguments);
        REQUIRE_MESSAGE(!first.contains("isError"), first.dump());
        CHECK(says(first, "Ran outpainting"));
        auto again = caller->call_tool("run_edit_tool", arguments);
        REQUIRE_MESSAGE(!again.contains("isError"), again.dump());
        CHECK(charged(api) == doctest::Approx(before + 0.18));
    }
    CHECK(api.ledger()["entries"].size() == 4);  // one charge per caller
}

TEST_CASE("run_edit_tool: a lost task admission is asked again with its custom_id, charged once") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 200}});
    for (auto& caller : every_way_in(api, kTestKey, args_for("v2"))) {
        CAPTURE(caller->name());
        api.clear_requests();
        const double before = charged(api);
        api.fail_after_admission(
            {{"path_prefix", "/v2/edit/tools/image_edit/tasks"}, {"status", 503}});
        auto run = caller->call_tool(
            "run_edit_tool",
            {{"tool_id", "image_edit"}, {"input_image", kImage}, {"prompt", "add a wizard hat"}});
        REQUIRE_MESSAGE(!run.contains("isError"), run.dump());
        const auto admissions = api.requests_to("POST", "/v2/edit/tools/image_edit/tasks");
        REQUIRE(admissions.size() == 2);
        CHECK(admissions[0]["body"]["custom_id"] == admissions[1]["body"]["custom_id"]);
        CHECK(charged(api) == doctest::Approx(before + 0.18));
    }
}

TEST_CASE("run_edit_tool: a failed task says so, is refunded, and points at a new custom_id") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 100}});
    for (auto& caller : every_way_in(api)) {
        CAPTURE(caller->name());
        const double charged_before = charged(api), refunded_before = refunded(api);
        auto failed = caller->call_tool(
            "run_edit_tool",
            {{"tool_id", "image_edit"}, {"input_image", kImage}, {"prompt", "FAILME please"}});
        CHECK(failed["isError"] == true);
        CHECK(says(failed, "failed upstream"));
        CHECK(says(failed, "new custom_id"));
        CHECK(charged(api) == doctest::Approx(charged_before + 0.18));
        CHECK(refunded(api) == doctest::Approx(refunded_before + 0.18));
    }
}

TEST_CASE("run_edit_tool: every documented rule refuses the call before anything is sent") {
    SimulatedApi api;
    const std::string animated = gif_base64(32, 32, 3);
    const std::vector<std::pair<Json, std::string>> refusals = {
        {{{"tool_id", "sharpen"}, {"input_image", kImage}}, "no edit tool 'sharpen'"},
        {{{"tool_id", "image_edit"}, {"input_image", kImage}}, "requires 'prompt'"},
        {{{"tool_id", "inpainting"}, {"input_image", kImage}, {"prompt", "gem"}},
         "requires 'mask_image'"},
        {{{"tool_id", "inpainting"},
          {"input_image", kImage},
          {"prompt", "gem"},
          {"mask_image", rgba_png_base64(32, 32, rectangle(0, 0, 4, 4))}},
         "exact size (64x64), got 32x32"},
        {{{"tool_id", "inpainting"},
          {"input_image", kImage},
          {"prompt", "gem"},
          {"mask_image", rgba_png_base64(64, 64, [](int, int) { return 0; })}},
         "selects no pixel"},
        {{{"tool_id", "outpainting"}, {"input_image", kImage}}, "at least one positive"},
        {{{"tool_id", "seam_tiling"}, {"input_image", kImage}, {"tile_x", false}}, "tile_y"},
        {{{"tool_id", "color_reducer"}, {"input_image", kImage}, {"dither_mode", "floyd"}},
         "bayer_4x4"},
        {{{"tool_id", "color_reducer"}, {"input_image", kImage}, {"dither_strength", 500}},
         "between 0 and 100"},
        {{{"tool_id", "image_edit"}, {"input_image", rgb_png_base64(300, 300)}, {"prompt", "x"}},
         "256 pixels a side"},
        {{{"tool_id", "background_remover"}, {"input_image", animated}}, "animated GIF"},
        {{{"tool_id", "rotate"}, {"input_image", kImage}, {"prompt", "x"}},
         "not a field of rotate"},
        {{{"tool_id", "rotate"}, {"input_image", kImage}, {"async", true}},
         "not an edit tool field"},
        {{{"tool_id", "rotate"}, {"input_image", kImage}, {"maskImage", kMask}}, "snake_case"},
        {{{"tool_id", "rotate"}, {"input_image", "not an image"}}, "input_image"},
    };
    for (auto& caller : every_way_in(api, kTestKey, args_for("v2"))) {
        CAPTURE(caller->name());
        api.clear_requests();
        for (const auto& [arguments, expected] : refusals) {
            CAPTURE(arguments["tool_id"]);
            for (const char* tool : {"run_edit_tool", "estimate_edit_tool_cost"}) {
                auto refused = caller->call_tool(tool, arguments);
                CHECK(refused["isError"] == true);
                CHECK_MESSAGE(says(refused, expected), text(refused));
                // The inputSchema's enum turns an unknown dither_mode away even before the tool.
                if (arguments.value("dither_mode", "") != "floyd") {
                    CHECK(says(refused, "Nothing was charged"));
                }
            }
        }
        CHECK(edit_posts(api).empty());
    }
    CHECK(charged(api) == 0);
}

TEST_CASE("run_edit_tool: an opaque mask runs with a warning; unknown fields pass through") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 100}});
    for (auto& caller : every_way_in(api)) {
        CAPTURE(caller->name());
        api.clear_requests();
        const double before = charged(api);
        auto opaque = caller->call_tool("run_edit_tool", {{"tool_id", "inpainting"},
                                                          {"input_image", kImage},
                                                          {"prompt", "gem"},
                                                          {"mask_image", rgb_png_base64(64, 64)}});
        REQUIRE_MESSAGE(!opaque.contains("isError"), opaque.dump());
        CHECK(says(opaque, "selects every pixel"));
        CHECK(charged(api) == doctest::Approx(before + 0.18));

        auto passed = caller->call_tool(
            "run_edit_tool",
            {{"tool_id", "color_reducer"}, {"input_image", kImage}, {"dithering", true}});
        REQUIRE_MESSAGE(!passed.contains("isError"), passed.dump());
        const auto runs = api.requests_to("POST", "/v1/edit/tools/color_reducer");
        REQUIRE(runs.size() == 1);
        CHECK(runs[0]["body"]["dithering"] == true);
    }
}
