#include <doctest/doctest.h>

#include "protocol/schema_validator.h"
#include "tools/retrodiffusion_tools.h"
#include "tools/style_catalog.h"

using namespace rdmcp;
using protocol::Json;

namespace {
protocol::ToolResult list(Json arguments) {
    auto tool = tools::make_list_available_styles_tool();
    REQUIRE(protocol::validate_against_schema(arguments, tool.definition.input_schema).empty());
    protocol::RequestContext context;  // no key: the catalog is local
    return tool.handler(arguments, context);
}
}  // namespace

TEST_CASE("the whole catalog is listed without a key, compact, matching the output schema") {
    auto tool = tools::make_list_available_styles_tool();
    auto result = list(Json::object());
    CHECK_FALSE(result.is_error);
    REQUIRE(result.structured_content);
    const auto& structured = *result.structured_content;
    const auto& styles = structured["styles"];
    REQUIRE(styles.size() == tools::all_styles().size());
    CHECK(structured["count"] == styles.size());
    CHECK(structured["detail"].get<std::string>().find("get_style_usage") != std::string::npos);
    CHECK(protocol::validate_against_schema(structured, *tool.definition.output_schema).empty());

    // Under 16,000 bytes (about 4,000 tokens) with every style in it, by id, in both halves.
    CHECK(result.to_json().dump().size() < 16'000);
    const auto text = result.content[0]["text"].get<std::string>();
    for (std::size_t i = 0; i < styles.size(); ++i) {
        const auto& style = tools::all_styles()[i];
        CAPTURE(style.id);
        const auto& entry = styles[i];
        CHECK(entry["prompt_style"] == style.id);
        CHECK(text.find(style.id) != std::string::npos);
        CHECK(text.find(style.description) == std::string::npos);  // behind a filter now
        // Each entry: id, model, kind, sizes and price; no more.
        CHECK(entry.size() == 5);
        CHECK(entry["model"] == style.model);
        CHECK(entry["kind"] == std::string(tools::to_string(style.kind)));
    }
}

TEST_CASE("the compact entries give sizes and a short price; the text groups by family") {
    const auto result = list(Json::object());
    const auto& styles = result.structured_content->at("styles");
    const auto entry = [&styles](const std::string& id) {
        for (const auto& style : styles) {
            if (style["prompt_style"] == id) return style;
        }
        FAIL("not listed: " << id);
        return Json();
    };
    CHECK(entry("rd_pro__default")["sizes"] == "64-256px");
    CHECK(entry("rd_pro__default")["price"] == "$0.18/image");
    CHECK(entry("rd_pro__pixelate")["price"] == "$0.25/image");
    CHECK(entry("rd_fast__simple")["price"] == "$0.017-0.041/image");  // 64x64 to 384x384
    CHECK(entry("rd_animation__four_angle_walking")["sizes"] == "48x48 only");
    CHECK(entry("rd_animation__four_angle_walking")["price"] == "$0.07/request");
    CHECK(entry("rd_animation__vfx")["sizes"] == "24-96px square");
    CHECK(entry("rd_tile__tileset")["price"] == "$0.10/request");

    // One line per family with what most of its styles share; a style that differs says how.
    const auto text = result.content[0]["text"].get<std::string>();
    CHECK(text.find("\nrd_pro (image, 64-256px, $0.18/image): rd_pro__default, ") !=
          std::string::npos);
    CHECK(text.find("rd_pro__pixelate ($0.25/image)") != std::string::npos);
    CHECK(text.find("rd_animation__vfx (24-96px square)") != std::string::npos);
    CHECK(text.find("- rd_pro__default [") == std::string::npos);  // no line per style
}

TEST_CASE("filters narrow the list and give every style's full entry") {
    auto animations = *list({{"kind", "animation"}}).structured_content;
    CHECK(animations["count"] > 0);
    CHECK_FALSE(animations.contains("detail"));
    for (const auto& style : animations["styles"]) {
        CHECK(style["kind"] == "animation");
        CHECK(style["output_mime_type"] == "image/gif");
        CHECK_FALSE(style["description"].get<std::string>().empty());
        CHECK(style.contains("max_images"));
    }
    // However many styles a filter matches, it gets the full entries it asked for.
    auto images = list({{"kind", "image"}});
    CHECK(images.structured_content->at("count") > 40);
    const auto& pro = images.structured_content->at("styles")[0];
    CHECK(pro["prompt_style"] == "rd_pro__default");
    CHECK(pro["max_reference_images"] == 9);
    CHECK(images.content[0]["text"].get<std::string>().find(
              pro["description"].get<std::string>()) != std::string::npos);

    auto walking = *list({{"query", "four_angle walking"}}).structured_content;
    CHECK(walking["count"] >= 2);
    for (const auto& style : walking["styles"]) {
        CHECK(style["min_width"] == 48);  // both walking animations are 48x48 only
        CHECK(style["max_width"] == 48);
    }
    auto vfx = *list({{"query", "animation__vfx"}}).structured_content;  // old names find the style
    REQUIRE(vfx["count"] == 1);
    CHECK(vfx["styles"][0]["prompt_style"] == "rd_animation__vfx");

    auto fast_tiles = *list({{"model", "rd_tile"}, {"query", "variation"}}).structured_content;
    REQUIRE(fast_tiles["count"] == 1);
    CHECK(fast_tiles["styles"][0]["requires_input_image"] == true);
}

TEST_CASE("no match says how to see everything") {
    auto result = list({{"query", "zzzz-no-such-style"}});
    CHECK(result.structured_content->at("count") == 0);
    CHECK(result.content[0]["text"].get<std::string>().find("without filters") !=
          std::string::npos);
}
