#pragma once
// The RetroDiffusion style catalog: one table, read by list_available_styles, by argument
// validation before any credit is spent, and by the offline cost model.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rdmcp::tools {

enum class StyleKind { Image, Animation, AdvancedAnimation, Tileset };

// Which documented price formula a style is billed by (see cost_model.h).
enum class PriceFormula {
    RdFast,                    // max(0.015, (w*h + 100000) / 6000000) * n
    RdPlus,                    // max(0.025, (w*h + 50000) / 2000000) * n
    LowRes,                    // max(0.02, (w*h + 13700) / 600000) * n
    RdPro,                     // 0.18 * n (retrodiffusion-llms.txt; the older page said 0.22)
    Pixelate,                  // 0.25 * n
    Animation,                 // 0.07 flat
    AnimationPremium,          // 0.25 flat (any_animation, 8_dir_rotation)
    AdvancedAnimation,         // 0.14 flat
    AdvancedAnimationPremium,  // 0.25 flat (custom_action, subtle_motion)
    Tileset,                   // 0.10 flat
};

enum class OutputFormat { Png, Gif };

// Where a style's entry comes from: this build's table, that table with the API's live
// selector limits over it, or the selector alone (a style newer than this build, a user style).
enum class StyleOrigin { BuiltIn, Live, LiveOnly };

struct Style {
    std::string id;                    // the current prompt_style, e.g. "rd_animation__vfx"
    std::vector<std::string> aliases;  // older names the API also accepts, e.g. "animation__vfx"
    std::string
        model;  // rd_pro, rd_fast, rd_plus, rd_mini, rd_animation, rd_advanced_animation, rd_tile
    StyleKind kind;
    std::string description;
    int min_width, max_width, min_height, max_height;
    bool square_only;           // width must equal height (vfx, for example)
    int max_images;             // largest num_images per request
    bool requires_input_image;  // e.g. rd_tile__tile_variation, rd_pro__edit, advanced animations
    int max_reference_images;   // 0 when reference_images is not supported
    PriceFormula price;
    OutputFormat output;            // Gif for animation styles (unless return_spritesheet)
    bool supports_frames_duration;  // advanced animations (4|6|8|10|12|16)

    // What only the live selector tells (empty in the built-in table).
    std::string name;                // display name, e.g. "Default"
    std::string example_prompt;      // a prompt that suits the style
    std::string prompt_requirement;  // whether a prompt is needed, in the API's words
    StyleOrigin origin = StyleOrigin::BuiltIn;
};

// Every public style, in a stable order: by model family, then as the documents list them.
const std::vector<Style>& all_styles();

// Looks a style up by its current id or by one of its aliases; nullptr when unknown (user styles,
// styles newer than this catalog: callers skip local checks and let the API decide).
const Style* find_style(std::string_view prompt_style);

std::string_view to_string(
    StyleKind kind);  // "image", "animation", "advanced_animation", "tileset"
std::optional<StyleKind> parse_style_kind(std::string_view text);
std::string_view to_string(OutputFormat format);  // "image/png", "image/gif"
std::string_view to_string(StyleOrigin origin);   // "built_in", "live", "live_only"

}  // namespace rdmcp::tools
