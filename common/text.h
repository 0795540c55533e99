#pragma once
// Small text helpers (ASCII case, RFC 9110 whitespace), for header values and the like.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace rdmcp {

// ASCII lower case: header names, media types and host names compare case-insensitively.
inline std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Without the optional whitespace (spaces and tabs, RFC 9110) around a header value or item.
inline std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

}  // namespace rdmcp
