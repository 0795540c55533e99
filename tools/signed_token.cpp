#include "tools/signed_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "common/base64.h"

namespace rdmcp::tools {

std::string to_base64url(std::string_view bytes) {
    std::string text = base64_encode(bytes);
    for (char& c : text) {
        if (c == '+')
            c = '-';
        else if (c == '/')
            c = '_';
    }
    while (!text.empty() && text.back() == '=') text.pop_back();
    return text;
}

std::optional<std::string> from_base64url(const std::string& text) {
    std::string standard = text;
    for (char& c : standard) {
        if (c == '-')
            c = '+';
        else if (c == '_')
            c = '/';
        else if (c == '+' || c == '/' || c == '=')
            return std::nullopt;  // only the url alphabet
    }
    auto bytes = base64_decode(standard);
    if (!bytes || to_base64url(*bytes) != text) return std::nullopt;
    return bytes;
}

std::string sha256(std::string_view bytes) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
    return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

std::string hmac_sha256(std::string_view payload, std::string_view key) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), out, &length);
    return std::string(reinterpret_cast<const char*>(out), length);
}

bool same_bytes(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string sign_token(std::string_view prefix, std::string_view payload, std::string_view key) {
    const std::string signed_part = std::string(prefix) + to_base64url(payload);
    return signed_part + "." + to_base64url(hmac_sha256(signed_part, key));
}

std::optional<std::string> open_token(const std::string& token, std::string_view prefix,
                                      std::string_view key) {
    if (token.size() > 4096 || token.rfind(prefix, 0) != 0) return std::nullopt;
    const auto dot = token.rfind('.');
    if (dot == std::string::npos || dot <= prefix.size()) return std::nullopt;
    const std::string signed_part = token.substr(0, dot);
    auto presented = from_base64url(token.substr(dot + 1));
    if (!presented || !same_bytes(*presented, hmac_sha256(signed_part, key))) return std::nullopt;
    return from_base64url(signed_part.substr(prefix.size()));
}

}  // namespace rdmcp::tools
