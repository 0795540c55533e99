#pragma once
// Whole images in memory, as the tools that edit pixels need them: any PNG or GIF decoded to
// RGBA8, an RGBA8 image encoded as a PNG, a rectangle cut out. Debian's libpng and giflib do
// the decoding and encoding; the input is untrusted, so its claimed size is checked against
// limits before any pixel buffer is allocated, and every problem comes back as a sentence.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rdmcp::tools {

struct RgbaImage {
    int width = 0, height = 0;
    std::vector<std::uint8_t> pixels;  // RGBA8, row-major, width*height*4 bytes

    bool operator==(const RgbaImage&) const = default;
};

struct DecodeLimits {
    int max_side = 4096;                       // width and height each
    long long max_pixels = 16LL << 20;         // per frame
    int max_frames = 512;                      // GIF
    long long max_total_pixels = 128LL << 20;  // GIF: frames x pixels, checked before decoding on
};

// Any PNG (palette, gray, 16-bit, interlaced, tRNS) to RGBA8; 16-bit samples are scaled to 8
// bits, no gamma or colour-space conversion is applied. Limits checked from the header before
// any pixel buffer is allocated. Error: a sentence ("the PNG is 9000x9000 pixels; at most 4096
// on a side are read", "the PNG ends early").
std::variant<RgbaImage, std::string> decode_png(std::string_view bytes,
                                                const DecodeLimits& limits = {});

// RGBA8 PNG (bit-exact round trip with decode_png). Empty when the image is empty or its pixel
// buffer is not width*height*4 bytes.
std::string encode_png(const RgbaImage& image);

struct AnimationFrame {
    RgbaImage image;   // the whole logical screen, composited as a viewer shows it
    int delay_ms = 0;  // the GIF's delay (10 ms units x 10); 0 in the file -> 100 ms (what
                       // browsers do)
};

// A GIF (animated or not) to its composited frames: logical screen size, local/global color
// maps, transparency, disposal methods 0-3 (restore-to-previous included), interlace. The
// screen starts transparent (the background colour is ignored, as browsers do); a colour index
// outside the frame's colour map leaves its pixel as it was. Limits checked before allocation;
// frame count and total pixels bounded. A GIF whose data stops after a whole frame, without its
// trailer, gives the frames it holds.
std::variant<std::vector<AnimationFrame>, std::string> decode_gif(std::string_view bytes,
                                                                  const DecodeLimits& limits = {});

// The rectangle (clipped to the image; empty image when nothing is left).
RgbaImage crop(const RgbaImage& image, int x, int y, int width, int height);

}  // namespace rdmcp::tools
