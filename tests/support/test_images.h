#pragma once
// Real images for the tests, encoded by Debian's libpng and giflib: masks with chosen alpha or
// gray values, opaque RGB images, animated GIFs. Each as base64, ready for a tool argument. And
// the start of a PNG alone, for the checks that read no further.
#include <cstddef>
#include <functional>
#include <string>

#include "common/base64.h"

namespace rdmcp::testing {

// The value of one channel at (x, y).
using PixelValue = std::function<unsigned char(int x, int y)>;

// An RGBA PNG, red everywhere, with `alpha` as its alpha channel.
std::string rgba_png_base64(int width, int height, const PixelValue& alpha);
// An 8-bit grayscale PNG (the "L" mode of the edit tool documents).
std::string gray_png_base64(int width, int height, const PixelValue& gray);
// An opaque RGB PNG.
std::string rgb_png_base64(int width, int height);
// A GIF of `frames` frames of `width` x `height`.
std::string gif_base64(int width, int height, int frames);

// An alpha mask that selects (255) the rectangle [x0, x1) x [y0, y1) and protects (0) the rest.
PixelValue rectangle(int x0, int y0, int x1, int y1);

// The bytes of one of these images (or of any valid base64).
inline std::string bytes_of(const std::string& base64) { return *base64_decode(base64); }

// A PNG signature and IHDR chunk (8-bit RGBA, `width` x `height`, a zero CRC), then `padding`
// zero bytes: all that the size checks read. The bytes, and as base64.
std::string png_header(unsigned width, unsigned height, std::size_t padding = 64);
std::string png_header_base64(unsigned width, unsigned height, std::size_t padding = 64);

}  // namespace rdmcp::testing
