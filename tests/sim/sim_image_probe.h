#pragma once
// Recognises the images clients send (PNG, JPEG, GIF, WebP) and reads their dimensions, the
// way the real API fails on a base64 string that is not an image it can open.
#include <optional>
#include <string>
#include <string_view>

namespace rdsim {

struct ImageInfo {
    std::string format;  // "png", "jpeg", "gif", "webp"
    int width = 0;
    int height = 0;
};

struct ProbeResult {
    std::optional<ImageInfo> info;
    std::string error;  // why it was rejected, when info is empty
};

// Reads the decoded bytes of an image file.
ProbeResult probe_image(std::string_view bytes);

// Decodes base64 first. A "data:<mime>;base64," prefix is accepted only when allow_data_uri
// (the edit tools accept it; /v1/inferences rejects it as the documents warn).
ProbeResult probe_base64_image(std::string_view text, bool allow_data_uri);

}  // namespace rdsim
