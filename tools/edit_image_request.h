#pragma once
// edit_image's request and answer as values: the arguments read and the image resolved and
// checked once, before anything is sent; the two edit endpoints' bodies; their two answers
// read as GeneratedImages.
#include <optional>
#include <string>
#include <variant>

#include "protocol/json_rpc.h"
#include "tools/generated_images.h"
#include "tools/image_input.h"

namespace rdmcp::tools {

struct EditImageRequest {
    std::string prompt;             // the change to make
    ImageInput image;               // the input image, resolved: base64 ready for the API
    std::optional<long long> seed;  // sent only when given
    std::string output_dir;         // where to save the edited image, when asked (stdio)
};

// The sides the edit endpoints take, in pixels.
inline constexpr int kMinEditSide = 16, kMaxEditSide = 256;

// The member that carries the image: POST /v1/edit, and the newer POST
// /v1/edit/tools/image_edit.
inline constexpr const char* kEditImageField = "inputImageBase64";
inline constexpr const char* kEditToolImageField = "input_image";

// Either the request, or a message naming the argument and what to send instead.
std::variant<EditImageRequest, std::string> build_edit_image_request(
    const protocol::Json& arguments, const ImageInputPolicy& policy);

// What both endpoints take, but the image: it is sent apart (UpstreamClient::post with the
// image in `appended`), under the endpoint's own name, so its base64 is never copied.
protocol::Json upstream_body(const EditImageRequest& request);

// POST /v1/edit answers {"outputImageBase64", "remaining_credits"}; the newer endpoint answers
// as /v1/inferences does. Either way, the images as create_inference returns them.
GeneratedImages read_edit_answer(const protocol::Json& body);

}  // namespace rdmcp::tools
