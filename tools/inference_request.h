#pragma once
// create_inference's arguments as a value: read and checked once, against the style catalog
// too, so a request bound to fail never spends credits; upstream_body() is the body of POST
// /v1/inferences. Styles the catalog does not know (user styles, styles newer than this build)
// skip the local checks: the API decides. Fields we do not know pass through unchanged
// (`unknown_fields`), so new API features keep working; the control fields that change the
// shape of the API's answer (check_cost, async) never do: they are read into `controls`, and
// each tool decides what they mean for it.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "protocol/json_rpc.h"
#include "tools/image_input.h"
#include "tools/project_assets.h"
#include "tools/project_save.h"
#include "tools/style_catalog.h"
#include "tools/style_selector.h"

namespace rdmcp::tools {

// What the caller asked of the request itself, rather than of the images.
struct InferenceControls {
    bool check_cost = false;  // the price only: the free dry run
    bool async = false;       // a job: its id at once, the images when polled
};

struct InferenceRequest {
    // The documented fields. An optional one the caller left out is not sent.
    std::string prompt;
    std::string prompt_style;  // as sent (an old alias becomes the current name)
    int width = 0, height = 0;
    int num_images = 1;  // always sent
    std::optional<long long> seed;
    std::optional<double> strength;
    std::optional<bool> remove_bg, return_non_bg_removed, return_pre_palette, tile_x, tile_y,
        bypass_prompt_expansion, include_downloadable_data, return_spritesheet, upload_outputs;
    std::optional<int> upscale_output_factor;
    std::optional<std::string> extra_prompt;
    std::optional<int> frames_duration;
    // Fields this server does not know, sent as they came (newer API features).
    protocol::Json unknown_fields = protocol::Json::object();

    // The image fields (input_image, reference_images, ...) as the API wants them, sent after
    // the body's members without being copied again: UpstreamClient::post(path,
    // upstream_body(request), images, ...).
    protocol::Json images = protocol::Json::object();
    // The style as checked: the caller's live catalog entry when one is cached, else the
    // built-in one; nothing for styles neither knows.
    std::optional<Style> style;
    std::string output_dir;        // where to save the images, when the caller asked (stdio)
    SaveArguments save_arguments;  // save_to, filename, frames: never sent upstream
    // Set by the tool once the project folder is known (before paying); frames: true for an
    // animation cuts it by this request's size.
    std::optional<SavePlan> save;
    FrameRequest frames;
    InferenceControls controls;  // never in the body: each path sets what it sends
};

// The body of POST /v1/inferences, but the images (sent apart) and the controls: the documented
// fields that were given, and the unknown ones as they came.
protocol::Json upstream_body(const InferenceRequest& request);

// Whether the API appends the image before the palette (an input_palette was given), and the
// image before background removal, after the requested ones.
bool returns_pre_palette(const InferenceRequest& request);
bool returns_non_bg_removed(const InferenceRequest& request);

// Whether an argument is one of the images (input_image, reference_images, ...): never copied
// into a record such as a sidecar.
bool is_image_argument(std::string_view name);

// Our own arguments, which are never sent upstream.
inline constexpr const char* kOutputDirArgument = "output_dir";

// Either the request, or a message naming the field, the allowed values and a corrected example.
// `live`: the caller's cached live catalog (LiveStyleCatalog::cached), whose limits then decide;
// null: the built-in catalog's.
std::variant<InferenceRequest, std::string> build_inference_request(
    const protocol::Json& arguments, const ImageInputPolicy& images,
    const MergedCatalog* live = nullptr);

// Why a generation tool refuses check_cost: true. A price has another shape than the tool's
// outputSchema, so the price comes from its own tool.
std::string price_only_refusal();

// The inputSchema shared by create_inference, estimate_inference_cost and the async job tools.
protocol::Json inference_input_schema(bool local_files_allowed);
// The arguments of inference_input_schema that a tool beside create_inference names itself
// (the required ones and num_images), with the rest accepted as they are: tools/list would
// otherwise carry the same 2 KB schema three times.
protocol::Json inference_core_schema(bool local_files_allowed);

}  // namespace rdmcp::tools
