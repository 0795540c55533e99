// run_edit_tool's request: every rule the documents state, checked before anything is sent.
#include "tools/edit_tool_request.h"

#include <doctest/doctest.h>

#include "tests/support/test_images.h"

using namespace rdmcp::tools;
using namespace rdmcp::testing;
using rdmcp::protocol::Json;

namespace {

const EditToolDefinition& tool(const std::string& id) {
    for (const auto& t : documented_edit_tools()) {
        if (t.id == id) return t;
    }
    FAIL("no documented tool " << id);
    throw;
}

std::variant<EditToolRequest, std::string> build(const std::string& id, Json arguments) {
    arguments["tool_id"] = id;
    return build_edit_tool_request(arguments, tool(id), {});
}

EditToolRequest built(const std::string& id, Json arguments) {
    auto result = build(id, std::move(arguments));
    if (auto* problem = std::get_if<std::string>(&result)) FAIL(*problem);
    return std::get<EditToolRequest>(result);
}

std::string refusal(const std::string& id, Json arguments) {
    auto result = build(id, std::move(arguments));
    REQUIRE_MESSAGE(std::holds_alternative<std::string>(result), "accepted: " << id);
    return std::get<std::string>(result);
}

bool says(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

const std::string kImage = rgb_png_base64(64, 64);

}  // namespace

TEST_CASE("A request carries the tool's fields typed, images apart, and unknown fields through") {
    const auto request =
        built("background_remover", {{"input_image", "data:image/png;base64," + kImage},
                                     {"transparency_threshold", 40},
                                     {"force_solid_pixels", false},
                                     {"outpaint_context_left", 3}});
    CHECK(request.images["input_image"] == kImage);  // the data: prefix stripped
    CHECK(request.body["transparency_threshold"] == 40);
    CHECK(request.body["force_solid_pixels"] == false);
    CHECK(request.body["outpaint_context_left"] == 3);  // not known here: passed through
    CHECK_FALSE(request.body.contains("input_image"));
    CHECK(request.input.width == 64);
}

TEST_CASE("Required fields, fields of other tools, enumerations and ranges are refused") {
    CHECK(says(refusal("image_edit", {{"input_image", kImage}}), "requires 'prompt'"));
    CHECK(says(refusal("inpainting", {{"input_image", kImage}, {"prompt", "gem"}}),
               "requires 'mask_image'"));
    CHECK(says(refusal("palette_converter", {{"input_image", kImage}}), "'input_palette'"));
    CHECK(says(refusal("k_centroid_downscale", {{"input_image", kImage}, {"width", 16}}),
               "'height'"));
    CHECK(says(refusal("rotate", {{"input_image", kImage}, {"prompt", "x"}}),
               "'prompt' is not a field of rotate"));
    CHECK(says(refusal("color_reducer", {{"input_image", kImage}, {"dither_mode", "floyd"}}),
               "bayer_2x2"));
    CHECK(says(refusal("color_reducer", {{"input_image", kImage}, {"dither_strength", 101}}),
               "between 0 and 100"));
    // Both documented scales of dither_strength are taken.
    built("color_reducer", {{"input_image", kImage}, {"dither_strength", 7}});
    built("color_reducer", {{"input_image", kImage}, {"dither_strength", 70}});
    CHECK(says(refusal("color_reducer", {{"input_image", kImage}, {"color_count", 1}}),
               "at least 2"));
    CHECK(says(refusal("color_reducer", {{"input_image", kImage}, {"color_count", "16"}}),
               "'color_count'"));
    CHECK(says(refusal("rotate", {{"input_image", kImage}, {"custom_id", std::string(129, 'x')}}),
               "1 to 128"));
}

TEST_CASE("Control fields and camelCase twins never pass through") {
    CHECK(says(refusal("rotate", {{"input_image", kImage}, {"async", true}}),
               "estimate_edit_tool_cost"));
    CHECK(says(refusal("rotate", {{"input_image", kImage}, {"scheduled_region_mode", true}}),
               "scheduled region"));
    CHECK(says(refusal("rotate", {{"input_image", kImage}, {"inputImageBase64", kImage}}),
               "snake_case"));
}

TEST_CASE("Outpainting needs a positive expansion; seam tiling an axis") {
    CHECK(says(refusal("outpainting", {{"input_image", kImage}}), "at least one positive"));
    CHECK(
        says(refusal("outpainting", {{"input_image", kImage}, {"expand_left", -4}}), "at least 0"));
    built("outpainting", {{"input_image", kImage}, {"expand_top", 16}});
    CHECK(says(refusal("seam_tiling", {{"input_image", kImage}, {"tile_x", false}}), "tile_y"));
    built("seam_tiling", {{"input_image", kImage}});  // tile_x defaults to true
    built("seam_tiling", {{"input_image", kImage}, {"tile_x", false}, {"tile_y", true}});
}

TEST_CASE("The input fits the tool; animated GIFs only where the documents allow them") {
    CHECK(says(refusal("image_edit", {{"input_image", rgb_png_base64(300, 200)}, {"prompt", "x"}}),
               "256 pixels a side"));
    const std::string animated = gif_base64(32, 32, 3);
    CHECK(says(refusal("background_remover", {{"input_image", animated}}), "animated GIF"));
    built("color_reducer", {{"input_image", animated}});
    built("background_remover", {{"input_image", gif_base64(32, 32, 1)}});  // one frame: still
    CHECK(says(
        refusal("k_centroid_downscale", {{"input_image", kImage}, {"width", 128}, {"height", 16}}),
        "only makes images smaller"));
}

TEST_CASE("An inpainting mask: the input's size, and at least one pixel selected") {
    const auto mask = [](int w, int h, PixelValue alpha) { return rgba_png_base64(w, h, alpha); };
    Json base = {{"input_image", kImage}, {"prompt", "a red gem"}};

    Json good = base;
    good["mask_image"] = mask(64, 64, rectangle(16, 16, 48, 48));
    CHECK(built("inpainting", good).warnings.empty());

    Json wrong_size = base;
    wrong_size["mask_image"] = mask(32, 32, rectangle(0, 0, 8, 8));
    CHECK(says(refusal("inpainting", wrong_size), "exact size (64x64), got 32x32"));

    Json empty = base;
    empty["mask_image"] = mask(64, 64, [](int, int) { return 12; });
    CHECK(says(refusal("inpainting", empty), "selects no pixel"));

    Json gray = base;
    gray["mask_image"] = gray_png_base64(64, 64, rectangle(0, 0, 4, 4));
    CHECK(built("inpainting", gray).warnings.empty());

    Json opaque = base;  // selects everything: allowed, with a warning
    opaque["mask_image"] = rgb_png_base64(64, 64);
    const auto warned = built("inpainting", opaque);
    REQUIRE(warned.warnings.size() == 1);
    CHECK(says(warned.warnings[0], "selects every pixel"));
}
