// Reading the API's style selector (both answer shapes) and merging it with the built-in catalog.
#include "tools/style_selector.h"

#include <doctest/doctest.h>

#include "tools/live_style_catalog.h"

using namespace rdmcp::tools;
using rdmcp::protocol::Json;

namespace {

Json item(const std::string& id, int min, int max, int batch) {
    return {{"prompt_style", id}, {"name", id},
            {"description", "d"}, {"min_width", min},
            {"max_width", max},   {"min_height", min},
            {"max_height", max},  {"max_number_of_images", batch}};
}

}  // namespace

TEST_CASE("v1's list and v2's object are both read; anything else is refused") {
    const Json items = Json::array({item("rd_fast__simple", 32, 448, 2)});
    for (const Json& body :
         {items, Json{{"styles", items}, {"models", {"rd_fast"}}, {"tabs", {}}}}) {
        const auto merged = merge_selector_answer(body);
        REQUIRE(merged);
        const Style* simple = merged->find("rd_fast__simple");
        REQUIRE(simple);
        CHECK(simple->max_width == 448);  // the live limit replaces the built-in 384
        CHECK(simple->min_width == 32);
        CHECK(simple->max_images == 2);
        CHECK(simple->origin == StyleOrigin::Live);
        CHECK(simple->price == PriceFormula::RdFast);  // what the selector does not say is kept
        CHECK(merged->styles.size() == all_styles().size());
        CHECK(merged->find("rd_pro__default")->origin == StyleOrigin::BuiltIn);
    }
    CHECK_FALSE(merge_selector_answer(Json{{"items", items}}));  // the old, undocumented shape
    CHECK_FALSE(merge_selector_answer(Json("garbage")));
    CHECK_FALSE(merge_selector_answer(Json{{"styles", nullptr}}));
}

TEST_CASE("internal ids, user styles, new styles and null fields") {
    Json user = item("user__castle_1a2b3c4d", 64, 256, 4);
    user["supports_reference_images"] = true;
    user["required_model"] = "rd_pro";
    Json fresh = item("rd_advanced_animation__rotate", 32, 256, 1);
    fresh["require_input_image"] = true;
    fresh["required_tab"] = "tab:advanced-animation";
    Json nulls = {{"prompt_style", "rd_plus__retro"},
                  {"name", nullptr},
                  {"min_width", nullptr},
                  {"max_width", 512},
                  {"description", 7},
                  {"example_prompt", nullptr}};
    Json broken = Json::array({Json{{"prompt_style", nullptr}}, Json(42), Json{{"name", "x"}},
                               Json{{"prompt_style", std::string(500, 'x')}}});
    Json body = Json::array({item("default:rd_flux", 64, 384, 15), user, fresh, nulls});
    for (const Json& b : broken) body.push_back(b);

    const auto merged = merge_selector_answer(body);
    REQUIRE(merged);
    CHECK(public_style_id("default:rd_flux") == "rd_fast__default");
    CHECK(merged->find("default:rd_flux") == merged->find("rd_fast__default"));
    CHECK(merged->find("rd_fast__default")->max_images == 15);

    const Style* mine = merged->find("user__castle_1a2b3c4d");
    REQUIRE(mine);
    CHECK(mine->model == "user");
    CHECK(mine->origin == StyleOrigin::LiveOnly);
    CHECK(mine->price == PriceFormula::RdPro);  // user styles are RD Pro templates
    CHECK(mine->max_reference_images == 9);

    const Style* rotate = merged->find("rd_advanced_animation__rotate");
    REQUIRE(rotate);
    CHECK(rotate->kind == StyleKind::AdvancedAnimation);
    CHECK(rotate->requires_input_image);
    CHECK(rotate->output == OutputFormat::Gif);

    // Null or mistyped fields leave the built-in values; half a range is not taken.
    const Style* retro = merged->find("rd_plus__retro");
    CHECK(retro->min_width == 64);
    CHECK(retro->max_width == 384);
    CHECK(retro->description == find_style("rd_plus__retro")->description);
    CHECK(merged->styles.size() == all_styles().size() + 2);
}

TEST_CASE("without a usable selector: the built-in catalog, and why") {
    auto now = std::chrono::steady_clock::time_point{};
    LiveStyleCatalog::Limits limits;
    limits.max_callers = 2;
    limits.clock = [&now] { return now; };
    auto upstream = std::make_shared<const UpstreamClient>(
        UpstreamConfig{.base_url = "http://127.0.0.1:9", .api_version = ApiVersion::V1});
    LiveStyleCatalog catalog(upstream, limits);

    // Nothing cached: the built-in catalog, and no API call to find that out.
    const CatalogView cold = catalog.cached("rdpk-a");
    CHECK(cold.source == CatalogSource::BuiltIn);
    CHECK_FALSE(cold.merged);
    CHECK(cold.styles().size() == all_styles().size());

    // An unreachable selector: the built-in catalog, with the reason.
    const std::string key = "rdpk-a", log_id = "t";
    const CatalogView failed = catalog.current(UpstreamCaller(key, nullptr, log_id));
    CHECK(failed.source == CatalogSource::BuiltIn);
    CHECK(failed.note.find("selector failed") != std::string::npos);
    CHECK(failed.note.find("rdpk-a") == std::string::npos);
    const std::string none;
    CHECK(catalog.current(UpstreamCaller(none, nullptr, log_id)).note.find("no API key") !=
          std::string::npos);
}
