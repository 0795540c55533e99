// The generation tools end to end over stdio against rd-sim: every documented field reaches the
// API unchanged, every local rule rejects before anything is sent, every error class reads well.
#include <doctest/doctest.h>

#include "tests/support/generation_harness.h"

using namespace rdmcp::testing;
using namespace std::chrono_literals;

TEST_CASE("every documented field reaches the API unchanged, unknown fields pass through") {
    Harness h;
    const std::string reference = h.png(32, 32);
    Json arguments = {{"prompt", "a raven with a glowing green eye"},
                      {"prompt_style", "rd_pro__default"},
                      {"width", 128},
                      {"height", 128},
                      {"num_images", 1},
                      {"seed", 1234},
                      {"input_image", reference},
                      {"strength", 0.8},
                      {"reference_images", {reference, "data:image/png;base64," + reference}},
                      {"input_palette", reference},
                      {"return_pre_palette", true},
                      {"remove_bg", true},
                      {"return_non_bg_removed", true},
                      {"tile_x", false},
                      {"tile_y", true},
                      {"bypass_prompt_expansion", true},
                      {"include_downloadable_data", false},
                      {"upscale_output_factor", 1},
                      {"future_upstream_field", {{"nested", true}}}};
    auto result = h.call("create_inference", arguments);
    REQUIRE_MESSAGE(!result.contains("isError"), result.dump());

    auto posts = h.inference_posts();
    REQUIRE(posts.size() == 1);
    Json sent = posts[0]["body"];
    CHECK(posts[0]["token"] == kTestKey);
    for (const char* field :
         {"prompt", "prompt_style", "width", "height", "num_images", "seed", "input_image",
          "strength", "input_palette", "return_pre_palette", "remove_bg", "return_non_bg_removed",
          "tile_x", "tile_y", "bypass_prompt_expansion", "include_downloadable_data",
          "upscale_output_factor", "future_upstream_field"}) {
        CHECK_MESSAGE(sent[field] == arguments[field], field);
    }
    // The data: prefix is stripped: the API rejects it.
    CHECK(sent["reference_images"] == Json::array({reference, reference}));

    // One generated image plus the two extras, each labelled.
    const auto& images = result["structuredContent"]["images"];
    REQUIRE(images.size() == 3);
    CHECK(images[0]["label"] == "generated");
    CHECK(images[1]["label"] == "pre_palette");
    CHECK(images[2]["label"] == "non_bg_removed");
    CHECK(images[0]["mime_type"] == "image/png");
    CHECK(images[0]["width"] == 128);
    CHECK(images[0]["height"] == 128);
    CHECK(images[0]["bytes"] > 0);
    CHECK(result["structuredContent"]["model"] == "rd_pro");
    CHECK(result["structuredContent"]["balance_cost"] == 0.18);
    CHECK(result["content"][1]["type"] == "image");
    CHECK(result["content"][1]["data"].get<std::string>().rfind("data:", 0) == std::string::npos);
}

TEST_CASE("tilesets, animations and downloadable data") {
    Harness h;
    const std::string texture = h.png(32, 32);
    auto tileset = h.call("create_inference", {{"prompt", "grey stones with gravel"},
                                               {"extra_prompt", "lush green grass"},
                                               {"prompt_style", "rd_tile__tileset_advanced"},
                                               {"width", 16},
                                               {"height", 16},
                                               {"input_image", texture},
                                               {"extra_input_image", texture}});
    REQUIRE_MESSAGE(!tileset.contains("isError"), tileset.dump());
    auto sent = h.inference_posts().back()["body"];
    CHECK(sent["extra_prompt"] == "lush green grass");
    CHECK(sent["extra_input_image"] == texture);

    auto walk = h.call("create_inference", {{"prompt", "robot"},
                                            {"prompt_style", "animation__four_angle_walking"},
                                            {"width", 48},
                                            {"height", 48},
                                            {"return_spritesheet", false}});
    REQUIRE_MESSAGE(!walk.contains("isError"), walk.dump());
    CHECK(h.inference_posts().back()["body"]["prompt_style"] == "rd_animation__four_angle_walking");
    CHECK(walk["content"][1]["mimeType"] == "image/gif");
    CHECK(walk["structuredContent"]["images"][0]["mime_type"] == "image/gif");

    auto sheet = h.call("create_inference", {{"prompt", "robot"},
                                             {"prompt_style", "rd_animation__four_angle_walking"},
                                             {"width", 48},
                                             {"height", 48},
                                             {"return_spritesheet", true}});
    CHECK(sheet["structuredContent"]["images"][0]["mime_type"] == "image/png");

    auto items = h.call("create_inference", {{"prompt", "item set for a paladin"},
                                             {"prompt_style", "rd_pro__inventory_items"},
                                             {"width", 256},
                                             {"height", 256},
                                             {"include_downloadable_data", true}});
    REQUIRE_MESSAGE(!items.contains("isError"), items.dump());
    CHECK(items["structuredContent"]["downloadable_data"].is_object());
}

