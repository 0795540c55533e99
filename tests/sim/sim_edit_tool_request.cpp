#include "sim_edit_tool_request.h"

#include <cmath>
#include <map>

#include "sim_edit_image.h"

namespace rdsim {
namespace {

using nlohmann::json;
using Result = std::variant<EditToolRequest, EditToolError>;
using Problem = EditImageResult::Problem;

EditToolError fail(std::string code, std::string message, int status = 400) {
    return {status, std::move(code), std::move(message), nullptr};
}

std::string size_text(const ImageInfo& i) {
    return std::to_string(i.width) + "x" + std::to_string(i.height);
}

std::string number_text(double v) {
    json j = v;
    if (v == std::floor(v) && std::abs(v) < 1e15) j = static_cast<std::int64_t>(v);
    return j.dump();
}

json range_issue(const std::string& field, double value, double lo, double hi) {
    const bool low = value < lo;
    json issue = validation_issue({"body", field},
                                  std::string("Input should be ") + (low ? "greater" : "less") +
                                      " than or equal to " + number_text(low ? lo : hi),
                                  low ? "greater_than_equal" : "less_than_equal");
    issue["input"] = value;
    return issue;
}

// ExternalEditToolRunInput as pydantic checks it: types of every known property, no other
// property, and the schema-level bounds (the tools' own rules come later, as 400s).
json schema_issues(const json& body) {
    json issues = check_fields(body, edit_run_input_schema());
    for (const auto& [name, value] : body.items()) {
        bool known = false;
        for (const FieldSpec& s : edit_run_input_schema()) known = known || s.name == name;
        if (known) continue;
        json issue =
            validation_issue({"body", name}, "Extra inputs are not permitted", "extra_forbidden");
        issue["input"] = value.is_string() && value.get_ref<const std::string&>().size() > 200
                             ? json("<omitted>")
                             : value;
        issues.push_back(issue);
    }
    if (const auto id = get_string(body, "custom_id"); id && id->size() > kCustomIdMaxLength)
        issues.push_back(validation_issue(
            {"body", "custom_id"},
            "String should have at most " + std::to_string(kCustomIdMaxLength) + " characters",
            "string_too_long"));
    // dither_strength: 0-10, and values above 10 are the old 0-100 scale (divided by 10).
    const std::map<std::string, std::pair<double, double>> bounds = {
        {"transparency_threshold", {0, 255}}, {"dither_strength", {0, 100}}};
    for (const auto& [name, range] : bounds) {
        const auto v = get_number(body, name);
        if (v && (*v < range.first || *v > range.second))
            issues.push_back(range_issue(name, *v, range.first, range.second));
    }
    return issues;
}

bool blank(const std::optional<std::string>& s) {
    return !s || s->find_first_not_of(" \t\r\n") == std::string::npos;
}

const EditField* field_of(const EditTool& t, const std::string& id) {
    for (const EditField& f : t.fields)
        if (f.id == id) return &f;
    return nullptr;
}

bool has_field(const EditTool& t, const std::string& id) { return field_of(t, id) != nullptr; }

// The tool's required fields (the catalog's `required`), each with the code the documents give
// its absence and what to send instead.
std::optional<EditToolError> missing_input(const EditTool& t, const json& body) {
    static const std::map<std::string, std::pair<std::string, std::string>> missing = {
        {"prompt", {"missing_prompt", "A prompt is required for this tool."}},
        {"mask_image",
         {"missing_mask",
          "mask_image is required: a PNG of input_image's size, alpha 0 where pixels are kept "
          "and above 12 where they are replaced."}},
        {"input_palette",
         {"missing_palette",
          "input_palette is required: a base64 image whose colors are the "
          "palette."}},
        {"extra_input_image",
         {"missing_reference_image",
          "extra_input_image is required: a base64 image whose colors to transfer."}},
        {"width",
         {"missing_dimensions",
          "width and height are required: the target size in pixels, "
          "from 1 up to the input image's size."}},
        {"height",
         {"missing_dimensions",
          "width and height are required: the target size in pixels, "
          "from 1 up to the input image's size."}},
    };
    for (const EditField& f : t.fields) {
        if (!f.required) continue;
        const auto it = body.find(f.id);
        const bool absent =
            it == body.end() || it->is_null() || (it->is_string() && blank(it->get<std::string>()));
        if (!absent) continue;
        const auto& [code, message] = missing.at(f.id);
        return fail(code, message);
    }
    return std::nullopt;
}

std::string invalid_message(const std::string& field, const std::string& why) {
    return field + " " + why +
           "; send a PNG, JPEG, GIF or WebP image as raw base64 or a data:image/...;base64 URI.";
}

// input_image: decodable, within max_input_size, animated only where the tool allows it.
std::variant<EditImage, EditToolError> input_image(const EditTool& t, const json& body) {
    const EditImageResult r =
        read_edit_image(*get_string(body, "input_image"), t.max_input_size, kMaxAnimatedFrames);
    const std::string animated_tools =
        "; color_reducer, palette_converter, color_style_transfer and k_centroid_downscale "
        "accept animated GIFs, the other tools a single frame.";
    switch (r.problem) {
        case Problem::Invalid:
            return fail("invalid_image", invalid_message("input_image", r.why));
        case Problem::TooLarge:
            return fail("image_too_large",
                        "input_image is " + size_text(r.image->info) + "; " + t.id +
                            " accepts at most " + std::to_string(t.max_input_size) +
                            " px per side (max_input_size). Downscale it first.",
                        413);
        case Problem::TooManyFrames:
            if (!t.animated_input)
                return fail("animated_input_not_supported",
                            "input_image is an animated GIF" + animated_tools);
            return fail("image_too_large",
                        "input_image has more than " + std::to_string(kMaxAnimatedFrames) +
                            " frames; send at most " + std::to_string(kMaxAnimatedFrames) + ".",
                        413);
        case Problem::None:
            break;
    }
    if (r.image->frames > 1 && !t.animated_input)
        return fail("animated_input_not_supported", "input_image is an animated GIF with " +
                                                        std::to_string(r.image->frames) +
                                                        " frames" + animated_tools);
    return *r.image;
}

// mask_image, input_palette, extra_input_image: decodable and not over the tool's size.
std::optional<EditToolError> extra_image(const EditTool& t, const json& body,
                                         const std::string& field, const ImageInfo& input) {
    if (!has_field(t, field)) return std::nullopt;  // another tool's field: ignored
    const EditImageResult r =
        read_edit_image(*get_string(body, field), t.max_input_size, kMaxAnimatedFrames);
    if (r.problem == Problem::Invalid) return fail("invalid_image", invalid_message(field, r.why));
    const ImageInfo& info = r.image->info;
    if (field == "mask_image" && (info.width != input.width || info.height != input.height))
        return fail("invalid_image_size", "mask_image is " + size_text(info) +
                                              " but input_image is " + size_text(input) +
                                              "; send a mask of the same size.");
    if (r.problem == Problem::TooLarge || r.problem == Problem::TooManyFrames) {
        const std::string limit = "at most " + std::to_string(t.max_input_size) +
                                  " px per side and " + std::to_string(kMaxAnimatedFrames) +
                                  " frames";
        if (field == "input_palette")
            return fail("palette_too_large", "input_palette is too large; send " + limit + ".");
        return fail("image_too_large", field + " is too large; send " + limit + ".", 413);
    }
    return std::nullopt;
}

// The catalog's min/max for these fields, and the code the documents give a value outside.
std::optional<EditToolError> out_of_range(const EditTool& t, const json& body) {
    static const std::map<std::string, std::string> codes = {
        {"color_count", "invalid_color_count"},          {"expand_left", "invalid_expansion"},
        {"expand_right", "invalid_expansion"},           {"expand_top", "invalid_expansion"},
        {"expand_bottom", "invalid_expansion"},          {"seam_width", "invalid_seam_width"},
        {"repair_window_size", "invalid_repair_window"}, {"rotation_degrees", "invalid_rotation"}};
    for (const EditField& f : t.fields) {
        const auto code = codes.find(f.id);
        const auto v = get_number(body, f.id);
        if (code == codes.end() || !v || !f.min || !f.max) continue;
        if (*v >= *f.min && *v <= *f.max) continue;
        return fail(code->second, f.id + " must be from " + std::to_string(*f.min) + " to " +
                                      std::to_string(*f.max) + "; got " + number_text(*v) + ".");
    }
    return std::nullopt;
}

std::optional<EditToolError> tool_rules(const EditTool& t, const json& body, EditToolRequest& out,
                                        const ImageInfo& in) {
    if (auto e = out_of_range(t, body)) return e;
    if (const auto mode = get_string(body, "dither_mode"); mode && has_field(t, "dither_mode")) {
        bool known = false;
        for (const char* m : kDitherModes) known = known || *mode == m;
        if (!known)
            return fail("invalid_dither_mode", "dither_mode '" + *mode +
                                                   "' is not supported; send none, bayer_2x2, "
                                                   "bayer_4x4 or bayer_8x8.");
    }
    if (t.id == "outpainting") {
        const auto side = [&](const char* f) { return get_int(body, f).value_or(0); };
        if (side("expand_left") + side("expand_right") + side("expand_top") +
                side("expand_bottom") ==
            0)
            return fail("missing_expansion",
                        "outpainting needs at least one positive expand_left, expand_right, "
                        "expand_top or expand_bottom.");
        out.out_width += static_cast<int>(side("expand_left") + side("expand_right"));
        out.out_height += static_cast<int>(side("expand_top") + side("expand_bottom"));
    }
    if (t.id == "seam_tiling") {
        const auto flag = [&](const char* f, bool def) {
            const auto it = body.find(f);
            return it != body.end() && it->is_boolean() ? it->get<bool>() : def;
        };
        if (!flag("tile_x", true) && !flag("tile_y", false))
            return fail("missing_tile_direction",
                        "seam_tiling needs tile_x or tile_y (or both) set to true.");
    }
    if (t.id == "k_centroid_downscale") {
        const std::int64_t w = *get_int(body, "width"), h = *get_int(body, "height");
        if (w < 1 || h < 1 || w > in.width || h > in.height)
            return fail("invalid_image_size",
                        "width and height must be from 1 up to the input image's size (" +
                            size_text(in) + "); got " + std::to_string(w) + "x" +
                            std::to_string(h) + ".");
        out.out_width = static_cast<int>(w);
        out.out_height = static_cast<int>(h);
    }
    if (t.id == "rotate") {
        // The rotated image's bounding box (90-degree steps swap the sides).
        const double rad = get_number(body, "rotation_degrees").value_or(90) * M_PI / 180;
        const double c = std::abs(std::cos(rad)), s = std::abs(std::sin(rad));
        out.out_width = std::max(1, static_cast<int>(std::lround(in.width * c + in.height * s)));
        out.out_height = std::max(1, static_cast<int>(std::lround(in.width * s + in.height * c)));
    }
    return std::nullopt;
}

}  // namespace

Result check_edit_tool_request(const std::string& tool_id, const json& body) {
    // As FastAPI does: the body's schema first (it is one for every tool), then the tool.
    if (json issues = schema_issues(body); !issues.empty())
        return EditToolError{422, "validation_error", "", issues};
    const EditTool* tool = find_edit_tool(tool_id);
    if (!tool)
        return fail("tool_not_found",
                    "Unknown or disabled edit tool '" + tool_id +
                        "'; GET /edit/tools lists the enabled tools.",
                    404);
    if (auto e = missing_input(*tool, body)) return *e;
    auto input = input_image(*tool, body);
    if (auto* e = std::get_if<EditToolError>(&input)) return *e;
    const EditImage& in = std::get<EditImage>(input);
    for (const char* field : {"mask_image", "input_palette", "extra_input_image"})
        if (auto e = extra_image(*tool, body, field, in.info)) return *e;
    EditToolRequest out{tool, body, "", in.info.width, in.info.height, in.frames};
    if (has_field(*tool, "prompt")) out.prompt = get_string(body, "prompt").value_or("");
    if (auto e = tool_rules(*tool, body, out, in.info)) return *e;
    return out;
}

void send_edit_tool_error(httplib::Response& res, const EditToolError& error) {
    if (!error.issues.is_null()) return send_validation(res, error.issues);
    send_json(res, error.status, detail_error(error.code, error.message));
}

}  // namespace rdsim
