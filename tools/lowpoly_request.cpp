#include "tools/lowpoly_request.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iterator>
#include <tuple>

#include "common/text.h"
#include "tools/job_token.h"
#include "tools/tool_arguments.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

template <std::size_t N>
bool one_of(const std::string& value, const char* const (&choices)[N]) {
    return std::any_of(std::begin(choices), std::end(choices),
                       [&](const char* choice) { return value == choice; });
}

template <std::size_t N>
std::string listed(const char* const (&choices)[N]) {
    std::string text;
    for (std::size_t i = 0; i < N; ++i) {
        text += i == 0 ? "" : (i + 1 == N ? " or " : ", ");
        text += choices[i];
    }
    return text;
}

// Characters, not bytes: the API counts the prompt's characters.
std::size_t characters(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string got(const std::string& value) { return ", got " + quote_prefix(value, 64); }

std::optional<std::string> check_prompt(const std::optional<std::string>& prompt) {
    if (!prompt) return std::nullopt;
    if (prompt->find_first_not_of(" \t\r\n") == std::string::npos) {
        return std::string("'prompt' is empty; describe the model (at most 250 characters)");
    }
    const std::size_t length = characters(*prompt);
    if (length > kMaxLowPolyPrompt) {
        return "'prompt' is " + std::to_string(length) +
               " characters long; the Low-Poly API takes at most 250: shorten it";
    }
    return std::nullopt;
}

std::optional<std::string> check_version(const std::optional<long long>& version) {
    if (version && *version < 1) {
        return "'version' must be a version number of the model, 1 or more, got " +
               std::to_string(*version) + "; omit it to work on the latest version";
    }
    return std::nullopt;
}

std::optional<std::string> check_animation_name(const std::string& name) {
    if (name.empty() || characters(name) > kMaxLowPolyAnimationName) {
        return "'animation' must be a name of 1 to 64 characters" + got(name);
    }
    return std::nullopt;
}

// Reads the image argument `field` (raw base64, a data: URL, or a local path over stdio) and
// checks it is a PNG, JPEG or WEBP within the API's 8 MB.
std::variant<ImageInput, std::string> read_image(const std::string& field, const std::string& value,
                                                 const ImageInputPolicy& policy) {
    ImageInputPolicy capped = policy;
    capped.max_bytes = std::min(policy.max_bytes, kMaxLowPolyReferenceBytes);
    auto resolved = resolve_image_input(field, value, capped);
    if (auto* problem = std::get_if<std::string>(&resolved)) {
        return *problem + " (the Low-Poly API takes PNG, JPEG or WEBP up to 8 MB)";
    }
    auto& image = std::get<ImageInput>(resolved);
    const auto& mime = image.info.mime_type;
    if (mime != "image/png" && mime != "image/jpeg" && mime != "image/webp") {
        return "'" + field + "' is " + mime +
               "; the Low-Poly API takes PNG, JPEG or WEBP: convert it (to PNG) first";
    }
    return std::move(image);
}

// An array of strings, or a message.
std::variant<std::vector<std::string>, std::string> read_strings(const Json& arguments,
                                                                 const char* name) {
    std::vector<std::string> values;
    auto it = arguments.find(name);
    if (it == arguments.end() || it->is_null()) return values;
    if (!it->is_array()) return std::string("'") + name + "' must be a list of strings";
    for (const auto& item : *it) {
        if (!item.is_string()) return std::string("'") + name + "' must be a list of strings";
        values.push_back(item.get<std::string>());
    }
    return values;
}

// `size`: "auto" (absent) or one of the documented sizes.
std::optional<std::string> read_size(const Json& arguments, std::optional<int>& size) {
    auto it = arguments.find("size");
    if (it == arguments.end() || it->is_null()) return std::nullopt;
    if (it->is_string() && it->get<std::string>() == "auto") return std::nullopt;
    const std::string expected =
        "'size' must be \"auto\" (the API picks it from the prompt) or 16, 32, 64, 128 or 256 "
        "(voxel size; the price grows with it), got ";
    if (!it->is_number_integer())
        return expected + it->dump(-1, ' ', false, Json::error_handler_t::replace);
    // Parsed JSON holds a positive number as unsigned: read it so, within what a size can be.
    const long long value = it->is_number_unsigned()
                                ? (it->get<unsigned long long>() > 1024 ? -1 : it->get<long long>())
                                : it->get<long long>();
    if (std::find(std::begin(kLowPolySizes), std::end(kLowPolySizes), value) ==
        std::end(kLowPolySizes)) {
        return expected + it->dump();
    }
    size = static_cast<int>(value);
    return std::nullopt;
}

// The fields each operation takes; any other documented field is refused by name.
struct OperationFields {
    bool size, style, reference_images, reference_models, input_palette, animation, version;
};

OperationFields fields_of(LowPolyOperation operation) {
    switch (operation) {
        case LowPolyOperation::Generate:
            return {true, true, true, true, true, false, false};
        case LowPolyOperation::Revise:
            return {false, false, true, false, false, false, true};
        case LowPolyOperation::Animate:
            return {false, false, false, false, false, true, true};
        case LowPolyOperation::Split:
        case LowPolyOperation::Rerig:
            return {false, false, false, false, false, false, true};
    }
    return {};
}

bool takes_mode(LowPolyOperation operation) {
    return operation == LowPolyOperation::Generate || operation == LowPolyOperation::Revise ||
           operation == LowPolyOperation::Animate;
}

std::optional<std::string> refuse_foreign_fields(LowPolyOperation operation,
                                                 const Json& arguments) {
    const auto takes = fields_of(operation);
    const std::pair<const char*, bool> fields[] = {
        {"size", takes.size},
        {"style", takes.style},
        {"reference_images", takes.reference_images},
        {"reference_models", takes.reference_models},
        {"input_palette", takes.input_palette},
        {"animation", takes.animation},
        {"version", takes.version},
        {"mode", takes_mode(operation)},
        {"asset_id", operation != LowPolyOperation::Generate},
    };
    for (const auto& [name, taken] : fields) {
        if (!taken && arguments.contains(name) && !arguments[name].is_null()) {
            return std::string("'") + name + "' is not a field of a Low-Poly " +
                   operation_name(operation) + "; remove it" +
                   (std::string(name) == "asset_id"
                        ? " (start_lowpoly_revise, _animate, _split and _rerig work on a model)"
                        : "");
        }
    }
    return std::nullopt;
}

std::optional<std::string> read_custom_id(ArgumentReader& read,
                                          std::optional<std::string>& custom_id) {
    read.text("custom_id", custom_id);
    if (custom_id && (custom_id->empty() || custom_id->size() > kMaxLowPolyCustomId)) {
        return "'custom_id' must be 1 to 128 characters" + got(*custom_id);
    }
    return std::nullopt;
}

std::optional<std::string> read_references(const Json& arguments, LowPolyStartRequest& request,
                                           const ImageInputPolicy& policy) {
    auto images = read_strings(arguments, "reference_images");
    if (auto* problem = std::get_if<std::string>(&images)) return *problem;
    auto models = read_strings(arguments, "reference_models");
    if (auto* problem = std::get_if<std::string>(&models)) return *problem;
    auto& image_values = std::get<std::vector<std::string>>(images);
    auto& model_values = std::get<std::vector<std::string>>(models);
    if (image_values.size() + model_values.size() > kMaxLowPolyReferences) {
        return "'reference_images' and 'reference_models' hold " +
               std::to_string(image_values.size() + model_values.size()) +
               " references together; the Low-Poly API takes at most 4: drop some";
    }
    for (std::size_t i = 0; i < image_values.size(); ++i) {
        auto image =
            read_image("reference_images[" + std::to_string(i) + "]", image_values[i], policy);
        if (auto* problem = std::get_if<std::string>(&image)) return *problem;
        request.reference_images.push_back(std::move(std::get<ImageInput>(image)));
    }
    for (std::size_t i = 0; i < model_values.size(); ++i) {
        const std::string field = "reference_models[" + std::to_string(i) + "]";
        if (auto problem = check_lowpoly_id(field.c_str(), model_values[i])) return problem;
    }
    request.reference_models = std::move(model_values);
    return std::nullopt;
}

std::string url_path_segment(const std::string& text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string asset_path(const std::string& asset_id) { return "/lowpoly/assets/" + asset_id; }

}  // namespace

const char* operation_name(LowPolyOperation operation) {
    switch (operation) {
        case LowPolyOperation::Generate:
            return "generate";
        case LowPolyOperation::Revise:
            return "revise";
        case LowPolyOperation::Animate:
            return "animate";
        case LowPolyOperation::Split:
            return "split";
        case LowPolyOperation::Rerig:
            return "rerig";
    }
    return "generate";
}

std::optional<std::string> check_lowpoly_id(const char* field, const std::string& id) {
    if (!is_upstream_task_id(id)) {
        return std::string("'") + field +
               "' must be an id the Low-Poly API gave (letters, digits, '-' and '_', at most 100 "
               "characters)" +
               got(id) + "; list_lowpoly_models lists your models";
    }
    return std::nullopt;
}

namespace {

std::variant<LowPolyStartRequest, std::string> build_start(LowPolyOperation operation,
                                                           const Json& arguments,
                                                           const ImageInputPolicy& policy,
                                                           bool estimate) {
    if (!arguments.is_object()) return std::string("the arguments must be an object");
    if (auto problem = refuse_foreign_fields(operation, arguments)) return *problem;
    LowPolyStartRequest request;
    request.operation = operation;
    std::optional<std::string> asset_id, palette;
    ArgumentReader read(arguments);
    read.text("prompt", request.prompt);
    read.text("style", request.style);
    read.text("mode", request.mode);
    read.text("animation", request.animation);
    read.text("asset_id", asset_id);
    read.text("input_palette", palette);
    read.whole("version", request.version, "a whole number, 1 or more");
    auto custom_id_problem = read_custom_id(read, request.custom_id);
    if (read.problem()) return *read.problem();
    if (custom_id_problem) return *custom_id_problem;

    if (operation != LowPolyOperation::Generate) {
        if (!asset_id) {
            return "'asset_id' is required: the model to " +
                   std::string(operation_name(operation)) +
                   " (start_lowpoly_generate's answer, or list_lowpoly_models)";
        }
        if (auto problem = check_lowpoly_id("asset_id", *asset_id)) return *problem;
        request.asset_id = std::move(*asset_id);
    }
    if (auto problem = check_prompt(request.prompt)) return *problem;
    if ((operation == LowPolyOperation::Revise || operation == LowPolyOperation::Animate) &&
        !request.prompt && !estimate) {
        return std::string("'prompt' is required: ") +
               (operation == LowPolyOperation::Revise
                    ? "say what to change in the model (at most 250 characters)"
                    : "describe the motion, e.g. \"walk cycle\" (at most 250 characters)");
    }
    if (auto problem = read_size(arguments, request.size)) return *problem;
    if (request.style && !one_of(*request.style, kLowPolyStyles)) {
        return "'style' must be " + listed(kLowPolyStyles) + got(*request.style) +
               "; get_lowpoly_pricing lists them with their prices";
    }
    if (request.mode && !one_of(*request.mode, kLowPolyModes)) {
        return "'mode' must be auto, quality or fast (the same price)" + got(*request.mode);
    }
    if (auto problem = check_version(request.version)) return *problem;
    if (request.animation) {
        if (auto problem = check_animation_name(*request.animation)) return *problem;
    }
    if (auto problem = read_references(arguments, request, policy)) return *problem;
    if (palette) {
        auto image = read_image("input_palette", *palette, policy);
        if (auto* problem = std::get_if<std::string>(&image)) return std::move(*problem);
        request.input_palette = std::move(std::get<ImageInput>(image));
    }
    if (operation == LowPolyOperation::Generate && !request.prompt &&
        request.reference_images.empty() && !estimate) {
        return std::string(
            "a Low-Poly model needs a 'prompt' (at most 250 characters) or 'reference_images' "
            "(up to 4 PNG, JPEG or WEBP images); pass at least one");
    }
    return request;
}

}  // namespace

std::variant<LowPolyStartRequest, std::string> build_lowpoly_start(LowPolyOperation operation,
                                                                   const Json& arguments,
                                                                   const ImageInputPolicy& policy) {
    return build_start(operation, arguments, policy, false);
}

std::variant<LowPolyStartRequest, std::string> build_lowpoly_estimate(
    const Json& arguments, const ImageInputPolicy& policy) {
    if (!arguments.is_object()) return std::string("the arguments must be an object");
    std::optional<std::string> operation;
    ArgumentReader read(arguments);
    read.text("operation", operation);
    if (read.problem()) return *read.problem();
    for (auto candidate :
         {LowPolyOperation::Generate, LowPolyOperation::Revise, LowPolyOperation::Animate,
          LowPolyOperation::Split, LowPolyOperation::Rerig}) {
        if (operation.value_or("generate") == operation_name(candidate)) {
            Json rest = arguments;
            rest.erase("operation");
            return build_start(candidate, rest, policy, true);
        }
    }
    return "'operation' must be generate, revise, animate, split or rerig" + got(*operation);
}

std::string lowpoly_start_path(const LowPolyStartRequest& request) {
    if (request.operation == LowPolyOperation::Generate) return "/lowpoly/generate";
    return asset_path(request.asset_id) + "/" + operation_name(request.operation);
}

Json upstream_body(const LowPolyStartRequest& request) {
    Json body = Json::object();
    if (request.prompt) body["prompt"] = *request.prompt;
    if (request.operation == LowPolyOperation::Generate) {
        if (request.size) body["size"] = *request.size;
        if (request.style) body["style"] = *request.style;
        if (!request.reference_models.empty()) body["reference_models"] = request.reference_models;
    }
    if (request.mode) body["mode"] = *request.mode;
    if (request.animation) body["animation"] = *request.animation;
    if (request.version) body["version"] = *request.version;
    if (request.custom_id) body["custom_id"] = *request.custom_id;
    return body;
}

Json take_lowpoly_images(LowPolyStartRequest& request) {
    Json images = Json::object();
    if (!request.reference_images.empty()) {
        Json list = Json::array();
        for (auto& image : request.reference_images) list.push_back(std::move(image.base64));
        images["reference_images"] = std::move(list);
    }
    if (request.input_palette) images["input_palette"] = std::move(request.input_palette->base64);
    return images;
}

Json estimate_body(const LowPolyStartRequest& request) {
    Json body = {{"operation", operation_name(request.operation)}};
    if (request.prompt) body["prompt"] = *request.prompt;
    if (request.operation == LowPolyOperation::Generate) {
        body["size"] = request.size ? Json(*request.size) : Json("auto");
        if (request.style) body["style"] = *request.style;
    } else {
        body["asset_id"] = request.asset_id;
    }
    return body;
}

std::string describe_lowpoly(const LowPolyStartRequest& request) {
    const std::string prompt = request.prompt ? " " + quote_prefix(*request.prompt, 60) : "";
    switch (request.operation) {
        case LowPolyOperation::Generate:
            return "a Low-Poly model" + prompt + " (" +
                   (request.size ? std::to_string(*request.size) + " px" : "size auto") + ", " +
                   request.style.value_or("rd_lowpoly__detailed") + ")";
        case LowPolyOperation::Revise:
            return "a revision" + prompt + " of model " + request.asset_id;
        case LowPolyOperation::Animate:
            return "an animation" + prompt + " of model " + request.asset_id;
        case LowPolyOperation::Split:
            return "splitting model " + request.asset_id + " into parts";
        case LowPolyOperation::Rerig:
            return "re-rigging model " + request.asset_id;
    }
    return "a Low-Poly job";
}

std::variant<LowPolyRecolorRequest, std::string> build_lowpoly_recolor(
    const Json& arguments, const ImageInputPolicy& policy) {
    if (!arguments.is_object()) return std::string("the arguments must be an object");
    LowPolyRecolorRequest request;
    std::optional<std::string> asset_id, tool, palette, reference;
    ArgumentReader read(arguments);
    read.text("asset_id", asset_id);
    read.text("tool", tool);
    read.whole("color_count", request.color_count, "a whole number from 2 to 256", 2, 256);
    read.text("dither_mode", request.dither_mode);
    read.number("dither_strength", request.dither_strength);
    read.text("palette_image", palette);
    read.text("reference_image", reference);
    read.whole("version", request.version, "a whole number, 1 or more");
    if (read.problem()) return *read.problem();
    if (!asset_id) return std::string("'asset_id' is required: the model to recolor");
    if (auto problem = check_lowpoly_id("asset_id", *asset_id)) return *problem;
    request.asset_id = std::move(*asset_id);
    if (!tool || !one_of(*tool, kLowPolyRecolorTools)) {
        return "'tool' must be color_reducer (fewer colors, free), palette_converter (to the "
               "colors of 'palette_image', free) or color_style_transfer (the colors of "
               "'reference_image', $0.01)" +
               (tool ? got(*tool) : std::string("; it is required"));
    }
    request.tool = std::move(*tool);
    if (auto problem = check_version(request.version)) return *problem;
    const bool reducer = request.tool == "color_reducer";
    const bool converter = request.tool == "palette_converter";
    if (request.color_count && !reducer) {
        return "'color_count' belongs to tool color_reducer; remove it for " + request.tool;
    }
    if ((request.dither_mode || request.dither_strength) && !reducer && !converter) {
        return std::string(
            "'dither_mode' and 'dither_strength' belong to color_reducer and palette_converter; "
            "remove them for color_style_transfer");
    }
    if (request.dither_mode && !one_of(*request.dither_mode, kLowPolyDitherModes)) {
        return "'dither_mode' must be " + listed(kLowPolyDitherModes) + got(*request.dither_mode);
    }
    if (request.dither_strength &&
        (*request.dither_strength < 0 || *request.dither_strength > 10)) {
        char shown[32];
        std::snprintf(shown, sizeof shown, "%g", *request.dither_strength);
        return std::string("'dither_strength' must be from 0 to 10, got ") + shown;
    }
    if (palette && !converter) {
        return "'palette_image' belongs to tool palette_converter; remove it for " + request.tool;
    }
    if (reference && request.tool != "color_style_transfer") {
        return "'reference_image' belongs to tool color_style_transfer; remove it for " +
               request.tool;
    }
    if (converter && !palette) {
        return std::string(
            "palette_converter needs 'palette_image': an image of the palette's colors (at most "
            "256) to convert the model to");
    }
    if (request.tool == "color_style_transfer" && !reference) {
        return std::string(
            "color_style_transfer needs 'reference_image': an image whose colors the model "
            "takes on");
    }
    for (auto [field, value, out] :
         {std::tuple{"palette_image", &palette, &request.palette_image},
          std::tuple{"reference_image", &reference, &request.reference_image}}) {
        if (!*value) continue;
        auto image = read_image(field, **value, policy);
        if (auto* problem = std::get_if<std::string>(&image)) return std::move(*problem);
        *out = std::move(std::get<ImageInput>(image));
    }
    return request;
}

std::string lowpoly_recolor_path(const LowPolyRecolorRequest& request) {
    return asset_path(request.asset_id) + "/recolor";
}

Json upstream_body(const LowPolyRecolorRequest& request) {
    Json body = {{"tool", request.tool}};
    if (request.color_count) body["color_count"] = *request.color_count;
    if (request.dither_mode) body["dither_mode"] = *request.dither_mode;
    if (request.dither_strength) body["dither_strength"] = *request.dither_strength;
    if (request.palette_image) body["palette_image"] = request.palette_image->base64;
    if (request.reference_image) body["reference_image"] = request.reference_image->base64;
    if (request.version) body["version"] = *request.version;
    return body;
}

std::variant<LowPolyExportRequest, std::string> build_lowpoly_export(
    const Json& arguments, const ImageInputPolicy& policy) {
    if (!arguments.is_object()) return std::string("the arguments must be an object");
    LowPolyExportRequest request;
    std::optional<std::string> asset_id, target, output_dir;
    ArgumentReader read(arguments);
    read.text("asset_id", asset_id);
    read.text("target", target);
    read.whole("version", request.version, "a whole number, 1 or more");
    read.text("animation", request.animation);
    read.text("output_dir", output_dir);
    if (read.problem()) return *read.problem();
    if (!asset_id) return std::string("'asset_id' is required: the model to export");
    if (auto problem = check_lowpoly_id("asset_id", *asset_id)) return *problem;
    request.asset_id = std::move(*asset_id);
    if (!target || !one_of(*target, kLowPolyExportTargets)) {
        return "'target' must be " + listed(kLowPolyExportTargets) +
               (target ? got(*target) : std::string("; it is required")) +
               " (godot/unity/unreal/web/blender: .glb; blockbench: .bbmodel; obj, minecraft, "
               "axis_views, sheet: zip; atlas, turntable: png; gif; mp4 needs 'animation')";
    }
    request.target = std::move(*target);
    if (auto problem = check_version(request.version)) return *problem;
    if (request.animation) {
        if (auto problem = check_animation_name(*request.animation)) return *problem;
    }
    if (request.target == "mp4" && !request.animation) {
        return std::string(
            "target mp4 renders one animation: pass 'animation' (get_lowpoly_model lists each "
            "version's animations), or export target gif or sheet");
    }
    if (output_dir && !policy.allow_local_files) {
        return std::string(
            "'output_dir' only works when the server runs locally over stdio; remove it (hosted "
            "servers return the file's link)");
    }
    request.output_dir = output_dir.value_or("");
    return request;
}

std::string lowpoly_export_path(const LowPolyExportRequest& request) {
    return asset_path(request.asset_id) + "/export";
}

Json upstream_body(const LowPolyExportRequest& request) {
    Json body = {{"target", request.target}};
    if (request.version) body["version"] = *request.version;
    if (request.animation) body["animation"] = *request.animation;
    return body;
}

std::variant<LowPolyAnimationRef, std::string> build_lowpoly_animation_ref(const Json& arguments) {
    if (!arguments.is_object()) return std::string("the arguments must be an object");
    LowPolyAnimationRef ref;
    std::optional<std::string> asset_id, animation;
    std::optional<long long> version;
    ArgumentReader read(arguments);
    read.text("asset_id", asset_id);
    read.whole("version", version, "a whole number, 1 or more");
    read.text("animation", animation);
    if (read.problem()) return *read.problem();
    if (!asset_id) return std::string("'asset_id' is required: the model holding the animation");
    if (auto problem = check_lowpoly_id("asset_id", *asset_id)) return *problem;
    if (!version) {
        return std::string(
            "'version' is required: the version holding the animation (get_lowpoly_model lists "
            "each version's animations)");
    }
    if (auto problem = check_version(version)) return *problem;
    if (!animation) return std::string("'animation' is required: the name of the animation");
    if (auto problem = check_animation_name(*animation)) return *problem;
    ref.asset_id = std::move(*asset_id);
    ref.version = *version;
    ref.animation = std::move(*animation);
    return ref;
}

std::string lowpoly_animation_path(const LowPolyAnimationRef& ref) {
    return asset_path(ref.asset_id) + "/versions/" + std::to_string(ref.version) + "/animations/" +
           url_path_segment(ref.animation);
}

std::variant<LowPolyListQuery, std::string> build_lowpoly_list_query(const Json& arguments) {
    if (!arguments.is_object()) return std::string("the arguments must be an object");
    std::optional<long long> limit;
    std::optional<std::string> before_id, inference_id;
    ArgumentReader read(arguments);
    read.whole("limit", limit, "a whole number from 1 to 100", 1, 100);
    read.text("before_id", before_id);
    read.text("inference_id", inference_id);
    if (read.problem()) return *read.problem();
    if (before_id) {
        if (auto problem = check_lowpoly_id("before_id", *before_id)) return *problem;
    }
    if (inference_id) {
        if (auto problem = check_lowpoly_id("inference_id", *inference_id)) return *problem;
    }
    std::string path = "/lowpoly/assets?limit=" + std::to_string(limit.value_or(20));
    if (before_id) path += "&before_id=" + *before_id;
    if (inference_id) path += "&inference_id=" + *inference_id;
    return LowPolyListQuery{std::move(path)};
}

}  // namespace rdmcp::tools
