// extract_palette: an image's colours as the palette files pixel-art tools read (Lospec .hex,
// GIMP/Aseprite .gpl, JASC .pal). Over stdio with save_to/filename the files land in the project;
// otherwise they come back as embedded resources. Free and local: no API call.
#include "common/base64.h"
#include "tools/agent_errors.h"
#include "tools/image_codec.h"
#include "tools/image_input.h"
#include "tools/image_output.h"
#include "tools/palette_formats.h"
#include "tools/project_save.h"
#include "tools/retrodiffusion_tools.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

constexpr PaletteFormat kFormats[] = {PaletteFormat::Hex, PaletteFormat::Gpl, PaletteFormat::Pal};

std::string hex_of(const Rgb& c) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text = "#";
    for (const std::uint8_t v : {c.r, c.g, c.b}) {
        text += kHex[v >> 4];
        text += kHex[v & 15];
    }
    return text;
}

protocol::ToolResult refuse(std::string problem) {
    return protocol::ToolResult::error(as_sentence(std::move(problem)));
}

// The image's pixels: a PNG, or a GIF's first frame.
std::variant<RgbaImage, std::string> pixels_of(const ImageInput& input) {
    const auto bytes = base64_decode(input.base64);
    if (!bytes) return std::string("'image' is not valid base64");
    if (input.info.mime_type == "image/gif") {
        auto frames = decode_gif(*bytes);
        if (auto* problem = std::get_if<std::string>(&frames)) return "'image': " + *problem;
        return std::move(std::get<std::vector<AnimationFrame>>(frames).front().image);
    }
    if (input.info.mime_type != "image/png") {
        return "'image' must be a PNG or a GIF, not " + input.info.mime_type;
    }
    auto image = decode_png(*bytes);
    if (auto* problem = std::get_if<std::string>(&image)) return "'image': " + *problem;
    return std::move(std::get<RgbaImage>(image));
}

protocol::ToolDefinition extract_palette_definition(const ToolsConfig& config) {
    Json properties = {
        {"image", {{"type", "string"}, {"description", "PNG or GIF."}}},
        {"max_colors",
         {{"type", "integer"},
          {"minimum", 1},
          {"maximum", 256},
          {"description", "First-seen order (256)."}}},
        {"name", {{"type", "string"}, {"maxLength", 64}, {"description", "In the .gpl file."}}}};
    if (config.local_files_allowed) {
        Json save = Json::object();
        add_save_properties(save, true);
        properties[kSaveToArgument] = save[kSaveToArgument];
        properties[kFilenameArgument] = save[kFilenameArgument];
        properties[kFilenameArgument]["description"] = "Without extension (\"palette\").";
    }
    return {
        .name = "extract_palette",
        .title = "Extract a palette",
        .description =
            "Writes an image's colours as .hex, .gpl and .pal palette files (saved, or returned as "
            "resources); usable as input_palette. Free; no API call.",
        .input_schema = {{"type", "object"},
                         {"properties", properties},
                         {"required", {"image"}},
                         {"additionalProperties", false}},
        .output_schema =
            Json{{"type", "object"},
                 {"properties",
                  {{"count", {{"type", "integer"}}},
                   {"more", {{"type", "boolean"}, {"description", "More colours were left out."}}},
                   {"colors", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                   {"files",
                    {{"type", "object"},
                     {"additionalProperties", {{"type", "string"}}},
                     {"description", "Saved files by format (hex, gpl, pal)."}}}}},
                 {"required", {"count", "more", "colors"}}},
        .annotations = {.read_only = !config.local_files_allowed,
                        .destructive = false,
                        .idempotent = false,
                        .open_world = false},
    };
}

}  // namespace

protocol::Tool make_extract_palette_tool(ToolsConfig config) {
    auto handler = [config](const Json& arguments, protocol::RequestContext& context) {
        auto save_arguments = read_save_arguments(arguments, config.local_files_allowed);
        if (auto* problem = std::get_if<std::string>(&save_arguments)) return refuse(*problem);
        auto place = prepare_project_save(std::get<SaveArguments>(save_arguments), context, config);
        if (place.ask) return std::move(*place.ask);
        if (!place.refusal.empty()) return refuse(place.refusal);

        auto input = resolve_image_input("image", arguments.at("image").get<std::string>(),
                                         {.allow_local_files = config.local_files_allowed});
        if (auto* problem = std::get_if<std::string>(&input)) return refuse(*problem);
        auto pixels = pixels_of(std::get<ImageInput>(input));
        if (auto* problem = std::get_if<std::string>(&pixels)) return refuse(*problem);
        const auto max_colors = arguments.value("max_colors", 256);
        const auto extracted =
            distinct_colors(std::get<RgbaImage>(pixels), static_cast<std::size_t>(max_colors));
        if (extracted.colors.empty())
            return refuse("'image' has no opaque pixel to take a colour from");

        const std::string stem =
            place.save && !place.save->stem.empty() ? place.save->stem : "palette";
        const std::string name = arguments.value("name", stem);
        Json colors = Json::array();
        for (const auto& c : extracted.colors) colors.push_back(hex_of(c));
        Json structured = {
            {"count", extracted.colors.size()}, {"more", extracted.more}, {"colors", colors}};
        std::string text = std::to_string(extracted.colors.size()) + " colour" +
                           (extracted.colors.size() == 1 ? "" : "s") +
                           (extracted.more ? " (more were left out: raise max_colors)" : "") +
                           ": " + colors.dump() + ".";
        protocol::ToolResult result;
        Json files = Json::object();
        Json resources = Json::array();
        for (const auto format : kFormats) {
            const std::string ext(extension(format));
            const std::string contents = write_palette(extracted.colors, format, name);
            if (place.save) {
                auto written = write_new_file(place.save->folder, stem, ext, contents);
                if (auto* error = std::get_if<ImageWriteError>(&written)) {
                    return refuse("saving the ." + ext + " file failed: " + error->message);
                }
                files[ext] = std::get<WrittenImage>(written).path.string();
            } else {
                resources.push_back({{"type", "resource"},
                                     {"resource",
                                      {{"uri", "rd://palettes/" + stem + "." + ext},
                                       {"mimeType", "text/plain"},
                                       {"text", contents}}}});
            }
        }
        if (!files.empty()) {
            text += " Saved:";
            for (const auto& [ext, path] : files.items()) text += " " + path.get<std::string>();
            text += ".";
            structured["files"] = files;
        }
        result.add_text(std::move(text));
        for (auto& resource : resources) result.content.push_back(std::move(resource));
        for (const auto& [ext, path] : files.items()) {
            result.content.push_back(
                {{"type", "resource_link"},
                 {"uri", "file://" + path.get<std::string>()},
                 {"name", std::filesystem::path(path.get<std::string>()).filename().string()},
                 {"mimeType", "text/plain"}});
        }
        result.structured_content = std::move(structured);
        return result;
    };
    return {extract_palette_definition(config), handler};
}

}  // namespace rdmcp::tools
