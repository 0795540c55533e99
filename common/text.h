#pragma once
// Small text helpers: ASCII case and RFC 9110 whitespace for header values, and short, safe
// excerpts of what a client sent, for error messages and log lines.
#include <algorithm>
#include <cctype>
#include <cstdio>
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

// How much of a client's text an error message repeats: enough to recognise what was sent,
// never the megabytes a hostile or broken client can put in a name.
inline constexpr std::size_t kEchoBytes = 64;

// A UTF-8 continuation byte (10xxxxxx): cutting before one would split a character.
inline bool continues_character(unsigned char c) { return (c & 0xC0) == 0x80; }

// At most `max` bytes of `text`, ending on a whole UTF-8 character so the excerpt stays valid
// (text that is not UTF-8 is cut at `max`).
inline std::string_view utf8_prefix(std::string_view text, std::size_t max) {
    if (text.size() <= max) return text;
    std::size_t end = max;
    for (int back = 0; back < 3 && end > 0 && continues_character(text[end]); ++back) --end;
    if (continues_character(text[end])) end = max;
    return text.substr(0, end);
}

// Appends byte `c` so that quotes, backslashes and control characters can neither end a quoted
// text nor break a line: \" \\ and \xNN; every other byte as it is.
inline void append_escaped(std::string& out, unsigned char c) {
    if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
    } else if (c < ' ' || c == 0x7f) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
        out += escaped;
    } else {
        out += static_cast<char>(c);
    }
}

// What follows an excerpt, so a reader knows it is one and how much was left out.
// Appended, not "…[cut: " + std::to_string(...): GCC 12 at -O3 warns falsely (-Wrestrict) about
// a literal + std::string&& (GCC bugs 105329, 105651).
inline std::string cut_marker(std::size_t full_size) {
    std::string marker = "…[cut: ";
    marker += std::to_string(full_size);
    marker += " bytes]";
    return marker;
}

// `text` itself when it fits in `max` bytes; otherwise its first characters and the marker:
// "abc…[cut: 5242880 bytes]".
inline std::string cut(std::string_view text, std::size_t max) {
    if (text.size() <= max) return std::string(text);
    return std::string(utf8_prefix(text, max)) + cut_marker(text.size());
}

// A client's text inside an error message: in double quotes, at most `max` bytes of it, with
// quotes, backslashes and control characters escaped so the message stays one readable line.
// "\"abc\"", or "\"abc\"…[cut: 5242880 bytes]" when it was longer.
inline std::string quote_prefix(std::string_view text, std::size_t max = kEchoBytes) {
    const std::string_view shown = utf8_prefix(text, max);
    std::string out = "\"";
    for (unsigned char c : shown) append_escaped(out, c);
    out += '"';
    if (shown.size() < text.size()) out += cut_marker(text.size());
    return out;
}

}  // namespace rdmcp
