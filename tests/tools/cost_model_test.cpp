#include "tools/cost_model.h"

#include <doctest/doctest.h>

#include <string>

using namespace rdmcp::tools;

namespace {

double cost_of(std::string_view id, int width, int height, int num_images) {
    const Style* style = find_style(id);
    REQUIRE_MESSAGE(style != nullptr, "missing style ", std::string(id));
    return estimate_cost(*style, width, height, num_images);
}

}  // namespace

TEST_CASE("the documented examples are reproduced") {
    // llms.txt check_cost example: rd_pro__default, 256x256, 2 images -> 0.36.
    CHECK(cost_of("rd_pro__default", 256, 256, 2) == 0.36);
    // llms.txt response example: rd_fast__default, 128x128, 1 image -> 0.019.
    CHECK(cost_of("rd_fast__default", 128, 128, 1) == 0.019);
}

TEST_CASE("resolution-based prices follow their formulas") {
    // rd_plus: (256*256 + 50000) / 2000000 = 0.057768 -> 0.058
    CHECK(cost_of("rd_plus__default", 256, 256, 1) == 0.058);
    // rd_plus at 64x64: (4096 + 50000) / 2000000 = 0.027048 -> 0.027
    CHECK(cost_of("rd_plus__retro", 64, 64, 1) == 0.027);
    // low-res: (64*64 + 13700) / 600000 = 0.02966 -> 0.030
    CHECK(cost_of("rd_plus__mc_item", 64, 64, 1) == 0.030);
    // rd_fast at its largest size: (384*384 + 100000) / 6000000 = 0.041243 -> 0.041
    CHECK(cost_of("rd_fast__simple", 384, 384, 1) == 0.041);
}

TEST_CASE("rounding is applied to the request total, not per image") {
    // Per image 0.0173493 would round to 0.017 (x3 = 0.051); the total 0.052048 gives 0.052.
    CHECK(cost_of("rd_fast__default", 64, 64, 3) == 0.052);
}

TEST_CASE("an exact half thousandth rounds away from zero") {
    // (20*20 + 13700) / 600000 = 0.0235 exactly.
    CHECK(cost_of("rd_plus__low_res", 20, 20, 1) == 0.024);
}

TEST_CASE("per-image flat prices scale with the batch") {
    CHECK(cost_of("rd_pro__fantasy", 64, 64, 1) == 0.18);
    CHECK(cost_of("rd_pro__fantasy", 64, 64, 4) == 0.72);
    CHECK(cost_of("rd_pro__pixelate", 128, 128, 2) == 0.5);
}

TEST_CASE("per-request prices ignore size and batch") {
    CHECK(cost_of("rd_animation__four_angle_walking", 48, 48, 1) == 0.07);
    CHECK(cost_of("rd_animation__small_sprites", 32, 32, 16) == 0.07);
    CHECK(cost_of("animation__vfx", 96, 96, 1) == 0.07);
    CHECK(cost_of("rd_animation__any_animation", 64, 64, 1) == 0.25);
    CHECK(cost_of("rd_animation__8_dir_rotation", 80, 80, 1) == 0.25);
    CHECK(cost_of("rd_advanced_animation__walking", 64, 64, 1) == 0.14);
    CHECK(cost_of("rd_advanced_animation__custom_action", 64, 64, 1) == 0.25);
    CHECK(cost_of("rd_advanced_animation__subtle_motion", 256, 256, 1) == 0.25);
    CHECK(cost_of("rd_tile__tileset", 32, 32, 1) == 0.10);
    CHECK(cost_of("rd_tile__tileset_advanced", 16, 16, 1) == 0.10);
}

TEST_CASE("styles the documents call low-res are billed by the low-res formula") {
    const char* const low_res_styles[] = {
        "rd_plus__mc_texture",  "rd_plus__mc_item",      "rd_plus__low_res",
        "rd_plus__classic",     "rd_plus__topdown_item", "rd_plus__skill_icon",
        "rd_fast__low_res",     "rd_fast__mc_item",      "rd_fast__mc_texture",
        "rd_mini__classic",     "rd_mini__fast_mc_item", "rd_tile__tile_variation",
        "rd_tile__single_tile", "rd_tile__tile_object",
    };
    for (const char* id : low_res_styles) {
        CAPTURE(id);
        CHECK(find_style(id)->price == PriceFormula::LowRes);
    }
    CHECK(find_style("rd_tile__scene_object")->price == PriceFormula::RdPlus);
}

TEST_CASE("every catalog style has a positive price at its smallest and largest request") {
    for (const Style& style : all_styles()) {
        CAPTURE(style.id);
        CHECK(estimate_cost(style, style.min_width, style.min_height, 1) > 0.0);
        CHECK(estimate_cost(style, style.max_width, style.max_height, style.max_images) > 0.0);
    }
}

TEST_CASE("prices are described in words for the catalog listing") {
    CHECK(describe_price(PriceFormula::RdFast) == "max(0.015, (w*h+100000)/6000000) x images");
    CHECK(describe_price(PriceFormula::RdPlus) == "max(0.025, (w*h+50000)/2000000) x images");
    CHECK(describe_price(PriceFormula::LowRes) == "max(0.02, (w*h+13700)/600000) x images");
    CHECK(describe_price(PriceFormula::RdPro) == "0.18 x images");
    CHECK(describe_price(PriceFormula::Pixelate) == "0.25 x images");
    CHECK(describe_price(PriceFormula::Animation) == "0.07 per request");
    CHECK(describe_price(PriceFormula::AnimationPremium) == "0.25 per request");
    CHECK(describe_price(PriceFormula::AdvancedAnimation) == "0.14 per request");
    CHECK(describe_price(PriceFormula::AdvancedAnimationPremium) == "0.25 per request");
    CHECK(describe_price(PriceFormula::Tileset) == "0.10 per request");
}