TEST_CASE("every local rule rejects before anything is sent, with a corrected example") {
    Harness h;
    const std::string tile = h.png(32, 32);
    struct Case {
        const char* what;
        Json arguments;
        const char* must_mention;
    };
    const std::vector<Case> cases = {
        {"size out of the style's range",
         {{"prompt_style", "rd_fast__default"}, {"width", 32}, {"height", 32}},
         "between 64x64 and 384x384"},
        {"fixed animation size",
         {{"prompt_style", "rd_animation__small_sprites"}, {"width", 48}, {"height", 48}},
         "exactly 32x32"},
        {"vfx must be square",
         {{"prompt_style", "rd_animation__vfx"}, {"width", 48}, {"height", 64}},
         "square"},
        {"one animation per request",
         {{"prompt_style", "rd_animation__any_animation"},
          {"width", 64},
          {"height", 64},
          {"num_images", 2}},
         "'num_images' must be at most 1"},
        {"tileset tile size",
         {{"prompt_style", "rd_tile__tileset"}, {"width", 64}, {"height", 64}},
         "between 16x16 and 32x32"},
        {"tile variation needs an input image",
         {{"prompt_style", "rd_tile__tile_variation"}, {"width", 32}, {"height", 32}},
         "'input_image' is required"},
        {"reference images only where supported",
         {{"prompt_style", "rd_fast__default"},
          {"width", 64},
          {"height", 64},
          {"reference_images", {tile}}},
         "not supported"},
        {"at most 5 references for 8_dir_rotation",
         {{"prompt_style", "rd_animation__8_dir_rotation"},
          {"width", 80},
          {"height", 80},
          {"reference_images", Json::array({tile, tile, tile, tile, tile, tile})}},
         "at most 5"},
        {"too many references (schema)",
         {{"prompt_style", "rd_pro__default"},
          {"width", 64},
          {"height", 64},
          {"reference_images",
           Json::array({tile, tile, tile, tile, tile, tile, tile, tile, tile, tile})}},
         "at most 9 items"},
        {"strength above 1",
         {{"prompt_style", "rd_fast__default"}, {"width", 64}, {"height", 64}, {"strength", 1.5}},
         "'strength' must be between 0 and 1"},
        {"not base64",
         {{"prompt_style", "rd_fast__default"},
          {"width", 64},
          {"height", 64},
          {"input_image", "%%%not-base64%%%"}},
         "input_image"},
        {"base64 of text, not an image",
         {{"prompt_style", "rd_fast__default"},
          {"width", 64},
          {"height", 64},
          {"input_image", "aGVsbG8gd29ybGQ="}},
         "input_image"},
        {"frames_duration not allowed",
         {{"prompt_style", "rd_advanced_animation__walking"},
          {"width", 64},
          {"height", 64},
          {"input_image", tile},
          {"frames_duration", 5}},
         "frames_duration"},
        {"missing prompt",
         {{"prompt_style", "rd_fast__default"}, {"width", 64}, {"height", 64}, {"prompt", nullptr}},
         "prompt"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.what);
        Json arguments = {{"prompt", "a knight"}};
        arguments.update(c.arguments);
        if (arguments["prompt"].is_null()) arguments.erase("prompt");
        auto result = h.call("create_inference", arguments);
        CHECK(result["isError"] == true);
        CHECK_MESSAGE(text(result).find(c.must_mention) != std::string::npos, text(result));
        auto cost = h.call("estimate_inference_cost", arguments);
        CHECK(cost["isError"] == true);
    }
    auto example = text(h.call("create_inference", {{"prompt", "fire"},
                                                    {"prompt_style", "rd_animation__vfx"},
                                                    {"width", 48},
                                                    {"height", 64}}));
    CHECK(example.find("Corrected example: {") != std::string::npos);
    CHECK(example.find("\"width\":48") != std::string::npos);
    CHECK(example.find("\"height\":48") != std::string::npos);
    CHECK(h.inference_posts().empty());  // not one request reached the API
}

