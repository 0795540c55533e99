#include "sim_inference_request.h"

#include <algorithm>
#include <array>

#include "sim_http.h"
#include "sim_image_probe.h"

namespace rdsim {
namespace {

constexpr int kApiMinSize = 16, kApiMaxSize = 512;  // "the API validates 16x16 to 512x512"
constexpr int kMaxUpscale = 8;  // not documented: a guard against absurd outputs
constexpr std::array<int, 6> kFrameCounts = {4, 6, 8, 10, 12, 16};

const std::vector<FieldSpec>& inference_fields() {
    static const std::vector<FieldSpec> fields = {
        {"prompt", FieldType::String, true},
        {"width", FieldType::Int, true},
        {"height", FieldType::Int, true},
        {"prompt_style", FieldType::String},
        {"num_images", FieldType::Int},
        {"seed", FieldType::Int},
        {"input_image", FieldType::String},
        {"strength", FieldType::Number},
        {"reference_images", FieldType::StringList},
        {"input_palette", FieldType::String},
        {"remove_bg", FieldType::Bool},
        {"return_non_bg_removed", FieldType::Bool},
        {"return_pre_palette", FieldType::Bool},
        {"tile_x", FieldType::Bool},
        {"tile_y", FieldType::Bool},
        {"frames_duration", FieldType::Int},
        {"return_spritesheet", FieldType::Bool},
        {"upscale_output_factor", FieldType::Int},
        {"bypass_prompt_expansion", FieldType::Bool},
        {"include_downloadable_data", FieldType::Bool},
        {"check_cost", FieldType::Bool},
        {"async", FieldType::Bool},
        {"upload_outputs", FieldType::Bool},
        {"extra_prompt", FieldType::String},
        {"extra_input_image", FieldType::String},
        {"negative", FieldType::String},
    };
    return fields;
}

std::string range_text(int lo, int hi) {
    return lo == hi ? std::to_string(lo) : std::to_string(lo) + " and " + std::to_string(hi);
}

std::optional<std::string> check_size(const InferenceRequest& r, const StyleSpec& s) {
    for (const auto& [name, value] :
         {std::pair<const char*, std::int64_t>{"width", r.width}, {"height", r.height}}) {
        if (value < kApiMinSize || value > kApiMaxSize)
            return std::string(name) + " must be between " + range_text(kApiMinSize, kApiMaxSize);
    }
    if (s.size_ignored) return std::nullopt;  // documented: other sizes default to the fixed one
    if (r.width < s.min_width || r.width > s.max_width) {
        return s.min_width == s.max_width
                   ? "width must be " + std::to_string(s.min_width) + " for " + s.id
                   : "width must be between " + range_text(s.min_width, s.max_width) + " for " +
                         s.id;
    }
    if (r.height < s.min_height || r.height > s.max_height) {
        return s.min_height == s.max_height
                   ? "height must be " + std::to_string(s.min_height) + " for " + s.id
                   : "height must be between " + range_text(s.min_height, s.max_height) + " for " +
                         s.id;
    }
    if (s.square_only && r.width != r.height)
        return s.id + " only supports square sizes (width must equal height)";
    return std::nullopt;
}

std::optional<std::string> check_image(const std::string& name, const std::string& base64) {
    const ProbeResult probe = probe_base64_image(base64, /*allow_data_uri=*/false);
    if (!probe.info) return name + " " + probe.error;
    return std::nullopt;
}

std::optional<std::string> check_images(const InferenceRequest& r, const StyleSpec& s) {
    if (s.input_required && !r.input_image) return "input_image is required for " + s.id;
    if (!r.reference_images.empty()) {
        if (s.max_reference_images == 0)
            return "reference_images are not supported by " + s.id +
                   " (RD Pro styles and some animation styles only)";
        if (static_cast<int>(r.reference_images.size()) > s.max_reference_images)
            return s.id + " accepts at most " + std::to_string(s.max_reference_images) +
                   " reference_images";
    }
    for (const auto& [name, value] :
         {std::pair<const char*, const std::optional<std::string>&>{"input_image", r.input_image},
          {"input_palette", r.input_palette},
          {"extra_input_image", r.extra_input_image}}) {
        if (value) {
            if (auto err = check_image(name, *value)) return err;
        }
    }
    for (std::size_t i = 0; i < r.reference_images.size(); ++i) {
        if (auto err =
                check_image("reference_images[" + std::to_string(i) + "]", r.reference_images[i]))
            return err;
    }
    return std::nullopt;
}

}  // namespace

std::variant<InferenceRequest, nlohmann::json> parse_inference(const nlohmann::json& body,
                                                               bool v2) {
    std::vector<FieldSpec> fields = inference_fields();
    if (v2) {
        // ExternalInferenceInputNeo requires width, height and num_images; prompt defaults to "".
        for (FieldSpec& f : fields) {
            if (f.name == "prompt") f.required = false;
            if (f.name == "num_images") f.required = true;
        }
    }
    nlohmann::json issues = check_fields(body, fields);
    if (!issues.empty()) return issues;
    InferenceRequest r;
    r.prompt = get_string(body, "prompt").value_or("");
    r.width = *get_int(body, "width");
    r.height = *get_int(body, "height");
    if (auto v = get_string(body, "prompt_style")) r.prompt_style = *v;
    if (auto v = get_int(body, "num_images")) r.num_images = *v;
    r.seed = get_int(body, "seed");
    r.frames_duration = get_int(body, "frames_duration");
    r.upscale_output_factor = get_int(body, "upscale_output_factor");
    r.strength = get_number(body, "strength");
    r.input_image = get_string(body, "input_image");
    r.input_palette = get_string(body, "input_palette");
    r.extra_input_image = get_string(body, "extra_input_image");
    r.extra_prompt = get_string(body, "extra_prompt");
    if (const auto it = body.find("reference_images"); it != body.end() && it->is_array())
        r.reference_images = it->get<std::vector<std::string>>();
    r.remove_bg = get_bool(body, "remove_bg");
    r.return_non_bg_removed = get_bool(body, "return_non_bg_removed");
    r.return_pre_palette = get_bool(body, "return_pre_palette");
    r.return_spritesheet = get_bool(body, "return_spritesheet");
    r.include_downloadable_data = get_bool(body, "include_downloadable_data");
    r.check_cost = get_bool(body, "check_cost");
    r.async = get_bool(body, "async");
    r.upload_outputs = get_bool(body, "upload_outputs");
    return r;
}

std::optional<std::string> check_inference_rules(const InferenceRequest& r, const StyleSpec& s) {
    if (r.num_images < 1) return "num_images must be at least 1";
    if (r.num_images > s.max_images)
        return "num_images must be at most " + std::to_string(s.max_images) + " for " + s.id;
    if (auto err = check_size(r, s)) return err;
    if (r.strength && (*r.strength < 0.0 || *r.strength > 1.0))
        return "strength must be between 0 and 1";
    if (r.frames_duration && std::find(kFrameCounts.begin(), kFrameCounts.end(),
                                       *r.frames_duration) == kFrameCounts.end())
        return "frames_duration must be one of 4, 6, 8, 10, 12, 16";
    if (r.upscale_output_factor &&
        (*r.upscale_output_factor < 1 || *r.upscale_output_factor > kMaxUpscale))
        return "upscale_output_factor must be between 1 and " + std::to_string(kMaxUpscale) +
               " (or null for the regular size)";
    return check_images(r, s);
}

OutputSize output_size(const InferenceRequest& r, const StyleSpec& s) {
    OutputSize size{static_cast<int>(r.width), static_cast<int>(r.height)};
    if (s.size_ignored) size = {s.min_width, s.min_height};
    if (r.upscale_output_factor && *r.upscale_output_factor > 1) {
        size.width *= static_cast<int>(*r.upscale_output_factor);
        size.height *= static_cast<int>(*r.upscale_output_factor);
    }
    return size;
}

}  // namespace rdsim
