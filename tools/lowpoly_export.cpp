// export_lowpoly_model: POST /lowpoly/assets/{id}/export (free) makes a file of a model (glb,
// bbmodel, obj, resource pack, atlas, turntable, gif, sprite sheet, mp4) and answers with a
// signed link. Over stdio, with an output_dir (the call's or the server's), the file is
// downloaded and saved there; otherwise the link is returned as a resource_link.
#include <filesystem>
#include <fstream>

#include "tools/agent_errors.h"
#include "tools/api_fields.h"
#include "tools/hosted_outputs.h"
#include "tools/lowpoly_tools.h"
#include "tools/retrodiffusion_tools.h"

namespace rdmcp::tools {

using protocol::Json;
using protocol::ToolResult;

namespace {

// The API's file name, kept to a safe alphabet so it cannot leave the directory.
std::string safe_file_name(const std::string& name, const std::string& fallback) {
    std::string safe;
    for (unsigned char c : name.substr(0, 120)) {
        safe += std::isalnum(c) || c == '-' || c == '_' || c == '.' ? static_cast<char>(c) : '_';
    }
    if (safe.empty() || safe.find_first_not_of('.') == std::string::npos) return fallback;
    return safe;
}

// Saves `bytes` in `dir` under `name` (or name-1, name-2, ... when taken): the path, or why not.
std::variant<std::filesystem::path, std::string> save(const std::string& dir,
                                                      const std::string& name,
                                                      const std::string& bytes) {
    namespace fs = std::filesystem;
    std::error_code error;
    fs::create_directories(dir, error);
    if (error) return "could not create " + dir + ": " + error.message();
    const fs::path base(name);
    fs::path path = fs::path(dir) / base;
    for (int i = 1; fs::exists(path, error) && i < 1000; ++i) {
        path = fs::path(dir) /
               (base.stem().string() + "-" + std::to_string(i) + base.extension().string());
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) return "could not write " + path.string();
    return fs::absolute(path, error);
}

Json lowpoly_export_output_schema() {
    return {{"type", "object"},
            {"properties",
             {{"target", nullable("string")},
              {"version", nullable("integer")},
              {"url", nullable("string", "Signed link to the file (expires).")},
              {"filename", nullable("string")},
              {"content_type", nullable("string")},
              {"path", {{"type", "string"}, {"description", "Where the file was saved."}}},
              {"bytes", {{"type", "integer"}}}}}};
}

}  // namespace

protocol::Tool make_export_lowpoly_model_tool(LowPolyPtr lowpoly) {
    Json properties = {{"asset_id", {{"type", "string"}}},
                       {"target",
                        {{"type", "string"},
                         {"enum", kLowPolyExportTargets},
                         {"description", "Engines and blender: .glb; mp4 needs an animation."}}},
                       {"version", {{"type", "integer"}, {"minimum", 1}}},
                       {"animation",
                        {{"type", "string"},
                         {"minLength", 1},
                         {"maxLength", kMaxLowPolyAnimationName},
                         {"description", "Default: the model (sheet: every animation)."}}}};
    if (lowpoly->config.local_files_allowed) {
        properties["output_dir"] = {{"type", "string"}, {"description", "Save the file here."}};
    }
    protocol::ToolDefinition definition{
        .name = "export_lowpoly_model",
        .title = "Export a Low-Poly 3D model",
        .description =
            "Exports a model or animation for an engine or tool (target): a link, or a file over "
            "stdio. Free.",
        .input_schema = {{"type", "object"},
                         {"properties", properties},
                         {"required", {"asset_id", "target"}}},
        .output_schema = lowpoly_export_output_schema(),
        .annotations = {.read_only = true,
                        .destructive = false,
                        .idempotent = true,
                        .open_world = true},
    };
    auto handler = [lowpoly](const Json& arguments, protocol::RequestContext& context) {
        const auto& config = lowpoly->config;
        auto built = build_lowpoly_export(arguments, lowpoly_image_policy(config));
        if (auto* problem = std::get_if<std::string>(&built)) {
            return rejected_before_sending(std::move(*problem));
        }
        const auto& request = std::get<LowPolyExportRequest>(built);
        auto reply =
            lowpoly->upstream->post(lowpoly_export_path(request), upstream_body(request), context);
        if (!reply.ok()) return tool_error_for(*reply.error, "Exporting the Low-Poly model");
        Json structured = reply.body.is_object() ? reply.body : Json::object();
        const auto url = text_in(reply.body, "url");
        if (!url) {
            return ToolResult::error("The export answered without a link to the file; try again.");
        }
        const std::string filename = safe_file_name(text_in(reply.body, "filename").value_or(""),
                                                    request.asset_id + "." + request.target);
        const auto mime = text_in(reply.body, "content_type");
        std::string text = "Exported model " + request.asset_id + " for " + request.target;
        const std::string dir = !request.output_dir.empty()  ? request.output_dir
                                : config.local_files_allowed ? config.output_dir
                                                             : "";
        if (!dir.empty()) {
            auto file = fetch_hosted_file(*url, *lowpoly->upstream, context);
            if (file.problem.empty()) {
                auto saved = save(dir, filename, file.bytes);
                if (auto* path = std::get_if<std::filesystem::path>(&saved)) {
                    structured["path"] = path->string();
                    structured["bytes"] = file.bytes.size();
                    auto result = ToolResult::text(text + ": saved " + path->string() + " (" +
                                                   std::to_string(file.bytes.size()) + " bytes).");
                    result.structured_content = without_nulls(std::move(structured));
                    return result;
                }
                text += ". It could not be saved (" + std::get<std::string>(saved) + ")";
            } else {
                text += ". It could not be downloaded (" + file.problem + ")";
            }
        }
        auto result = ToolResult::text(text + ": " + filename +
                                       ". The link is signed and expires: download it soon.");
        Json link = {{"type", "resource_link"}, {"uri", *url}, {"name", filename}};
        if (mime) link["mimeType"] = *mime;
        result.content.push_back(std::move(link));
        result.structured_content = without_nulls(std::move(structured));
        return result;
    };
    return {definition, handler};
}

}  // namespace rdmcp::tools
