// The public RetroDiffusion style catalog, merged from the two upstream documents:
// retrodiffusion-api.md (older, has most descriptions) and retrodiffusion-llms.txt (newer, has
// most limits and the current prices). Where they give different limits the wider one is kept,
// because local validation must never reject a request the API would accept; the API remains
// the final judge of anything narrower. Size prefixes such as "(16x16 <-> 128x128)" are dropped
// from the quoted descriptions: the limits live in their own fields.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tools/style_catalog.h"

namespace rdmcp::tools {
namespace {

// What every style of one model family shares.
struct Family {
    std::string_view model;
    StyleKind kind;
    OutputFormat output;
    bool supports_frames_duration;
};

constexpr Family kRdPro{"rd_pro", StyleKind::Image, OutputFormat::Png, false};
constexpr Family kRdPlus{"rd_plus", StyleKind::Image, OutputFormat::Png, false};
constexpr Family kRdFast{"rd_fast", StyleKind::Image, OutputFormat::Png, false};
constexpr Family kRdMini{"rd_mini", StyleKind::Image, OutputFormat::Png, false};
constexpr Family kRdAnimation{"rd_animation", StyleKind::Animation, OutputFormat::Gif, false};
constexpr Family kRdAdvancedAnimation{"rd_advanced_animation", StyleKind::AdvancedAnimation,
                                      OutputFormat::Gif, true};
constexpr Family kRdTile{"rd_tile", StyleKind::Tileset, OutputFormat::Png, false};

// Request limits of one style. Every documented range is the same for width and height, so one
// side range describes both.
struct Limits {
    int min_side;
    int max_side;
    int max_images;
    int max_reference_images = 0;
    bool square_only = false;
    bool requires_input_image = false;
};

// RD Pro: 64..256 (newer; the older page said 96..256), batch <= 4, up to 9 reference images.
constexpr Limits kPro{.min_side = 64, .max_side = 256, .max_images = 4, .max_reference_images = 9};
constexpr Limits kProFromInput{.min_side = 64,
                               .max_side = 256,
                               .max_images = 4,
                               .max_reference_images = 9,
                               .requires_input_image = true};
// RD Plus / RD Fast standard styles: 64..384, batch <= 16. rd_fast__default is also annotated
// "batch<=15" next to an "all ... batch<=16"; the wider figure wins.
constexpr Limits kStandard{.min_side = 64, .max_side = 384, .max_images = 16};
constexpr Limits kLowRes{.min_side = 16, .max_side = 128, .max_images = 16};
constexpr Limits kMediumRes{.min_side = 32, .max_side = 192, .max_images = 16};
// skill_icon: 16..128 on the older page, 32..192 on the newer one: the union.
constexpr Limits kSkillIcon{.min_side = 16, .max_side = 192, .max_images = 16};

// Prompt-driven animations render at one fixed square size, one animation per request.
constexpr Limits fixed_animation(int side, int max_reference_images = 0) {
    return {.min_side = side,
            .max_side = side,
            .max_images = 1,
            .max_reference_images = max_reference_images,
            .square_only = true};
}
constexpr Limits kSmallSprites{
    .min_side = 32, .max_side = 32, .max_images = 16, .square_only = true};
constexpr Limits kVfx{.min_side = 24, .max_side = 96, .max_images = 1, .square_only = true};

// Advanced animations animate an uploaded start frame; the output matches its size.
constexpr Limits kAdvancedAnimation{
    .min_side = 32, .max_side = 256, .max_images = 1, .requires_input_image = true};

// Tilesets: width and height give the tile size. The documents give no batch limit for the
// single-asset tile styles, so they get the largest batch of the image styles.
constexpr Limits kFullTileset{.min_side = 16, .max_side = 32, .max_images = 1};
constexpr Limits kSingleTile{.min_side = 16, .max_side = 64, .max_images = 16};
constexpr Limits kTileVariation{
    .min_side = 16, .max_side = 128, .max_images = 16, .requires_input_image = true};
constexpr Limits kTileObject{.min_side = 16, .max_side = 96, .max_images = 16};
constexpr Limits kSceneObject{.min_side = 64, .max_side = 384, .max_images = 16};

Style row(const Family& family, std::string id, const Limits& limits, PriceFormula price,
          std::string description, std::vector<std::string> aliases = {}) {
    return Style{
        .id = std::move(id),
        .aliases = std::move(aliases),
        .model = std::string(family.model),
        .kind = family.kind,
        .description = std::move(description),
        .min_width = limits.min_side,
        .max_width = limits.max_side,
        .min_height = limits.min_side,
        .max_height = limits.max_side,
        .square_only = limits.square_only,
        .max_images = limits.max_images,
        .requires_input_image = limits.requires_input_image,
        .max_reference_images = limits.max_reference_images,
        .price = price,
        .output = family.output,
        .supports_frames_duration = family.supports_frames_duration,
    };
}

using enum PriceFormula;

std::vector<Style> rd_pro_styles() {
    return {
        row(kRdPro, "rd_pro__default", kPro, RdPro,
            "Clean modern pixel art style model that allows multiple reference images and "
            "extremely detailed prompting."),
        row(kRdPro, "rd_pro__painterly", kPro, RdPro,
            "Almost brush-like style with minimal outlines or anti-aliasing. Clean vibrant color "
            "palettes and beautiful details"),
        row(kRdPro, "rd_pro__fantasy", kPro, RdPro,
            "Bright colors, soft transitions, detailed textures, light dithering, and outlines."),
        // Newer document: 256x256 only; older: the RD Pro default range. The union is kept.
        row(kRdPro, "rd_pro__ui_panel", kPro, RdPro,
            "Consistent arrangements of UI elements, split into buttons, sliders, panels, and "
            "knobs."),
        row(kRdPro, "rd_pro__horror", kPro, RdPro,
            "Dark, gritty style with chaotic details and harsh shapes and shading."),
        row(kRdPro, "rd_pro__scifi", kPro, RdPro,
            "High contrast with glowing details, clean outlines, and beautiful lighting."),
        row(kRdPro, "rd_pro__simple", kPro, RdPro,
            "Simple pixel art with minimal shading or texturing, but strong outlines and shapes."),
        row(kRdPro, "rd_pro__isometric", kPro, RdPro,
            "Pixel art rotated at a 45 degree angle. Clean lines and shapes."),
        row(kRdPro, "rd_pro__topdown", kPro, RdPro,
            "Pixel art viewed from a 2/3 downwards angle, with simple shapes and shading."),
        row(kRdPro, "rd_pro__platformer", kPro, RdPro,
            "Side-scroller style platformer perspective, with modern styling and outlines."),
        row(kRdPro, "rd_pro__dungeon_map", kPro, RdPro,
            "Dungeon-crawler style game levels with connected rooms filled with objects and "
            "enemies."),
        row(kRdPro, "rd_pro__edit", kProFromInput, RdPro,
            "Upload an image and describe the changes you want. You can use up to 9 references."),
        row(kRdPro, "rd_pro__pixelate", kProFromInput, Pixelate,
            "Convert input images into pixel art."),
        row(kRdPro, "rd_pro__spritesheet", kPro, RdPro,
            "Collections of assets on a simple background with the same style."),
        row(kRdPro, "rd_pro__typography", kPro, RdPro,
            "Generate logos, buttons, or any other element using text as the central focus."),
        // Newer document: 256x256 only; older: the RD Pro default range. The union is kept.
        row(kRdPro, "rd_pro__hexagonal_tiles", kPro, RdPro,
            "Small collection of hexagonal tiles for game maps."),
        row(kRdPro, "rd_pro__fps_weapon", kPro, RdPro,
            "First person perspective weapons, items, and objects."),
        // Newer document: 256x256 only; older: the RD Pro default range. The union is kept.
        row(kRdPro, "rd_pro__inventory_items", kPro, RdPro,
            "Creates a spritesheet of grid aligned inventory items (like for Diablo or Path of "
            "Exile)"),
    };
}

std::vector<Style> rd_plus_styles() {
    return {
        row(kRdPlus, "rd_plus__default", kStandard, RdPlus,
            "Clean pixel art style with bold colors and outlines"),
        row(kRdPlus, "rd_plus__retro", kStandard, RdPlus,
            "Classic pixel art style inspired by PC98 games"),
        row(kRdPlus, "rd_plus__watercolor", kStandard, RdPlus,
            "Pixel art mixed with a watercolor painting aesthetic"),
        row(kRdPlus, "rd_plus__textured", kStandard, RdPlus,
            "Semi-realistic pixel art style with lots of shading and texture"),
        row(kRdPlus, "rd_plus__cartoon", kStandard, RdPlus,
            "Simple shapes and shading, with bold outlines"),
        row(kRdPlus, "rd_plus__ui_element", kStandard, RdPlus, "User interface boxes and buttons"),
        row(kRdPlus, "rd_plus__item_sheet", kStandard, RdPlus,
            "Sheets of objects placed on a simple background"),
        row(kRdPlus, "rd_plus__character_turnaround", kStandard, RdPlus,
            "Character sprites viewed from different angles"),
        row(kRdPlus, "rd_plus__environment", kStandard, RdPlus,
            "One-point perspective scenes with outlines and strong shapes"),
        row(kRdPlus, "rd_plus__topdown_map", kStandard, RdPlus,
            "Video game map style pixel art with a 3/4 top down perspective"),
        row(kRdPlus, "rd_plus__topdown_asset", kStandard, RdPlus,
            "3/4 top down perspective game assets on a simple background"),
        row(kRdPlus, "rd_plus__isometric", kStandard, RdPlus,
            "45 degree isometric perspective, with consistent outlines"),
        row(kRdPlus, "rd_plus__isometric_asset", kStandard, RdPlus,
            "45 degree isometric objects or assets, on a neutral background"),
        row(kRdPlus, "rd_plus__classic", kMediumRes, LowRes,
            "Strongly outlined medium-resolution pixel art with a focus on simple shading and "
            "clear design"),
        row(kRdPlus, "rd_plus__low_res", kLowRes, LowRes,
            "High quality, low resolution pixel art assets and backgrounds"),
        row(kRdPlus, "rd_plus__mc_item", kLowRes, LowRes,
            "High quality Minecraft-styled items and game assets"),
        row(kRdPlus, "rd_plus__mc_texture", kLowRes, LowRes,
            "Detailed Minecraft-style flat block textures, with enhanced prompt following"),
        // 16..128 on the older page, 16..96 on the newer one: the wider range is kept.
        row(kRdPlus, "rd_plus__topdown_item", kLowRes, LowRes,
            "Top-down view of items and objects, with a simple background"),
        row(kRdPlus, "rd_plus__skill_icon", kSkillIcon, LowRes,
            "Icons for skills, abilities, or spells"),
    };
}

std::vector<Style> rd_fast_styles() {
    return {
        row(kRdFast, "rd_fast__default", kStandard, RdFast,
            "Simple clean pixel art, with Anime illustration influences"),
        row(kRdFast, "rd_fast__retro", kStandard, RdFast,
            "A classic arcade game aesthetic inspired by early PC games"),
        row(kRdFast, "rd_fast__simple", kStandard, RdFast,
            "Simple shading with minimalist shapes and designs"),
        row(kRdFast, "rd_fast__detailed", kStandard, RdFast,
            "Pixel art with lots of shading and details"),
        // Listed only on the older page; kept so the catalog never rejects it.
        row(kRdFast, "rd_fast__anime", kStandard, RdFast,
            "Simple clean pixel art, with Anime illustration influences"),
        row(kRdFast, "rd_fast__game_asset", kStandard, RdFast,
            "Distinct assets set on a simple background"),
        row(kRdFast, "rd_fast__portrait", kStandard, RdFast,
            "Character portrait focused images with high detail"),
        row(kRdFast, "rd_fast__texture", kStandard, RdFast,
            "Flat game textures like stones, bricks, or wood"),
        row(kRdFast, "rd_fast__ui", kStandard, RdFast, "User interface boxes and buttons"),
        row(kRdFast, "rd_fast__item_sheet", kStandard, RdFast,
            "Sheets of objects placed on a simple background"),
        row(kRdFast, "rd_fast__character_turnaround", kStandard, RdFast,
            "Character sprites viewed from different angles"),
        row(kRdFast, "rd_fast__1_bit", kStandard, RdFast, "Two color black and white only images"),
        // The newer document bills "low-res styles (mc_*, low_res, ...)" by the low-res formula.
        row(kRdFast, "rd_fast__low_res", kLowRes, LowRes,
            "General low resolution pixel art images"),
        row(kRdFast, "rd_fast__mc_item", kLowRes, LowRes,
            "Minecraft-styled items with automatic transparency"),
        row(kRdFast, "rd_fast__mc_texture", kLowRes, LowRes,
            "Minecraft-styled flat textures, like grass, stones, or wood"),
        row(kRdFast, "rd_fast__no_style", kStandard, RdFast,
            "Pixel art with no style influence applied"),
    };
}

// RD Mini ids route to the RD Plus / RD Fast low-res styles of the same name, so they share
// those styles' (widened) limits and the low-res price.
std::vector<Style> rd_mini_styles() {
    return {
        row(kRdMini, "rd_mini__classic", kMediumRes, LowRes,
            "RD Mini shortcut to the RD Plus classic style: strongly outlined medium-resolution "
            "pixel art"),
        row(kRdMini, "rd_mini__skill_icon", kSkillIcon, LowRes,
            "RD Mini shortcut to the RD Plus skill icon style: icons for skills, abilities, or "
            "spells"),
        row(kRdMini, "rd_mini__low_res", kLowRes, LowRes,
            "RD Mini shortcut to the RD Plus low-res style: low resolution pixel art assets and "
            "backgrounds"),
        row(kRdMini, "rd_mini__mc_item", kLowRes, LowRes,
            "RD Mini shortcut to the RD Plus Minecraft-styled items"),
        row(kRdMini, "rd_mini__mc_texture", kLowRes, LowRes,
            "RD Mini shortcut to the RD Plus Minecraft-style flat block textures"),
        row(kRdMini, "rd_mini__fast_low_res", kLowRes, LowRes,
            "RD Mini shortcut to the RD Fast low-res style: general low resolution pixel art"),
        row(kRdMini, "rd_mini__fast_mc_item", kLowRes, LowRes,
            "RD Mini shortcut to the RD Fast Minecraft-styled items"),
        row(kRdMini, "rd_mini__fast_mc_texture", kLowRes, LowRes,
            "RD Mini shortcut to the RD Fast Minecraft-styled flat textures"),
        // Mirrors rd_plus__topdown_item, whose range is widened to 16..128.
        row(kRdMini, "rd_mini__topdown_item", kLowRes, LowRes,
            "RD Mini shortcut to the RD Plus top-down items and objects"),
    };
}

// The older page names these animation__*; the API still accepts those names.
std::vector<Style> rd_animation_styles() {
    return {
        row(kRdAnimation, "rd_animation__four_angle_walking", fixed_animation(48), Animation,
            "Consistent 4 direction, 4 frame long walking animations of humanoid characters",
            {"animation__four_angle_walking"}),
        row(kRdAnimation, "rd_animation__four_angle_walking_idle", fixed_animation(48), Animation,
            "Consistent 4 direction walking and idle animations of humanoid characters",
            {"animation__walking_and_idle"}),
        // Newer document: batch <= 16; older: one image at a time. The wider limit is kept.
        row(kRdAnimation, "rd_animation__small_sprites", kSmallSprites, Animation,
            "Consistent 4 direction walking, arm movement, looking, surprised, and laying down "
            "animations",
            {"animation__small_sprites"}),
        row(kRdAnimation, "rd_animation__vfx", kVfx, Animation,
            "Eye-catching animations for fire, explosions, lightning, or other simple effects",
            {"animation__vfx"}),
        // The older page describes this style twice; both sentences are kept.
        row(kRdAnimation, "rd_animation__any_animation", fixed_animation(64, 9), AnimationPremium,
            "Describe an animation and bring pixel art to life. General purpose custom "
            "animation sheets with optional first frame input",
            {"animation__any_animation"}),
        row(kRdAnimation, "rd_animation__big_animation", fixed_animation(128, 9), Animation,
            "Large 128x128 animations described by the prompt, with optional reference images"),
        row(kRdAnimation, "rd_animation__8_dir_rotation", fixed_animation(80, 5), AnimationPremium,
            "Create 8 direction rotations of anything", {"animation__8_dir_rotation"}),
        row(kRdAnimation, "rd_animation__battle_sprites", fixed_animation(64), Animation,
            "64x64 battle sprite animations described by the prompt"),
    };
}

std::vector<Style> rd_advanced_animation_styles() {
    return {
        row(kRdAdvancedAnimation, "rd_advanced_animation__walking", kAdvancedAnimation,
            AdvancedAnimation, "Animates an uploaded start frame into a walking cycle"),
        row(kRdAdvancedAnimation, "rd_advanced_animation__idle", kAdvancedAnimation,
            AdvancedAnimation, "Animates an uploaded start frame into an idle loop"),
        row(kRdAdvancedAnimation, "rd_advanced_animation__jump", kAdvancedAnimation,
            AdvancedAnimation, "Animates an uploaded start frame into a jump"),
        row(kRdAdvancedAnimation, "rd_advanced_animation__crouch", kAdvancedAnimation,
            AdvancedAnimation, "Animates an uploaded start frame into a crouch"),
        row(kRdAdvancedAnimation, "rd_advanced_animation__attack", kAdvancedAnimation,
            AdvancedAnimation, "Animates an uploaded start frame into an attack"),
        row(kRdAdvancedAnimation, "rd_advanced_animation__destroy", kAdvancedAnimation,
            AdvancedAnimation, "Animates an uploaded start frame being destroyed"),
        row(kRdAdvancedAnimation, "rd_advanced_animation__custom_action", kAdvancedAnimation,
            AdvancedAnimationPremium,
            "Animates an uploaded start frame with any motion described in the prompt"),
        row(kRdAdvancedAnimation, "rd_advanced_animation__subtle_motion", kAdvancedAnimation,
            AdvancedAnimationPremium, "Adds ambient scene motion to an uploaded start frame"),
    };
}

std::vector<Style> rd_tile_styles() {
    return {
        row(kRdTile, "rd_tile__tileset", kFullTileset, Tileset,
            "Create full tilesets from a simple prompt describing the textures or environment, "
            "using a simple set of \"wang\" style combinations"),
        row(kRdTile, "rd_tile__tileset_advanced", kFullTileset, Tileset,
            "Full tilesets from two prompts and/or textures, using a simple set of \"wang\" "
            "style combinations"),
        row(kRdTile, "rd_tile__single_tile", kSingleTile, LowRes,
            "Detailed single tile texture for creating full tilesets or surfaces"),
        row(kRdTile, "rd_tile__tile_variation", kTileVariation, LowRes,
            "Texture variations of the provided tile image"),
        row(kRdTile, "rd_tile__tile_object", kTileObject, LowRes,
            "Small assets for placing on sections of tiles"),
        // Neither document lists scene_object among the low-res styles; it is billed like the
        // RD Plus standard styles, whose size range it shares.
        row(kRdTile, "rd_tile__scene_object", kSceneObject, RdPlus,
            "Large assets for placing on tileset maps"),
    };
}

std::vector<Style> build_catalog() {
    std::vector<Style> catalog;
    for (auto family : {rd_pro_styles, rd_plus_styles, rd_fast_styles, rd_mini_styles,
                        rd_animation_styles, rd_advanced_animation_styles, rd_tile_styles}) {
        for (Style& style : family()) catalog.push_back(std::move(style));
    }
    return catalog;
}

}  // namespace

const std::vector<Style>& all_styles() {
    static const std::vector<Style> catalog = build_catalog();
    return catalog;
}

}  // namespace rdmcp::tools
