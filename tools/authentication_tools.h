#pragma once
// What authenticate accepts as a key before it asks the API about it.
#include <optional>
#include <string>
#include <string_view>

namespace rdmcp::tools {

// Keys are far shorter; a longer text is something else pasted by mistake.
inline constexpr std::size_t kMaxApiKeyLength = 256;

// The key without the spaces and line breaks a paste brings along.
std::string trimmed_api_key(std::string_view key);

// Why `key` (trimmed) cannot be an API key, or nothing. The reason never repeats the key.
std::optional<std::string> api_key_shape_problem(std::string_view key);

}  // namespace rdmcp::tools
