#pragma once
// fix_pixel_art's request as a value: the arguments read, the image resolved and every limit
// Pixel Fixer documents (shared/upstream/retrodiffusion-pixel-fixer.md) checked once, before
// anything is sent, so a request the API would refuse never leaves.
#include <cstddef>
#include <optional>
#include <string>
#include <variant>

#include "protocol/json_rpc.h"
#include "tools/image_input.h"

namespace rdmcp::tools {

enum class PixelFixerEngine { Standard, Neural };

// The documented limits.
inline constexpr std::size_t kMaxPixelFixerRequestBytes = 900'000;  // the request JSON
inline constexpr int kMinPixelFixerSide = 16;
inline constexpr long long kMaxPixelFixerPixels = 16'000'000;  // 16 megapixels
inline constexpr std::size_t kMaxPixelFixerUrlLength = 2083;

struct PixelFixerRequest {
    PixelFixerEngine engine = PixelFixerEngine::Standard;
    std::optional<ImageInput> image;         // input_image, resolved: base64 ready for the API
    std::optional<std::string> image_url;    // or a public https:// link the API downloads
    std::optional<long long> width, height;  // neural only: the target size
    std::string output_dir;                  // where to save the result, when asked (stdio)
    std::size_t request_bytes = 0;           // the exact size of the JSON sent
};

// Either the request, or a message naming the argument and what to send instead.
std::variant<PixelFixerRequest, std::string> build_pixel_fixer_request(
    const protocol::Json& arguments, const ImageInputPolicy& policy);

// "/pixel-fixer/standard" or "/pixel-fixer/neural" (UpstreamClient adds /v1 or /v2).
std::string pixel_fixer_path(PixelFixerEngine engine);
const char* engine_name(PixelFixerEngine engine);  // "standard", "neural"

// What is sent but the inline image: image_url, width, height.
protocol::Json upstream_body(const PixelFixerRequest& request);

// The inline image as the member sent apart from the body ({"input_image": base64}, moved out
// of `request`, never copied), or an empty object when the image goes by image_url.
protocol::Json take_image_member(PixelFixerRequest& request);

}  // namespace rdmcp::tools
