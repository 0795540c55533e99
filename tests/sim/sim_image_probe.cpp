#include "sim_image_probe.h"

#include <cstdint>

#include "sim_base64.h"
#include "sim_checksums.h"

namespace rdsim {
namespace {

std::uint32_t be32(std::string_view b, std::size_t at) {
    return (std::uint32_t(std::uint8_t(b[at])) << 24) |
           (std::uint32_t(std::uint8_t(b[at + 1])) << 16) |
           (std::uint32_t(std::uint8_t(b[at + 2])) << 8) | std::uint32_t(std::uint8_t(b[at + 3]));
}
unsigned be16(std::string_view b, std::size_t at) {
    return (unsigned(std::uint8_t(b[at])) << 8) | unsigned(std::uint8_t(b[at + 1]));
}
unsigned le16(std::string_view b, std::size_t at) {
    return unsigned(std::uint8_t(b[at])) | (unsigned(std::uint8_t(b[at + 1])) << 8);
}
unsigned le24(std::string_view b, std::size_t at) {
    return le16(b, at) | (unsigned(std::uint8_t(b[at + 2])) << 16);
}

ProbeResult fail(std::string why) { return ProbeResult{std::nullopt, std::move(why)}; }
ProbeResult ok(std::string format, unsigned w, unsigned h) {
    if (w == 0 || h == 0) return fail("image has zero width or height");
    return ProbeResult{ImageInfo{std::move(format), int(w), int(h)}, {}};
}

// Walks every chunk, checking lengths and CRCs: IHDR first, at least one IDAT, IEND last.
ProbeResult probe_png(std::string_view b) {
    std::size_t at = 8;
    bool seen_idat = false;
    unsigned w = 0, h = 0;
    for (bool first = true;; first = false) {
        if (at + 12 > b.size()) return fail("PNG is truncated");
        const std::uint32_t len = be32(b, at);
        if (len > b.size() - at - 12) return fail("PNG chunk overruns the file");
        const std::string_view type = b.substr(at + 4, 4);
        const std::string_view data = b.substr(at + 8, len);
        if (crc32(b.substr(at + 4, len + 4)) != be32(b, at + 8 + len))
            return fail("PNG chunk CRC mismatch");
        if (first) {
            if (type != "IHDR" || len != 13) return fail("PNG does not start with IHDR");
            w = be32(data, 0);
            h = be32(data, 4);
        }
        if (type == "IDAT") seen_idat = true;
        at += 12 + len;
        if (type == "IEND") break;
    }
    if (!seen_idat) return fail("PNG has no image data");
    return ok("png", w, h);
}

ProbeResult probe_jpeg(std::string_view b) {
    std::size_t at = 2;
    while (at + 4 <= b.size()) {
        if (std::uint8_t(b[at]) != 0xFF) return fail("JPEG marker expected");
        const unsigned marker = std::uint8_t(b[at + 1]);
        if (marker == 0xFF) {
            ++at;
            continue;
        }
        if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
            at += 2;
            continue;
        }
        const unsigned len = be16(b, at + 2);
        const bool sof =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof) {
            if (at + 9 > b.size()) return fail("JPEG is truncated");
            return ok("jpeg", be16(b, at + 7), be16(b, at + 5));
        }
        at += 2 + len;
    }
    return fail("JPEG has no frame header");
}

ProbeResult probe_webp(std::string_view b) {
    if (b.size() < 30) return fail("WebP is truncated");
    const std::string_view chunk = b.substr(12, 4);
    if (chunk == "VP8X") return ok("webp", le24(b, 24) + 1, le24(b, 27) + 1);
    if (chunk == "VP8L") {
        const std::uint32_t bits =
            std::uint32_t(std::uint8_t(b[21])) | (std::uint32_t(std::uint8_t(b[22])) << 8) |
            (std::uint32_t(std::uint8_t(b[23])) << 16) | (std::uint32_t(std::uint8_t(b[24])) << 24);
        return ok("webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
    }
    if (chunk == "VP8 ") return ok("webp", le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF);
    return fail("WebP has an unknown layout");
}

}  // namespace

ProbeResult probe_image(std::string_view b) {
    if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8))
        return probe_png(b);
    if (b.size() >= 4 && std::uint8_t(b[0]) == 0xFF && std::uint8_t(b[1]) == 0xD8)
        return probe_jpeg(b);
    if (b.size() >= 10 && (b.substr(0, 6) == "GIF87a" || b.substr(0, 6) == "GIF89a"))
        return ok("gif", le16(b, 6), le16(b, 8));
    if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP")
        return probe_webp(b);
    return fail("not a PNG, JPEG, GIF or WebP image");
}

ProbeResult probe_base64_image(std::string_view text, bool allow_data_uri) {
    if (text.substr(0, 5) == "data:") {
        if (!allow_data_uri)
            return fail("must be raw base64 without a 'data:image/...;base64,' prefix");
        const auto comma = text.find(',');
        if (comma == std::string_view::npos ||
            text.substr(0, comma).find(";base64") == std::string_view::npos)
            return fail("data URI must be base64 encoded");
        text.remove_prefix(comma + 1);
    }
    const auto bytes = base64_decode(text);
    if (!bytes) return fail("is not valid base64");
    return probe_image(*bytes);
}

}  // namespace rdsim
