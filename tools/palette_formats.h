#pragma once
// Colour palettes as pixel artists keep them: Lospec .hex files, GIMP/Aseprite .gpl files and
// JASC-PAL .pal files (read and written), hex colours as an agent writes them, the colours an
// image uses, and the palette image the API's input_palette field expects.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tools/image_codec.h"

namespace rdmcp::tools {

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
    bool operator==(const Rgb&) const = default;
};

// The most colours a palette may hold (what .pal and indexed PNGs allow).
inline constexpr std::size_t kMaxPaletteColors = 256;

enum class PaletteFormat { Hex, Gpl, Pal };  // Lospec .hex, GIMP/Aseprite .gpl, JASC-PAL .pal

std::string_view extension(PaletteFormat format);  // "hex", "gpl", "pal"
// By extension, case-insensitive ("Sweetie16.GPL" -> Gpl); std::nullopt for anything else.
std::optional<PaletteFormat> palette_format_for(std::string_view file_name);

// Reads a palette file's text; the format is detected from the content when `format` is empty
// ("GIMP Palette" header -> Gpl, "JASC-PAL" -> Pal, else Hex: one RRGGBB per line, optional
// '#'). Blank lines are skipped everywhere, and '#' comment lines in .gpl. At least one and at
// most 256 colours; errors name the line ("line 4: \"12345G\" is not a colour like ff8800").
std::variant<std::vector<Rgb>, std::string> parse_palette(std::string_view text,
                                                          std::optional<PaletteFormat> format = {});

// A list of hex colours as an agent writes them: ["#ff8800", "00ff00", "#abc"] (3 or 6
// digits); 1 to 256 of them. Errors name the colour by its position from 1.
std::variant<std::vector<Rgb>, std::string> parse_hex_colors(
    const std::vector<std::string>& colors);

// The file text in that format (name goes in the .gpl "Name:" line; lines end with \n; .pal
// uses \r\n as JASC files do). parse_palette(write_palette(c, f), f) == c for every format.
std::string write_palette(const std::vector<Rgb>& colors, PaletteFormat format,
                          std::string_view name);

// "ff8800"
std::string hex_color(const Rgb& color);

// The distinct colours of the pixels with alpha > 0, in first-seen order (row-major), at most
// max_colors; `more` set when there were more.
struct ExtractedColors {
    std::vector<Rgb> colors;
    bool more = false;
};
ExtractedColors distinct_colors(const RgbaImage& image, std::size_t max_colors = 256);

// The palette image the API's input_palette expects: one opaque pixel per colour, in a row
// (N x 1), as a PNG. distinct_colors(decode_png(palette_png(c))) == c for distinct colours.
// Empty when `colors` is.
std::string palette_png(const std::vector<Rgb>& colors);

}  // namespace rdmcp::tools
