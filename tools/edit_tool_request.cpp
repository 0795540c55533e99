#include "tools/edit_tool_request.h"

#include <algorithm>
#include <cctype>

#include "common/base64.h"
#include "tools/image_pixels.h"
#include "tools/project_save.h"
#include "tools/spend_guard.h"
#include "tools/tool_arguments.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

enum class Kind { Text, Whole, Number, Flag, Image };

struct KnownField {
    const char* name;
    Kind kind;
};

// Every field the documents name for some tool. Others pass through to the API untouched.
const std::vector<KnownField>& known_fields() {
    static const std::vector<KnownField> fields = {
        {"prompt", Kind::Text},
        {"seed", Kind::Whole},
        {"mask_image", Kind::Image},
        {"soft_inpaint", Kind::Flag},
        {"expand_left", Kind::Whole},
        {"expand_right", Kind::Whole},
        {"expand_top", Kind::Whole},
        {"expand_bottom", Kind::Whole},
        {"force_solid_pixels", Kind::Flag},
        {"transparency_threshold", Kind::Whole},
        {"color_count", Kind::Whole},
        {"dither_mode", Kind::Text},
        {"dither_strength", Kind::Number},
        {"input_palette", Kind::Image},
        {"extra_input_image", Kind::Image},
        {"width", Kind::Whole},
        {"height", Kind::Whole},
        {"tile_x", Kind::Flag},
        {"tile_y", Kind::Flag},
        {"seam_width", Kind::Whole},
        {"repair_window_size", Kind::Whole},
        {"rotation_degrees", Kind::Number},
        {"upload_outputs", Kind::Flag},
        {"custom_id", Kind::Text},
    };
    return fields;
}

const KnownField* known(const std::string& name) {
    for (const auto& f : known_fields()) {
        if (name == f.name) return &f;
    }
    return nullptr;
}

bool is_server_argument(const std::string& name) {
    return name == "tool_id" || name == "input_image" || name == "output_dir" ||
           name == kMaxCostArgument ||  // the spend guard's, never the API's
           name == kSaveToArgument || name == kFilenameArgument;
}

// Fields that would change what the API answers into something this tool cannot read (a
// scheduled region job, a task) and so could lose a paid result: never passed through.
std::optional<std::string> refused_pass_through(const std::string& name) {
    if (name == "async" || name == "check_cost") {
        return "'" + name +
               "' is not an edit tool field: use estimate_edit_tool_cost for the price; "
               "run_edit_tool decides itself whether to run as a task";
    }
    if (name.rfind("scheduled_region", 0) == 0 || name == "region_plan") {
        return "'" + name +
               "' starts a scheduled region job, which this server does not run; "
               "remove it";
    }
    if (std::any_of(name.begin(), name.end(), [](unsigned char c) { return std::isupper(c); })) {
        return "'" + name + "': edit tool fields are snake_case (e.g. input_image, mask_image)";
    }
    return std::nullopt;
}

std::string size_text(const ImageInfo& info) {
    return std::to_string(info.width) + "x" + std::to_string(info.height);
}

std::string allowed_list(const EditToolDefinition& tool) {
    std::string list;
    for (const auto& f : tool.api_fields) {
        if (f.id == "input_image" || f.id == "custom_id") continue;
        list += (list.empty() ? "" : ", ") + f.id;
    }
    return list.empty() ? "no other field" : list;
}

// The catalog's min/max for a number. dither_strength takes both of its documented scales.
std::optional<std::string> check_range(const EditToolDefinition& tool, const std::string& name,
                                       double value) {
    std::optional<double> min, max;
    if (const auto* field = tool.field(name)) {
        min = field->min;
        max = field->max;
    }
    if (name == "dither_strength") {
        min = 0;
        max = 100;
    }
    if ((min && value < *min) || (max && value > *max)) {
        std::string range = min && max ? "between " + limit_text(*min) + " and " + limit_text(*max)
                            : min      ? "at least " + limit_text(*min)
                                       : "at most " + limit_text(*max);
        return "'" + name + "' must be " + range + " for " + tool.id + ", got " + limit_text(value);
    }
    return std::nullopt;
}

