#include "tools/palette_input.h"

#include <fstream>
#include <iterator>

#include "common/base64.h"
#include "tools/palette_formats.h"

namespace rdmcp::tools {

namespace {

constexpr std::size_t kMaxPaletteFileBytes = 64 * 1024;  // 256 colours in any format fit easily

PaletteInput from_colors(std::variant<std::vector<Rgb>, std::string> parsed, const char* what) {
    if (auto* problem = std::get_if<std::string>(&parsed)) {
        return {std::nullopt, "'input_palette' " + std::string(what) + ": " + *problem};
    }
    const auto& colors = std::get<std::vector<Rgb>>(parsed);
    if (colors.empty())
        return {std::nullopt, "'input_palette' " + std::string(what) + " has no colours"};
    return {base64_encode(palette_png(colors)), ""};
}

PaletteInput from_file(const std::string& path, PaletteFormat format) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return {std::nullopt, "'input_palette' cannot read the palette file " + path};
    std::string text;
    text.resize(kMaxPaletteFileBytes + 1);
    file.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(file.gcount()));
    if (text.size() > kMaxPaletteFileBytes) {
        return {std::nullopt, "'input_palette' " + path + " is larger than any palette (64 KiB)"};
    }
    return from_colors(parse_palette(text, format), ("file " + path).c_str());
}

bool is_hex_digit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The words of `text` when it is meant as colours: it starts with '#', or every word (split at
// commas, semicolons and white space) is 3 or 6 hex digits. A base64 image is neither.
std::optional<std::vector<std::string>> hex_color_list(const std::string& text) {
    if (text.size() > 256 * 9) return std::nullopt;
    std::vector<std::string> words;
    std::string word;
    for (const char c : text + " ") {
        if (c == ',' || c == ';' || c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            if (!word.empty()) words.push_back(std::move(word));
            word.clear();
        } else {
            word += c;
        }
    }
    if (words.empty()) return std::nullopt;
    if (text.front() == '#') return words;
    for (const auto& w : words) {
        if (w.size() != 3 && w.size() != 6) return std::nullopt;
        for (const char c : w) {
            if (!is_hex_digit(c)) return std::nullopt;
        }
    }
    return words;
}

}  // namespace

PaletteInput palette_input(const protocol::Json& value, bool local_files_allowed) {
    if (!value.is_string()) return {};
    const auto& text = value.get_ref<const std::string&>();
    if (auto colors = hex_color_list(text))
        return from_colors(parse_hex_colors(*colors), "colours");
    const auto format = palette_format_for(text);
    if (!format || text.size() > 4096) return {};  // an image, as before
    if (!local_files_allowed) {
        return {std::nullopt,
                "'input_palette' names a palette file, which only a local (stdio) server can "
                "read; send the colours instead, such as \"#1a1c2c, #5d275d\""};
    }
    return from_file(text, *format);
}

}  // namespace rdmcp::tools
