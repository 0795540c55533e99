// Palette files as pixel artists keep them (Lospec .hex, GIMP/Aseprite .gpl, JASC .pal), hex
// colours as agents write them, an image's colours, and the palette image for input_palette.
#include "tools/palette_formats.h"

#include <doctest/doctest.h>

#include <array>

using namespace rdmcp::tools;

namespace {

std::vector<Rgb> parsed(std::string_view text, std::optional<PaletteFormat> format = {}) {
    auto result = parse_palette(text, format);
    if (auto* error = std::get_if<std::string>(&result)) FAIL(*error);
    return std::get<std::vector<Rgb>>(std::move(result));
}

std::string parse_error(std::string_view text, std::optional<PaletteFormat> format = {}) {
    auto result = parse_palette(text, format);
    REQUIRE(std::holds_alternative<std::string>(result));
    return std::get<std::string>(result);
}

// The first four colours of Sweetie 16 (GrafxKid), as Lospec lists them.
const std::vector<Rgb> kSweetie = {
    {0x1a, 0x1c, 0x2c}, {0x5d, 0x27, 0x5d}, {0xb1, 0x3e, 0x53}, {0xef, 0x7d, 0x57}};

RgbaImage image_of(const std::vector<std::array<std::uint8_t, 4>>& pixels, int width) {
    RgbaImage image{width, static_cast<int>(pixels.size()) / width, {}};
    for (const auto& p : pixels) image.pixels.insert(image.pixels.end(), p.begin(), p.end());
    return image;
}

}  // namespace

TEST_CASE("A Lospec .hex file parses with or without '#', blank lines and CRLF allowed") {
    CHECK(parsed("1a1c2c\n5d275d\nb13e53\nef7d57\n") == kSweetie);
    CHECK(parsed("#1A1C2C\r\n#5D275D\r\n\r\n#b13e53\r\n#ef7d57") == kSweetie);
    CHECK(parsed("\xEF\xBB\xBF"
                 "1a1c2c\n5d275d\nb13e53\nef7d57\n",
                 PaletteFormat::Hex) == kSweetie);
}

TEST_CASE("A GIMP .gpl file parses past its comments, fields and colour names") {
    const std::string_view gimp =
        "GIMP Palette\n"
        "Name: Sweetie 16\n"
        "Columns: 8\n"
        "#\n"
        "# Sweetie 16 by GrafxKid\n"
        " 26  28  44\tBlack\n"
        " 93  39  93\tDark Purple\n"
        "177  62  83\n"
        "239 125  87\tOrange  # not a comment: part of the name\n";
    CHECK(parsed(gimp) == kSweetie);
    CHECK(parsed(gimp, PaletteFormat::Gpl) == kSweetie);

    // Aseprite's RGBA flavour: a Channels field and an alpha after the three channels.
    const std::string_view aseprite =
        "GIMP Palette\r\nChannels: RGBA\r\n#\r\n 26  28  44 255\tUntitled\r\n"
        " 93  39  93 128\r\n177  62  83 255\r\n239 125  87 255\tUntitled\r\n";
    CHECK(parsed(aseprite) == kSweetie);
}

TEST_CASE("A JASC .pal file parses and its count must match") {
    const std::string_view jasc =
        "JASC-PAL\r\n0100\r\n4\r\n26 28 44\r\n93 39 93\r\n177 62 83\r\n"
        "239 125 87\r\n";
    CHECK(parsed(jasc) == kSweetie);
    CHECK(parsed(jasc, PaletteFormat::Pal) == kSweetie);
    CHECK(parse_error("JASC-PAL\n0100\n5\n26 28 44\n93 39 93\n177 62 83\n239 125 87\n") ==
          "the palette says it holds 5 colours but lists 4");
    CHECK(parse_error("JASC-PAL\n0200\n1\n0 0 0\n") ==
          "line 2: a JASC palette's second line is its version, \"0100\"");
    CHECK(parse_error("JASC-PAL\n0100\nmany\n") == "line 3: \"many\" is not a colour count");
}

TEST_CASE("Every format writes what it reads back") {
    std::vector<Rgb> colors = kSweetie;
    colors.push_back({0, 0, 0});
    colors.push_back({255, 255, 255});
    for (const auto format : {PaletteFormat::Hex, PaletteFormat::Gpl, PaletteFormat::Pal}) {
        CAPTURE(extension(format));
        const std::string text = write_palette(colors, format, "Sweetie 16");
        CHECK(parsed(text, format) == colors);
        CHECK(parsed(text) == colors);  // detected from the content
    }
    CHECK(write_palette(kSweetie, PaletteFormat::Hex, "x") == "1a1c2c\n5d275d\nb13e53\nef7d57\n");
    CHECK(write_palette({{255, 136, 0}}, PaletteFormat::Gpl, "Warm\nline") ==
          "GIMP Palette\nName: Warm line\n#\n255 136   0\tff8800\n");
    CHECK(write_palette({{255, 136, 0}, {1, 2, 3}}, PaletteFormat::Pal, "x") ==
          "JASC-PAL\r\n0100\r\n2\r\n255 136 0\r\n1 2 3\r\n");

    std::vector<Rgb> all(256);
    for (int i = 0; i < 256; ++i) all[i] = {static_cast<std::uint8_t>(i), 0, 255};
    CHECK(parsed(write_palette(all, PaletteFormat::Pal, "")) == all);
}