std::optional<std::string> check_mask(const Json& images, const ImageInfo& input,
                                      std::vector<std::string>& warnings) {
    const auto& base64 = images["mask_image"].get_ref<const std::string&>();
    const auto info = read_base64_image_info(base64);
    if (!info) return std::string("'mask_image' is not an image the API reads");
    if (info->width != input.width || info->height != input.height) {
        return "'mask_image' must have the input image's exact size (" + size_text(input) +
               "), got " + size_text(*info) + ". Make the mask on a canvas of the input's size";
    }
    if (info->mime_type != "image/png") {
        if (info->mime_type == "image/jpeg") {
            warnings.push_back(
                "mask_image is a JPEG, which has no transparency: it selects every pixel, so the "
                "whole image is repainted. Use an RGBA PNG, transparent where pixels stay.");
        }
        return std::nullopt;
    }
    const auto bytes = base64_decode(base64);
    std::string problem;
    const auto coverage = bytes ? png_mask_coverage(*bytes, problem) : std::nullopt;
    if (!coverage) return "'mask_image' could not be read as a PNG (" + problem + ")";
    if (coverage->selected == 0) {
        return std::string(
                   "'mask_image' selects no pixel, so nothing would be repainted: mark the area "
                   "to repaint with ") +
               (coverage->read == MaskCoverage::Read::Gray ? "values above 12 (white)"
                                                           : "alpha above 12 (opaque)") +
               " and leave the rest at 0";
    }
    if (coverage->read == MaskCoverage::Read::Opaque) {
        warnings.push_back(
            "mask_image has no alpha channel (an opaque RGB image), so it selects every pixel and "
            "the whole image is repainted. For part of it, send an RGBA PNG, transparent where "
            "pixels stay, or a grayscale PNG, black where they stay.");
    } else if (coverage->selected == coverage->total) {
        warnings.push_back("mask_image selects every pixel: the whole image is repainted.");
    }
    return std::nullopt;
}

std::optional<std::string> check_animation(const Json& images, const ImageInfo& input,
                                           const EditToolDefinition& tool) {
    if (input.mime_type != "image/gif" || tool.takes_animated_gif()) return std::nullopt;
    const auto bytes = base64_decode(images["input_image"].get_ref<const std::string&>());
    const auto frames = bytes ? gif_frame_count(*bytes) : std::nullopt;
    if (frames && *frames > 1) {
        return "'input_image' is an animated GIF; " + tool.id +
               " takes still images only (animated GIFs go to color_reducer, palette_converter, "
               "color_style_transfer and k_centroid_downscale). Send one frame as a PNG";
    }
    return std::nullopt;
}

bool flag_or_default(const Json& body, const EditToolDefinition& tool, const char* name,
                     bool fallback) {
    if (auto it = body.find(name); it != body.end() && it->is_boolean()) return it->get<bool>();
    if (const auto* field = tool.field(name);
        field && field->default_value && field->default_value->is_boolean()) {
        return field->default_value->get<bool>();
    }
    return fallback;
}

