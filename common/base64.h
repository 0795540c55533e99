#pragma once
// Base64 (RFC 4648 standard alphabet, no line length limit) for images travelling through MCP:
// inputs arrive as multi-megabyte base64 strings and results leave as such, so every function
// here is one table-driven pass that allocates its output once.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace rdmcp {

// Always padded with '=' to a multiple of 4: the API's decoder rejects unpadded input.
std::string base64_encode(std::string_view bytes);

// Accepts what agents actually send: '=' padding may be omitted (but partial or misplaced
// padding is rejected), and ASCII whitespace anywhere is skipped because some clients wrap
// lines at 76 columns. Anything else (URL-safe '-' '_', '%', a "data:" prefix, a length that
// leaves a lone 6-bit character) makes it std::nullopt rather than a silently wrong image.
std::optional<std::string> base64_decode(std::string_view text);

// The number of bytes base64_decode(text) would return, or std::nullopt when it would fail:
// the same checks in one pass without writing anything, so a size limit can be enforced and
// the input validated before a multi-megabyte buffer is allocated.
std::optional<std::size_t> base64_validate(std::string_view text);

// Exact decoded size without decoding; 0 when the text is not valid (see base64_validate to
// tell "invalid" from "empty").
std::size_t base64_decoded_size(std::string_view text);

// True when the text is valid, non-empty base64: used to tell base64 from file paths and
// other strings an agent might put in an image field.
bool looks_like_base64(std::string_view text);

}  // namespace rdmcp
