#pragma once
// Reads an image's format and dimensions from its header alone, so a tool can check an agent's
// input (and describe a result) without an image library and without decoding pixels. Only the
// formats the RetroDiffusion API accepts are recognised: PNG, GIF, JPEG and WEBP. The input is
// untrusted: every length read from it is checked against the buffer before it is followed.
#include <optional>
#include <string>
#include <string_view>

namespace rdmcp::tools {

struct ImageInfo {
    std::string mime_type;  // "image/png", "image/gif", "image/jpeg", "image/webp"
    int width = 0;          // always > 0 in a returned ImageInfo
    int height = 0;

    bool operator==(const ImageInfo&) const = default;
};

// The header of the raw bytes (the whole file or any prefix long enough to hold it).
// std::nullopt for other formats, truncated or inconsistent headers, and zero dimensions.
std::optional<ImageInfo> read_image_info(std::string_view bytes);

// The same for base64 text, decoding only a prefix: a few KB, or up to 64 KB for a JPEG whose
// size marker comes after large EXIF/ICC segments. The rest of the text is not checked; use
// base64_validate for that.
std::optional<ImageInfo> read_base64_image_info(std::string_view base64);

// The MIME type the leading magic bytes claim, even when the header behind them is unreadable:
// lets an error say "a truncated PNG" rather than "not an image".
std::optional<std::string> sniff_image_mime(std::string_view bytes);

}  // namespace rdmcp::tools
