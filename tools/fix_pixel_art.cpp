// fix_pixel_art: POST /pixel-fixer/standard or /pixel-fixer/neural — rebuilds enlarged, soft,
// AI-rendered or compression-damaged pixel art at its native grid. Free (it spends no balance),
// so a lost answer may be asked for once more, like a read; but 10 calls a minute per key
// (shared by both engines), so a 429 goes back to the agent with its wait instead.
#include "tools/agent_errors.h"
#include "tools/generated_images.h"
#include "tools/image_info.h"
#include "tools/pixel_fixer_request.h"
#include "tools/project_save.h"
#include "tools/read_retry.h"
#include "tools/retrodiffusion_tools.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

protocol::ToolDefinition fix_pixel_art_definition(const ToolsConfig& config) {
    Json properties = {
        {"input_image",
         {{"type", "string"},
          {"minLength", 1},
          {"description", "PNG or JPEG, 16 px to 16 MP; inline at most ~670 KB, else image_url."}}},
        {"image_url",
         {{"type", "string"},
          {"minLength", 1},
          {"maxLength", kMaxPixelFixerUrlLength},
          {"description", "A public https:// link instead (up to 20 MB)."}}},
        {"engine",
         {{"type", "string"},
          {"enum", {"standard", "neural"}},
          {"default", "standard"},
          {"description",
           "standard: grid detection (upscaled art); neural: for AI-rendered or damaged art."}}},
        {"width", {{"type", "integer"}, {"minimum", 1}, {"description", "neural only."}}},
        {"height", {{"type", "integer"}, {"minimum", 1}, {"description", "neural only."}}},
    };
    if (config.local_files_allowed) {
        properties["output_dir"] = {{"type", "string"}, {"minLength", 1}};
    }
    add_save_properties(properties, config.local_files_allowed, /*with_frames=*/false);
    return {
        .name = "fix_pixel_art",
        .title = "Fix pixel art (Pixel Fixer)",
        .description =
            "Rebuilds upscaled, blurry or AI-rendered pixel art at its native grid. Free; 10 calls "
            "a minute. Give input_image or image_url.",
        .input_schema = {{"type", "object"},
                         {"properties", properties},
                         {"additionalProperties", false}},
        .output_schema = images_output_schema(),
        .annotations = {.read_only = false,
                        .destructive = false,
                        .idempotent = true,
                        .open_world = true},
    };
}

// What the agent can do about each of Pixel Fixer's documented errors, decided by code (v2's
// envelope and v1's detail.code carry the same ones), then by status.
std::optional<std::string> advice(const UpstreamError& error) {
    if (error.kind != UpstreamError::Kind::Http) return std::nullopt;
    const std::string& code = error.code;
    if (code == "pixel_fixer_output_too_large") {
        return "The fixed image is larger than the API's 850,000-byte answer limit. With engine "
               "neural, ask for a smaller width and height; or use engine standard, which "
               "answers at the detected native grid. Pixel Fixer is free: nothing was charged.";
    }
    if (code == "pixel_fixer_request_too_large" || error.status == 413) {
        return "The request is over the API's 900,000-byte limit: pass the image as image_url "
               "(a public https:// link) or send a smaller image. Nothing was charged.";
    }
    if (code == "invalid_pixel_fixer_image") {
        return "Pixel Fixer takes a PNG or JPEG of at least 16x16 and at most 16 megapixels; an "
               "image_url must be a public https:// link it can download (at most 20 MB, no "
               "private networks). Send such an image. Nothing was charged.";
    }
    if (code == "pixel_fixer_rate_limit_exceeded" || error.status == 429) {
        return "Pixel Fixer allows 10 requests per minute per API key, standard and neural "
               "together. " +
               (error.retry_after ? "Wait " + std::to_string(*error.retry_after) +
                                        " seconds before calling again."
                                  : std::string("Wait a minute before calling again.")) +
               " Do not retry at once.";
    }
    if (code == "pixel_fixer_failed" || error.status >= 500) {
        return "Pixel Fixer failed on the API's side, which is usually temporary: try again in a "
               "minute (it is free), or try the other engine.";
    }
    return std::nullopt;
}

