#include "tools/rd_prompts.h"

#include <charconv>

#include "tools/rd_resources.h"

namespace rdmcp::tools {

using protocol::PromptArgument;
using protocol::PromptArguments;
using protocol::PromptMessages;
using protocol::PromptOutcome;

namespace {

std::string value_or(const PromptArguments& arguments, const std::string& name,
                     std::string fallback) {
    auto it = arguments.find(name);
    return it == arguments.end() ? std::move(fallback) : it->second;
}

std::optional<int> whole_number(const std::string& text) {
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// "yes" / "no" as people type them; nothing for anything else.
std::optional<bool> yes_or_no(const std::string& text) {
    if (text == "yes" || text == "true" || text == "y" || text == "1") return true;
    if (text == "no" || text == "false" || text == "n" || text == "0") return false;
    return std::nullopt;
}

PromptArgument style_argument(const StylesPtr& styles, std::string fallback) {
    return {.name = "prompt_style",
            .title = "Style",
            .description = "A prompt_style id from rd://styles (default " + fallback + ").",
            .required = false,
            .completer = [styles](protocol::RequestContext& context) {
                return style_ids_for(styles, context.api_key);
            }};
}

// Said once in every workflow: where to check the style, and how a paid call stays safe.
std::string style_check(const std::string& style) {
    return "Read rd://styles/" + style + " (or call get_style_usage with prompt_style \"" + style +
           "\") for its sizes, inputs and price rule.";
}

constexpr const char* kPriceStep =
    "Call estimate_inference_cost with the same arguments (free) and tell me the price before "
    "paying; check get_balance if it is more than a few cents.";
constexpr const char* kPromptRule =
    "Describe the subject only; never write \"pixel art\" or style words in the prompt.";

PromptOutcome character(const PromptArguments& arguments) {
    const std::string who = arguments.at("character");
    const std::string style = value_or(arguments, "prompt_style", "rd_pro__default");
    const std::string poses = value_or(arguments, "poses", "idle, walking, attacking");
    PromptMessages result;
    result.description = "A consistent pixel-art character: " + who;
    result.user(
        "Make a consistent pixel-art character with RetroDiffusion: " + who +
        ".\n\n"
        "1. " +
        style_check(style) + "\n" + "2. " + kPriceStep + "\n" +
        "3. Generate the base character with create_inference: prompt_style \"" + style +
        "\", a plain background, one image, a fixed seed. " + kPromptRule + "\n" +
        "4. Show me the base image and ask whether to keep it before going on.\n"
        "5. For each pose (" +
        poses +
        "), call create_inference with the same style and size, "
        "the base image in reference_images, and a prompt such as \"the same character, " +
        "<pose>\". RD Pro styles take up to 9 reference images.\n"
        "6. Make the backgrounds transparent with run_edit_tool (tool_id background_remover) "
        "unless remove_bg was set, and save every image.\n"
        "If a call times out, do not resubmit: list_inference_jobs finds the job.");
    return result;
}

PromptOutcome animation(const PromptArguments& arguments) {
    const std::string subject = arguments.at("subject");
    const std::string action = value_or(arguments, "action", "walking");
    const std::string style = value_or(arguments, "prompt_style", "rd_animation__any_animation");
    std::optional<bool> sheet = yes_or_no(value_or(arguments, "spritesheet", "no"));
    if (!sheet) return std::string("argument spritesheet must be yes or no");
    PromptMessages result;
    result.description = "An animated sprite: " + subject + ", " + action;
    result.user(
        "Make an animated pixel-art sprite with RetroDiffusion: " + subject + ", " + action +
        ".\n\n"
        "1. " +
        style_check(style) +
        " Animation styles have fixed sizes; advanced animation "
        "styles (rd_advanced_animation__*) animate a still you give as input_image.\n" +
        "2. If I have a still of " + subject +
        " (or you make one first with an rd_pro style at "
        "the animation's size), prefer an advanced animation style such as "
        "rd_advanced_animation__walking with that still as input_image, exactly width x "
        "height, and a prompt describing the motion.\n" +
        "3. " + kPriceStep + "\n" + "4. Start it with start_inference_job (prompt_style \"" +
        style + "\"" + (*sheet ? ", return_spritesheet true for a PNG spritesheet" : ", a GIF") +
        ") and poll get_inference_job every few seconds, or read the rd://jobs/{job_id} "
        "resource: animations take 30-90 s and a long call may time out. " +
        kPromptRule + "\n" + "5. Show me the result and save it" +
        (*sheet ? " (frames left to right)."
                : "; offer a spritesheet version if I need one "
                  "for a game engine.") +
        "\nNever start the same job twice: list_inference_jobs finds a lost job_id.");
    return result;
}

PromptOutcome tileset(const PromptArguments& arguments) {
    const std::string texture = arguments.at("texture");
    const auto outside = arguments.find("outside_texture");
    const bool blended = outside != arguments.end();
    const std::string style = value_or(arguments, "prompt_style",
                                       blended ? "rd_tile__tileset_advanced" : "rd_tile__tileset");
    const std::string size_text = value_or(arguments, "tile_size", "32");
    const auto size = whole_number(size_text);
    if (!size || *size < 16 || *size > 32) {
        return "argument tile_size must be a tile size in pixels from 16 to 32, got \"" +
               size_text + "\"";
    }
    const std::string tile = std::to_string(*size);
    PromptMessages result;
    result.description = "A seamless tileset: " + texture;
    result.user(
        "Make a seamless pixel-art tileset with RetroDiffusion: " + texture +
        (blended ? " blending into " + outside->second : "") +
        ".\n\n"
        "1. " +
        style_check(style) + "\n" + "2. " + kPriceStep + "\n" +
        "3. Generate it with create_inference: prompt_style \"" + style +
        "\", width and "
        "height " +
        tile + " (the size of one tile), prompt \"" + texture + "\"" +
        (blended ? ", extra_prompt \"" + outside->second + "\" (the outside texture)" : "") + ". " +
        kPromptRule + "\n" +
        "4. Check the seams: if a single tile must repeat, run_edit_tool with seam_tiling "
        "fixes it (or generate a single tile with rd_tile__single_tile and tile_x/tile_y).\n" +
        "5. Save the tileset and tell me how its tiles are laid out.");
    return result;
}

PromptOutcome pipeline(const PromptArguments& arguments) {
    const std::string asset = arguments.at("asset");
    const std::string style = value_or(arguments, "prompt_style", "rd_pro__default");
    const std::string colors_text = value_or(arguments, "colors", "16");
    const auto colors = whole_number(colors_text);
    if (!colors || *colors < 2 || *colors > 256) {
        return "argument colors must be a number of colors from 2 to 256, got \"" + colors_text +
               "\"";
    }
    const std::string background = value_or(arguments, "background", "transparent");
    const bool transparent = background == "transparent";
    PromptMessages result;
    result.description = "A finished game asset: " + asset;
    result.user(
        "Make a finished, game-ready pixel-art asset with RetroDiffusion: " + asset +
        ".\n\n"
        "1. " +
        style_check(style) + "\n" + "2. " + kPriceStep +
        " Edit tools have their own price: estimate_edit_tool_cost.\n" +
        "3. Generate it with create_inference (prompt_style \"" + style + "\"). " + kPromptRule +
        "\n" +
        (transparent ? "4. Remove the background: run_edit_tool with tool_id background_remover.\n"
                     : "4. Keep the background: " + background + ".\n") +
        "5. Reduce it to " + std::to_string(*colors) +
        " colors: run_edit_tool with tool_id color_reducer and color_count " +
        std::to_string(*colors) + " (or palette_converter with my palette as input_palette).\n" +
        "6. Fix the pixel grid: fix_pixel_art (free) snaps stray pixels back onto a clean "
        "grid.\n" +
        "7. Save the final PNG and tell me what each step cost.");
    return result;
}

}  // namespace

protocol::PromptRegistry make_prompts(StylesPtr styles) {
    protocol::PromptRegistry prompts;
    prompts.add({{.name = "pixel_art_character",
                  .title = "Consistent pixel-art character",
                  .description = "One character, the same in every pose: an RD Pro base image, "
                                 "then each pose with it as a reference image.",
                  .arguments = {{.name = "character",
                                 .title = "Character",
                                 .description = "Who or what, e.g. \"a goblin merchant with a "
                                                "lantern\".",
                                 .required = true},
                                style_argument(styles, "rd_pro__default"),
                                {.name = "poses",
                                 .title = "Poses",
                                 .description = "Poses or views to make, comma-separated "
                                                "(default: idle, walking, attacking)."}}},
                 [](const PromptArguments& arguments, protocol::RequestContext&) {
                     return character(arguments);
                 }});
    prompts.add({{.name = "animated_sprite",
                  .title = "Animated sprite",
                  .description = "An animation from a prompt or from a still, as a GIF or a "
                                 "spritesheet, run as a job so nothing paid is lost.",
                  .arguments = {{.name = "subject",
                                 .title = "Subject",
                                 .description = "What moves, e.g. \"a fire mage\".",
                                 .required = true},
                                {.name = "action",
                                 .title = "Action",
                                 .description = "The motion, e.g. walking, attack, idle "
                                                "(default walking)."},
                                style_argument(styles, "rd_animation__any_animation"),
                                {.name = "spritesheet",
                                 .title = "Spritesheet",
                                 .description = "yes for a PNG spritesheet instead of a GIF "
                                                "(default no)."}}},
                 [](const PromptArguments& arguments, protocol::RequestContext&) {
                     return animation(arguments);
                 }});
    prompts.add({{.name = "seamless_tileset",
                  .title = "Seamless tileset",
                  .description = "A tileset from one texture, or two blended (inside and "
                                 "outside), with seams checked.",
                  .arguments = {{.name = "texture",
                                 .title = "Texture",
                                 .description = "The (inside) texture, e.g. \"grey stones with "
                                                "gravel\".",
                                 .required = true},
                                {.name = "outside_texture",
                                 .title = "Outside texture",
                                 .description = "A second texture around it, e.g. \"lush green "
                                                "grass\" (uses rd_tile__tileset_advanced)."},
                                style_argument(styles, "rd_tile__tileset"),
                                {.name = "tile_size",
                                 .title = "Tile size",
                                 .description = "One tile's size in pixels, 16-32 (default "
                                                "32)."}}},
                 [](const PromptArguments& arguments, protocol::RequestContext&) {
                     return tileset(arguments);
                 }});
    prompts.add({{.name = "asset_pipeline",
                  .title = "Game-ready asset",
                  .description = "Generate, remove the background, reduce to a palette and fix "
                                 "the pixel grid.",
                  .arguments = {{.name = "asset",
                                 .title = "Asset",
                                 .description = "What to make, e.g. \"a wooden treasure chest\".",
                                 .required = true},
                                style_argument(styles, "rd_pro__default"),
                                {.name = "colors",
                                 .title = "Colors",
                                 .description = "How many colors to keep, 2-256 (default 16)."},
                                {.name = "background",
                                 .title = "Background",
                                 .description = "transparent (default), or what to keep "
                                                "behind it."}}},
                 [](const PromptArguments& arguments, protocol::RequestContext&) {
                     return pipeline(arguments);
                 }});
    return prompts;
}

}  // namespace rdmcp::tools
