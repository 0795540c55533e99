#include "common/base64.h"

#include <array>
#include <cstdint>

namespace rdmcp {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Values 0..63 are data; the markers all have bit 6 or 7 set, so four lookups OR-ed together
// and masked with 0xC0 tell at once whether a whole quad is plain data (the fast path).
constexpr std::uint8_t kSpace = 0x40;    // ASCII whitespace: skipped
constexpr std::uint8_t kPad = 0x41;      // '='
constexpr std::uint8_t kInvalid = 0xFF;  // everything else

constexpr std::array<std::uint8_t, 256> make_decode_table() {
    std::array<std::uint8_t, 256> table{};
    for (auto& entry : table) entry = kInvalid;
    for (int i = 0; i < 64; ++i)
        table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint8_t>(i);
    for (unsigned char c : {' ', '\t', '\n', '\r', '\f', '\v'}) table[c] = kSpace;
    table['='] = kPad;
    return table;
}

constexpr auto kDecode = make_decode_table();

// Padding is optional, but when present it must complete the last quad exactly: "QQ==" and
// "QQ" are fine, "QQ=" and "QUJD=" are not. A single leftover character carries only 6 bits
// and can never be the end of real data.
bool valid_ending(std::size_t data_chars, std::size_t pad) {
    const std::size_t rem = data_chars % 4;
    if (rem == 1) return false;
    return pad == 0 || (rem != 0 && rem + pad == 4);
}

std::size_t decoded_size_of(std::size_t data_chars) {
    const std::size_t rem = data_chars % 4;
    return data_chars / 4 * 3 + (rem == 0 ? 0 : rem - 1);
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
    std::string out((bytes.size() + 2) / 3 * 4, '=');
    const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
    char* dst = out.data();
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t v =
            (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2];
        *dst++ = kAlphabet[(v >> 18) & 63];
        *dst++ = kAlphabet[(v >> 12) & 63];
        *dst++ = kAlphabet[(v >> 6) & 63];
        *dst++ = kAlphabet[v & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        std::uint32_t v = std::uint32_t{in[i]} << 16;
        if (rest == 2) v |= std::uint32_t{in[i + 1]} << 8;
        *dst++ = kAlphabet[(v >> 18) & 63];
        *dst++ = kAlphabet[(v >> 12) & 63];
        if (rest == 2) *dst++ = kAlphabet[(v >> 6) & 63];
        // the remaining positions already hold '='
    }
    return out;
}

std::optional<std::size_t> base64_validate(std::string_view text) {
    std::size_t data_chars = 0;
    std::size_t pad = 0;
    for (unsigned char c : text) {
        const std::uint8_t v = kDecode[c];
        if (v < 64) {
            if (pad != 0) return std::nullopt;  // data after '='
            ++data_chars;
        } else if (v == kPad) {
            if (++pad > 2) return std::nullopt;
        } else if (v != kSpace) {
            return std::nullopt;
        }
    }
    if (!valid_ending(data_chars, pad)) return std::nullopt;
    return decoded_size_of(data_chars);
}

std::optional<std::string> base64_decode(std::string_view text) {
    // Upper bound (whitespace only makes the result shorter); trimmed once at the end.
    std::string out(text.size() / 4 * 3 + 3, '\0');
    auto* dst = reinterpret_cast<unsigned char*>(out.data());
    const auto* in = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();

    std::uint32_t acc = 0;
    int pending = 0;  // data characters in acc (0..3)
    std::size_t data_chars = 0;
    std::size_t pad = 0;
    std::size_t i = 0;
    while (i < n) {
        // Fast path: a whole aligned quad of data characters, the common case by far.
        if (pending == 0 && i + 4 <= n) {
            const std::uint8_t a = kDecode[in[i]], b = kDecode[in[i + 1]], c = kDecode[in[i + 2]],
                               d = kDecode[in[i + 3]];
            if (((a | b | c | d) & 0xC0) == 0) {
                if (pad != 0) return std::nullopt;
                const std::uint32_t v = (std::uint32_t{a} << 18) | (std::uint32_t{b} << 12) |
                                        (std::uint32_t{c} << 6) | d;
                *dst++ = static_cast<unsigned char>(v >> 16);
                *dst++ = static_cast<unsigned char>(v >> 8);
                *dst++ = static_cast<unsigned char>(v);
                data_chars += 4;
                i += 4;
                continue;
            }
        }
        const std::uint8_t v = kDecode[in[i++]];
        if (v < 64) {
            if (pad != 0) return std::nullopt;
            acc = (acc << 6) | v;
            ++data_chars;
            if (++pending == 4) {
                *dst++ = static_cast<unsigned char>(acc >> 16);
                *dst++ = static_cast<unsigned char>(acc >> 8);
                *dst++ = static_cast<unsigned char>(acc);
                acc = 0;
                pending = 0;
            }
        } else if (v == kPad) {
            if (++pad > 2) return std::nullopt;
        } else if (v != kSpace) {
            return std::nullopt;
        }
    }
    if (!valid_ending(data_chars, pad)) return std::nullopt;
    // Leftover bits below the last whole byte are ignored, as most decoders do.
    if (pending == 2) {
        *dst++ = static_cast<unsigned char>(acc >> 4);
    } else if (pending == 3) {
        *dst++ = static_cast<unsigned char>(acc >> 10);
        *dst++ = static_cast<unsigned char>(acc >> 2);
    }
    out.resize(static_cast<std::size_t>(dst - reinterpret_cast<unsigned char*>(out.data())));
    return out;
}

std::size_t base64_decoded_size(std::string_view text) { return base64_validate(text).value_or(0); }

bool looks_like_base64(std::string_view text) { return base64_decoded_size(text) > 0; }

}  // namespace rdmcp
