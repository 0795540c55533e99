#pragma once
// Turns create_inference arguments into the body of POST /v1/inferences, checking them first
// against the style catalog so a request bound to fail never spends credits. Styles the catalog
// does not know (user styles, styles newer than this build) skip the local checks: the API
// decides. Fields we do not know pass through unchanged, so new API features keep working; the
// control fields that change the shape of the API's answer (check_cost, async) never do: they
// are read into `controls`, and each tool decides what they mean for it.
#include <string>
#include <variant>
#include <vector>

#include "protocol/json_rpc.h"
#include "tools/image_input.h"
#include "tools/style_catalog.h"

namespace rdmcp::tools {

// What the caller asked of the request itself, rather than of the images.
struct InferenceControls {
    bool check_cost = false;  // the price only: the free dry run
    bool async = false;       // a job: its id at once, the images when polled
};

struct InferenceRequest {
    protocol::Json body;          // what goes to the API, but the images
    // The image fields (input_image, reference_images, ...) as the API wants them, sent after
    // `body`'s members without being copied again: UpstreamClient::post(path, body, images, ...).
    protocol::Json images = protocol::Json::object();
    const Style* style = nullptr; // nullptr for styles the catalog does not know
    std::string prompt_style;     // as sent (an old alias becomes the current name)
    int width = 0, height = 0, num_images = 1;
    std::string output_dir;       // where to save the images, when the caller asked (stdio)
    InferenceControls controls;   // never in `body`: each path sets what it sends
};

// Our own arguments, which are never sent upstream.
inline constexpr const char* kOutputDirArgument = "output_dir";

// Either the request, or a message naming the field, the allowed values and a corrected example.
std::variant<InferenceRequest, std::string> build_inference_request(
    const protocol::Json& arguments, const ImageInputPolicy& images);

// Why a generation tool refuses check_cost: true. A price has another shape than the tool's
// outputSchema, so the price comes from its own tool.
std::string price_only_refusal();

// The inputSchema shared by create_inference, estimate_inference_cost and the async job tools.
protocol::Json inference_input_schema(bool local_files_allowed);

}  // namespace rdmcp::tools
