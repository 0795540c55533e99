// Animation frames to one sheet and a JSON-hash atlas game engines load, and a sheet back to
// its frames.
#include "tools/sprite_sheet.h"

#include <doctest/doctest.h>

using namespace rdmcp::tools;
using rdmcp::protocol::Json;

namespace {

// A frame filled with one colour, its first pixel marked so that frames cannot be confused.
RgbaImage filled(int width, int height, std::uint8_t red) {
    RgbaImage image{width, height, {}};
    for (int i = 0; i < width * height; ++i) {
        image.pixels.insert(image.pixels.end(), {red, static_cast<std::uint8_t>(i), 0, 255});
    }
    return image;
}

SpriteSheet sheet_of(const std::vector<SheetFrame>& frames, std::string_view stem = "walk") {
    auto result = make_sprite_sheet(frames, stem, std::string(stem) + ".png");
    if (auto* error = std::get_if<std::string>(&result)) FAIL(*error);
    return std::get<SpriteSheet>(std::move(result));
}

std::vector<RgbaImage> split(const RgbaImage& sheet, int width, int height) {
    auto result = split_sheet(sheet, width, height);
    if (auto* error = std::get_if<std::string>(&result)) FAIL(*error);
    return std::get<std::vector<RgbaImage>>(std::move(result));
}

std::string sheet_error(const std::vector<SheetFrame>& frames) {
    auto result = make_sprite_sheet(frames, "walk", "walk.png");
    REQUIRE(std::holds_alternative<std::string>(result));
    return std::get<std::string>(result);
}

}  // namespace

TEST_CASE("The sheet holds the frames left to right and the atlas names their rectangles") {
    const std::vector<SheetFrame> frames = {
        {filled(4, 3, 10), 80}, {filled(4, 3, 20), 120}, {filled(4, 3, 30)}};
    const SpriteSheet sheet = sheet_of(frames);
    CHECK(sheet.sheet.width == 12);
    CHECK(sheet.sheet.height == 3);
    CHECK(sheet.sheet.pixels[0] == 10);
    CHECK(sheet.sheet.pixels[4 * 4] == 20);              // (4, 0)
    CHECK(sheet.sheet.pixels[8 * 4] == 30);              // (8, 0)
    CHECK(sheet.sheet.pixels[(2 * 12 + 11) * 4] == 30);  // the last pixel, frame 2's

    const Json& atlas = sheet.atlas;
    REQUIRE(atlas["frames"].size() == 3);
    const Json& second = atlas["frames"]["walk_1.png"];
    CHECK(second["frame"] == Json{{"x", 4}, {"y", 0}, {"w", 4}, {"h", 3}});
    CHECK(second["rotated"] == false);
    CHECK(second["trimmed"] == false);
    CHECK(second["spriteSourceSize"] == Json{{"x", 0}, {"y", 0}, {"w", 4}, {"h", 3}});
    CHECK(second["sourceSize"] == Json{{"w", 4}, {"h", 3}});
    CHECK(second["duration"] == 120);
    CHECK(atlas["frames"]["walk_0.png"]["duration"] == 80);
    CHECK(atlas["frames"]["walk_2.png"]["frame"]["x"] == 8);
    CHECK(atlas["frames"]["walk_2.png"]["duration"] == 100);

    const Json& meta = atlas["meta"];
    CHECK(meta["app"] == "retrodiffusion-mcp");
    CHECK(meta["version"] == "1.0");
    CHECK(meta["image"] == "walk.png");
    CHECK(meta["format"] == "RGBA8888");
    CHECK(meta["size"] == Json{{"w", 12}, {"h", 3}});
    CHECK(meta["scale"] == "1");
    CHECK(meta["frameTags"] ==
          Json::parse(R"([{"name": "walk", "from": 0, "to": 2, "direction": "forward"}])"));
}

TEST_CASE("Frame names are padded so the atlas keeps the frame order") {
    std::vector<SheetFrame> frames;
    for (int i = 0; i < 12; ++i) frames.push_back({filled(2, 2, static_cast<std::uint8_t>(i))});
    const SpriteSheet sheet = sheet_of(frames, "run");
    std::vector<std::string> names;
    for (const auto& [name, frame] : sheet.atlas["frames"].items()) names.push_back(name);
    REQUIRE(names.size() == 12);
    CHECK(names.front() == "run_00.png");
    CHECK(names[10] == "run_10.png");
    CHECK(names.back() == "run_11.png");
    for (std::size_t i = 0; i < names.size(); ++i) {
        CHECK(sheet.atlas["frames"][names[i]]["frame"]["x"] == 2 * i);  // sorted is frame order
    }
    CHECK(sheet.atlas["meta"]["frameTags"][0]["to"] == 11);

    CHECK(frame_name("idle", 0, 1) == "idle_0.png");
    CHECK(frame_name("idle", 9, 10) == "idle_9.png");
    CHECK(frame_name("idle", 7, 101) == "idle_007.png");
}

TEST_CASE("split_sheet gives back the frames make_sprite_sheet put in") {
    const std::vector<SheetFrame> frames = {
        {filled(5, 4, 1)}, {filled(5, 4, 2)}, {filled(5, 4, 3)}, {filled(5, 4, 4)}};
    const auto back = split(sheet_of(frames).sheet, 5, 4);
    REQUIRE(back.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) CHECK(back[i] == frames[i].image);
}

TEST_CASE("split_sheet reads a grid row by row, left to right") {
    // A 2x2 grid of 3x2 frames: each frame's pixels carry its number.
    RgbaImage grid{6, 4, {}};
    for (int y = 0; y < 4; ++y) {
        for (int x = 0; x < 6; ++x) {
            const auto number = static_cast<std::uint8_t>((y / 2) * 2 + x / 3);
            grid.pixels.insert(grid.pixels.end(), {number, 0, 0, 255});
        }
    }
    const auto frames = split(grid, 3, 2);
    REQUIRE(frames.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(frames[i].width == 3);
        CHECK(frames[i].height == 2);
        CHECK(frames[i].pixels[0] == i);
        CHECK(frames[i].pixels[5 * 4] == i);
    }
    CHECK(split(grid, 6, 4).size() == 1);
}

TEST_CASE("Sheets of no frames, empty frames or frames of different sizes are refused") {
    CHECK(sheet_error({}) == "a sprite sheet needs at least one frame");
    CHECK(sheet_error({{filled(4, 4, 1)}, {filled(4, 5, 2)}}) ==
          "frame 1 is 4x5 pixels but frame 0 is 4x4; every frame of a sheet has the same size");
    CHECK(sheet_error({{RgbaImage{}}}) == "frame 0 is empty or its pixels do not match its size");

    const auto error = [](const RgbaImage& sheet, int w, int h) {
        auto result = split_sheet(sheet, w, h);
        REQUIRE(std::holds_alternative<std::string>(result));
        return std::get<std::string>(result);
    };
    CHECK(error(filled(10, 4, 0), 3, 4) ==
          "the sheet is 10x4 pixels: not a whole number of 3x4 frames");
    CHECK(error(filled(10, 4, 0), 5, 3) ==
          "the sheet is 10x4 pixels: not a whole number of 5x3 frames");
    CHECK(error(filled(10, 4, 0), 0, 4) == "a frame of 0x4 pixels holds nothing");
    CHECK(error(RgbaImage{}, 1, 1) == "the sheet is empty or its pixels do not match its size");
}
