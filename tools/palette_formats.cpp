#include "tools/palette_formats.h"

#include <algorithm>
#include <charconv>
#include <unordered_set>

namespace rdmcp::tools {

namespace {

constexpr std::string_view kGplHeader = "GIMP Palette";
constexpr std::string_view kPalHeader = "JASC-PAL";
constexpr std::string_view kPalVersion = "0100";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), text.begin(),
                      [](char a, char b) { return lower(a) == lower(b); });
}

struct Line {
    int number = 0;         // from 1
    std::string_view text;  // trimmed
};

// The non-blank lines, trimmed, with their numbers; a UTF-8 byte order mark is dropped.
std::vector<Line> content_lines(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<Line> lines;
    int number = 0;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        const std::string_view line = text.substr(0, end);
        ++number;
        if (const auto trimmed = trim(line); !trimmed.empty()) lines.push_back({number, trimmed});
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return lines;
}

// The line as an error quotes it: short enough to read.
std::string quote_line(std::string_view text) {
    constexpr std::size_t kMax = 40;
    std::string out = "\"";
    out += text.substr(0, kMax);
    if (text.size() > kMax) out += "...";
    out += "\"";
    return out;
}

std::string at_line(const Line& line, std::string_view problem) {
    return "line " + std::to_string(line.number) + ": " + std::string(problem);
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = lower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// "ff8800", "#ff8800" and, when `short_form`, "f80" / "#f80".
std::optional<Rgb> read_hex(std::string_view text, bool short_form) {
    if (!text.empty() && text.front() == '#') text.remove_prefix(1);
    if (text.size() != 6 && !(short_form && text.size() == 3)) return std::nullopt;
    std::uint8_t channels[3] = {};
    const std::size_t digits = text.size() / 3;
    for (std::size_t i = 0; i < 3; ++i) {
        int value = 0;
        for (std::size_t d = 0; d < digits; ++d) {
            const int digit = hex_digit(text[i * digits + d]);
            if (digit < 0) return std::nullopt;
            value = value * 16 + digit;
        }
        channels[i] = static_cast<std::uint8_t>(digits == 1 ? value * 17 : value);
    }
    return Rgb{channels[0], channels[1], channels[2]};
}

// One decimal number 0-255 at the front of `text` (after blanks), which is advanced past it.
std::optional<std::uint8_t> read_channel(std::string_view& text) {
    text = trim(text);
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end == text.data() || value < 0 || value > 255) return std::nullopt;
    const std::size_t used = static_cast<std::size_t>(end - text.data());
    if (used < text.size() && !is_space(text[used])) return std::nullopt;  // "12abc"
    text.remove_prefix(used);
    return static_cast<std::uint8_t>(value);
}

// "255 136 0" with anything after it (a .gpl colour's name, an alpha value).
std::optional<Rgb> read_decimal(std::string_view text) {
    Rgb color;
    for (std::uint8_t* channel : {&color.r, &color.g, &color.b}) {
        const auto value = read_channel(text);
        if (!value) return std::nullopt;
        *channel = *value;
    }
    return color;
}

std::string too_many() {
    return "the palette has more than " + std::to_string(kMaxPaletteColors) + " colours; at most " +
           std::to_string(kMaxPaletteColors) + " are read";
}

using Parsed = std::variant<std::vector<Rgb>, std::string>;

Parsed finished(std::vector<Rgb> colors) {
    if (colors.empty()) return std::string("the palette holds no colours");
    return colors;
}

Parsed parse_hex(const std::vector<Line>& lines) {
    std::vector<Rgb> colors;
    for (const Line& line : lines) {
        const auto color = read_hex(line.text, false);
        if (!color) return at_line(line, quote_line(line.text) + " is not a colour like ff8800");
        if (colors.size() == kMaxPaletteColors) return too_many();
        colors.push_back(*color);
    }
    return finished(std::move(colors));
}

