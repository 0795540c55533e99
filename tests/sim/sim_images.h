#pragma once
// Minimal, dependency-free encoders for the images the simulated API returns: indexed PNG with
// stored (uncompressed) deflate blocks, and looping GIF89a with a fixed-width LZW code stream.
// The pixels are a small deterministic pattern derived from the seed.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace rdsim {

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
};

// A 16-colour indexed picture; index 0 is the background (transparent when `transparent`).
struct Picture {
    int width = 0;
    int height = 0;
    bool transparent = false;
    std::array<Rgb, 16> palette{};
    std::vector<std::uint8_t> pixels;  // width * height palette indices
};

Picture make_picture(int width, int height, std::uint64_t seed, bool transparent, int frame = 0);

std::string encode_png(const Picture& picture);
// All frames must share the first frame's size and palette; delay in 1/100 s; loops forever.
std::string encode_gif(const std::vector<Picture>& frames, int delay_centiseconds);

// Convenience renderers used by the routes.
std::string render_png(int width, int height, std::uint64_t seed, bool transparent);
std::string render_gif(int width, int height, std::uint64_t seed, int frames);
// A transparent PNG of cols x rows frames, each width x height.
std::string render_spritesheet(int width, int height, std::uint64_t seed, int cols, int rows);

}  // namespace rdsim
