#pragma once
// The few facts about an image's pixels that the edit tools' rules need before anything is paid:
// which pixels an inpainting mask selects, and whether a GIF is animated. Decoded with Debian's
// libpng and giflib, row by row or record by record, so memory stays at one row whatever the
// image claims to hold.
#include <optional>
#include <string>
#include <string_view>

namespace rdmcp::tools {

// How the API reads a mask (EDIT_TOOLS.md): an alpha channel above 12 selects a pixel; a
// grayscale image without alpha selects values above 12; anything else (RGB, a palette without
// transparency) is fully opaque once converted, so it selects every pixel.
struct MaskCoverage {
    enum class Read { Alpha, Gray, Opaque };
    Read read = Read::Opaque;
    long long selected = 0;  // pixels the mask selects
    long long total = 0;     // width * height
};

inline constexpr int kMaskThreshold = 12;

// For a PNG mask; std::nullopt with `problem` set when it cannot be decoded.
std::optional<MaskCoverage> png_mask_coverage(std::string_view png, std::string& problem);

// How many frames a GIF has, counting no further than two (all an animation check needs),
// without decoding any pixel; std::nullopt when the GIF cannot be read.
std::optional<int> gif_frame_count(std::string_view gif);

}  // namespace rdmcp::tools
