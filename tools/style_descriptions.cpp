#include "tools/style_descriptions.h"

#include <algorithm>

#include "tools/cost_model.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

bool animated(const Style& s) {
    return s.kind == StyleKind::Animation || s.kind == StyleKind::AdvancedAnimation;
}

bool advanced_tileset(const Style& s) { return s.id == "rd_tile__tileset_advanced"; }

// Each input the style takes, and how: "required", "optional: ..." or left out.
Json inputs_of(const Style& s) {
    Json inputs = Json::object();
    if (s.requires_input_image) {
        inputs["input_image"] = s.kind == StyleKind::AdvancedAnimation
                                    ? "required: the start frame, exactly width x height"
                                    : "required: the image to work from (raw base64 PNG)";
    } else if (s.kind == StyleKind::Image || s.kind == StyleKind::Tileset) {
        inputs["input_image"] = "optional: img2img source, changed by strength (0-1, 0.75)";
    }
    if (s.max_reference_images > 0) {
        inputs["reference_images"] = "optional: up to " + std::to_string(s.max_reference_images) +
                                     " images guiding style and content";
    }
    if (s.supports_frames_duration) inputs["frames_duration"] = "optional: 4, 6, 8, 10, 12 or 16";
    if (advanced_tileset(s)) {
        inputs["extra_prompt"] = "optional: the second (outside) texture";
        inputs["extra_input_image"] = "optional: the second texture as an image";
    }
    if (animated(s)) {
        inputs["return_spritesheet"] = "optional: a PNG spritesheet instead of the GIF";
    } else {
        inputs["remove_bg"] = "optional: transparent background";
        inputs["tile_x"] = "optional: seamless horizontally (tile_y: vertically)";
        inputs["input_palette"] = "optional: an image whose colors constrain the output";
    }
    return inputs;
}

std::string default_prompt(const Style& s) {
    if (!s.example_prompt.empty()) return s.example_prompt;
    switch (s.kind) {  // the documents' own examples
        case StyleKind::AdvancedAnimation:
            return "Confident, steady steps";
        case StyleKind::Tileset:
            return "grey stones with gravel";
        case StyleKind::Animation:
            return "a goblin merchant";
        case StyleKind::Image:
            break;
    }
    return "A knight resting by a campfire in a forest clearing at night";
}

Json example_call(const Style& s, int width, int height, int num_images) {
    Json call = {{"prompt", default_prompt(s)},
                 {"prompt_style", s.id},
                 {"width", width},
                 {"height", height},
                 {"num_images", num_images}};
    if (s.requires_input_image) call["input_image"] = "<base64 PNG>";
    if (s.supports_frames_duration) call["frames_duration"] = 8;
    if (advanced_tileset(s)) call["extra_prompt"] = "lush green grass";
    return call;
}

std::vector<std::string> tips_for(const Style& s) {
    std::vector<std::string> tips = {
        "Describe the subject only; the style makes it pixel art (never write \"pixel art\")."};
    if (s.model == "rd_pro" || s.model == "user") {
        tips.push_back(
            "Consistent character: generate it once with this style, then pass that image in "
            "reference_images of the follow-up requests.");
    }
    if (animated(s)) {
        tips.push_back(
            "Animations take 30-90 s: use start_inference_job and poll get_inference_job, or "
            "your client may give up on the call.");
    }
    if (s.kind == StyleKind::AdvancedAnimation) {
        tips.push_back(
            "The start frame (input_image) must be exactly width x height; describe the motion "
            "in the prompt.");
    }
    if (advanced_tileset(s)) {
        tips.push_back("prompt is the inside texture, extra_prompt the outside one.");
    }
    if (s.kind == StyleKind::Tileset && !advanced_tileset(s)) {
        tips.push_back("width and height are the size of one tile.");
    }
    if (s.square_only) tips.push_back("width must equal height.");
    tips.push_back("Reuse a seed to iterate on one composition; change only the prompt.");
    tips.push_back(
        "estimate_inference_cost gives the API's own price (free); this price is the documented "
        "formula.");
    return tips;
}

// What the entry and the usage page both begin with: the style, its family and its limits.
Json identity_and_limits(const Style& s) {
    return {{"prompt_style", s.id},         {"model", s.model},
            {"kind", to_string(s.kind)},    {"description", s.description},
            {"min_width", s.min_width},     {"max_width", s.max_width},
            {"min_height", s.min_height},   {"max_height", s.max_height},
            {"square_only", s.square_only}, {"max_images", s.max_images}};
}

}  // namespace

Json style_entry_json(const Style& s) {
    Json entry = identity_and_limits(s);
    entry.update({{"aliases", s.aliases},
                  {"requires_input_image", s.requires_input_image},
                  {"max_reference_images", s.max_reference_images},
                  {"supports_frames_duration", s.supports_frames_duration},
                  {"output_mime_type", to_string(s.output)},
                  {"price", describe_price(s.price)},
                  {"origin", to_string(s.origin)}});
    // Only the live selector has these; left out rather than sent empty.
    if (!s.name.empty()) entry["name"] = s.name;
    if (!s.example_prompt.empty()) entry["example_prompt"] = s.example_prompt;
    return entry;
}

std::pair<int, int> default_usage_size(const Style& s, std::optional<int> width,
                                       std::optional<int> height) {
    const int w = width.value_or(std::clamp(height.value_or(128), s.min_width, s.max_width));
    const int h = height.value_or(s.square_only ? w : std::clamp(w, s.min_height, s.max_height));
    return {w, h};
}

Json style_usage_json(const Style& s, int width, int height, int num_images,
                      std::string_view catalog_source) {
    Json page = identity_and_limits(s);
    page.update({{"inputs", inputs_of(s)},
                 {"output_mime_type", to_string(s.output)},
                 {"price",
                  {{"balance_cost", estimate_cost(s, width, height, num_images)},
                   {"formula", describe_price(s.price)},
                   {"width", width},
                   {"height", height},
                   {"num_images", num_images}}},
                 {"example_call", example_call(s, width, height, num_images)},
                 {"tips", tips_for(s)},
                 {"origin", to_string(s.origin)},
                 {"catalog_source", catalog_source}});
    return page;
}

}  // namespace rdmcp::tools