TEST_CASE("A bad line is named by its number and quoted") {
    CHECK(parse_error("ff0000\n00ff00\n\n12345G\n") ==
          "line 4: \"12345G\" is not a colour like ff8800");
    CHECK(parse_error("ff0000\nff00\n") == "line 2: \"ff00\" is not a colour like ff8800");
    CHECK(parse_error("GIMP Palette\n255 0\n") ==
          "line 2: \"255 0\" is not a colour like \"255 136 0 Orange\"");
    CHECK(parse_error("GIMP Palette\n256 0 0 Too red\n") ==
          "line 2: \"256 0 0 Too red\" is not a colour like \"255 136 0 Orange\"");
    CHECK(parse_error("GIMP Palette\n12x 0 0\n") ==
          "line 2: \"12x 0 0\" is not a colour like \"255 136 0 Orange\"");
    CHECK(parse_error("JASC-PAL\n0100\n1\n0 0 -1\n") ==
          "line 4: \"0 0 -1\" is not a colour like \"255 136 0\"");
    CHECK(parse_error("ff0000\n", PaletteFormat::Gpl) ==
          "line 1: a GIMP palette starts with \"GIMP Palette\"");
    CHECK(parse_error(std::string(100, 'z')) ==
          "line 1: \"" + std::string(40, 'z') + "...\" is not a colour like ff8800");
}

TEST_CASE("A palette holds 1 to 256 colours") {
    std::string hex;
    for (int i = 0; i < 257; ++i) hex += "000000\n";
    CHECK(parse_error(hex) == "the palette has more than 256 colours; at most 256 are read");
    CHECK(parsed(hex.substr(7)).size() == 256);
    CHECK(parse_error("JASC-PAL\n0100\n300\n") ==
          "the palette has more than 256 colours; at most 256 are read");
    CHECK(parse_error("") == "the palette holds no colours");
    CHECK(parse_error("GIMP Palette\nName: Empty\n#\n") == "the palette holds no colours");
}

TEST_CASE("The format follows the file's extension, whatever its case") {
    CHECK(palette_format_for("sweetie-16.hex") == PaletteFormat::Hex);
    CHECK(palette_format_for("Sweetie16.GPL") == PaletteFormat::Gpl);
    CHECK(palette_format_for("dir.d/endesga-32.Pal") == PaletteFormat::Pal);
    CHECK_FALSE(palette_format_for("palette.txt"));
    CHECK_FALSE(palette_format_for("gpl"));
    CHECK_FALSE(palette_format_for("palette.gpl.bak"));
    CHECK(extension(PaletteFormat::Gpl) == "gpl");
}

TEST_CASE("Hex colours as an agent writes them: 6 or 3 digits, '#' optional") {
    auto result = parse_hex_colors({"#ff8800", "00FF00", "#abc", " 123 "});
    REQUIRE(std::holds_alternative<std::vector<Rgb>>(result));
    CHECK(std::get<std::vector<Rgb>>(result) ==
          std::vector<Rgb>{{255, 136, 0}, {0, 255, 0}, {0xaa, 0xbb, 0xcc}, {0x11, 0x22, 0x33}});

    const auto error = [](const std::vector<std::string>& colors) {
        auto bad = parse_hex_colors(colors);
        REQUIRE(std::holds_alternative<std::string>(bad));
        return std::get<std::string>(bad);
    };
    CHECK(error({"#ff8800", "#ff880"}) ==
          "colour 2: \"#ff880\" is not a colour like #ff8800 or #f80");
    CHECK(error({"red"}) == "colour 1: \"red\" is not a colour like #ff8800 or #f80");
    CHECK(error({}) == "no colours were given");
    CHECK(error(std::vector<std::string>(257, "#000")) ==
          "257 colours were given; at most 256 are read");
}

TEST_CASE("An image's colours: visible pixels only, first seen first, bounded") {
    const RgbaImage image = image_of({{9, 9, 9, 0},  // transparent: not a colour
                                      {255, 0, 0, 255},
                                      {0, 255, 0, 10},   // barely visible still counts
                                      {255, 0, 0, 128},  // red again
                                      {0, 0, 255, 255},
                                      {1, 1, 1, 255}},
                                     3);
    const auto all = distinct_colors(image);
    CHECK(all.colors == std::vector<Rgb>{{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {1, 1, 1}});
    CHECK_FALSE(all.more);

    const auto two = distinct_colors(image, 2);
    CHECK(two.colors == std::vector<Rgb>{{255, 0, 0}, {0, 255, 0}});
    CHECK(two.more);
    CHECK_FALSE(distinct_colors(image, 4).more);
    CHECK(distinct_colors(RgbaImage{}).colors.empty());
}

TEST_CASE("The palette image is one opaque pixel per colour, in a row") {
    const std::string png = palette_png(kSweetie);
    auto decoded = decode_png(png);
    REQUIRE(std::holds_alternative<RgbaImage>(decoded));
    const RgbaImage& image = std::get<RgbaImage>(decoded);
    CHECK(image.width == 4);
    CHECK(image.height == 1);
    CHECK(image.pixels[3] == 255);
    CHECK(distinct_colors(image).colors == kSweetie);
    CHECK(palette_png({}).empty());
}