bool is_gpl_header_field(std::string_view text) {
    return text.starts_with("Name:") || text.starts_with("Columns:") ||
           text.starts_with("Channels:");
}

Parsed parse_gpl(const std::vector<Line>& lines) {
    if (lines.empty() || !lines.front().text.starts_with(kGplHeader)) {
        const Line first = lines.empty() ? Line{1, ""} : lines.front();
        return at_line(first, "a GIMP palette starts with \"GIMP Palette\"");
    }
    std::vector<Rgb> colors;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const Line& line = lines[i];
        if (line.text.front() == '#' || is_gpl_header_field(line.text)) continue;
        const auto color = read_decimal(line.text);
        if (!color) {
            return at_line(line,
                           quote_line(line.text) + " is not a colour like \"255 136 0 Orange\"");
        }
        if (colors.size() == kMaxPaletteColors) return too_many();
        colors.push_back(*color);
    }
    return finished(std::move(colors));
}

Parsed parse_pal(const std::vector<Line>& lines) {
    if (lines.empty() || lines[0].text != kPalHeader) {
        const Line first = lines.empty() ? Line{1, ""} : lines.front();
        return at_line(first, "a JASC palette starts with \"JASC-PAL\"");
    }
    if (lines.size() < 2 || lines[1].text != kPalVersion) {
        const Line line = lines.size() < 2 ? Line{lines[0].number + 1, ""} : lines[1];
        return at_line(line, "a JASC palette's second line is its version, \"0100\"");
    }
    std::size_t declared = 0;
    if (lines.size() < 3) return at_line({lines[1].number + 1, ""}, "the colour count is missing");
    const Line& count_line = lines[2];
    const auto [end, error] = std::from_chars(
        count_line.text.data(), count_line.text.data() + count_line.text.size(), declared);
    if (error != std::errc{} || end != count_line.text.data() + count_line.text.size()) {
        return at_line(count_line, quote_line(count_line.text) + " is not a colour count");
    }
    if (declared > kMaxPaletteColors) return too_many();
    std::vector<Rgb> colors;
    for (std::size_t i = 3; i < lines.size(); ++i) {
        const Line& line = lines[i];
        const auto color = read_decimal(line.text);
        if (!color)
            return at_line(line, quote_line(line.text) + " is not a colour like \"255 136 0\"");
        if (colors.size() == kMaxPaletteColors) return too_many();
        colors.push_back(*color);
    }
    if (colors.size() != declared) {
        return "the palette says it holds " + std::to_string(declared) + " colours but lists " +
               std::to_string(colors.size());
    }
    return finished(std::move(colors));
}

PaletteFormat detect(const std::vector<Line>& lines) {
    if (lines.empty()) return PaletteFormat::Hex;
    if (lines.front().text.starts_with(kGplHeader)) return PaletteFormat::Gpl;
    if (lines.front().text == kPalHeader) return PaletteFormat::Pal;
    return PaletteFormat::Hex;
}

// A name on one line, without control characters.
std::string one_line(std::string_view name) {
    std::string out(trim(name));
    for (char& c : out) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    }
    return out;
}

std::string decimal(const Rgb& color, int width) {
    std::string out;
    for (const std::uint8_t channel : {color.r, color.g, color.b}) {
        std::string value = std::to_string(channel);
        if (!out.empty()) out += ' ';
        if (static_cast<int>(value.size()) < width) out.append(width - value.size(), ' ');
        out += value;
    }
    return out;
}

}  // namespace

std::string_view extension(PaletteFormat format) {
    switch (format) {
        case PaletteFormat::Hex:
            return "hex";
        case PaletteFormat::Gpl:
            return "gpl";
        case PaletteFormat::Pal:
            return "pal";
    }
    return "hex";
}

