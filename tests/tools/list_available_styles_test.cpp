#include <doctest/doctest.h>

#include "protocol/schema_validator.h"
#include "tools/retrodiffusion_tools.h"

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

TEST_CASE("the whole catalog is listed without a key, matching the output schema") {
    auto tool = tools::make_list_available_styles_tool();
    auto result = list(Json::object());
    CHECK_FALSE(result.is_error);
    REQUIRE(result.structured_content);
    const auto& styles = (*result.structured_content)["styles"];
    CHECK(styles.size() > 60);
    CHECK((*result.structured_content)["count"] == styles.size());
    CHECK(protocol::validate_against_schema(*result.structured_content,
                                            *tool.definition.output_schema)
              .empty());
    auto text = result.content[0]["text"].get<std::string>();
    CHECK(text.find("rd_pro__default") != std::string::npos);
    CHECK(text.find("rd_animation__four_angle_walking") != std::string::npos);
}

TEST_CASE("filters narrow the list") {
    auto animations = *list({{"kind", "animation"}}).structured_content;
    CHECK(animations["count"] > 0);
    for (const auto& style : animations["styles"]) {
        CHECK(style["kind"] == "animation");
        CHECK(style["output_mime_type"] == "image/gif");
    }

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