protocol::ToolResult fix_failed(const UpstreamError& error) {
    static constexpr const char* kAction = "Fixing the pixel art";
    if (auto words = advice(error)) {
        return protocol::ToolResult::error(
            as_sentence(std::string(kAction) + " failed: " + error.summary()) + " " + *words);
    }
    return tool_error_for(error, kAction);
}

// Free, and the same request gives the same kind of answer: a lost answer (no connection, a
// timeout, a 502/503/504) is asked for once more as a read would be. Never after a 429: that
// would spend another of the minute's ten calls on a refusal.
UpstreamResult send(const UpstreamClient& upstream, const PixelFixerRequest& request,
                    const Json& image, protocol::RequestContext& context) {
    const UpstreamCaller caller(context);
    const std::string path = pixel_fixer_path(request.engine);
    const Json body = upstream_body(request);
    UpstreamResult reply = upstream.post(path, body, image, caller);
    if (reply.ok() || caller.is_cancelled() || reply.error->status == 429) return reply;
    const auto wait = read_retry_wait(*reply.error);
    if (!wait || !wait_unless_cancelled(*wait, caller.cancellation)) return reply;
    reply = upstream.post(path, body, image, caller);
    reply.attempts = 2;
    return reply;
}

std::string headline(const PixelFixerRequest& request, const GeneratedImages& images) {
    std::string from = request.image ? std::to_string(request.image->info.width) + "x" +
                                           std::to_string(request.image->info.height)
                                     : std::string("the image at image_url");
    std::string to = "?";
    if (auto info = read_base64_image_info(images.base64_images.front())) {
        to = std::to_string(info->width) + "x" + std::to_string(info->height);
    }
    return "Fixed the pixel grid: " + from + " -> " + to + " (" + engine_name(request.engine) +
           " engine, free)";
}

}  // namespace

protocol::Tool make_fix_pixel_art_tool(UpstreamPtr upstream, ToolsConfig config) {
    auto handler = [upstream, config](const Json& arguments, protocol::RequestContext& context) {
        auto built =
            build_pixel_fixer_request(arguments, {.allow_local_files = config.local_files_allowed});
        if (auto* problem = std::get_if<std::string>(&built)) {
            return rejected_before_sending(*problem);
        }
        auto& request = std::get<PixelFixerRequest>(built);
        auto save = prepare_save("fix_pixel_art", arguments, context, config);
        if (save.answer_now) return std::move(*save.answer_now);
        if (!save.refusal.empty()) return rejected_before_sending(save.refusal);
        const Json image = take_image_member(request);  // sent from where it is, never copied

        UpstreamResult reply;
        {
            const auto progress = context.report_progress_while(
                "Waiting for RetroDiffusion's Pixel Fixer", config.progress_interval);
            reply = send(*upstream, request, image, context);
        }
        if (!reply.ok()) return fix_failed(*reply.error);

        auto images = reply.body.get<GeneratedImages>();
        if (images.base64_images.empty()) {
            return protocol::ToolResult::error(
                "Pixel Fixer answered without an image although it reported success. It is "
                "free: try again, or try the other engine.");
        }
        images.base64_images.resize(1);  // "exactly one raw base64 PNG"
        images.labels.assign(1, "generated");
        images.output_urls.clear();
        if (!images.request_id && !reply.request_id.empty()) images.request_id = reply.request_id;
        const std::string title = headline(request, images);
        return render_images(
            std::move(images),
            {.headline = title,
             .file_stem = std::string("pixel-fixed-") + engine_name(request.engine),
             .output_dir = request.output_dir,
             .save = std::move(save.plan)},
            config);
    };
    return {fix_pixel_art_definition(config), handler};
}

}  // namespace rdmcp::tools