TEST_CASE("styles the catalog does not know skip local checks: the API decides") {
    Harness h;
    auto result = h.call(
        "create_inference",
        {{"prompt", "x"}, {"prompt_style", "rd_future__style"}, {"width", 64}, {"height", 64}});
    CHECK(result["isError"] == true);
    REQUIRE(h.inference_posts().size() == 1);  // it went to the API, which refused it
    CHECK(text(result).find("HTTP 400") != std::string::npos);
}

TEST_CASE("estimate_inference_cost: the free dry run, or the formulas without a key") {
    Harness h;
    Json arguments = {{"prompt", "x"},
                      {"prompt_style", "rd_fast__default"},
                      {"width", 128},
                      {"height", 128},
                      {"num_images", 3}};
    auto api = h.call("estimate_inference_cost", arguments);
    CHECK(api["structuredContent"]["source"] == "api_check_cost");
    CHECK(api["structuredContent"]["balance_cost"] == doctest::Approx(0.058));
    CHECK(h.inference_posts().back()["body"]["check_cost"] == true);
    CHECK(h.call("get_balance", Json::object())["structuredContent"]["balance"] == 100.0);  // free

    Harness offline({}, "");
    auto estimate = offline.call("estimate_inference_cost", arguments);
    CHECK(estimate["structuredContent"]["source"] == "offline_estimate");
    CHECK(estimate["structuredContent"]["balance_cost"] ==
          api["structuredContent"]["balance_cost"]);
    CHECK(text(estimate).find("Offline estimate") != std::string::npos);
    CHECK(offline.api.requests().empty());

    auto unknown = offline.call(
        "estimate_inference_cost",
        {{"prompt", "x"}, {"prompt_style", "user__mine_1234"}, {"width", 128}, {"height", 128}});
    CHECK(unknown["isError"] == true);
}

TEST_CASE("upstream errors become tool errors an agent can act on") {
    Harness h;
    Json request = {
        {"prompt", "x"}, {"prompt_style", "rd_fast__default"}, {"width", 64}, {"height", 64}};
    struct Case {
        int status;
        Json body;
        int retry_after;
        const char* must_mention;
    };
    const std::vector<Case> cases = {
        {401,
         {{"detail", {{"code", "invalid_token"}, {"message", "Invalid token"}}}},
         0,
         "RD_API_KEY"},
        {403, {{"detail", {{"code", "forbidden"}, {"message", "No access"}}}}, 0, "refused"},
        {422,
         {{"detail", {{{"loc", {"body", "width"}}, {"msg", "value is not a valid integer"}}}}},
         0,
         "width: value is not a valid integer"},
        {429,
         {{"detail", {{"code", "rate_limited"}, {"message", "Slow down"}}}},
         30,
         "wait 30 seconds"},
        {500,
         {{"detail", {{"code", "inference_failed"}, {"message", "Unable to run inference."}}}},
         0,
         "refunded"},
        {503, {{"detail", "Service Unavailable"}}, 0, "safe to retry"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.status);
        h.api.clear_requests();
        Json failure = {{"path_prefix", "/v1/inferences"},
                        {"status", c.status},
                        {"body", c.body},
                        {"count", 1}};
        if (c.retry_after) failure["retry_after"] = c.retry_after;
        h.api.fail_next(failure);
        auto result = h.call("create_inference", request);
        CHECK(result["isError"] == true);
        CHECK_MESSAGE(text(result).find(c.must_mention) != std::string::npos, text(result));
        CHECK(text(result).find("HTTP " + std::to_string(c.status)) != std::string::npos);
        CHECK(h.inference_posts().size() == 1);  // a paid POST is never retried
    }
}

