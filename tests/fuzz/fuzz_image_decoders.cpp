// Fuzzes the whole-image decoders and the palette readers with small limits, with cross-checks.
// The first byte picks the decoder, the rest is the file:
//  - decode_png: a decoded image has its pixels, re-encodes, and decodes back to the same;
//  - decode_gif: at least one frame, at most max_frames, every frame the screen's size;
//  - parse_palette (detected, .hex, .gpl, .pal): 1-256 colours, written in every format and
//    parsed back to the same colours.
#include <string_view>

#include "tests/fuzz/require.h"
#include "tools/image_codec.h"
#include "tools/palette_formats.h"

using namespace rdmcp::tools;

namespace {

// Small enough that a run stays fast; large enough for real files and every limit's path.
constexpr DecodeLimits kLimits{
    .max_side = 256, .max_pixels = 1 << 14, .max_frames = 16, .max_total_pixels = 1 << 16};

bool well_formed(const RgbaImage& image) {
    return image.width > 0 && image.height > 0 && image.width <= kLimits.max_side &&
           image.height <= kLimits.max_side &&
           static_cast<long long>(image.width) * image.height <= kLimits.max_pixels &&
           image.pixels.size() == static_cast<std::size_t>(image.width) * image.height * 4;
}

void check_png(std::string_view bytes) {
    const auto decoded = decode_png(bytes, kLimits);
    if (const auto* error = std::get_if<std::string>(&decoded)) {
        FUZZ_REQUIRE(error->starts_with("the "));
        return;
    }
    const auto& image = std::get<RgbaImage>(decoded);
    FUZZ_REQUIRE(well_formed(image));
    const std::string png = encode_png(image);
    FUZZ_REQUIRE(!png.empty());
    const auto again = decode_png(png, kLimits);
    FUZZ_REQUIRE(std::holds_alternative<RgbaImage>(again));
    FUZZ_REQUIRE(std::get<RgbaImage>(again) == image);
}

void check_gif(std::string_view bytes) {
    const auto decoded = decode_gif(bytes, kLimits);
    if (const auto* error = std::get_if<std::string>(&decoded)) {
        FUZZ_REQUIRE(error->starts_with("the ") || error->starts_with("frame "));
        return;
    }
    const auto& frames = std::get<std::vector<AnimationFrame>>(decoded);
    FUZZ_REQUIRE(!frames.empty() && frames.size() <= static_cast<std::size_t>(kLimits.max_frames));
    FUZZ_REQUIRE(static_cast<long long>(frames.size()) * frames[0].image.width *
                     frames[0].image.height <=
                 kLimits.max_total_pixels);
    for (const auto& frame : frames) {
        FUZZ_REQUIRE(well_formed(frame.image));
        FUZZ_REQUIRE(frame.image.width == frames[0].image.width);
        FUZZ_REQUIRE(frame.image.height == frames[0].image.height);
        FUZZ_REQUIRE(frame.delay_ms > 0);
    }
}

void check_palette(std::string_view text, std::optional<PaletteFormat> format) {
    const auto parsed = parse_palette(text, format);
    if (const auto* error = std::get_if<std::string>(&parsed)) {
        FUZZ_REQUIRE(!error->empty());
        return;
    }
    const auto& colors = std::get<std::vector<Rgb>>(parsed);
    FUZZ_REQUIRE(!colors.empty() && colors.size() <= kMaxPaletteColors);
    for (const auto written : {PaletteFormat::Hex, PaletteFormat::Gpl, PaletteFormat::Pal}) {
        const std::string file = write_palette(colors, written, text.substr(0, 16));
        const auto again = parse_palette(file, written);
        FUZZ_REQUIRE(std::holds_alternative<std::vector<Rgb>>(again));
        FUZZ_REQUIRE(std::get<std::vector<Rgb>>(again) == colors);
        FUZZ_REQUIRE(parse_palette(file) == again);  // the content says which format it is
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 6) {
        case 0:
            check_png(bytes);
            break;
        case 1:
            check_gif(bytes);
            break;
        case 2:
            check_palette(bytes, std::nullopt);
            break;
        case 3:
            check_palette(bytes, PaletteFormat::Hex);
            break;
        case 4:
            check_palette(bytes, PaletteFormat::Gpl);
            break;
        case 5:
            check_palette(bytes, PaletteFormat::Pal);
            break;
    }
    return 0;
}