// The rules the documents state for particular tools.
std::optional<std::string> check_tool_rules(const EditToolRequest& request,
                                            const EditToolDefinition& tool) {
    const Json& body = request.body;
    if (tool.id == "outpainting") {
        long long total = 0;
        for (const char* side : {"expand_left", "expand_right", "expand_top", "expand_bottom"}) {
            const long long value = body.value(side, 0LL);
            if (value < 0) return "'" + std::string(side) + "' must not be negative";
            total += value;
        }
        if (total == 0) {
            return std::string(
                "outpainting needs at least one positive expand_left, expand_right, expand_top "
                "or expand_bottom (pixels to add on that side)");
        }
    }
    if (tool.id == "seam_tiling" && !flag_or_default(body, tool, "tile_x", true) &&
        !flag_or_default(body, tool, "tile_y", false)) {
        return std::string("seam_tiling needs tile_x or tile_y set to true (the axis to tile)");
    }
    if (tool.id == "k_centroid_downscale" && body.contains("width") && body.contains("height")) {
        const long long width = body["width"], height = body["height"];
        if (width > request.input.width || height > request.input.height) {
            return "k_centroid_downscale only makes images smaller: width and height must be at "
                   "most the input's " +
                   size_text(request.input) + ", got " + std::to_string(width) + "x" +
                   std::to_string(height);
        }
    }
    if (auto it = body.find("dither_mode"); it != body.end()) {
        static const std::vector<std::string> kModes = {"none", "bayer_2x2", "bayer_4x4",
                                                        "bayer_8x8"};
        if (std::find(kModes.begin(), kModes.end(), it->get<std::string>()) == kModes.end()) {
            return "'dither_mode' must be none, bayer_2x2, bayer_4x4 or bayer_8x8, got " +
                   it->dump();
        }
    }
    return std::nullopt;
}

std::optional<std::string> read_known(ArgumentReader& read, const KnownField& field,
                                      EditToolRequest& request, const ImageInputPolicy& policy) {
    const char* name = field.name;
    switch (field.kind) {
        case Kind::Text: {
            std::optional<std::string> value;
            read.text(name, value);
            if (value) request.body[name] = *value;
            break;
        }
        case Kind::Whole: {
            std::optional<long long> value;
            if (std::string(name) == "seed") {
                read.whole(name, value);
            } else {  // sizes and counts: anything larger is a mistake, not a request
                read.whole(name, value, "a whole number", -1'000'000'000LL, 1'000'000'000LL);
            }
            if (value) request.body[name] = *value;
            break;
        }
        case Kind::Number: {
            std::optional<double> value;
            read.number(name, value);
            if (value) request.body[name] = *value;
            break;
        }
        case Kind::Flag: {
            std::optional<bool> value;
            read.flag(name, value);
            if (value) request.body[name] = *value;
            break;
        }
        case Kind::Image: {
            std::optional<std::string> value;
            read.text(name, value);
            if (!value) break;
            auto resolved = resolve_image_input(name, *value, policy);
            if (auto* problem = std::get_if<std::string>(&resolved)) return *problem;
            request.images[name] = std::move(std::get<ImageInput>(resolved).base64);
            break;
        }
    }
    return read.problem();
}

}  // namespace

std::string read_edit_tool_id(const Json& arguments, std::string& problem) {
    std::string id;
    ArgumentReader read(arguments);
    read.required_text("tool_id", id);
    if (read.problem()) {
        problem = *read.problem() + " (list_edit_tools lists the tools)";
        return "";
    }
    if (id.empty()) problem = "'tool_id' must name an edit tool (list_edit_tools lists them)";
    return id;
}