TEST_CASE("not enough balance: says what the request costs and what is left") {
    Harness h({}, kSecondTestKey);  // balance 5
    auto result = h.call("create_inference", {{"prompt", "x"},
                                              {"prompt_style", "rd_pro__default"},
                                              {"width", 256},
                                              {"height", 256},
                                              {"num_images", 4}});
    // 4 x 0.18 = 0.72 fits in 5: spend until it does not.
    for (int i = 0; i < 10 && !result.contains("isError"); ++i) {
        result = h.call("create_inference", {{"prompt", "x"},
                                             {"prompt_style", "rd_pro__default"},
                                             {"width", 256},
                                             {"height", 256},
                                             {"num_images", 4}});
    }
    REQUIRE(result["isError"] == true);
    CHECK(text(result).find("balance is too low") != std::string::npos);
    CHECK(text(result).find("This request costs $0.720") != std::string::npos);
    CHECK(text(result).find("The balance is $") != std::string::npos);
}

TEST_CASE("a timeout is reported with the advice to check the balance") {
    Harness h({"--upstream-timeout", "1"});
    h.api.configure({{"latency_ms", 3000}});
    auto result = h.call(
        "create_inference",
        {{"prompt", "x"}, {"prompt_style", "rd_fast__default"}, {"width", 64}, {"height", 64}});
    CHECK(result["isError"] == true);
    CHECK(text(result).find("did not answer in time") != std::string::npos);
    CHECK(text(result).find("get_balance") != std::string::npos);
}

TEST_CASE("progress flows while a generation waits, only for requests that asked") {
    Harness h({"--progress-interval-ms", "200"});
    h.api.configure({{"latency_ms", 1200}});
    Json request = {
        {"prompt", "x"}, {"prompt_style", "rd_fast__default"}, {"width", 64}, {"height", 64}};
    h.call("create_inference", request, {{"progressToken", "gen-1"}});
    std::vector<double> progress;
    for (const auto& n : h.client.notifications()) {
        if (n["method"] == "notifications/progress") {
            CHECK(n["params"]["progressToken"] == "gen-1");
            progress.push_back(n["params"]["progress"].get<double>());
        }
    }
    CHECK(progress.size() >= 3);
    CHECK(std::is_sorted(progress.begin(), progress.end()));
    CHECK(std::adjacent_find(progress.begin(), progress.end()) ==
          progress.end());  // strictly growing

    h.client.notifications().clear();
    h.call("create_inference", request);
    CHECK(h.client.notifications().empty());
}

TEST_CASE("cancelling a generation frees the request at once") {
    Harness h;
    h.api.configure({{"latency_ms", 20000}});
    h.client.send_raw(Json{{"jsonrpc", "2.0"},
                           {"id", "gen"},
                           {"method", "tools/call"},
                           {"params",
                            {{"_meta", modern_meta({{"progressToken", "t"}})},
                             {"name", "create_inference"},
                             {"arguments",
                              {{"prompt", "x"},
                               {"prompt_style", "rd_fast__default"},
                               {"width", 64},
                               {"height", 64}}}}}}
                          .dump());
    for (int i = 0; i < 100 && h.inference_posts().empty(); ++i) std::this_thread::sleep_for(20ms);
    const auto started = std::chrono::steady_clock::now();
    h.client.notify("notifications/cancelled", {{"requestId", "gen"}});
    for (int i = 0;
         i < 100 && h.client.process().stderr_text().find("outcome=cancelled") == std::string::npos;
         ++i) {
        std::this_thread::sleep_for(20ms);
    }
    CHECK(std::chrono::steady_clock::now() - started < 2s);
    CHECK(h.client.request("ping")["result"] == Json::object());
}
