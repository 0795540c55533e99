#pragma once
// The Low-Poly 3D requests as values: the arguments read, the images resolved and every limit
// the API documents (shared/upstream/retrodiffusion-v2-reference.md, section 8) checked once,
// before anything is sent, so a request the API would refuse (and maybe charge a lookup for)
// never leaves. Each refusal names the argument and says what to send instead.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "protocol/json_rpc.h"
#include "tools/image_input.h"

namespace rdmcp::tools {

// The paid jobs: each is admitted as a task (202) and polled with GET /lowpoly/tasks/{id}.
enum class LowPolyOperation { Generate, Revise, Animate, Split, Rerig };

// The documented limits.
inline constexpr std::size_t kMaxLowPolyPrompt = 250;
inline constexpr std::size_t kMaxLowPolyReferences = 4;  // reference_images + reference_models
inline constexpr std::size_t kMaxLowPolyReferenceBytes = 8u << 20;  // each image, decoded
inline constexpr std::size_t kMaxLowPolyAnimationName = 64;
inline constexpr std::size_t kMaxLowPolyCustomId = 128;
inline constexpr int kLowPolySizes[] = {16, 32, 64, 128, 256};
inline constexpr const char* kLowPolyStyles[] = {"rd_lowpoly__detailed", "rd_lowpoly__blocky",
                                                 "rd_lowpoly__detailed_lite",
                                                 "rd_lowpoly__blocky_lite"};
inline constexpr const char* kLowPolyModes[] = {"auto", "quality", "fast"};
inline constexpr const char* kLowPolyExportTargets[] = {
    "godot",     "unity", "unreal",    "web",        "blender", "blockbench", "obj",
    "minecraft", "atlas", "turntable", "axis_views", "gif",     "sheet",      "mp4"};
inline constexpr const char* kLowPolyRecolorTools[] = {"color_reducer", "palette_converter",
                                                       "color_style_transfer"};
inline constexpr const char* kLowPolyDitherModes[] = {"none", "bayer_2x2", "bayer_4x4",
                                                      "bayer_8x8"};
// The documented price of a recolor with color_style_transfer (the others are free).
inline constexpr double kLowPolyStyleTransferUsd = 0.01;

const char* operation_name(LowPolyOperation operation);  // "generate", "revise", ...

// generate, revise, animate, split or rerig.
struct LowPolyStartRequest {
    LowPolyOperation operation = LowPolyOperation::Generate;
    std::string asset_id;                       // the model worked on (all but generate)
    std::optional<std::string> prompt;          // required by revise and animate
    std::optional<int> size;                    // generate: 16..256; absent: "auto"
    std::optional<std::string> style;           // generate
    std::optional<std::string> mode;            // generate, revise, animate
    std::vector<ImageInput> reference_images;   // generate, revise: resolved, base64
    std::vector<std::string> reference_models;  // generate: asset ids
    std::optional<ImageInput> input_palette;    // generate
    std::optional<std::string> animation;       // animate: the new animation's name
    std::optional<long long> version;           // all but generate: the version worked on
    std::optional<std::string> custom_id;       // the API's idempotency label, when given
};

// Either the request, or a message naming the argument and what to send instead. Arguments
// the tool does not send (max_cost, output_dir) are left alone; a documented field of another
// operation is refused.
std::variant<LowPolyStartRequest, std::string> build_lowpoly_start(LowPolyOperation operation,
                                                                   const protocol::Json& arguments,
                                                                   const ImageInputPolicy& policy);

// The same for POST /lowpoly/estimate: `operation` (default generate) and that operation's
// fields, none of them required (the estimate prices what it is given).
std::variant<LowPolyStartRequest, std::string> build_lowpoly_estimate(
    const protocol::Json& arguments, const ImageInputPolicy& policy);

// "/lowpoly/generate" or "/lowpoly/assets/{asset_id}/<operation>" (UpstreamClient adds /v2).
std::string lowpoly_start_path(const LowPolyStartRequest& request);
// What is sent but the images (reference_images, input_palette: see take_lowpoly_images).
protocol::Json upstream_body(const LowPolyStartRequest& request);
// The images as the members sent apart from the body, moved out of `request`, never copied.
protocol::Json take_lowpoly_images(LowPolyStartRequest& request);
// The body of the free POST /lowpoly/estimate for this request.
protocol::Json estimate_body(const LowPolyStartRequest& request);
// "a 32 px model (rd_lowpoly__detailed) of 'a red barn'", for the spend guard and results.
std::string describe_lowpoly(const LowPolyStartRequest& request);

// POST /lowpoly/assets/{id}/recolor (synchronous; a new version).
struct LowPolyRecolorRequest {
    std::string asset_id;
    std::string tool;  // color_reducer, palette_converter, color_style_transfer
    std::optional<long long> color_count;
    std::optional<std::string> dither_mode;
    std::optional<double> dither_strength;
    std::optional<ImageInput> palette_image;    // palette_converter
    std::optional<ImageInput> reference_image;  // color_style_transfer
    std::optional<long long> version;
    bool paid() const { return tool == "color_style_transfer"; }
};
std::variant<LowPolyRecolorRequest, std::string> build_lowpoly_recolor(
    const protocol::Json& arguments, const ImageInputPolicy& policy);
std::string lowpoly_recolor_path(const LowPolyRecolorRequest& request);
protocol::Json upstream_body(const LowPolyRecolorRequest& request);  // images included

// POST /lowpoly/assets/{id}/export (free): a signed URL to the file.
struct LowPolyExportRequest {
    std::string asset_id;
    std::string target;
    std::optional<long long> version;
    std::optional<std::string> animation;
    std::string output_dir;  // where to save the file, when asked (stdio)
};
std::variant<LowPolyExportRequest, std::string> build_lowpoly_export(
    const protocol::Json& arguments, const ImageInputPolicy& policy);
std::string lowpoly_export_path(const LowPolyExportRequest& request);
protocol::Json upstream_body(const LowPolyExportRequest& request);

// DELETE /lowpoly/assets/{id}/versions/{number}/animations/{name} (free).
struct LowPolyAnimationRef {
    std::string asset_id;
    long long version = 1;
    std::string animation;
};
std::variant<LowPolyAnimationRef, std::string> build_lowpoly_animation_ref(
    const protocol::Json& arguments);
std::string lowpoly_animation_path(const LowPolyAnimationRef& ref);

// An asset id or task id as the agent gave it, checked to be safe in a URL path: the message
// when it is not.
std::optional<std::string> check_lowpoly_id(const char* field, const std::string& id);

// GET /lowpoly/assets with its query (limit 1-100, before_id, inference_id), ready to send.
struct LowPolyListQuery {
    std::string path;
};
std::variant<LowPolyListQuery, std::string> build_lowpoly_list_query(
    const protocol::Json& arguments);

}  // namespace rdmcp::tools
