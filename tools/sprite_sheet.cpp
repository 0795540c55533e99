#include "tools/sprite_sheet.h"

#include <algorithm>
#include <cstring>

namespace rdmcp::tools {

namespace {

using protocol::Json;

std::string size_of(const RgbaImage& image) {
    return std::to_string(image.width) + "x" + std::to_string(image.height);
}

bool well_formed(const RgbaImage& image) {
    return image.width > 0 && image.height > 0 &&
           image.pixels.size() == static_cast<std::size_t>(image.width) * image.height * 4;
}

Json size_json(int w, int h) { return {{"w", w}, {"h", h}}; }

Json frame_json(int x, int w, int h, int duration_ms) {
    return {{"frame", {{"x", x}, {"y", 0}, {"w", w}, {"h", h}}},
            {"rotated", false},
            {"trimmed", false},
            {"spriteSourceSize", {{"x", 0}, {"y", 0}, {"w", w}, {"h", h}}},
            {"sourceSize", size_json(w, h)},
            {"duration", duration_ms}};
}

// Copies `frame` into `sheet` with its left edge at x.
void place(RgbaImage& sheet, const RgbaImage& frame, int x) {
    const std::size_t row_bytes = static_cast<std::size_t>(frame.width) * 4;
    for (int y = 0; y < frame.height; ++y) {
        std::memcpy(sheet.pixels.data() + (static_cast<std::size_t>(y) * sheet.width + x) * 4,
                    frame.pixels.data() + y * row_bytes, row_bytes);
    }
}

}  // namespace

std::string frame_name(std::string_view stem, std::size_t index, std::size_t count) {
    const std::size_t width = std::to_string(count > 0 ? count - 1 : 0).size();
    std::string number = std::to_string(index);
    if (number.size() < width) number.insert(0, width - number.size(), '0');
    return std::string(stem) + "_" + number + ".png";
}

std::variant<SpriteSheet, std::string> make_sprite_sheet(const std::vector<SheetFrame>& frames,
                                                         std::string_view stem,
                                                         std::string_view image_file_name) {
    if (frames.empty()) return std::string("a sprite sheet needs at least one frame");
    const RgbaImage& first = frames.front().image;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const RgbaImage& image = frames[i].image;
        if (!well_formed(image)) {
            return "frame " + std::to_string(i) + " is empty or its pixels do not match its size";
        }
        if (image.width != first.width || image.height != first.height) {
            return "frame " + std::to_string(i) + " is " + size_of(image) +
                   " pixels but frame 0 is " + size_of(first) +
                   "; every frame of a sheet has the same size";
        }
    }
    const long long sheet_width = static_cast<long long>(first.width) * frames.size();
    if (sheet_width * first.height > kMaxSheetPixels || sheet_width > 0x7fffffff) {
        return "the sheet would be " + std::to_string(sheet_width) + "x" +
               std::to_string(first.height) + " pixels; at most " +
               std::to_string(kMaxSheetPixels) + " pixels are made";
    }
    SpriteSheet out;
    out.sheet.width = static_cast<int>(sheet_width);
    out.sheet.height = first.height;
    out.sheet.pixels.assign(static_cast<std::size_t>(sheet_width) * first.height * 4, 0);
    Json atlas_frames = Json::object();
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const int x = static_cast<int>(i) * first.width;
        place(out.sheet, frames[i].image, x);
        atlas_frames[frame_name(stem, i, frames.size())] =
            frame_json(x, first.width, first.height, frames[i].duration_ms);
    }
    out.atlas = {{"frames", std::move(atlas_frames)},
                 {"meta",
                  {{"app", "retrodiffusion-mcp"},
                   {"version", "1.0"},
                   {"image", std::string(image_file_name)},
                   {"format", "RGBA8888"},
                   {"size", size_json(out.sheet.width, out.sheet.height)},
                   {"scale", "1"},
                   {"frameTags", Json::array({{{"name", std::string(stem)},
                                               {"from", 0},
                                               {"to", frames.size() - 1},
                                               {"direction", "forward"}}})}}}};
    return out;
}

std::variant<std::vector<RgbaImage>, std::string> split_sheet(const RgbaImage& sheet,
                                                              int frame_width, int frame_height) {
    if (frame_width <= 0 || frame_height <= 0) {
        return "a frame of " + std::to_string(frame_width) + "x" + std::to_string(frame_height) +
               " pixels holds nothing";
    }
    if (!well_formed(sheet))
        return std::string("the sheet is empty or its pixels do not match its size");
    if (sheet.width % frame_width != 0 || sheet.height % frame_height != 0) {
        return "the sheet is " + size_of(sheet) + " pixels: not a whole number of " +
               std::to_string(frame_width) + "x" + std::to_string(frame_height) + " frames";
    }
    std::vector<RgbaImage> frames;
    for (int y = 0; y < sheet.height; y += frame_height) {
        for (int x = 0; x < sheet.width; x += frame_width) {
            frames.push_back(crop(sheet, x, y, frame_width, frame_height));
        }
    }
    return frames;
}

}  // namespace rdmcp::tools
