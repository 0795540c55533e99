#include "tools/inference_request.h"

#include <algorithm>

#include "tools/palette_input.h"
#include "tools/spend_guard.h"
#include "tools/tool_arguments.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

std::string size_range(const Style& s) {
    if (s.min_width == s.max_width && s.min_height == s.max_height) {
        return "exactly " + std::to_string(s.min_width) + "x" + std::to_string(s.min_height);
    }
    std::string text = "between " + std::to_string(s.min_width) + "x" +
                       std::to_string(s.min_height) + " and " + std::to_string(s.max_width) + "x" +
                       std::to_string(s.max_height);
    if (s.square_only) text += ", square (width = height)";
    return text;
}

// A call that would pass, for the agent to copy: the style's smallest valid size.
std::string corrected_example(const Style& s, const InferenceRequest& request) {
    int side = std::clamp(request.width, s.min_width, s.max_width);
    int height = s.square_only ? side : std::clamp(request.height, s.min_height, s.max_height);
    Json example = {{"prompt", request.prompt},
                    {"prompt_style", s.id},
                    {"width", side},
                    {"height", height},
                    {"num_images", std::clamp(request.num_images, 1, s.max_images)}};
    if (s.requires_input_image) example["input_image"] = "<base64 PNG>";
    return example.dump();
}

std::string rejection(const Style& s, const InferenceRequest& request, const std::string& problem) {
    return "Invalid request for style " + s.id + ": " + problem +
           ". Corrected example: " + corrected_example(s, request);
}

// `images` holds the image fields (the caller's arguments, not resolved yet).
std::optional<std::string> check_against_style(const Style& s, const InferenceRequest& request,
                                               const Json& images) {
    const int width = request.width, height = request.height, num_images = request.num_images;
    const bool width_ok = width >= s.min_width && width <= s.max_width;
    const bool height_ok = height >= s.min_height && height <= s.max_height;
    if (!width_ok || !height_ok || (s.square_only && width != height)) {
        return rejection(s, request,
                         "'width' and 'height' must be " + size_range(s) + ", got " +
                             std::to_string(width) + "x" + std::to_string(height));
    }
    if (num_images > s.max_images) {
        return rejection(s, request,
                         "'num_images' must be at most " + std::to_string(s.max_images) +
                             " for this style, got " + std::to_string(num_images));
    }
    if (s.requires_input_image && !images.contains("input_image")) {
        return rejection(s, request,
                         "'input_image' is required (a base64 PNG" +
                             std::string(s.kind == StyleKind::AdvancedAnimation
                                             ? " start frame matching width and height"
                                             : "") +
                             ")");
    }
    if (auto refs = images.find("reference_images"); refs != images.end() && !refs->empty()) {
        if (s.max_reference_images == 0) {
            return rejection(s, request,
                             "'reference_images' is not supported by this style (RD Pro styles "
                             "and some animations take them); remove it");
        }
        if (static_cast<int>(refs->size()) > s.max_reference_images) {
            return rejection(s, request,
                             "'reference_images' takes at most " +
                                 std::to_string(s.max_reference_images) +
                                 " images for this style, got " + std::to_string(refs->size()));
        }
    }
    return std::nullopt;
}

// Style ids are a few dozen characters (rd_animation__four_angle_walking, user__...).
constexpr int kMaxPromptStyleLength = 128;

constexpr const char* kImageFields[] = {"input_image", "extra_input_image", "input_palette",
                                        "reference_images"};

// The documented fields read into the request's members, and our own (never sent).
constexpr const char* kKnownFields[] = {"prompt",
                                        "prompt_style",
                                        "width",
                                        "height",
                                        "num_images",
                                        "seed",
                                        "strength",
                                        "remove_bg",
                                        "return_non_bg_removed",
                                        "return_pre_palette",
                                        "tile_x",
                                        "tile_y",
                                        "bypass_prompt_expansion",
                                        "include_downloadable_data",
                                        "return_spritesheet",
                                        "upload_outputs",
                                        "upscale_output_factor",
                                        "extra_prompt",
                                        "frames_duration",
                                        kOutputDirArgument,
                                        kSaveToArgument,
                                        kFilenameArgument,
                                        kFramesArgument,
                                        "check_cost",
                                        "async",
                                        kMaxCostArgument};

