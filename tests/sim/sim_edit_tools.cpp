#include "sim_edit_tools.h"

#include <cctype>
#include <map>

namespace rdsim {
namespace {

using nlohmann::json;
using F = FieldType;

EditField image(std::string id, std::string label, bool required) {
    return {std::move(id), std::move(label), "image", F::String, required, nullptr, {}, {}, {}};
}
EditField text(std::string id, std::string label, bool required, std::string placeholder) {
    return {std::move(id),         std::move(label), "text", F::String, required, nullptr, {}, {},
            std::move(placeholder)};
}
EditField integer(std::string id, std::string label, json def, std::optional<int> min,
                  std::optional<int> max, bool required = false) {
    return {
        std::move(id), std::move(label), "integer", F::Int, required, std::move(def), min, max, {}};
}
EditField number(std::string id, std::string label, json def, std::optional<int> min,
                 std::optional<int> max) {
    return {
        std::move(id), std::move(label), "number", F::Number, false, std::move(def), min, max, {}};
}
EditField boolean(std::string id, std::string label, bool def) {
    return {std::move(id), std::move(label), "boolean", F::Bool, false, def, {}, {}, {}};
}
EditField seed() { return integer("seed", "Seed", nullptr, {}, {}); }
EditField prompt(bool required) {
    return text("prompt", "Prompt", required, "Describe the change, e.g. add a tiny wizard hat");
}
EditField soft_inpaint() { return boolean("soft_inpaint", "Soft inpaint", false); }
EditField expand(const char* side, const char* label) {
    return integer(std::string("expand_") + side, label, 0, 0, 256);
}
// Documented: dither_strength 0-10, default 5 (values above 10 are read as the old 0-100 scale).
std::vector<EditField> dithering() {
    EditField mode{"dither_mode",
                   "Dither mode",
                   "select",
                   F::String,
                   false,
                   "none",
                   {},
                   {},
                   "none | bayer_2x2 | bayer_4x4 | bayer_8x8"};
    return {mode, number("dither_strength", "Dither strength", 5, 0, 10)};
}

// Prices and fields from the documents; max_input_size is documented for image_edit (256) only:
// the sim takes 256 for the other generative tools and 512 for the rest.
std::vector<EditTool> build_tools() {
    std::vector<EditTool> tools = {
        {"image_edit",
         "Image Edit",
         "Edit an image from a text prompt.",
         0.18,
         20,
         false,
         256,
         false,
         true,
         30,
         {prompt(true), seed()}},
        {"inpainting",
         "Inpainting",
         "Replace the masked area of an image from a text prompt.",
         0.18,
         20,
         false,
         256,
         false,
         true,
         35,
         {image("mask_image", "Mask image", true), prompt(true), seed(), soft_inpaint()}},
        {"outpainting",
         "Outpainting",
         "Extend an image past its edges.",
         0.18,
         20,
         false,
         256,
         false,
         true,
         35,
         {expand("left", "Expand left"), expand("right", "Expand right"),
          expand("top", "Expand top"), expand("bottom", "Expand bottom"), prompt(false), seed(),
          soft_inpaint()}},
        {"background_remover",
         "Background Remover",
         "Remove the background of an image.",
         0.01,
         1,
         false,
         512,
         false,
         false,
         3,
         {boolean("force_solid_pixels", "Force solid pixels", true),
          integer("transparency_threshold", "Transparency threshold", 128, 0, 255)}},
        {"color_reducer",
         "Color Reducer",
         "Reduce the number of colors in an image.",
         0,
         0,
         true,
         512,
         true,
         false,
         1,
         {integer("color_count", "Color count", 16, 2, 256)}},
        {"pixel_correction",
         "Pixel Correction",
         "Clean up stray and off-grid pixels.",
         0,
         0,
         false,
         512,
         false,
         false,
         2,
         {}},
        {"palette_converter",
         "Palette Converter",
         "Map an image onto the colors of a palette.",
         0,
         0,
         true,
         512,
         true,
         false,
         1,
         {image("input_palette", "Palette image", true)}},
        {"color_style_transfer",
         "Color Style Transfer",
         "Recolor an image with the colors of a reference image.",
         0.01,
         1,
         false,
         512,
         true,
         false,
         2,
         {image("extra_input_image", "Reference image", true)}},
        {"k_centroid_downscale",
         "K-Centroid Downscale",
         "Downscale an image to a native pixel grid.",
         0,
         0,
         true,
         512,
         true,
         false,
         1,
         {integer("width", "Width", nullptr, 1, 512, true),
          integer("height", "Height", nullptr, 1, 512, true)}},
        {"seam_tiling",
         "Seam Tiling",
         "Repair the seams so an image tiles.",
         0.18,
         20,
         false,
         256,
         false,
         false,
         6,
         {boolean("tile_x", "Tile horizontally", true), boolean("tile_y", "Tile vertically", false),
          integer("seam_width", "Seam width", 8, 1, 64),
          integer("repair_window_size", "Repair window size", 32, 1, 128), seed()}},
        {"rotate",
         "Rotate",
         "Rotate an image.",
         0,
         0,
         false,
         512,
         false,
         false,
         1,
         {number("rotation_degrees", "Rotation (degrees)", 90, -360, 360)}},
    };
    for (EditTool& t : tools) {
        if (t.id == "color_reducer" || t.id == "palette_converter")
            for (EditField& f : dithering()) t.fields.push_back(f);
    }
    return tools;
}

json field_json(const EditField& f) {
    json out = {{"id", f.id},
                {"label", f.label},
                {"type", f.type},
                {"required", f.required},
                {"allowBlank", !f.required}};
    if (!f.default_value.is_null()) out["defaultValue"] = f.default_value;
    if (f.min) out["min"] = *f.min;
    if (f.max) out["max"] = *f.max;
    if (!f.placeholder.empty()) out["placeholder"] = f.placeholder;
    return out;
}

std::string camel_case(const std::string& snake) {
    std::string out;
    bool upper = false;
    for (const char c : snake) {
        if (c == '_') {
            upper = true;
            continue;
        }
        out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    return out;
}

// The older `fields` list of the web canvas UI: other ids and widget types than api_fields,
// so a client that reads it instead of api_fields is caught by the tests.
json ui_field_json(const EditField& f) {
    static const std::map<std::string, std::string> widgets = {
        {"image", "upload"},  {"text", "textarea"},  {"integer", "slider"},
        {"number", "slider"}, {"boolean", "toggle"}, {"select", "dropdown"}};
    return {{"id", camel_case(f.id)}, {"label", f.label}, {"type", widgets.at(f.type)}};
}

}  // namespace

const std::vector<EditTool>& edit_tools() {
    static const std::vector<EditTool> tools = build_tools();
    return tools;
}

const EditTool* find_edit_tool(const std::string& id) {
    for (const EditTool& t : edit_tools()) {
        if (t.id == id) return &t;
    }
    return nullptr;
}

json edit_tool_json(const EditTool& t) {
    json api_fields = json::array({field_json(image("input_image", "Input image", true))});
    json ui_fields = json::array();
    for (const EditField& f : t.fields) {
        api_fields.push_back(field_json(f));
        ui_fields.push_back(ui_field_json(f));
    }
    EditField custom_id = text("custom_id", "Custom ID", false,
                               "Your own label for this run (at most 128 characters)");
    api_fields.push_back(field_json(custom_id));
    const bool free = t.balance_cost == 0;
    return {{"id", t.id},
            {"name", t.name},
            {"description", t.description},
            {"api_fields", api_fields},
            {"fields", ui_fields},
            {"balance_cost", t.balance_cost},
            {"credit_cost", t.credit_cost},
            {"is_free", free},
            {"requires_minimum_balance", t.requires_minimum_balance},
            {"max_input_size", t.max_input_size},
            {"balanceCost", t.balance_cost},
            {"creditCost", t.credit_cost},
            {"isFree", free},
            {"requiresMinimumBalance", t.requires_minimum_balance},
            {"maxInputSize", t.max_input_size}};
}

const std::vector<FieldSpec>& edit_run_input_schema() {
    static const std::vector<FieldSpec> schema = [] {
        std::vector<FieldSpec> specs = {{"input_image", F::String, true},
                                        {"custom_id", F::String},
                                        // The contract's other ExternalEditToolRunInput properties.
                                        {"dithering", F::Bool},
                                        {"outpaint_context_left", F::Int},
                                        {"outpaint_context_top", F::Int},
                                        {"output_image", F::String},
                                        {"region_plan", F::Object},
                                        {"scheduled_region_job_id", F::Int},
                                        {"scheduled_region_mode", F::Bool},
                                        {"scheduled_region_quality", F::String},
                                        {"seam_debug_return_raw_output", F::Bool},
                                        {"seam_debug_return_shifted_output", F::Bool}};
        for (const EditTool& t : edit_tools()) {
            for (const EditField& f : t.fields) {
                bool seen = false;
                for (const FieldSpec& s : specs) seen = seen || s.name == f.id;
                if (!seen) specs.push_back({f.id, f.json_type, false});
            }
        }
        return specs;
    }();
    return schema;
}

}  // namespace rdsim
