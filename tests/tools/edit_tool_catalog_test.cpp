// The edit tool catalog read by type: the documented list, camelCase twins, nulls, and entries
// that cannot be read.
#include "tools/edit_tool_catalog.h"

#include <doctest/doctest.h>

using namespace rdmcp::tools;
using rdmcp::protocol::Json;

TEST_CASE("The catalog's documented list reads into tools with their fields and prices") {
    const auto tools = read_edit_tool_catalog(Json::parse(R"([
        {"id": "color_reducer", "name": "Color Reducer", "description": "Fewer colours",
         "balance_cost": 0.0, "credit_cost": 0, "is_free": true,
         "requires_minimum_balance": true, "max_input_size": 512,
         "api_fields": [
            {"id": "input_image", "label": "Image", "type": "image", "required": true},
            {"id": "color_count", "label": "Colours", "type": "integer", "required": false,
             "defaultValue": 16, "min": 2, "max": 256},
            {"label": "no id: skipped", "type": "text"}],
         "fields": [{"id": "ui_only"}]},
        {"id": "image_edit", "balanceCost": 0.18, "creditCost": 20, "isFree": false,
         "maxInputSize": 256, "requiresMinimumBalance": null, "api_fields": null},
        {"name": "no id"},
        "not an object"])"));
    REQUIRE(tools.size() == 2);
    const auto& reducer = tools[0];
    CHECK(reducer.id == "color_reducer");
    CHECK(reducer.is_free == true);
    CHECK(reducer.requires_minimum_balance == true);
    CHECK(reducer.max_input_size == 512);
    REQUIRE(reducer.api_fields.size() == 2);  // `fields` (the web canvas's) is ignored
    const auto* count = reducer.field("color_count");
    REQUIRE(count);
    CHECK(count->min == 2);
    CHECK(count->max == 256);
    CHECK(count->default_value == Json(16));
    CHECK_FALSE(reducer.slow);

    const auto& edit = tools[1];  // the deprecated camelCase twins, and nulls
    CHECK(edit.balance_cost == doctest::Approx(0.18));
    CHECK(edit.credit_cost == 20);
    CHECK(edit.max_input_size == 256);
    CHECK_FALSE(edit.requires_minimum_balance);
    CHECK(edit.slow);  // a documented 20-40 s tool: run as a task
    // No fields described: checked against the documented ones.
    REQUIRE(edit.field("prompt"));
    CHECK(edit.field("prompt")->required);
}

TEST_CASE("An object holding the tools is read too; anything else is no tool") {
    CHECK(read_edit_tool_catalog(Json::parse(R"({"tools": [{"id": "rotate"}]})")).size() == 1);
    CHECK(read_edit_tool_catalog(Json::parse(R"({"detail": "nope"})")).empty());
    CHECK(read_edit_tool_catalog(Json()).empty());
}

TEST_CASE("The documented tools: eleven, with the documents' prices and required fields") {
    const auto& tools = documented_edit_tools();
    CHECK(tools.size() == 11);
    EditToolCatalogView view{std::make_shared<const std::vector<EditToolDefinition>>(tools)};
    REQUIRE(view.find("inpainting"));
    CHECK(view.find("inpainting")->field("mask_image")->required);
    CHECK(view.find("background_remover")->balance_cost == doctest::Approx(0.01));
    CHECK(view.find("rotate")->is_free == true);
    CHECK(view.find("color_reducer")->takes_animated_gif());
    CHECK_FALSE(view.find("rotate")->takes_animated_gif());
    CHECK(unknown_edit_tool_message("sharpen", view).find("pixel_correction") != std::string::npos);
}
