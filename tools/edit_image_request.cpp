#include "tools/edit_image_request.h"

#include "tools/api_fields.h"
#include "tools/tool_arguments.h"

namespace rdmcp::tools {

using protocol::Json;

std::variant<EditImageRequest, std::string> build_edit_image_request(
    const Json& arguments, const ImageInputPolicy& policy) {
    EditImageRequest request;
    std::string input_image;
    std::optional<std::string> output_dir;
    ArgumentReader read(arguments);
    read.required_text("input_image", input_image);
    read.required_text("prompt", request.prompt);
    read.whole("seed", request.seed);
    read.text("output_dir", output_dir);
    if (read.problem()) return *read.problem();
    if (output_dir && !policy.allow_local_files) {
        return std::string(
            "'output_dir' only works when the server runs locally over stdio; "
            "remove it (hosted servers return images inline or as links)");
    }
    request.output_dir = output_dir.value_or("");

    auto resolved = resolve_image_input("input_image", input_image, policy);
    if (auto* problem = std::get_if<std::string>(&resolved)) return std::move(*problem);
    request.image = std::move(std::get<ImageInput>(resolved));
    const auto& info = request.image.info;
    if (info.width < kMinEditSide || info.height < kMinEditSide || info.width > kMaxEditSide ||
        info.height > kMaxEditSide) {
        return "'input_image' must be between 16x16 and 256x256 pixels, got " +
               std::to_string(info.width) + "x" + std::to_string(info.height) +
               ". Downscale it first (or generate at a supported size)";
    }
    return request;
}

Json upstream_body(const EditImageRequest& request) {
    Json body = {{"prompt", request.prompt}};
    if (request.seed) body["seed"] = *request.seed;
    return body;
}

GeneratedImages read_edit_answer(const Json& body) {
    if (auto image = text_in(body, "outputImageBase64")) {
        GeneratedImages images;
        images.base64_images.push_back(std::move(*image));
        images.labels.push_back("generated");
        images.remaining_balance = number_in(body, "remaining_credits");
        return images;
    }
    return read_inference_images(body, 1, false, false);
}

}  // namespace rdmcp::tools