template <std::size_t N>
bool is_one_of(const std::string& name, const char* const (&fields)[N]) {
    for (const char* field : fields) {
        if (name == field) return true;
    }
    return false;
}

bool is_image_field(const std::string& name) { return is_one_of(name, kImageFields); }
bool is_known_field(const std::string& name) { return is_one_of(name, kKnownFields); }

template <typename T>
void put(Json& body, const char* name, const std::optional<T>& value) {
    if (value) body[name] = *value;
}

// Puts an image argument into `images` as the raw base64 the API wants (data: prefix stripped,
// local file read), after checking that it is an image. The argument is read in place: the one
// copy of its (possibly megabytes of) base64 is the one that is sent.
std::optional<std::string> resolve_image_field(const Json& arguments, Json& images,
                                               const char* field, const ImageInputPolicy& policy) {
    auto it = arguments.find(field);
    if (it == arguments.end()) return std::nullopt;
    if (std::string_view(field) == "input_palette") {
        auto palette = palette_input(*it, policy.allow_local_files);
        if (!palette.problem.empty()) return palette.problem;
        if (palette.base64_png) {
            images[field] = std::move(*palette.base64_png);
            return std::nullopt;
        }
    }
    if (it->is_string()) {
        auto resolved = resolve_image_input(field, it->get_ref<const std::string&>(), policy);
        if (auto* error = std::get_if<std::string>(&resolved)) return *error;
        images[field] = std::move(std::get<ImageInput>(resolved).base64);
        return std::nullopt;
    }
    if (it->is_array()) {
        Json resolved_images = Json::array();
        for (std::size_t i = 0; i < it->size(); ++i) {
            const std::string name = std::string(field) + "[" + std::to_string(i) + "]";
            if (!(*it)[i].is_string()) return "'" + name + "' must be a base64 image string";
            auto resolved =
                resolve_image_input(name, (*it)[i].get_ref<const std::string&>(), policy);
            if (auto* error = std::get_if<std::string>(&resolved)) return *error;
            resolved_images.push_back(std::move(std::get<ImageInput>(resolved).base64));
        }
        images[field] = std::move(resolved_images);
        return std::nullopt;
    }
    images[field] = *it;  // null or another type: the API decides, as before
    return std::nullopt;
}

}  // namespace

Json upstream_body(const InferenceRequest& request) {
    Json body = request.unknown_fields.is_object() ? request.unknown_fields : Json::object();
    body["prompt"] = request.prompt;
    body["prompt_style"] = request.prompt_style;
    body["width"] = request.width;
    body["height"] = request.height;
    body["num_images"] = request.num_images;
    put(body, "seed", request.seed);
    put(body, "strength", request.strength);
    put(body, "remove_bg", request.remove_bg);
    put(body, "return_non_bg_removed", request.return_non_bg_removed);
    put(body, "return_pre_palette", request.return_pre_palette);
    put(body, "tile_x", request.tile_x);
    put(body, "tile_y", request.tile_y);
    put(body, "bypass_prompt_expansion", request.bypass_prompt_expansion);
    put(body, "include_downloadable_data", request.include_downloadable_data);
    put(body, "return_spritesheet", request.return_spritesheet);
    put(body, "upload_outputs", request.upload_outputs);
    put(body, "upscale_output_factor", request.upscale_output_factor);
    put(body, "extra_prompt", request.extra_prompt);
    put(body, "frames_duration", request.frames_duration);
    return body;
}

