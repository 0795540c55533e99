// run_edit_tool's fields and the API's error classes: every tool with every one of its fields
// reaches the API exactly as given, and each class of error the API answers says what to do,
// with a paid run never sent a second time.
#include <doctest/doctest.h>

#include "tests/support/mcp_callers.h"
#include "tests/support/test_images.h"
#include "tests/support/tool_results.h"

using namespace rdmcp::testing;

namespace {

const std::string kOpaqueImage = rgb_png_base64(64, 64);
const std::string kLeftHalfMask = rgba_png_base64(64, 64, rectangle(0, 0, 32, 64));
const std::string kPalette = rgb_png_base64(16, 16);

// Every tool with all of its documented fields set to a value other than its default.
const std::vector<Json> kEveryField = {
    {{"tool_id", "image_edit"}, {"prompt", "add a tiny wizard hat"}, {"seed", 11}},
    {{"tool_id", "inpainting"},
     {"mask_image", kLeftHalfMask},
     {"prompt", "a red gem"},
     {"seed", 12},
     {"soft_inpaint", true}},
    {{"tool_id", "outpainting"},
     {"expand_left", 8},
     {"expand_right", 16},
     {"expand_top", 4},
     {"expand_bottom", 2},
     {"prompt", "more forest"},
     {"seed", 13},
     {"soft_inpaint", true}},
    {{"tool_id", "seam_tiling"},
     {"tile_x", false},
     {"tile_y", true},
     {"seam_width", 6},
     {"repair_window_size", 24},
     {"seed", 14}},
    {{"tool_id", "background_remover"},
     {"force_solid_pixels", false},
     {"transparency_threshold", 90}},
    {{"tool_id", "color_style_transfer"}, {"extra_input_image", kPalette}},
    {{"tool_id", "color_reducer"},
     {"color_count", 8},
     {"dither_mode", "bayer_2x2"},
     {"dither_strength", 3}},
    {{"tool_id", "palette_converter"},
     {"input_palette", kPalette},
     {"dither_mode", "bayer_8x8"},
     {"dither_strength", 40}},  // the older 0..100 scale
    {{"tool_id", "k_centroid_downscale"}, {"width", 32}, {"height", 16}},
    {{"tool_id", "pixel_correction"}, {"custom_id", "cleanup-7"}},
    {{"tool_id", "rotate"}, {"rotation_degrees", 270}},
};

// The one POST that ran the tool (at once, or as a task).
Json run_request(SimulatedApi& api, const std::string& tool) {
    for (const auto& request : api.requests()) {
        const std::string path = request["path"];
        if (request["method"] == "POST" &&
            (path == "/v2/edit/tools/" + tool || path == "/v2/edit/tools/" + tool + "/tasks")) {
            return request;
        }
    }
    FAIL("no run of " << tool);
    return nullptr;
}

}  // namespace

TEST_CASE("run_edit_tool: every tool with every field, as given, every way in") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 100}});
    for (auto& caller : every_way_in(api, kTestKey, {"--api-version", "v2"})) {
        CAPTURE(caller->name());
        for (const auto& fields : kEveryField) {
            const std::string tool = fields["tool_id"];
            CAPTURE(tool);
            api.clear_requests();
            Json arguments = fields;
            arguments["input_image"] = kOpaqueImage;
            auto run = caller->call_tool("run_edit_tool", arguments);
            REQUIRE_MESSAGE(!run.contains("isError"), run.dump());
            CHECK(says(run, "Ran " + tool));
            const Json body = run_request(api, tool)["body"];
            for (const auto& [name, value] : fields.items()) {
                if (name == "tool_id") continue;
                CHECK_MESSAGE(body[name] == value, name);
            }
            CHECK(body["input_image"] == kOpaqueImage);
        }
    }
}

