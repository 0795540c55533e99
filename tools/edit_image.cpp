// edit_image: POST /v1/edit — change an image by describing the change ("add a hat"). Feed an
// output back in for progressive editing. Falls back to the newer edit tool endpoint
// (POST /v1/edit/tools/image_edit) when the API has retired /v1/edit (404 or 410).
#include "protocol/progress.h"
#include "tools/agent_errors.h"
#include "tools/generated_images.h"
#include "tools/image_input.h"
#include "tools/retrodiffusion_tools.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

constexpr int kMinSide = 16, kMaxSide = 256;

protocol::ToolDefinition definition(const ToolsConfig& config) {
    Json properties = {
        {"prompt", {{"type", "string"}, {"minLength", 1},
                    {"description", "The change to make, e.g. \"add a red hat\"."}}},
        {"input_image", {{"type", "string"},
                         {"description", std::string("The image to edit, 16x16 to 256x256: raw "
                                                     "base64 PNG or a data: URL") +
                                             (config.local_files_allowed ? ", or a local file path." : ".")}}},
        {"seed", {{"type", "integer"},
                  {"description", "Sent with the edit, for a reproducible result where the API "
                                  "honours it (the newer edit endpoint documents it)."}}},
    };
    if (config.local_files_allowed) {
        properties["output_dir"] = {{"type", "string"}, {"minLength", 1},
                                    {"description", "Also save the edited image here."}};
    }
    return {
        .name = "edit_image",
        .title = "Edit a pixel-art image",
        .description =
            "Edits an image (16x16 to 256x256) by a text instruction and returns the edited PNG. "
            "Costs money (documented at $0.06 per edit). For progressive editing, pass the "
            "returned image back in as input_image with the next instruction.",
        .input_schema = {{"type", "object"},
                         {"properties", properties},
                         {"required", {"prompt", "input_image"}},
                         {"additionalProperties", false}},
        .output_schema = images_output_schema(),
        .annotations = {.read_only = false, .destructive = false, .idempotent = false,
                        .open_world = true},
    };
}

// The two endpoints answer in different shapes; both become GeneratedImages.
GeneratedImages read_edit_reply(const Json& body) {
    if (auto out = body.find("outputImageBase64"); out != body.end() && out->is_string()) {
        GeneratedImages images;
        images.base64_images.push_back(out->get<std::string>());
        images.labels.push_back("generated");
        if (auto credits = body.find("remaining_credits"); credits != body.end() && credits->is_number()) {
            images.remaining_balance = credits->get<double>();
        }
        return images;
    }
    return read_inference_images(body, 1, false, false);
}

}  // namespace

protocol::Tool make_edit_image_tool(UpstreamPtr upstream, ToolsConfig config) {
    auto handler = [upstream, config](const Json& arguments, protocol::RequestContext& context) {
        auto resolved = resolve_image_input("input_image", arguments.at("input_image").get<std::string>(),
                                            {.allow_local_files = config.local_files_allowed});
        if (auto* problem = std::get_if<std::string>(&resolved)) {
            return rejected_before_sending(*problem);
        }
        auto& image = std::get<ImageInput>(resolved);
        const auto& info = image.info;
        if (info.width < kMinSide || info.height < kMinSide || info.width > kMaxSide ||
            info.height > kMaxSide) {
            return rejected_before_sending(
                "'input_image' must be between 16x16 and 256x256 pixels, got " +
                std::to_string(info.width) + "x" + std::to_string(info.height) +
                ". Downscale it first (or generate at a supported size)");
        }
        const std::string prompt = arguments.at("prompt").get<std::string>();

        UpstreamResult reply;
        {
            protocol::ProgressHeartbeat heartbeat(context, "Waiting for RetroDiffusion to edit the image",
                                                  config.progress_interval);
            // Every argument the tool accepts reaches the API, on either endpoint.
            Json body = {{"prompt", prompt}, {"inputImageBase64", image.base64}};
            if (auto seed = arguments.find("seed"); seed != arguments.end()) body["seed"] = *seed;
            reply = upstream->post("/v1/edit", body, context);
            if (!reply.ok() && reply.error->kind == UpstreamError::Kind::Http &&
                (reply.error->status == 404 || reply.error->status == 410)) {
                body.erase("inputImageBase64");
                body["input_image"] = std::move(image.base64);
                reply = upstream->post("/v1/edit/tools/image_edit", body, context);
            }
        }
        if (!reply.ok()) return tool_error_for(*reply.error, "Editing the image");

        auto images = read_edit_reply(reply.body);
        if (images.base64_images.empty()) {
            return protocol::ToolResult::error(
                "Editing the image returned no image although the API reported success. Check "
                "get_balance before retrying.");
        }
        return render_images(std::move(images),
                             {.headline = "Edited the " + std::to_string(info.width) + "x" +
                                          std::to_string(info.height) + " image",
                              .file_stem = "edit",
                              .output_dir = arguments.value("output_dir", std::string())},
                             config);
    };
    return {definition(config), handler};
}

}  // namespace rdmcp::tools
