#include "sim_base64.h"

#include <array>
#include <cstdint>

namespace rdsim {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sextet(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

}  // namespace

std::string base64_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const std::uint32_t v = (std::uint8_t(bytes[i]) << 16) | (std::uint8_t(bytes[i + 1]) << 8) |
                                std::uint8_t(bytes[i + 2]);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        const std::uint32_t v = std::uint8_t(bytes[i]) << 16;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += "==";
    } else if (rest == 2) {
        const std::uint32_t v = (std::uint8_t(bytes[i]) << 16) | (std::uint8_t(bytes[i + 1]) << 8);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    std::string clean;
    clean.reserve(text.size());
    for (char c : text) {
        if (!is_space(c)) clean += c;
    }
    if (clean.empty() || clean.size() % 4 != 0) return std::nullopt;
    std::size_t pad = 0;
    if (clean.back() == '=') pad = (clean[clean.size() - 2] == '=') ? 2 : 1;
    std::string out;
    out.reserve(clean.size() / 4 * 3);
    for (std::size_t i = 0; i < clean.size(); i += 4) {
        const bool last = i + 4 == clean.size();
        std::array<int, 4> s{};
        for (int k = 0; k < 4; ++k) {
            const char c = clean[i + k];
            if (c == '=' && last && k >= 4 - static_cast<int>(pad)) {
                s[k] = 0;
                continue;
            }
            s[k] = sextet(c);
            if (s[k] < 0) return std::nullopt;
        }
        const std::uint32_t v = (s[0] << 18) | (s[1] << 12) | (s[2] << 6) | s[3];
        out += static_cast<char>((v >> 16) & 0xFF);
        if (!(last && pad == 2)) out += static_cast<char>((v >> 8) & 0xFF);
        if (!(last && pad >= 1)) out += static_cast<char>(v & 0xFF);
    }
    return out;
}

}  // namespace rdsim