TEST_CASE("run_edit_tool: upload_outputs hands on the API's links instead of fetching them") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 100}});
    for (auto& caller : every_way_in(api, kTestKey, {"--api-version", "v2"})) {
        CAPTURE(caller->name());
        const double charged_before = charged(api);
        auto run = caller->call_tool("run_edit_tool", {{"tool_id", "image_edit"},
                                                       {"input_image", kOpaqueImage},
                                                       {"prompt", "a hat"},
                                                       {"upload_outputs", true}});
        REQUIRE_MESSAGE(!run.contains("isError"), run.dump());
        bool linked = false, inlined = false;
        for (const auto& block : run["content"]) {
            inlined = inlined || block["type"] == "image";
            linked = linked ||
                     (block["type"] == "resource_link" &&
                      block["uri"].get<std::string>().find("/_sim/outputs/") != std::string::npos);
        }
        CHECK(linked);
        CHECK_FALSE(inlined);
        CHECK(charged(api) == doctest::Approx(charged_before + 0.18));
    }
}

TEST_CASE("run_edit_tool: each error class from the API says what to do; paid runs go once") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api, kTestKey, {"--api-version", "v2"})) {
        CAPTURE(caller->name());
        const double charged_before = charged(api);
        struct Case {
            Json fault;
            std::string expected;
        };
        const std::vector<Case> cases = {
            {{{"status", 400},
              {"body", {{"error", {{"code", "invalid_color_count"}, {"message", "Bad count."}}}}}},
             "nothing was charged"},
            {{{"status", 401},
              {"body", {{"error", {{"code", "invalid_token"}, {"message", "Invalid token."}}}}}},
             "rejected the API key"},
            {{{"status", 402},
              {"body", {{"error", {{"code", "not_enough_balance"}, {"message", "Not enough."}}}}}},
             "balance is too low"},
            {{{"status", 404},
              {"body", {{"error", {{"code", "tool_not_found"}, {"message", "Disabled."}}}}}},
             "does not know"},
            {{{"status", 413},
              {"body", {{"error", {{"code", "image_too_large"}, {"message", "Too big."}}}}}},
             "too large"},
            {{{"status", 429}, {"retry_after", 9}}, "wait 9 seconds"},
            {{{"status", 500},
              {"body", {{"error", {{"code", "edit_tool_failed"}, {"message", "Failed."}}}}}},
             "not sent twice automatically"},
            {{{"status", 503}}, "not sent twice automatically"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.fault.dump());
            api.clear_requests();
            Json fault = c.fault;
            fault["path_prefix"] = "/v2/edit/tools/background_remover";
            fault["method"] = "POST";
            api.fail_next(fault);
            auto failed = caller->call_tool("run_edit_tool", {{"tool_id", "background_remover"},
                                                              {"input_image", kOpaqueImage}});
            CHECK(failed["isError"] == true);
            CHECK_MESSAGE(says(failed, c.expected), text(failed));
            CHECK(api.requests_to("POST", "/v2/edit/tools/background_remover").size() == 1);
            CHECK(charged(api) == doctest::Approx(charged_before));  // refused before any charge
        }
    }
}

TEST_CASE(
    "run_edit_tool: a hosted result at a plain-http address elsewhere is linked, not fetched") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api, kTestKey, {"--api-version", "v2"})) {
        CAPTURE(caller->name());
        const std::string elsewhere = "http://storage.invalid/outputs/cut-out.png";
        api.fail_next({{"path_prefix", "/v2/edit/tools/background_remover"},
                       {"method", "POST"},
                       {"status", 200},
                       {"body",
                        {{"tool_id", "background_remover"},
                         {"base64_images", Json::array()},
                         {"output_urls", {elsewhere}},
                         {"balance_cost", 0.01},
                         {"charged", true},
                         {"remaining_balance", 99.99}}}});
        auto run = caller->call_tool(
            "run_edit_tool", {{"tool_id", "background_remover"}, {"input_image", kOpaqueImage}});
        // Paid for, so never dropped: handed on as the link the API gave, with the reason.
        REQUIRE_MESSAGE(!run.contains("isError"), run.dump());
        CHECK(says(run, "not https"));
        bool linked = false;
        for (const auto& block : run["content"]) {
            CHECK(block["type"] != "image");
            linked = linked || (block["type"] == "resource_link" && block["uri"] == elsewhere);
        }
        CHECK(linked);
    }
}
