#include "tools/style_catalog.h"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

using namespace rdmcp::tools;

namespace {

const Style& style_named(std::string_view id) {
    const Style* style = find_style(id);
    REQUIRE_MESSAGE(style != nullptr, "missing style ", std::string(id));
    return *style;
}

bool is_animation(const Style& style) {
    return style.kind == StyleKind::Animation || style.kind == StyleKind::AdvancedAnimation;
}

}  // namespace

TEST_CASE("a style is found by its current id") {
    const Style& style = style_named("rd_pro__default");
    CHECK(style.id == "rd_pro__default");
    CHECK(style.model == "rd_pro");
    CHECK(style.kind == StyleKind::Image);
}

TEST_CASE("the older animation__ names resolve to the current rd_animation__ styles") {
    CHECK(style_named("animation__four_angle_walking").id == "rd_animation__four_angle_walking");
    CHECK(style_named("animation__walking_and_idle").id == "rd_animation__four_angle_walking_idle");
    CHECK(style_named("animation__small_sprites").id == "rd_animation__small_sprites");
    CHECK(style_named("animation__vfx").id == "rd_animation__vfx");
    CHECK(style_named("animation__any_animation").id == "rd_animation__any_animation");
    CHECK(style_named("animation__8_dir_rotation").id == "rd_animation__8_dir_rotation");
    CHECK(find_style("animation__vfx") == find_style("rd_animation__vfx"));
}

TEST_CASE("unknown, user and differently cased names are not in the catalog") {
    CHECK(find_style("user__flasks_586") == nullptr);
    CHECK(find_style("RD_PRO__DEFAULT") == nullptr);
    CHECK(find_style("rd_pro__default ") == nullptr);
    CHECK(find_style("") == nullptr);
}

TEST_CASE("every id and every alias names exactly one style") {
    std::set<std::string> names;
    for (const Style& style : all_styles()) {
        CHECK_MESSAGE(names.insert(style.id).second, "duplicate id ", style.id);
    }
    for (const Style& style : all_styles()) {
        for (const std::string& alias : style.aliases) {
            CHECK_MESSAGE(names.insert(alias).second, "alias clashes: ", alias);
        }
    }
}

TEST_CASE("the catalog holds every public style of both documents, grouped by model family") {
    const std::vector<std::string> family_order = {
        "rd_pro", "rd_plus", "rd_fast", "rd_mini", "rd_animation", "rd_advanced_animation",
        "rd_tile"};
    std::vector<std::string> families_seen;
    for (const Style& style : all_styles()) {
        if (families_seen.empty() || families_seen.back() != style.model) {
            families_seen.push_back(style.model);
        }
    }
    CHECK(families_seen == family_order);
    CHECK(all_styles().size() == 18 + 19 + 16 + 9 + 8 + 8 + 6);
    CHECK(all_styles().front().id == "rd_pro__default");
    CHECK(all_styles().back().id == "rd_tile__scene_object");
}

TEST_CASE("styles listed by only one document are kept") {
    CHECK(style_named("rd_fast__anime").model == "rd_fast");             // older page only
    CHECK(style_named("rd_animation__big_animation").min_width == 128);  // newer only
    CHECK(style_named("rd_animation__battle_sprites").min_width == 64);  // newer only
    CHECK(style_named("rd_mini__fast_mc_texture").model == "rd_mini");   // newer only
    CHECK(style_named("rd_advanced_animation__subtle_motion").max_images == 1);
}

TEST_CASE("where the documents disagree on limits, the wider one is kept") {
    SUBCASE("rd_pro sizes are 64..256, not the older 96..256") {
        const Style& pro = style_named("rd_pro__default");
        CHECK(pro.min_width == 64);
        CHECK(pro.max_width == 256);
        CHECK(pro.max_images == 4);
        CHECK(pro.max_reference_images == 9);
    }
    SUBCASE("rd_pro__inventory_items is the union of 256x256-only and the default range") {
        const Style& items = style_named("rd_pro__inventory_items");
        CHECK(items.min_width == 64);
        CHECK(items.max_width == 256);
        CHECK(items.min_height == 64);
        CHECK(items.max_height == 256);
    }
    SUBCASE("rd_plus__topdown_item is 16..128 (older) rather than 16..96 (newer)") {
        const Style& item = style_named("rd_plus__topdown_item");
        CHECK(item.min_width == 16);
        CHECK(item.max_width == 128);
    }
    SUBCASE("rd_plus__skill_icon covers both 16..128 and 32..192") {
        const Style& icon = style_named("rd_plus__skill_icon");
        CHECK(icon.min_width == 16);
        CHECK(icon.max_width == 192);
    }
    SUBCASE("rd_animation__small_sprites batches up to 16, not one at a time") {
        CHECK(style_named("rd_animation__small_sprites").max_images == 16);
    }
}