std::variant<EditToolRequest, std::string> build_edit_tool_request(const Json& arguments,
                                                                   const EditToolDefinition& tool,
                                                                   const ImageInputPolicy& policy) {
    EditToolRequest request;
    request.tool_id = tool.id;
    std::string input_image;
    std::optional<std::string> output_dir;
    ArgumentReader read(arguments);
    read.required_text("input_image", input_image);
    read.text("output_dir", output_dir);
    if (read.problem()) return *read.problem();
    if (output_dir && !policy.allow_local_files) {
        return std::string(
            "'output_dir' only works when the server runs locally over stdio; remove it (hosted "
            "servers return images inline or as links)");
    }
    request.output_dir = output_dir.value_or("");

    auto resolved = resolve_image_input("input_image", input_image, policy);
    if (auto* problem = std::get_if<std::string>(&resolved)) return std::move(*problem);
    request.input = std::get<ImageInput>(resolved).info;
    request.images["input_image"] = std::move(std::get<ImageInput>(resolved).base64);

    const bool fields_known = !tool.api_fields.empty();
    for (const auto& [name, value] : arguments.items()) {
        if (is_server_argument(name)) continue;
        if (const auto* field = known(name)) {
            const bool general = name == "custom_id" || name == "upload_outputs";
            if (fields_known && !general && !tool.field(name)) {
                return "'" + name + "' is not a field of " + tool.id + ", which takes " +
                       allowed_list(tool) + ". Remove it (or pick another tool)";
            }
            if (auto problem = read_known(read, *field, request, policy)) {
                return *problem;
            }
            if (value.is_number()) {
                if (auto problem = check_range(tool, name, value.get<double>())) return *problem;
            }
            continue;
        }
        if (auto refusal = refused_pass_through(name)) return *refusal;
        request.body[name] = value;  // a field the API has and this server does not know yet
    }

    for (const auto& field : tool.api_fields) {
        if (!field.required || field.id == "input_image") continue;
        if (!request.body.contains(field.id) && !request.images.contains(field.id)) {
            return tool.id + " requires '" + field.id + "'. " + describe_fields(tool);
        }
    }
    if (auto id = request.body.find("custom_id"); id != request.body.end()) {
        const auto& text = id->get_ref<const std::string&>();
        if (text.empty() || text.size() > 128) {
            return std::string("'custom_id' must be 1 to 128 characters");
        }
        request.custom_id = text;
    }
    // The edit endpoints take no upload_outputs (their schema forbids unknown fields): it only
    // says whether hosted results are fetched here or handed on as links.
    request.upload_outputs = request.body.value("upload_outputs", false);
    request.body.erase("upload_outputs");
    if (tool.max_input_size && (request.input.width > *tool.max_input_size ||
                                request.input.height > *tool.max_input_size)) {
        return "'input_image' is " + size_text(request.input) + ", larger than " + tool.id +
               " takes (" + std::to_string(*tool.max_input_size) +
               " pixels a side at most). "
               "Downscale it first (k_centroid_downscale keeps the pixel grid)";
    }
    if (auto problem = check_animation(request.images, request.input, tool)) return *problem;
    if (request.images.contains("mask_image")) {
        if (auto problem = check_mask(request.images, request.input, request.warnings)) {
            return *problem;
        }
    }
    if (auto problem = check_tool_rules(request, tool)) return *problem;
    return request;
}

std::string describe_fields(const EditToolDefinition& tool) {
    std::string required, optional;
    for (const auto& f : tool.api_fields) {
        if (f.id == "input_image" || f.id == "custom_id") continue;
        auto& list = f.required ? required : optional;
        list += (list.empty() ? "" : ", ") + f.id;
    }
    std::string text = tool.id + " requires input_image";
    if (!required.empty()) text += " and " + required;
    if (!optional.empty()) text += "; takes " + optional;
    return text + ".";
}

// Each tool's own fields are listed by list_edit_tools (and named by the error for a field a
// tool does not take), not here: 24 fields would cost every conversation 2 KB of tools/list.
// They pass the schema (no additionalProperties bound) and are checked by prepare_edit.
Json edit_tool_input_schema(const ToolsConfig& config) {
    Json properties = {
        {"tool_id",
         {{"type", "string"},
          {"minLength", 1},
          {"description", "A tool of list_edit_tools, e.g. background_remover."}}},
        {"input_image", {{"type", "string"}, {"minLength", 1}}},
        {"prompt", {{"type", "string"}, {"description", "image_edit, inpainting, outpainting."}}},
        {"mask_image",
         {{"type", "string"},
          {"description", "inpainting: the input's size, opaque where repainted."}}},
    };
    properties[kMaxCostArgument] = max_cost_schema();
    if (config.local_files_allowed) {
        properties["output_dir"] = {{"type", "string"}, {"minLength", 1}};
    }
    add_save_properties(properties, config.local_files_allowed, /*with_frames=*/false);
    // Other members are fields the API has and this server does not know yet: passed through.
    return {{"type", "object"},
            {"properties", std::move(properties)},
            {"required", {"tool_id", "input_image"}}};
}

}  // namespace rdmcp::tools
