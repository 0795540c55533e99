#pragma once
// The images an API call returned, turned into a tool result: image content (or files, or
// links, when over the inline budget), a short text summary for clients that show no images,
// and structuredContent describing each image (index, label, type, size in pixels and bytes).
#include <optional>
#include <string>
#include <vector>

#include "protocol/json_rpc.h"
#include "protocol/tool.h"
#include "tools/project_assets.h"
#include "tools/tools_config.h"

namespace rdmcp::tools {

struct GeneratedImages {
    std::vector<std::string> base64_images;
    std::vector<std::string> output_urls;  // hosted copies (upload_outputs)
    std::vector<std::string> labels;       // per image: "generated", "pre_palette", ...
    std::string model;
    std::optional<double> balance_cost;
    std::optional<double> remaining_balance;
    std::optional<std::string> created_at;            // ISO 8601, whichever form the API used
    std::optional<protocol::Json> downloadable_data;  // an object, when the API sent one
    // The API Activity entry (v2): get_inference_result recovers the outputs by it for 24 hours.
    std::optional<std::string> request_id;
};

// Reads a /v1/inferences success body ({base64_images, output_urls, balance_cost, ...}), also a
// finished job's `result`, by type (tools/api_fields.h): what is missing, null or of another
// type is left out, and a body that is not an object reads as no images. Each image is
// labelled "generated" until label_images knows what was asked.
void from_json(const protocol::Json& body, GeneratedImages& images);

// Labels each image: the API appends the extra images (before the palette, before background
// removal) after the `expected_images` requested, in the order documented.
void label_images(GeneratedImages& images, int expected_images, bool has_pre_palette,
                  bool has_non_bg_removed);

// Both: the body read, and its images labelled.
GeneratedImages read_inference_images(const protocol::Json& body, int expected_images,
                                      bool has_pre_palette, bool has_non_bg_removed);

struct RenderRequest {
    std::string headline;    // "Generated 2 images with rd_fast__default"
    std::string file_stem;   // names saved files: "rd_fast__default-seed42"
    std::string output_dir;  // the caller's per-call directory, or empty
    // save_to / filename (stdio): into the project, named, with sidecars; wins over output_dir.
    std::optional<SavePlan> save;
    FrameRequest frames;  // frames: true
};

// Where a job's images go when it is fetched: what render_images takes besides its headline.
struct ImageDestination {
    std::string output_dir;
    std::optional<SavePlan> save;
    FrameRequest frames;
};

protocol::ToolResult render_images(GeneratedImages images, const RenderRequest& request,
                                   const ToolsConfig& config);

// The outputSchema of every tool that returns images.
protocol::Json images_output_schema();

}  // namespace rdmcp::tools
