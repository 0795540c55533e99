#include "tools/pixel_fixer_request.h"

#include <cctype>

#include "tools/json_pieces.h"
#include "tools/tool_arguments.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

constexpr const char* kImageField = "input_image";

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
    }
    return true;
}

std::string dimensions(const ImageInfo& info) {
    return std::to_string(info.width) + "x" + std::to_string(info.height);
}

// The API downloads image_url itself: "public HTTPS only", 1 to 2083 characters. Whether the
// host is public is for the API to say (it resolves the name; we would only guess).
std::optional<std::string> check_image_url(const std::string& url) {
    const std::string shown = url.size() > 120 ? url.substr(0, 120) + "..." : url;
    if (url.empty() || url.size() > kMaxPixelFixerUrlLength) {
        return "'image_url' must be 1 to 2083 characters long, got " + std::to_string(url.size()) +
               "; pass a shorter link, or the image itself in 'input_image'";
    }
    const bool https = starts_with_nocase(url, "https://");
    const std::size_t host_start = https ? 8 : 0;
    if (!https || url.find_first_of("/?#", host_start) == host_start || url.size() == host_start) {
        return "'image_url' must be a public https:// link to a PNG or JPEG (the API downloads it "
               "itself and refuses http:// and private networks), got '" +
               shown + "'; or pass the image itself in 'input_image'";
    }
    return std::nullopt;
}

// The image's format and size, as Pixel Fixer accepts them.
std::optional<std::string> check_image(const ImageInfo& info) {
    if (info.mime_type != "image/png" && info.mime_type != "image/jpeg") {
        return "'input_image' is " + info.mime_type +
               "; Pixel Fixer takes PNG or JPEG only: convert it (losslessly, to PNG) first";
    }
    if (info.width < kMinPixelFixerSide || info.height < kMinPixelFixerSide) {
        return "'input_image' is " + dimensions(info) +
               "; Pixel Fixer needs at least 16x16 pixels: pass the larger (upscaled or soft) "
               "original";
    }
    if (static_cast<long long>(info.width) * info.height > kMaxPixelFixerPixels) {
        return "'input_image' is " + dimensions(info) +
               ", over Pixel Fixer's limit of 16 megapixels: downscale it first";
    }
    return std::nullopt;
}

std::size_t json_size(PixelFixerRequest& request) {
    Json image = take_image_member(request);
    const std::size_t size = JsonPieces(upstream_body(request), image).size();
    if (image.contains(kImageField)) {  // back where it was: measured, not copied
        request.image->base64 = std::move(image[kImageField].get_ref<std::string&>());
    }
    return size;
}

std::string too_large(const PixelFixerRequest& request) {
    const std::string& source = request.image->source;
    const bool file = source.rfind("file ", 0) == 0;
    return std::string(file ? "the local file " + source.substr(5) +
                                  " is too large for the API's inline limit: "
                            : "'input_image' is too large for the API's inline limit: ") +
           "the request would be " + std::to_string(request.request_bytes) +
           " bytes of JSON, over Pixel Fixer's 900000 (base64 adds a third to the image). Pass "
           "the image as 'image_url' (a public https:// link) or send a smaller image";
}

}  // namespace

std::variant<PixelFixerRequest, std::string> build_pixel_fixer_request(
    const Json& arguments, const ImageInputPolicy& policy) {
    PixelFixerRequest request;
    std::optional<std::string> input_image, image_url, engine, output_dir;
    ArgumentReader read(arguments);
    read.text("input_image", input_image);
    read.text("image_url", image_url);
    read.text("engine", engine);
    read.whole("width", request.width, "a whole number of pixels, at least 1", 1);
    read.whole("height", request.height, "a whole number of pixels, at least 1", 1);
    read.text("output_dir", output_dir);
    if (read.problem()) return *read.problem();

    if (engine && *engine != "standard" && *engine != "neural") {
        return "'engine' must be \"standard\" (grid detection, the default) or \"neural\" "
               "(neural reconstruction, optionally at width x height), got \"" +
               (engine->size() > 40 ? engine->substr(0, 40) + "..." : *engine) + "\"";
    }
    request.engine = engine == "neural" ? PixelFixerEngine::Neural : PixelFixerEngine::Standard;
    if (request.engine == PixelFixerEngine::Standard && (request.width || request.height)) {
        return std::string(
            "'width' and 'height' set the target size of engine \"neural\" only; the standard "
            "engine answers at the detected native grid. Remove them, or pass engine: \"neural\"");
    }
    if (output_dir && !policy.allow_local_files) {
        return std::string(
            "'output_dir' only works when the server runs locally over stdio; remove it (hosted "
            "servers return the image inline)");
    }
    request.output_dir = output_dir.value_or("");

    if (input_image && image_url) {
        return std::string("pass exactly one of 'input_image' or 'image_url', not both");
    }
    if (!input_image && !image_url) {
        return std::string(
                   "pass the image to fix: 'input_image' (raw base64 PNG or JPEG, a "
                   "data: URL") +
               (policy.allow_local_files ? ", or a local file path" : "") +
               ") or 'image_url' (a public https:// link)";
    }
    if (image_url) {
        if (auto problem = check_image_url(*image_url)) return *problem;
        request.image_url = std::move(*image_url);
    } else {
        if (starts_with_nocase(*input_image, "https://") ||
            starts_with_nocase(*input_image, "http://")) {
            return std::string(
                "'input_image' is a web link; pass it as 'image_url' instead (public https:// "
                "only: the API downloads it)");
        }
        auto resolved = resolve_image_input(kImageField, *input_image, policy);
        if (auto* problem = std::get_if<std::string>(&resolved)) return std::move(*problem);
        request.image = std::move(std::get<ImageInput>(resolved));
        if (auto problem = check_image(request.image->info)) return *problem;
    }
    request.request_bytes = json_size(request);
    if (request.image && request.request_bytes > kMaxPixelFixerRequestBytes) {
        return too_large(request);
    }
    return request;
}

std::string pixel_fixer_path(PixelFixerEngine engine) {
    return std::string("/pixel-fixer/") + engine_name(engine);
}

const char* engine_name(PixelFixerEngine engine) {
    return engine == PixelFixerEngine::Neural ? "neural" : "standard";
}

Json upstream_body(const PixelFixerRequest& request) {
    Json body = Json::object();
    if (request.image_url) body["image_url"] = *request.image_url;
    if (request.width) body["width"] = *request.width;
    if (request.height) body["height"] = *request.height;
    return body;
}

Json take_image_member(PixelFixerRequest& request) {
    Json member = Json::object();
    if (request.image) member[kImageField] = std::move(request.image->base64);
    return member;
}

}  // namespace rdmcp::tools