TEST_CASE("animations have their documented fixed sizes") {
    struct Expected {
        const char* id;
        int side;
    };
    const Expected fixed_sizes[] = {
        {"rd_animation__four_angle_walking", 48}, {"rd_animation__four_angle_walking_idle", 48},
        {"rd_animation__small_sprites", 32},      {"rd_animation__any_animation", 64},
        {"rd_animation__big_animation", 128},     {"rd_animation__8_dir_rotation", 80},
        {"rd_animation__battle_sprites", 64},
    };
    for (const Expected& expected : fixed_sizes) {
        CAPTURE(expected.id);
        const Style& style = style_named(expected.id);
        CHECK(style.min_width == expected.side);
        CHECK(style.max_width == expected.side);
        CHECK(style.min_height == expected.side);
        CHECK(style.max_height == expected.side);
    }
    const Style& vfx = style_named("rd_animation__vfx");
    CHECK(vfx.min_width == 24);
    CHECK(vfx.max_width == 96);
    CHECK(vfx.square_only);
}

TEST_CASE("advanced animations animate a required start frame into a GIF") {
    const Style& walking = style_named("rd_advanced_animation__walking");
    CHECK(walking.min_width == 32);
    CHECK(walking.max_width == 256);
    CHECK(walking.max_images == 1);
    CHECK(walking.requires_input_image);
    CHECK(walking.supports_frames_duration);
    CHECK(walking.output == OutputFormat::Gif);
    CHECK_FALSE(walking.square_only);
}

TEST_CASE("tileset styles have their documented tile sizes") {
    CHECK(style_named("rd_tile__tileset").max_width == 32);
    CHECK(style_named("rd_tile__tileset").max_images == 1);
    CHECK(style_named("rd_tile__tileset_advanced").min_width == 16);
    CHECK(style_named("rd_tile__tileset_advanced").max_images == 1);
    CHECK(style_named("rd_tile__single_tile").max_width == 64);
    CHECK(style_named("rd_tile__tile_variation").max_width == 128);
    CHECK(style_named("rd_tile__tile_variation").requires_input_image);
    CHECK(style_named("rd_tile__tile_object").max_width == 96);
    CHECK(style_named("rd_tile__scene_object").min_width == 64);
    CHECK(style_named("rd_tile__scene_object").max_width == 384);
}

TEST_CASE("styles that edit an uploaded image require one") {
    CHECK(style_named("rd_pro__edit").requires_input_image);
    CHECK(style_named("rd_pro__pixelate").requires_input_image);
    CHECK_FALSE(style_named("rd_pro__default").requires_input_image);
    CHECK_FALSE(style_named("rd_animation__any_animation").requires_input_image);
}

TEST_CASE("every style is internally consistent") {
    for (const Style& style : all_styles()) {
        CAPTURE(style.id);
        CHECK_FALSE(style.description.empty());
        CHECK(style.id.starts_with(style.model + "__"));
        CHECK(style.min_width >= 16);
        CHECK(style.max_width <= 512);  // the API's global limit
        CHECK(style.min_width <= style.max_width);
        CHECK(style.min_height <= style.max_height);
        CHECK(style.max_images >= 1);
        CHECK(style.max_reference_images >= 0);
        CHECK(style.output == (is_animation(style) ? OutputFormat::Gif : OutputFormat::Png));
        CHECK(style.supports_frames_duration == (style.kind == StyleKind::AdvancedAnimation));
        if (style.max_reference_images > 0) {
            CHECK((style.model == "rd_pro" || style.model == "rd_animation"));
        }
    }
}

TEST_CASE("style kinds and output formats print and parse as documented") {
    for (StyleKind kind : {StyleKind::Image, StyleKind::Animation, StyleKind::AdvancedAnimation,
                           StyleKind::Tileset}) {
        CHECK(parse_style_kind(to_string(kind)) == kind);
    }
    CHECK(to_string(StyleKind::AdvancedAnimation) == "advanced_animation");
    CHECK(parse_style_kind("tileset") == StyleKind::Tileset);
    CHECK_FALSE(parse_style_kind("Tileset").has_value());
    CHECK_FALSE(parse_style_kind("video").has_value());
    CHECK(to_string(OutputFormat::Png) == "image/png");
    CHECK(to_string(OutputFormat::Gif) == "image/gif");
}
