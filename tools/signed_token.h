#pragma once
// The pieces of the tokens this server hands out and later trusts without remembering them (job
// ids, spend confirmations): base64url text and HMAC-SHA256, compared in constant time.
#include <optional>
#include <string>
#include <string_view>

namespace rdmcp::tools {

// base64url without padding: safe in URLs and JSON.
std::string to_base64url(std::string_view bytes);

// Only the canonical encoding is accepted: base64 leaves spare bits in the last character, and a
// token that differs in any character must not verify.
std::optional<std::string> from_base64url(const std::string& text);

std::string sha256(std::string_view bytes);                               // 32 raw bytes
std::string hmac_sha256(std::string_view payload, std::string_view key);  // 32 raw bytes
bool same_bytes(std::string_view a, std::string_view b);  // constant time for equal lengths

// "<prefix><base64url payload>.<base64url mac>"
std::string sign_token(std::string_view prefix, std::string_view payload, std::string_view key);
// The payload of a token `sign_token` made with this prefix and key; nothing when altered.
std::optional<std::string> open_token(const std::string& token, std::string_view prefix,
                                      std::string_view key);

}  // namespace rdmcp::tools
