#pragma once
// Turns what an agent puts in an image argument into the raw base64 the RetroDiffusion API
// wants, with an error the agent can act on when it cannot. Agents send images three ways:
// raw base64, a data: URL (whose prefix the API rejects, so it is stripped here), or, when the
// server runs on their own machine, a file path (read and encoded here, which saves the agent
// from pasting megabytes of base64 into its context).
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "tools/image_info.h"

namespace rdmcp::tools {

// Our own ceiling, not a documented API limit: keeps one request's base64 (4/3 of this) well
// inside the transport's message limit.
inline constexpr std::size_t kDefaultMaxImageBytes = 16u << 20;

struct ImageInputPolicy {
    // Only over stdio, where the server is a child process on the agent's machine: over HTTP
    // a path names a file on the server, which the caller must not be able to read.
    bool allow_local_files = false;
    std::size_t max_bytes = kDefaultMaxImageBytes;  // decoded image size
};

struct ImageInput {
    std::string base64;  // standard alphabet, padded, no whitespace: ready for the API
    ImageInfo info;      // what the header says, for size checks against the style's limits
    std::string source;  // "base64", "data URL" or "file /abs/path", for logs and messages
};

// Either the image or an error message that names the field and says what to send instead.
// The decoded content must be a PNG, GIF, JPEG or WEBP image within policy.max_bytes. Base64 is
// validated in one pass and only a prefix is decoded to read the header; the one full copy made
// is the returned ImageInput::base64.
std::variant<ImageInput, std::string> resolve_image_input(std::string_view field,
                                                          std::string_view value,
                                                          const ImageInputPolicy& policy);

}  // namespace rdmcp::tools