std::optional<PaletteFormat> palette_format_for(std::string_view file_name) {
    const std::size_t dot = file_name.rfind('.');
    if (dot == std::string_view::npos) return std::nullopt;
    const std::string_view ext = file_name.substr(dot + 1);
    for (const auto format : {PaletteFormat::Hex, PaletteFormat::Gpl, PaletteFormat::Pal}) {
        if (ext.size() == extension(format).size() &&
            starts_with_ignoring_case(ext, extension(format))) {
            return format;
        }
    }
    return std::nullopt;
}

std::variant<std::vector<Rgb>, std::string> parse_palette(std::string_view text,
                                                          std::optional<PaletteFormat> format) {
    const std::vector<Line> lines = content_lines(text);
    switch (format.value_or(detect(lines))) {
        case PaletteFormat::Gpl:
            return parse_gpl(lines);
        case PaletteFormat::Pal:
            return parse_pal(lines);
        case PaletteFormat::Hex:
            break;
    }
    return parse_hex(lines);
}

std::variant<std::vector<Rgb>, std::string> parse_hex_colors(
    const std::vector<std::string>& colors) {
    if (colors.empty()) return std::string("no colours were given");
    if (colors.size() > kMaxPaletteColors) {
        return std::to_string(colors.size()) + " colours were given; at most " +
               std::to_string(kMaxPaletteColors) + " are read";
    }
    std::vector<Rgb> out;
    for (std::size_t i = 0; i < colors.size(); ++i) {
        const auto color = read_hex(trim(colors[i]), true);
        if (!color) {
            return "colour " + std::to_string(i + 1) + ": " + quote_line(colors[i]) +
                   " is not a colour like #ff8800 or #f80";
        }
        out.push_back(*color);
    }
    return out;
}

std::string hex_color(const Rgb& color) {
    constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (const std::uint8_t channel : {color.r, color.g, color.b}) {
        out += kDigits[channel >> 4];
        out += kDigits[channel & 15];
    }
    return out;
}

std::string write_palette(const std::vector<Rgb>& colors, PaletteFormat format,
                          std::string_view name) {
    std::string out;
    switch (format) {
        case PaletteFormat::Hex:
            for (const Rgb& color : colors) out += hex_color(color) + "\n";
            break;
        case PaletteFormat::Gpl:
            // As GIMP writes it: each colour's name is its hex code.
            out = std::string(kGplHeader) + "\nName: " + one_line(name) + "\n#\n";
            for (const Rgb& color : colors)
                out += decimal(color, 3) + "\t" + hex_color(color) + "\n";
            break;
        case PaletteFormat::Pal:
            out = std::string(kPalHeader) + "\r\n" + std::string(kPalVersion) + "\r\n" +
                  std::to_string(colors.size()) + "\r\n";
            for (const Rgb& color : colors) out += decimal(color, 0) + "\r\n";
            break;
    }
    return out;
}

ExtractedColors distinct_colors(const RgbaImage& image, std::size_t max_colors) {
    ExtractedColors out;
    std::unordered_set<std::uint32_t> seen;
    const std::size_t pixels =
        std::min(image.pixels.size() / 4, static_cast<std::size_t>(std::max(image.width, 0)) *
                                              static_cast<std::size_t>(std::max(image.height, 0)));
    for (std::size_t i = 0; i < pixels; ++i) {
        const std::uint8_t* p = image.pixels.data() + i * 4;
        if (p[3] == 0) continue;
        const std::uint32_t key = (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | p[2];
        if (seen.contains(key)) continue;
        if (out.colors.size() == max_colors) {
            out.more = true;
            break;
        }
        seen.insert(key);
        out.colors.push_back({p[0], p[1], p[2]});
    }
    return out;
}

std::string palette_png(const std::vector<Rgb>& colors) {
    RgbaImage image;
    image.width = static_cast<int>(colors.size());
    image.height = 1;
    for (const Rgb& color : colors)
        image.pixels.insert(image.pixels.end(), {color.r, color.g, color.b, 255});
    return encode_png(image);
}

}  // namespace rdmcp::tools