bool returns_pre_palette(const InferenceRequest& request) {
    return request.return_pre_palette.value_or(false) && request.images.contains("input_palette");
}

bool returns_non_bg_removed(const InferenceRequest& request) {
    return request.remove_bg.value_or(false) && request.return_non_bg_removed.value_or(false);
}

bool is_image_argument(std::string_view name) { return is_image_field(std::string(name)); }

std::variant<InferenceRequest, std::string> build_inference_request(const Json& arguments,
                                                                    const ImageInputPolicy& images,
                                                                    const MergedCatalog* live) {
    InferenceRequest request;
    ArgumentReader read(arguments);
    if (arguments.contains(kOutputDirArgument)) {
        if (!images.allow_local_files) {
            return std::string(
                "'output_dir' only works when the server runs locally over stdio; "
                "remove it (hosted servers return images inline or as links)");
        }
        std::optional<std::string> dir;
        read.text(kOutputDirArgument, dir);
        if (read.problem()) return *read.problem();
        request.output_dir = dir.value_or("");
    }

    auto save = read_save_arguments(arguments, images.allow_local_files);
    if (auto* problem = std::get_if<std::string>(&save)) return *problem;
    request.save_arguments = std::get<SaveArguments>(save);

    // The server owns these: passed through, `async` would turn a paid generation into a task
    // id the synchronous path cannot read, and `check_cost` a generation into a price.
    std::optional<bool> check_cost, async;
    read.flag("check_cost", check_cost);
    read.flag("async", async);
    // The schema bounds num_images below only (styles the catalog does not know have their own
    // limits): a count no int holds is refused before it is converted.
    std::optional<int> num_images;
    read.whole("num_images", num_images, "a number of images such as 1 or 4");
    if (read.problem()) return *read.problem();
    request.controls = {.check_cost = check_cost.value_or(false), .async = async.value_or(false)};
    request.num_images = num_images.value_or(1);

    read.required_text("prompt", request.prompt);
    read.required_text("prompt_style", request.prompt_style);
    read.required_whole("width", request.width);
    read.required_whole("height", request.height);
    read.whole("seed", request.seed);
    read.number("strength", request.strength);
    read.flag("remove_bg", request.remove_bg);
    read.flag("return_non_bg_removed", request.return_non_bg_removed);
    read.flag("return_pre_palette", request.return_pre_palette);
    read.flag("tile_x", request.tile_x);
    read.flag("tile_y", request.tile_y);
    read.flag("bypass_prompt_expansion", request.bypass_prompt_expansion);
    read.flag("include_downloadable_data", request.include_downloadable_data);
    read.flag("return_spritesheet", request.return_spritesheet);
    read.flag("upload_outputs", request.upload_outputs);
    read.whole("upscale_output_factor", request.upscale_output_factor);
    read.text("extra_prompt", request.extra_prompt);
    read.whole("frames_duration", request.frames_duration);
    if (read.problem()) return *read.problem();
    for (auto it = arguments.begin(); arguments.is_object() && it != arguments.end(); ++it) {
        if (!is_known_field(it.key()) && !is_image_field(it.key())) {
            request.unknown_fields[it.key()] = it.value();
        }
    }

    if (const Style* style =
            live ? live->find(request.prompt_style) : find_style(request.prompt_style)) {
        request.style = *style;
    }
    if (request.style) {
        request.prompt_style = request.style->id;  // old names go out as the current ones
        if (auto problem = check_against_style(*request.style, request, arguments)) return *problem;
    }

    for (const char* field : kImageFields) {
        if (auto problem = resolve_image_field(arguments, request.images, field, images)) {
            return *problem;
        }
    }
    return request;
}

std::string price_only_refusal() {
    return "'check_cost: true' asks for the price only: call estimate_inference_cost with the same "
           "arguments (free, nothing is generated), then call this tool without check_cost to "
           "generate";
}

