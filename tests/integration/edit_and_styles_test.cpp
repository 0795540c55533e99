// Editing images, user styles, and results over the inline budget, end to end over stdio
// against rd-sim (the generation tools' other cases are in generation_tools_test.cpp).
#include <doctest/doctest.h>

#include "tests/support/generation_harness.h"

using namespace rdmcp::testing;
using namespace std::chrono_literals;

TEST_CASE("edit_image: /v1/edit, progressive editing, and the fallback when it is retired") {
    Harness h;
    const std::string image = h.png(64, 64);
    auto first = h.call(
        "edit_image", {{"prompt", "add a hat"}, {"input_image", "data:image/png;base64," + image}});
    REQUIRE_MESSAGE(!first.contains("isError"), first.dump());
    auto edits = h.api.requests_to("POST", "/v1/edit");
    REQUIRE(edits.size() == 1);
    CHECK(edits[0]["body"]["inputImageBase64"] == image);
    CHECK(edits[0]["body"]["prompt"] == "add a hat");

    const std::string edited = first["content"][1]["data"];
    auto second = h.call("edit_image", {{"prompt", "make it red"}, {"input_image", edited}});
    CHECK_FALSE(second.contains("isError"));

    h.api.fail_next({{"path_prefix", "/v1/edit"},
                     {"method", "POST"},
                     {"status", 410},
                     {"body", {{"detail", {{"code", "gone"}, {"message", "Use /v1/edit/tools"}}}}},
                     {"count", 1}});
    auto fallback =
        h.call("edit_image", {{"prompt", "add a scarf"}, {"input_image", image}, {"seed", 7}});
    REQUIRE_MESSAGE(!fallback.contains("isError"), fallback.dump());
    auto tool_calls = h.api.requests_to("POST", "/v1/edit/tools/image_edit");
    REQUIRE(tool_calls.size() == 1);
    CHECK(tool_calls[0]["body"]["input_image"] == image);
    CHECK(tool_calls[0]["body"]["seed"] == 7);

    auto too_big = h.call("edit_image", {{"prompt", "x"}, {"input_image", h.png(384, 384)}});
    CHECK(too_big["isError"] == true);
}

TEST_CASE("user styles: create, use, update, delete") {
    Harness h;
    const std::string reference = h.png(64, 64);
    auto created = h.call("create_user_style", {{"name", "My Pro Style"},
                                                {"style_icon", "sparkles"},
                                                {"reference_images", {reference}},
                                                {"min_width", 128},
                                                {"min_height", 128}});
    REQUIRE_MESSAGE(!created.contains("isError"), created.dump());
    const std::string style = created["structuredContent"]["prompt_style"];
    CHECK(style.rfind("user__", 0) == 0);
    CHECK(text(created).find(style) != std::string::npos);

    auto used =
        h.call("create_inference",
               {{"prompt", "flasks"}, {"prompt_style", style}, {"width", 128}, {"height", 128}});
    CHECK_FALSE(used.contains("isError"));

    auto updated = h.call("update_user_style", {{"style_id", style}, {"description", "Updated"}});
    REQUIRE_MESSAGE(!updated.contains("isError"), updated.dump());
    auto patches = h.api.requests_to("PATCH", "/v1/styles/" + style);
    REQUIRE(patches.size() == 1);
    CHECK(patches[0]["body"] == Json{{"description", "Updated"}});

    auto deleted = h.call("delete_user_style", {{"style_id", style}});
    CHECK(deleted["structuredContent"]["deleted"] == true);
    CHECK(h.call("create_inference", {{"prompt", "x"},
                                      {"prompt_style", style},
                                      {"width", 128},
                                      {"height", 128}})["isError"] == true);

    // Local checks: pairs, icons, ids in paths, unknown fields, empty updates.
    h.api.clear_requests();
    CHECK(h.call("create_user_style", {{"name", "x"}, {"min_width", 128}})["isError"] == true);
    CHECK(h.call("create_user_style", {{"name", "x"}, {"style_icon", "unicorn"}})["isError"] ==
          true);
    CHECK(h.call("create_user_style",
                 {{"name", "x"}, {"reference_images", {reference, reference}}})["isError"] == true);
    CHECK(h.call("create_user_style", {{"name", "x"}, {"negative", "y"}})["isError"] == true);
    CHECK(h.call("update_user_style", {{"style_id", "../credits"}, {"name", "y"}})["isError"] ==
          true);
    CHECK(h.call("update_user_style", {{"style_id", style}})["isError"] == true);
    CHECK(h.api.requests().empty());
}

TEST_CASE("images over the inline budget become files and links") {
    const auto dir =
        std::filesystem::temp_directory_path() / ("rdmcp-out-" + std::to_string(::getpid()));
    Harness h({"--inline-image-budget", "100"});
    auto result = h.call("create_inference", {{"prompt", "x"},
                                              {"prompt_style", "rd_fast__default"},
                                              {"width", 64},
                                              {"height", 64},
                                              {"output_dir", dir.string()}});
    REQUIRE_MESSAGE(!result.contains("isError"), result.dump());
    CHECK(result["structuredContent"]["inline"] == false);
    for (const auto& block : result["content"]) CHECK(block["type"] != "image");
    CHECK(result["content"][1]["type"] == "resource_link");
    const std::string path = result["structuredContent"]["images"][0]["path"];
    CHECK(std::filesystem::exists(path));
    CHECK(text(result).find("inline budget") != std::string::npos);
    CHECK(h.inference_posts()[0]["body"].contains("output_dir") == false);  // ours, never sent
    std::filesystem::remove_all(dir);
}
