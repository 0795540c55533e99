#include "sim_edit_tools.h"

namespace rdsim {
namespace {

using F = FieldType;

std::vector<EditTool> build_tools() {
    return {
        {"image_edit",
         "Edit an image from a prompt",
         0.18,
         {{"prompt", F::String, true}, {"seed", F::Int}},
         {},
         256,
         8},
        {"inpainting",
         "Regenerate the masked area of an image",
         0.18,
         {{"mask_image", F::String, true},
          {"prompt", F::String, true},
          {"seed", F::Int},
          {"soft_inpaint", F::Bool}},
         {{"soft_inpaint", false}},
         0,
         8},
        {"outpainting",
         "Extend an image past its edges",
         0.18,
         {{"expand_left", F::Int},
          {"expand_right", F::Int},
          {"expand_top", F::Int},
          {"expand_bottom", F::Int},
          {"prompt", F::String},
          {"seed", F::Int},
          {"soft_inpaint", F::Bool}},
         {{"expand_left", 0}, {"expand_right", 0}, {"expand_top", 0}, {"expand_bottom", 0}},
         0,
         8},
        {"seam_tiling",
         "Make an image tile seamlessly",
         0.18,
         {{"tile_x", F::Bool},
          {"tile_y", F::Bool},
          {"seam_width", F::Int},
          {"repair_window_size", F::Int},
          {"seed", F::Int}},
         {{"tile_x", true}, {"tile_y", true}},
         0,
         8},
        {"background_remover",
         "Remove the background",
         0.01,
         {{"transparency_threshold", F::Number}, {"force_solid_pixels", F::Bool}},
         {},
         0,
         2},
        {"color_style_transfer",
         "Transfer the colours of another image",
         0.01,
         {{"extra_input_image", F::String, true}},
         {},
         0,
         2},
        {"color_reducer",
         "Reduce the number of colours",
         0,
         {{"color_count", F::Int}, {"dither_mode", F::String}, {"dither_strength", F::Number}},
         {{"color_count", 16}},
         0,
         1},
        {"palette_converter",
         "Map the image onto a palette",
         0,
         {{"input_palette", F::String, true},
          {"dither_mode", F::String},
          {"dither_strength", F::Number}},
         {},
         0,
         1},
        {"k_centroid_downscale",
         "Downscale to a native pixel grid",
         0,
         {{"width", F::Int, true}, {"height", F::Int, true}},
         {},
         0,
         1},
        {"pixel_correction", "Clean up stray pixels", 0, {}, {}, 0, 1},
        {"rotate",
         "Rotate the image",
         0,
         {{"rotation_degrees", F::Int}},
         {{"rotation_degrees", 90}},
         0,
         1},
    };
}

std::string_view type_name(FieldType t) {
    switch (t) {
        case F::String:
            return "string";
        case F::Int:
            return "integer";
        case F::Number:
            return "number";
        case F::Bool:
            return "boolean";
        case F::StringList:
            return "array";
    }
    return "string";
}

std::optional<std::string> check_extra_image(const nlohmann::json& body, const char* field,
                                             const ImageInfo& input, bool same_size) {
    const auto text = get_string(body, field);
    if (!text) return std::nullopt;
    const ProbeResult probe = probe_base64_image(*text, true);
    if (!probe.info) return std::string(field) + " " + probe.error;
    if (same_size && (probe.info->width != input.width || probe.info->height != input.height))
        return std::string(field) + " must match input_image dimensions";
    return std::nullopt;
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

nlohmann::json edit_tool_json(const EditTool& t) {
    nlohmann::json fields =
        nlohmann::json::array({{{"name", "input_image"}, {"type", "string"}, {"required", true}}});
    for (const FieldSpec& f : t.fields)
        fields.push_back({{"name", f.name}, {"type", type_name(f.type)}, {"required", f.required}});
    nlohmann::json limits = nlohmann::json::object();
    if (t.max_size > 0) limits = {{"max_width", t.max_size}, {"max_height", t.max_size}};
    return {{"tool_id", t.id},
            {"description", t.description},
            {"api_fields", fields},
            {"cost", t.cost_usd},
            {"defaults", t.defaults},
            {"limits", limits},
            {"requires_minimum_balance", 0},
            {"enabled", true}};
}

ToolCheck check_edit_tool_request(const EditTool& t, const nlohmann::json& body,
                                  const ImageInfo& in) {
    ToolCheck out{std::nullopt, in.width, in.height};
    auto fail = [&](std::string msg) {
        out.error = std::move(msg);
        return out;
    };
    if (t.max_size > 0 && (in.width > t.max_size || in.height > t.max_size))
        return fail(t.id + " supports images up to " + std::to_string(t.max_size) + "x" +
                    std::to_string(t.max_size));
    if (auto e = check_extra_image(body, "mask_image", in, true)) return fail(*e);
    if (auto e = check_extra_image(body, "extra_input_image", in, false)) return fail(*e);
    if (auto e = check_extra_image(body, "input_palette", in, false)) return fail(*e);
    if (t.id == "outpainting") {
        std::int64_t any = 0;
        for (const char* f : {"expand_left", "expand_right", "expand_top", "expand_bottom"}) {
            const std::int64_t v = get_int(body, f).value_or(0);
            if (v < 0) return fail(std::string(f) + " must not be negative");
            any += v;
        }
        if (any == 0) return fail("outpainting needs at least one positive expand_* value");
        out.out_width += static_cast<int>(get_int(body, "expand_left").value_or(0) +
                                          get_int(body, "expand_right").value_or(0));
        out.out_height += static_cast<int>(get_int(body, "expand_top").value_or(0) +
                                           get_int(body, "expand_bottom").value_or(0));
        if (out.out_width > 2048 || out.out_height > 2048)
            return fail("outpainting result is too large");
    }
    if (t.id == "k_centroid_downscale") {
        const std::int64_t w = *get_int(body, "width"), h = *get_int(body, "height");
        if (w < 1 || h < 1 || w > in.width || h > in.height)
            return fail("width and height must be between 1 and the input image size");
        out.out_width = static_cast<int>(w);
        out.out_height = static_cast<int>(h);
    }
    if (t.id == "rotate") {
        const std::int64_t deg = get_int(body, "rotation_degrees").value_or(90);
        if (((deg % 360) + 360) % 360 % 180 == 90) std::swap(out.out_width, out.out_height);
    }
    return out;
}

}  // namespace rdsim