// Terse on purpose: every conversation pays for tools/list. How image arguments are given is
// said once, in the server instructions; each style's limits and prices are in
// list_available_styles and get_style_usage.
Json inference_input_schema(bool local_files_allowed) {
    auto image = [](const char* what) {
        return Json{{"type", "string"}, {"description", std::string(what)}};
    };
    auto flag = [] { return Json{{"type", "boolean"}}; };
    Json properties = {
        {"prompt",
         {{"type", "string"},
          {"minLength", 1},
          {"description", "The subject only; never \"pixel art\" or style words."}}},
        {"prompt_style",
         {{"type", "string"},
          {"minLength", 1},
          // Ids are short; the bound keeps a client's megabytes out of messages, file names and
          // the upstream request.
          {"maxLength", kMaxPromptStyleLength},
          {"description", "A style id from list_available_styles, e.g. rd_fast__default."}}},
        {"width",
         {{"type", "integer"},
          {"minimum", 16},
          {"maximum", 512},
          {"description", "Pixels, in the style's range; tilesets: the tile size."}}},
        {"height", {{"type", "integer"}, {"minimum", 16}, {"maximum", 512}}},
        {"num_images", {{"type", "integer"}, {"minimum", 1}, {"default", 1}}},
        {"seed", {{"type", "integer"}}},
        {"input_image", image("img2img source, tile to vary, or first frame (RGB).")},
        {"strength",
         {{"type", "number"},
          {"minimum", 0},
          {"maximum", 1},
          {"description", "img2img change (0.75)."}}},
        {"reference_images",
         {{"type", "array"},
          {"maxItems", 9},
          {"items", {{"type", "string"}}},
          {"description", "Images guiding style/content (RD Pro, some animations)."}}},
        {"input_palette",
         {{"type", "string"},
          {"description", local_files_allowed
                              ? "Allowed colours: an image, hex list \"#1a1c2c,#5d275d\" or a "
                                ".hex/.gpl/.pal path."
                              : "Allowed colours: an image or hex list \"#1a1c2c,#5d275d\"."}}},
        {"return_pre_palette", flag()},
        {"remove_bg", flag()},
        {"return_non_bg_removed", flag()},
        {"tile_x", flag()},
        {"tile_y", flag()},
        {"bypass_prompt_expansion", flag()},
        {"include_downloadable_data", flag()},
        {"upscale_output_factor",
         {{"type", "integer"}, {"minimum", 1}, {"description", "1: native pixel size."}}},
        {"return_spritesheet", flag()},
        {"extra_prompt", {{"type", "string"}, {"description", "Tileset advanced: outside."}}},
        {"extra_input_image", image("Tileset advanced: outside.")},
        {"frames_duration", {{"type", "integer"}, {"enum", {4, 6, 8, 10, 12, 16}}}},
        {"upload_outputs", flag()},
        // check_cost is read (and refused, pointing at estimate_inference_cost) but not offered.
        {"async",
         {{"type", "boolean"},
          {"description", "Answer with a job_id at once (get_inference_job)."}}},
        {kMaxCostArgument, max_cost_schema()},
    };
    if (local_files_allowed) {
        properties[kOutputDirArgument] = {{"type", "string"}, {"minLength", 1}};
    }
    add_save_properties(properties, local_files_allowed);
    // No additionalProperties bound: fields the schema does not know go to the API unchanged
    // (new upstream features).
    return {{"type", "object"},
            {"properties", properties},
            {"required", {"prompt", "prompt_style", "width", "height"}}};
}

Json inference_core_schema(bool local_files_allowed) {
    const Json full = inference_input_schema(local_files_allowed);
    Json properties = Json::object();
    for (const char* core : {"prompt", "prompt_style", "width", "height", "num_images"}) {
        properties[core] = full["properties"][core];
        properties[core].erase("description");  // create_inference's says it
    }
    return {
        {"type", "object"}, {"properties", std::move(properties)}, {"required", full["required"]}};
}

}  // namespace rdmcp::tools
