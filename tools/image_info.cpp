#include "tools/image_info.h"

#include <algorithm>
#include <climits>
#include <cstdint>

#include "common/base64.h"

namespace rdmcp::tools {

namespace {

// Bounds-checked readers: each returns std::nullopt instead of reading past the end.
struct Reader {
    std::string_view bytes;

    bool has(std::size_t offset, std::size_t count) const {
        return offset <= bytes.size() && count <= bytes.size() - offset;
    }
    std::uint32_t u8(std::size_t offset) const { return static_cast<unsigned char>(bytes[offset]); }
    std::optional<std::uint32_t> be16(std::size_t at) const {
        if (!has(at, 2)) return std::nullopt;
        return (u8(at) << 8) | u8(at + 1);
    }
    std::optional<std::uint32_t> le16(std::size_t at) const {
        if (!has(at, 2)) return std::nullopt;
        return u8(at) | (u8(at + 1) << 8);
    }
    std::optional<std::uint32_t> le24(std::size_t at) const {
        if (!has(at, 3)) return std::nullopt;
        return u8(at) | (u8(at + 1) << 8) | (u8(at + 2) << 16);
    }
    std::optional<std::uint32_t> be32(std::size_t at) const {
        if (!has(at, 4)) return std::nullopt;
        return (u8(at) << 24) | (u8(at + 1) << 16) | (u8(at + 2) << 8) | u8(at + 3);
    }
    bool matches(std::size_t at, std::string_view expected) const {
        return has(at, expected.size()) && bytes.substr(at, expected.size()) == expected;
    }
};

constexpr std::string_view kPngSignature{"\x89PNG\r\n\x1a\n", 8};

std::optional<ImageInfo> make_info(const char* mime, std::uint64_t width, std::uint64_t height) {
    if (width == 0 || height == 0 || width > INT_MAX || height > INT_MAX) return std::nullopt;
    return ImageInfo{mime, static_cast<int>(width), static_cast<int>(height)};
}

// Signature, then the first chunk, which the spec requires to be a 13-byte IHDR.
std::optional<ImageInfo> read_png(const Reader& r) {
    auto length = r.be32(8);
    if (!length || *length != 13 || !r.matches(12, "IHDR")) return std::nullopt;
    auto width = r.be32(16), height = r.be32(20);
    if (!width || !height) return std::nullopt;
    return make_info("image/png", *width, *height);
}

// The logical screen descriptor right after "GIF87a"/"GIF89a": width and height, little-endian.
std::optional<ImageInfo> read_gif(const Reader& r) {
    auto width = r.le16(6), height = r.le16(8);
    if (!width || !height) return std::nullopt;
    return make_info("image/gif", *width, *height);
}

// Walks the marker segments to the first start-of-frame. SOF0..SOF15 are C0..CF, except C4
// (DHT), C8 (JPG extension) and CC (DAC), which share the range but carry no dimensions.
std::optional<ImageInfo> read_jpeg(const Reader& r) {
    std::size_t pos = 2;  // after SOI (FF D8)
    while (true) {
        if (!r.has(pos, 1) || r.u8(pos) != 0xFF) return std::nullopt;
        while (r.has(pos, 1) && r.u8(pos) == 0xFF) ++pos;  // fill bytes before the marker code
        if (!r.has(pos, 1)) return std::nullopt;
        const std::uint32_t marker = r.u8(pos++);
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) continue;  // no length
        if (marker == 0xD9 || marker == 0xDA)
            return std::nullopt;    // EOI or scan data before a frame
        auto length = r.be16(pos);  // counts itself, not the marker
        if (!length || *length < 2) return std::nullopt;
        const bool is_sof =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (is_sof) {
            // length(2) precision(1) height(2) width(2) components(1)
            if (*length < 8) return std::nullopt;
            auto height = r.be16(pos + 3), width = r.be16(pos + 5);
            if (!height || !width) return std::nullopt;
            // Height 0 means "given later by a DNL marker": not readable from the header.
            return make_info("image/jpeg", *width, *height);
        }
        if (!r.has(pos, *length)) return std::nullopt;  // truncated, or a hostile length
        pos += *length;
    }
}

// RIFF container, then the first chunk says which of the three WEBP flavours this is.
std::optional<ImageInfo> read_webp(const Reader& r) {
    constexpr std::size_t kData = 20;  // after "RIFF" size "WEBP" fourcc chunk-size
    if (r.matches(12, "VP8 ")) {
        // Lossy: a 3-byte frame tag, the start code 9D 01 2A, then 14-bit width and height
        // (the top two bits are a scaling hint).
        if (!r.matches(kData + 3, "\x9d\x01\x2a")) return std::nullopt;
        auto width = r.le16(kData + 6), height = r.le16(kData + 8);
        if (!width || !height) return std::nullopt;
        return make_info("image/webp", *width & 0x3FFF, *height & 0x3FFF);
    }
    if (r.matches(12, "VP8L")) {
        // Lossless: signature byte 0x2F, then width-1 and height-1 as 14-bit fields.
        if (!r.has(kData, 5) || r.u8(kData) != 0x2F) return std::nullopt;
        const std::uint32_t b0 = r.u8(kData + 1), b1 = r.u8(kData + 2), b2 = r.u8(kData + 3),
                            b3 = r.u8(kData + 4);
        const std::uint32_t width = 1 + (b0 | ((b1 & 0x3F) << 8));
        const std::uint32_t height = 1 + ((b1 >> 6) | (b2 << 2) | ((b3 & 0x0F) << 10));
        return make_info("image/webp", width, height);
    }
    if (r.matches(12, "VP8X")) {
        // Extended (animation, alpha, metadata): flags(1) reserved(3), then the canvas
        // width-1 and height-1 as 24-bit fields.
        auto width = r.le24(kData + 4), height = r.le24(kData + 7);
        if (!width || !height) return std::nullopt;
        return make_info("image/webp", std::uint64_t{*width} + 1, std::uint64_t{*height} + 1);
    }
    return std::nullopt;
}

bool is_webp(const Reader& r) { return r.matches(0, "RIFF") && r.matches(8, "WEBP"); }
bool is_jpeg(const Reader& r) { return r.matches(0, "\xFF\xD8\xFF"); }
bool is_gif(const Reader& r) { return r.matches(0, "GIF87a") || r.matches(0, "GIF89a"); }

// Base64 characters for a prefix of whole quads, skipping whitespace, then decoded. Whole quads
// decode without padding; a '=' inside the prefix is the true end of the text.
std::optional<std::string> decode_prefix(std::string_view base64, std::size_t max_chars,
                                         bool& complete) {
    std::string chars;
    chars.reserve(std::min(max_chars, base64.size()));
    std::size_t i = 0;
    for (; i < base64.size() && chars.size() < max_chars; ++i) {
        const char c = base64[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') continue;
        chars.push_back(c);
    }
    // Complete when nothing but whitespace is left after the prefix.
    complete = base64.find_first_not_of(" \t\n\r\f\v", i) == std::string_view::npos;
    return base64_decode(chars);
}

constexpr std::size_t kHeaderChars = 4096 / 3 * 4 + 4;  // ~4 KB decoded: PNG, GIF, WEBP, most JPEGs
constexpr std::size_t kJpegChars = 65536 / 3 * 4 + 4;   // ~64 KB decoded: JPEGs with big EXIF/ICC

}  // namespace

std::optional<std::string> sniff_image_mime(std::string_view bytes) {
    const Reader r{bytes};
    if (r.matches(0, kPngSignature)) return "image/png";
    if (is_gif(r)) return "image/gif";
    if (is_jpeg(r)) return "image/jpeg";
    if (is_webp(r)) return "image/webp";
    return std::nullopt;
}

std::optional<ImageInfo> read_image_info(std::string_view bytes) {
    const Reader r{bytes};
    if (r.matches(0, kPngSignature)) return read_png(r);
    if (is_gif(r)) return read_gif(r);
    if (is_jpeg(r)) return read_jpeg(r);
    if (is_webp(r)) return read_webp(r);
    return std::nullopt;
}

std::optional<ImageInfo> read_base64_image_info(std::string_view base64) {
    bool complete = false;
    auto head = decode_prefix(base64, kHeaderChars, complete);
    if (!head) return std::nullopt;
    if (auto info = read_image_info(*head)) return info;
    if (complete || !is_jpeg(Reader{*head})) return std::nullopt;
    auto longer = decode_prefix(base64, kJpegChars, complete);
    if (!longer) return std::nullopt;
    return read_image_info(*longer);
}

}  // namespace rdmcp::tools
